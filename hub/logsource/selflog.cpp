#include "selflog.h"

#include "logsources.h"

#include <QDateTime>
#include <QMetaObject>
#include <cstdio>

namespace opsdeck::logsource {

namespace {
    std::mutex g_instanceMutex;
    SelfLog *g_instance = nullptr;
    // Set on a thread while it publishes the queue: what it logs meanwhile is not queued again.
    thread_local bool t_publishing = false;
    // Set while this thread is inside the handler: a message logged by the handler itself (Qt warning
    // about the queued call, say) goes straight to stderr instead of dead-locking on the mutex.
    thread_local bool t_inHandler = false;

    QString levelOf(QtMsgType type)
    {
        switch (type) {
        case QtDebugMsg:
            return QStringLiteral("debug");
        case QtInfoMsg:
            return QStringLiteral("info");
        case QtWarningMsg:
            return QStringLiteral("warn");
        case QtCriticalMsg:
            return QStringLiteral("error");
        case QtFatalMsg:
            return QStringLiteral("fatal");
        }
        return QStringLiteral("info");
    }
} // namespace

SelfLog::SelfLog()
{
    std::lock_guard lock(g_instanceMutex);
    Q_ASSERT(!g_instance);
    g_instance = this;
    m_previous = qInstallMessageHandler(&SelfLog::handler);
}

SelfLog::~SelfLog()
{
    std::lock_guard lock(g_instanceMutex);
    qInstallMessageHandler(m_previous);
    g_instance = nullptr;
}

void SelfLog::handler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    QtMessageHandler previous = nullptr;
    if (t_inHandler) {
        std::fputs(qPrintable(qFormatLogMessage(type, context, message) + u'\n'), stderr);
        return;
    }
    {
        t_inHandler = true;
        std::lock_guard lock(g_instanceMutex);
        if (g_instance) {
            previous = g_instance->m_previous;
            if (!t_publishing)
                g_instance->enqueue(type, context, message);
        }
        t_inHandler = false;
    }
    // stderr stays exactly what it was without --self-log (the previous handler, or Qt's own).
    if (previous)
        previous(type, context, message);
    else
        std::fputs(qPrintable(qFormatLogMessage(type, context, message) + u'\n'), stderr);
}

void SelfLog::enqueue(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const QLatin1StringView category(context.category ? context.category : "default");
    QString text
        = category == QLatin1StringView("default") ? message : category + QLatin1StringView(": ") + message;
    std::lock_guard lock(m_mutex);
    if (m_queue.size() >= kMaxQueued) {
        ++m_dropped;
        return;
    }
    m_queue.push_back(Pending {QDateTime::currentMSecsSinceEpoch(), levelOf(type), std::move(text)});
    if (m_topics && !m_flushPosted) {
        m_flushPosted = true;
        QMetaObject::invokeMethod(this, &SelfLog::flush, Qt::QueuedConnection);
    }
}

void SelfLog::attach(hub::TopicSet *topics, QString host)
{
    {
        std::lock_guard lock(m_mutex);
        m_topics = topics;
        m_host = std::move(host);
        if (!m_topics || m_queue.empty() || m_flushPosted)
            return;
        m_flushPosted = true;
    }
    QMetaObject::invokeMethod(this, &SelfLog::flush, Qt::QueuedConnection);
}

void SelfLog::flush()
{
    std::deque<Pending> batch;
    qint64 dropped = 0;
    {
        std::lock_guard lock(m_mutex);
        m_flushPosted = false;
        if (!m_topics)
            return;
        batch.swap(m_queue);
        std::swap(dropped, m_dropped);
    }
    t_publishing = true;
    const QString source = QString::fromLatin1(kSource);
    for (const Pending &pending : batch)
        publishLogEntry(*m_topics, source, m_host, QStringLiteral("stderr"), pending.level, pending.message,
            pending.timeMs);
    if (dropped > 0)
        publishLogEntry(*m_topics, source, m_host, QStringLiteral("stderr"), QStringLiteral("warn"),
            QStringLiteral("%1 hub log messages were not published (more than %2 queued)")
                .arg(dropped)
                .arg(kMaxQueued),
            QDateTime::currentMSecsSinceEpoch());
    t_publishing = false;
}

qint64 SelfLog::dropped() const
{
    std::lock_guard lock(m_mutex);
    return m_dropped;
}

} // namespace opsdeck::logsource
