#include "subscription.h"

#include <QHash>

namespace opsdeck::hub {

namespace {
protocol::EntryFields fieldsOf(const TopicEntry &entry)
{
    return {entry.source, entry.level, entry.stream, entry.text};
}
} // namespace

Subscription::Subscription(QString id, Topic &topic, protocol::EntryFilter filter, bool batch,
                           std::function<void()> notify)
    : m_id(std::move(id))
    , m_topic(topic)
    , m_filter(std::move(filter))
    , m_batch(batch)
    , m_cursor(topic.headSeq())
{
    m_listenerToken = m_topic.addListener(std::move(notify));
}

Subscription::~Subscription()
{
    m_topic.removeListener(m_listenerToken);
}

bool Subscription::matches(const TopicEntry &entry) const
{
    return m_filter.isEmpty() || m_filter.matches(fieldsOf(entry));
}

void Subscription::rewindForHistory(qsizetype count)
{
    quint64 position = m_topic.headSeq();
    qsizetype found = 0;
    while (found < count && position >= m_topic.oldestSeq() && position > 0) {
        if (const TopicEntry *entry = m_topic.entry(position); entry && matches(*entry))
            ++found;
        --position;
    }
    m_cursor = position;
}

qsizetype Subscription::countMatchingPending() const
{
    qsizetype count = 0;
    for (quint64 seq = std::max(m_cursor + 1, m_topic.oldestSeq()); seq <= m_topic.headSeq(); ++seq) {
        if (const TopicEntry *entry = m_topic.entry(seq); entry && matches(*entry))
            ++count;
    }
    return count;
}

bool Subscription::drain(int batchMax, int maxFrames, const FrameSink &send)
{
    if (m_cursor + 1 < m_topic.oldestSeq()) {
        const quint64 lastLost = m_topic.oldestSeq() - 1;
        // Metrics are "latest value wins": skipped points are not a gap (docs/protocol.md §4.5).
        if (m_topic.id() != protocol::Topic::Metrics)
            send(gapFrame(m_cursor + 1, lastLost));
        m_cursor = lastLost;
    }
    if (m_topic.id() == protocol::Topic::Metrics && pendingUpperBound() > quint64(batchMax))
        return drainLatestPerSource(send);

    int frames = 0;
    QList<const TopicEntry *> batch;
    while (m_cursor < m_topic.headSeq() && frames < maxFrames) {
        const TopicEntry *entry = m_topic.entry(m_cursor + 1);
        ++m_cursor;
        if (!entry || !matches(*entry))
            continue;
        if (!m_batch) {
            send(withSub(entry->json));
            ++frames;
            continue;
        }
        batch.append(entry);
        if (batch.size() >= batchMax) {
            send(batchFrame(batch));
            batch.clear();
            ++frames;
        }
    }
    if (!batch.isEmpty())
        send(batchFrame(batch));
    return m_cursor < m_topic.headSeq();
}

bool Subscription::drainLatestPerSource(const FrameSink &send)
{
    QHash<QString, const TopicEntry *> newest;
    QList<QString> order;
    for (quint64 seq = m_cursor + 1; seq <= m_topic.headSeq(); ++seq) {
        const TopicEntry *entry = m_topic.entry(seq);
        if (!entry || !matches(*entry))
            continue;
        if (!newest.contains(entry->source))
            order.append(entry->source);
        newest.insert(entry->source, entry);
    }
    QList<const TopicEntry *> entries;
    for (const QString &source : order)
        entries.append(newest.value(source));
    std::sort(entries.begin(), entries.end(), [](auto *a, auto *b) { return a->seq < b->seq; });
    for (const TopicEntry *entry : entries)
        send(withSub(entry->json));
    m_cursor = m_topic.headSeq();
    return false;
}

QByteArray Subscription::withSub(const QByteArray &json) const
{
    // Entries are serialized once per topic; the subscription id is spliced in per receiver.
    QByteArray frame = json;
    frame.chop(1);
    frame += ",\"sub\":\"" + m_id.toUtf8() + "\"}";
    return frame;
}

QByteArray Subscription::batchFrame(const QList<const TopicEntry *> &entries) const
{
    QByteArray frame;
    qsizetype size = 160;
    for (const TopicEntry *entry : entries)
        size += entry->json.size() + 1;
    frame.reserve(size);
    frame += "{\"type\":\"batch\",\"topic\":\"" + m_topic.name().toUtf8() + "\",\"sub\":\"" + m_id.toUtf8()
             + "\",\"epoch\":\"" + m_topic.epoch().toUtf8() + "\",\"count\":" + QByteArray::number(entries.size())
             + ",\"ts\":\"" + protocol::isoNow().toUtf8() + "\",\"logs\":[";
    for (qsizetype i = 0; i < entries.size(); ++i) {
        if (i > 0)
            frame += ',';
        frame += entries[i]->json;
    }
    frame += "]}";
    return frame;
}

QByteArray Subscription::gapFrame(quint64 fromSeq, quint64 toSeq) const
{
    return "{\"type\":\"gap\",\"topic\":\"" + m_topic.name().toUtf8() + "\",\"sub\":\"" + m_id.toUtf8()
           + "\",\"epoch\":\"" + m_topic.epoch().toUtf8() + "\",\"reason\":\"retention_exceeded\",\"from_seq\":"
           + QByteArray::number(fromSeq) + ",\"to_seq\":" + QByteArray::number(toSeq) + ",\"ts\":\""
           + protocol::isoNow().toUtf8() + "\"}";
}

} // namespace opsdeck::hub
