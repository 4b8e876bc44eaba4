#include "topic.h"

#include <QDateTime>
#include <QJsonDocument>

namespace opsdeck::hub {

Topic::Topic(protocol::Topic id, QString epoch, qsizetype capacity)
    : m_id(id)
    , m_epoch(std::move(epoch))
    , m_capacity(std::max<qsizetype>(1, capacity))
{
}

quint64 Topic::publish(QJsonObject entry, const QString &source, const QString &level, const QString &stream,
                       const QString &text)
{
    return append(std::move(entry), source, level, stream, text, false);
}

quint64 Topic::publishGap(QJsonObject marker, const QString &source)
{
    marker.insert(QStringLiteral("type"), QStringLiteral("gap"));
    return append(std::move(marker), source, {}, {}, {}, true);
}

quint64 Topic::append(QJsonObject entry, const QString &source, const QString &level, const QString &stream,
                      const QString &text, bool gap)
{
    const quint64 seq = ++m_headSeq;
    entry.insert(QStringLiteral("topic"), name());
    entry.insert(QStringLiteral("epoch"), m_epoch);
    entry.insert(QStringLiteral("seq"), qint64(seq));
    TopicEntry stored;
    stored.seq = seq;
    stored.timeMs = QDateTime::currentMSecsSinceEpoch();
    stored.json = QJsonDocument(entry).toJson(QJsonDocument::Compact);
    stored.source = source;
    stored.level = level;
    stored.stream = stream;
    stored.text = text;
    stored.gap = gap;
    m_entries.push_back(std::move(stored));
    if (m_archive)
        m_archive->append(*this, m_entries.back());
    while (qsizetype(m_entries.size()) > m_capacity)
        m_entries.pop_front();
    if (!m_committedDelivery) {
        m_visibleSeq = seq;
        notifyListeners();
    }
    return seq;
}

void Topic::notifyListeners()
{
    // Listeners may remove themselves while being told; iterate over a snapshot of tokens.
    const auto listeners = m_listeners;
    for (const auto &[token, listener] : listeners)
        listener();
}

void Topic::setCommittedDelivery(bool enabled)
{
    m_committedDelivery = enabled;
    if (!enabled && m_visibleSeq != m_headSeq) {
        m_visibleSeq = m_headSeq;
        notifyListeners();
    }
}

void Topic::markCommitted(quint64 seq)
{
    seq = std::min(seq, m_headSeq);
    if (seq <= m_visibleSeq)
        return;
    m_visibleSeq = seq;
    notifyListeners();
}

const TopicEntry *Topic::entry(quint64 seq) const
{
    if (m_entries.empty() || seq < oldestSeq() || seq > m_headSeq)
        return nullptr;
    return &m_entries[size_t(seq - oldestSeq())];
}

void Topic::resume(QString epoch, quint64 headSeq)
{
    Q_ASSERT(m_entries.empty());
    m_epoch = std::move(epoch);
    m_headSeq = headSeq;
    m_visibleSeq = headSeq;
}

quint64 Topic::retainedSeq() const
{
    const quint64 archived = m_archive ? m_archive->oldestSeq(*this) : 0;
    return archived > 0 ? std::min(archived, oldestSeq()) : oldestSeq();
}

int Topic::addListener(Listener listener)
{
    const int token = m_nextToken++;
    m_listeners.emplace_back(token, std::move(listener));
    return token;
}

void Topic::removeListener(int token)
{
    std::erase_if(m_listeners, [token](const auto &pair) { return pair.first == token; });
}

TopicSet::TopicSet(const Capacities &capacities)
{
    // One epoch per hub run: positions from an earlier run mean nothing now — unless a history
    // store resumes the earlier run's epochs (Topic::resume, hub/storage).
    const QString epoch = QStringLiteral("e-%1").arg(QDateTime::currentMSecsSinceEpoch(), 0, 36);
    for (int i = 0; i < protocol::kTopicCount; ++i) {
        const auto id = static_cast<protocol::Topic>(i);
        const qsizetype capacity = id == protocol::Topic::Logs      ? capacities.logs
                                   : id == protocol::Topic::Metrics ? capacities.metrics
                                                                    : capacities.other;
        m_topics.push_back(std::make_unique<Topic>(id, epoch, capacity));
    }
}

} // namespace opsdeck::hub
