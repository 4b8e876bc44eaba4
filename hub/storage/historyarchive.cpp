#include "historyarchive.h"

#include "storagelog.h"

#include <QJsonArray>

namespace opsdeck::hub::storage {

namespace {
    TopicEntry toTopicEntry(HistoryEntry &&stored)
    {
        TopicEntry entry;
        entry.seq = stored.seq;
        entry.timeMs = stored.timeMs;
        entry.json = std::move(stored.json);
        // Compact JSON escapes quotes inside strings, so only a top-level "type":"gap" matches.
        entry.gap = entry.json.contains("\"type\":\"gap\"");
        entry.source = std::move(stored.source);
        entry.level = std::move(stored.level);
        entry.stream = std::move(stored.stream);
        entry.text = std::move(stored.text);
        return entry;
    }

    std::vector<TopicEntry> toTopicEntries(std::vector<HistoryEntry> &&stored)
    {
        std::vector<TopicEntry> entries;
        entries.reserve(stored.size());
        for (HistoryEntry &entry : stored)
            entries.push_back(toTopicEntry(std::move(entry)));
        return entries;
    }

    QStringList stringsOf(const QJsonValue &value)
    {
        QStringList strings;
        for (const QJsonValue &item : value.toArray())
            strings.append(item.toString());
        return strings;
    }
} // namespace

HistoryArchive::HistoryArchive(HistoryStore &store)
    : m_store(store)
{ }

void HistoryArchive::attach(TopicSet &topics)
{
    // A run that handed out only committed entries can be trusted even after a crash: every
    // seq a client saw is in the store, and the store's head is where the next run continues.
    const bool trusted = m_store.previousCloseWasClean() || m_store.previousDeliveryWasCommitted();
    QHash<QString, Topic *> byName;
    for (int i = 0; i < protocol::kTopicCount; ++i) {
        Topic &topic = topics.topic(static_cast<protocol::Topic>(i));
        byName.insert(topic.name(), &topic);
        const auto stored = m_store.position(topic.name());
        if (trusted && stored && !stored->epoch.isEmpty()) {
            topic.resume(stored->epoch, stored->headSeq);
            qCInfo(lcStorage) << "topic" << topic.name() << "continues epoch" << stored->epoch << "after seq"
                              << stored->headSeq << "; stored from seq" << m_store.oldestSeq(topic.name());
        } else {
            if (stored)
                qCWarning(lcStorage) << "topic" << topic.name() << "starts a new epoch" << topic.epoch()
                                     << "(the previous hub did not close the history store and may have"
                                        " handed out entries it had not stored)";
            m_store.beginEpoch(topic.name(), topic.epoch(), topic.publishedSeq());
        }
        topic.setArchive(this);
        topic.setCommittedDelivery(true);
    }
    m_store.setCommitListener([byName](const QString &name, quint64 committedSeq) {
        if (Topic *topic = byName.value(name))
            topic->markCommitted(committedSeq);
    });
    if (!m_store.setDeliveryCommitted())
        qCWarning(lcStorage) << "history store: cannot record committed delivery; a crash will start new epochs";
}

void HistoryArchive::detach(TopicSet &topics)
{
    m_store.setCommitListener({});
    for (int i = 0; i < protocol::kTopicCount; ++i) {
        Topic &topic = topics.topic(static_cast<protocol::Topic>(i));
        if (topic.archive() == this) {
            topic.setArchive(nullptr);
            topic.setCommittedDelivery(false);
        }
    }
}

HistoryFilter HistoryArchive::filterFor(const protocol::EntryFilter &filter)
{
    const QJsonObject json = filter.toJson();
    HistoryFilter history;
    history.sources = stringsOf(json.value(QLatin1StringView("sources")));
    history.levels = stringsOf(json.value(QLatin1StringView("levels")));
    history.streams = stringsOf(json.value(QLatin1StringView("streams")));
    history.text = json.value(QLatin1StringView("text")).toString();
    history.regex = json.value(QLatin1StringView("regex")).toBool();
    // The text match is decided by the very filter live delivery uses.
    if (!history.text.isEmpty())
        history.accept = [filter](const HistoryEntry &entry) {
            return filter.matches({entry.source, entry.level, entry.stream, entry.text});
        };
    return history;
}

void HistoryArchive::append(const Topic &topic, const TopicEntry &entry)
{
    HistoryEntry stored;
    stored.topic = topic.name();
    stored.epoch = topic.epoch();
    stored.seq = entry.seq;
    stored.timeMs = entry.timeMs;
    stored.source = entry.source;
    stored.level = entry.level;
    stored.stream = entry.stream;
    stored.text = entry.text;
    stored.json = entry.json;
    m_store.append(std::move(stored));
}

quint64 HistoryArchive::oldestSeq(const Topic &topic) const
{
    return m_store.oldestSeq(topic.name());
}

std::vector<TopicEntry> HistoryArchive::read(
    const Topic &topic, quint64 fromSeq, quint64 toSeq, qsizetype limit)
{
    return toTopicEntries(m_store.readRange(topic.name(), fromSeq, toSeq, limit));
}

std::vector<TopicEntry> HistoryArchive::readBackward(
    const Topic &topic, quint64 atOrBelow, const protocol::EntryFilter &filter, qsizetype limit)
{
    return toTopicEntries(m_store.readBackward(topic.name(), atOrBelow, filterFor(filter), limit));
}

qint64 HistoryArchive::count(
    const Topic &topic, quint64 fromSeq, quint64 toSeq, const protocol::EntryFilter &filter)
{
    return m_store.count(topic.name(), fromSeq, toSeq, filterFor(filter));
}

} // namespace opsdeck::hub::storage
