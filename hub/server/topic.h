#pragma once

// One topic of docs/protocol.md §4: an epoch, a monotonically increasing seq and a retention
// ring of serialized entries. Subscriptions are cursors into the ring; the ring serializes an
// entry once, however many connections receive it.

#include "entryfilter.h"
#include "protocol.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <deque>
#include <functional>
#include <memory>
#include <vector>

namespace opsdeck::hub {

class Topic;
struct TopicEntry;

// Where a topic's entries live on after they leave the ring (hub/storage's SQLite history). The
// ring stays the fast path; the archive answers only for seqs older than the ring's oldest, and
// holds a contiguous run of seqs up to the topic's head (everything published since it was
// attached, minus what its own retention has dropped from the old end).
class TopicArchive
{
public:
    virtual ~TopicArchive() = default;
    // Told about every entry after the ring has it.
    virtual void append(const Topic &topic, const TopicEntry &entry) = 0;
    // The oldest seq the archive can return, 0 when it holds nothing.
    virtual quint64 oldestSeq(const Topic &topic) const = 0;
    // Entries fromSeq..toSeq in seq order, at most `limit`.
    virtual std::vector<TopicEntry> read(const Topic &topic, quint64 fromSeq, quint64 toSeq, qsizetype limit) = 0;
    // The newest `limit` entries with seq <= atOrBelow matching `filter`, newest first.
    virtual std::vector<TopicEntry> readBackward(const Topic &topic, quint64 atOrBelow,
                                                 const protocol::EntryFilter &filter, qsizetype limit) = 0;
    // How many entries fromSeq..toSeq match `filter`.
    virtual qint64 count(const Topic &topic, quint64 fromSeq, quint64 toSeq, const protocol::EntryFilter &filter) = 0;
};

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
    // A gap marker published by the relay when an upstream could not resume (docs/protocol.md
    // §15): delivered alone, as a `gap` message, to every subscriber of the topic whatever its
    // filter — a hole in what the hub relays concerns everyone reading the topic.
    bool gap = false;
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

    // Publishes a gap marker entry (TopicEntry::gap); `marker` gets type "gap" and the topic's
    // position like any entry.
    quint64 publishGap(QJsonObject marker, const QString &source = {});

    // The newest seq clients may see. Under committed delivery that is the newest seq the
    // archive has committed; otherwise the newest published.
    quint64 headSeq() const { return m_visibleSeq; }
    // The newest seq published (committed or not).
    quint64 publishedSeq() const { return m_headSeq; }
    // The oldest seq in the ring, or publishedSeq()+1 when the ring is empty.
    quint64 oldestSeq() const { return m_headSeq + 1 - quint64(m_entries.size()); }

    // Committed delivery (a hub with a history store): entries become visible to subscribers
    // only when markCommitted() says the archive holds them, so a crash can never take back a
    // seq a client has seen, and a restarted hub keeps its epochs (docs/protocol.md §4).
    void setCommittedDelivery(bool enabled);
    bool committedDelivery() const { return m_committedDelivery; }
    void markCommitted(quint64 seq);
    // nullptr when `seq` is not (or no longer) in the ring.
    const TopicEntry *entry(quint64 seq) const;

    // Continues the history of an earlier hub run on the same store: its epoch, and seqs after
    // `headSeq`. Only before the first publish (the ring is empty).
    void resume(QString epoch, quint64 headSeq);
    // Every publish is also handed to `archive`, which then serves seqs older than the ring.
    void setArchive(TopicArchive *archive) { m_archive = archive; }
    TopicArchive *archive() const { return m_archive; }
    // The oldest seq obtainable from the ring or the archive, headSeq()+1 when there is none.
    quint64 retainedSeq() const;

    // Listeners are told after every publish; the returned token removes one.
    int addListener(Listener listener);
    void removeListener(int token);

private:
    quint64 append(QJsonObject entry, const QString &source, const QString &level, const QString &stream,
                   const QString &text, bool gap);
    void notifyListeners();

    protocol::Topic m_id;
    QString m_epoch;
    qsizetype m_capacity;
    quint64 m_headSeq = 0;
    quint64 m_visibleSeq = 0;
    bool m_committedDelivery = false;
    std::deque<TopicEntry> m_entries;
    std::vector<std::pair<int, Listener>> m_listeners;
    int m_nextToken = 1;
    TopicArchive *m_archive = nullptr;
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
