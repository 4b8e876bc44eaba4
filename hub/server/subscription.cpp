#include "subscription.h"

#include <QHash>

#include <algorithm>

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
    // Short of `count` at the ring's old end: the archive (a history store) holds older entries.
    if (found < count && position > 0 && m_topic.archive()) {
        const auto older = m_topic.archive()->readBackward(m_topic, position, m_filter, count - found);
        // Fewer than asked: nothing older matches, so skipping the rest of the archive loses nothing.
        if (!older.empty())
            position = older.back().seq - 1;
    }
    m_cursor = position;
}

qsizetype Subscription::countMatchingPending() const
{
    qsizetype count = 0;
    if (m_topic.archive() && m_cursor + 1 < m_topic.oldestSeq())
        count += qsizetype(m_topic.archive()->count(m_topic, m_cursor + 1, m_topic.oldestSeq() - 1, m_filter));
    for (quint64 seq = std::max(m_cursor + 1, m_topic.oldestSeq()); seq <= m_topic.headSeq(); ++seq) {
        if (const TopicEntry *entry = m_topic.entry(seq); entry && matches(*entry))
            ++count;
    }
    return count;
}

bool Subscription::drain(int batchMax, int maxFrames, const FrameSink &send)
{
    const quint64 ringOldest = m_topic.oldestSeq();
    if (m_cursor + 1 < m_topic.retainedSeq()) {
        const quint64 lastLost = m_topic.retainedSeq() - 1;
        // Metrics are "latest value wins": skipped points are not a gap (docs/protocol.md §4.5).
        if (m_topic.id() != protocol::Topic::Metrics)
            send(gapFrame(m_cursor + 1, lastLost));
        m_cursor = lastLost;
    }
    if (m_topic.id() == protocol::Topic::Metrics && pendingUpperBound() > quint64(batchMax))
        return drainLatestPerSource(send);

    // Behind the ring: this call delivers one chunk read from the archive, then returns "more".
    std::vector<TopicEntry> archived;
    quint64 last = m_topic.headSeq();
    if (m_cursor + 1 < ringOldest) {
        const qsizetype chunk = qsizetype(maxFrames) * (m_batch ? std::max(1, batchMax) : 1);
        archived = m_topic.archive()->read(m_topic, m_cursor + 1, ringOldest - 1, chunk);
        if (archived.empty()) {
            // The store failed to answer: say so rather than skip silently.
            if (m_topic.id() != protocol::Topic::Metrics)
                send(gapFrame(m_cursor + 1, ringOldest - 1));
            m_cursor = ringOldest - 1;
        } else if (qsizetype(archived.size()) == chunk) {
            last = archived.back().seq;
        }
    }
    const auto entryAt = [&](quint64 seq) -> const TopicEntry * {
        if (seq >= ringOldest)
            return m_topic.entry(seq);
        const auto it = std::lower_bound(archived.cbegin(), archived.cend(), seq,
                                         [](const TopicEntry &entry, quint64 s) { return entry.seq < s; });
        return it != archived.cend() && it->seq == seq ? &*it : nullptr;
    };

    int frames = 0;
    QList<const TopicEntry *> batch;
    while (m_cursor < last && frames < maxFrames) {
        const TopicEntry *entry = entryAt(m_cursor + 1);
        ++m_cursor;
        if (entry && entry->gap) {
            // In its place in the stream: what was batched before it goes first.
            if (!batch.isEmpty()) {
                send(batchFrame(batch));
                batch.clear();
                ++frames;
            }
            send(withSub(entry->json));
            ++frames;
            continue;
        }
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
        if (!entry || !(entry->gap || matches(*entry)))
            continue;
        if (entry->gap) { // every marker is kept: a chart shows each hole
            newest.insert(QStringLiteral("\x1fgap%1").arg(seq), entry);
            order.append(QStringLiteral("\x1fgap%1").arg(seq));
            continue;
        }
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
