#pragma once

// Connects a hub's topics to a HistoryStore: every publish is queued into the store, and the
// topics' subscriptions and history queries read from it when they reach past the ring. On
// attach each topic resumes the epoch and seq it had when the same database was last closed.

#include "historystore.h"
#include "topic.h"

namespace opsdeck::hub::storage {

class HistoryArchive : public TopicArchive
{
public:
    explicit HistoryArchive(HistoryStore &store);

    // Before anything is published: topics the store knows continue their stored epoch and
    // seq; the others (and all of them when the previous run did not close the store, so its
    // last positions may be unrecorded) start the store on their new epoch.
    void attach(TopicSet &topics);
    void detach(TopicSet &topics);

    // The store filter that selects exactly what `filter` matches.
    static HistoryFilter filterFor(const protocol::EntryFilter &filter);

    void append(const Topic &topic, const TopicEntry &entry) override;
    quint64 oldestSeq(const Topic &topic) const override;
    std::vector<TopicEntry> read(
        const Topic &topic, quint64 fromSeq, quint64 toSeq, qsizetype limit) override;
    std::vector<TopicEntry> readBackward(
        const Topic &topic, quint64 atOrBelow, const protocol::EntryFilter &filter, qsizetype limit) override;
    qint64 count(
        const Topic &topic, quint64 fromSeq, quint64 toSeq, const protocol::EntryFilter &filter) override;

private:
    HistoryStore &m_store;
};

} // namespace opsdeck::hub::storage
