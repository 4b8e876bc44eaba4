#include "logstats.h"

#include <QDateTime>

namespace opsdeck::logs {

LogStats::LogStats(QObject *parent)
    : QObject(parent)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(250);
    connect(&m_timer, &QTimer::timeout, this, &LogStats::update);
    m_rateTimer.setInterval(1000);
    connect(&m_rateTimer, &QTimer::timeout, this, &LogStats::sampleRate);
}

void LogStats::setModel(LogModel *model)
{
    if (model == m_model)
        return;
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    m_rate = 0;
    m_rateAtMs = QDateTime::currentMSecsSinceEpoch();
    m_rateEnd = model ? model->store().endPosition() : 0;
    m_rateTimer.stop();
    if (model) {
        m_rateTimer.start();
        connect(model, &LogModel::totalCountChanged, this, &LogStats::schedule);
        connect(model, &QAbstractItemModel::modelReset, this, &LogStats::schedule);
    }
    recount();
    Q_EMIT modelChanged();
    Q_EMIT updated();
}

QVariantMap LogStats::levelCounts() const
{
    QVariantMap counts;
    for (int level = 0; level < kLevelCount; ++level)
        counts.insert(levelName(LogLevel(level)), m_counts[std::size_t(level)]);
    return counts;
}

void LogStats::schedule()
{
    if (!m_timer.isActive())
        m_timer.start();
}

void LogStats::recount()
{
    m_counts.fill(0);
    m_gaps = 0;
    m_first = m_end = 0;
    if (!m_model)
        return;
    const LogStore &store = m_model->store();
    m_first = m_end = store.firstPosition();
}

void LogStats::update()
{
    m_timer.stop();
    if (!m_model)
        return;
    const LogStore &store = m_model->store();
    // Entries left the store (capacity cap, clear): count again from the oldest one kept.
    if (store.firstPosition() != m_first || store.endPosition() < m_end)
        recount();
    const uint64_t end = store.endPosition();
    store.forEach(m_end, end, [this](uint64_t, const LogRecord &r, std::string_view) {
        if (r.kind == LogKind::Gap)
            ++m_gaps;
        else
            ++m_counts[std::size_t(r.level)];
    });
    m_end = end;
    Q_EMIT updated();
}

void LogStats::sampleRate()
{
    if (!m_model)
        return;
    const uint64_t end = m_model->store().endPosition();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 elapsed = std::max<qint64>(1, now - m_rateAtMs);
    const double rate = end >= m_rateEnd ? double(end - m_rateEnd) * 1000.0 / double(elapsed) : 0.0;
    m_rateEnd = end;
    m_rateAtMs = now;
    if (rate != m_rate) {
        m_rate = rate;
        Q_EMIT updated();
    }
}

} // namespace opsdeck::logs
