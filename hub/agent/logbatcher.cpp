#include "logbatcher.h"

#include "agentlog.h"

#include <QDateTime>
#include <QJsonArray>

namespace opsdeck::agent {

LogBatcher::LogBatcher(LogBatcherOptions options, QObject *parent)
    : QObject(parent)
    , m_options(options)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(m_options.intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &LogBatcher::flush);
}

void LogBatcher::add(QJsonObject entry)
{
    entry.insert(QStringLiteral("type"), QStringLiteral("log"));
    m_entries.push_back(std::move(entry));
    while (qsizetype(m_entries.size()) > m_options.maxBuffered) {
        m_entries.pop_front();
        ++m_droppedPending;
        ++m_droppedTotal;
    }
    if (!m_online)
        return;
    if (qsizetype(m_entries.size()) >= m_options.maxEntries)
        flush();
    else if (!m_timer.isActive())
        m_timer.start();
}

void LogBatcher::setOnline(bool online)
{
    m_online = online;
    if (!online) {
        m_timer.stop();
        return;
    }
    if (!m_entries.empty() || m_droppedPending > 0)
        m_timer.start();
}

void LogBatcher::flush()
{
    m_timer.stop();
    if (!m_online)
        return;
    if (m_droppedPending > 0) {
        qCWarning(lcAgent) << m_droppedPending << "log entries dropped while the hub was unreachable";
        m_entries.push_front(QJsonObject{
            {QStringLiteral("type"), QStringLiteral("log")},
            {QStringLiteral("timestamp"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
            {QStringLiteral("stream"), QStringLiteral("stderr")},
            {QStringLiteral("level"), QStringLiteral("warn")},
            {QStringLiteral("message"), QStringLiteral("opsdeck-agent: %1 log entries were dropped while the hub was "
                                                       "unreachable (buffer of %2)")
                                            .arg(m_droppedPending)
                                            .arg(m_options.maxBuffered)}});
        m_droppedPending = 0;
    }
    while (!m_entries.empty() && m_online) {
        const qsizetype count = std::min<qsizetype>(qsizetype(m_entries.size()), m_options.maxEntries);
        if (count == 1) {
            QJsonObject single = std::move(m_entries.front());
            m_entries.pop_front();
            Q_EMIT ready(single);
            continue;
        }
        QJsonArray logs;
        for (qsizetype i = 0; i < count; ++i) {
            logs.append(std::move(m_entries.front()));
            m_entries.pop_front();
        }
        Q_EMIT ready(QJsonObject{{QStringLiteral("type"), QStringLiteral("batch")},
                                 {QStringLiteral("logs"), logs},
                                 {QStringLiteral("count"), count}});
    }
}

} // namespace opsdeck::agent
