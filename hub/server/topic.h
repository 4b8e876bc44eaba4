#pragma once

// One topic of docs/protocol.md §4: an epoch, a monotonically increasing seq and a retention
// ring of serialized entries. Subscriptions are cursors into the ring; the ring serializes an
// entry once, however many connections receive it.

#include "protocol.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <deque>
#include <functional>
#include <vector>

namespace opsdeck::hub {

struct TopicEntry
{
    quint64 seq = 0;
    qint64 timeMs = 0;
    QByteArray json; // the entry with topic, epoch and seq, without `sub`
    // Fields the filters look at (docs/protocol.md §4.1).
    QString source;
    QString level;
    QString stream;
    QString text;
};

class Topic
{
public:
    using Listener = std::function<void()>;

    Topic(protocol::Topic id, QString epoch, qsizetype capacity);

    protocol::Topic id() const { return m_id; }
    QString name() const { return protocol::topicName(m_id); }
    const QString &epoch() const { return m_epoch; }
    qsizetype capacity() const { return m_capacity; }

    // Adds topic/epoch/seq to `entry`, serializes and retains it, then notifies listeners.
    quint64 publish(QJsonObject entry, const QString &source = {}, const QString &level = {},
                    const QString &stream = {}, const QString &text = {});

    quint64 headSeq() const { return m_headSeq; }
    // The oldest retained seq, or headSeq()+1 when nothing is retained.
    quint64 oldestSeq() const { return m_headSeq + 1 - quint64(m_entries.size()); }
    // nullptr when `seq` is not (or no longer) retained.
    const TopicEntry *entry(quint64 seq) const;

    // Listeners are told after every publish; the returned token removes one.
    int addListener(Listener listener);
    void removeListener(int token);

private:
    protocol::Topic m_id;
    QString m_epoch;
    qsizetype m_capacity;
    quint64 m_headSeq = 0;
    std::deque<TopicEntry> m_entries;
    std::vector<std::pair<int, Listener>> m_listeners;
    int m_nextToken = 1;
};

// The six topics of a hub.
class TopicSet
{
public:
    struct Capacities
    {
        qsizetype logs = 100000;
        qsizetype metrics = 50000;
        qsizetype other = 10000;
    };
    explicit TopicSet(const Capacities &capacities);

    Topic &topic(protocol::Topic id) { return *m_topics.at(size_t(id)); }
    const Topic &topic(protocol::Topic id) const { return *m_topics.at(size_t(id)); }

private:
    std::vector<std::unique_ptr<Topic>> m_topics;
};

} // namespace opsdeck::hub
