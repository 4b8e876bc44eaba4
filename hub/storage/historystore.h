#pragma once

// The hub's history on disk: every entry of every topic in an SQLite database (WAL), so that a
// hub restarted on the same file keeps each topic's epoch and seq and can still replay what a
// client missed (docs/protocol.md §4, docs/operations.md "History store").
//
// One table per topic with `seq` as its rowid: `since` replay and the backwards paging of the
// `history` query are range scans of the primary key, and nothing else has to stay sorted.
// Writes are queued and committed in one transaction every flush interval or flushMaxEntries
// entries, whichever comes first, so a publish costs a vector append, not an fsync.

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <functional>
#include <optional>
#include <vector>

namespace opsdeck::hub::storage {

struct HistoryStoreConfig
{
    QString path; // the database file; created when missing
    qint64 maxEntriesPerTopic = 1000000; // older entries of a topic are deleted
    qint64 maxAgeMs = qint64(7) * 24 * 3600 * 1000; // 0: no age limit
    // Queued entries wait at most this long. Under committed delivery (HistoryArchive) clients
    // see an entry only once it is committed, so this is also the delivery delay the store adds.
    int flushIntervalMs = 20;
    int flushMaxEntries = 1000; // ... or until this many are queued
    int pruneIntervalMs = 10000; // retention runs this often (and on open)
};

struct HistoryEntry
{
    QString topic;
    QString epoch;
    quint64 seq = 0;
    qint64 timeMs = 0; // when the hub published it (ms since the Unix epoch)
    QString source; // empty: the entry has no such field
    QString level;
    QString stream;
    QString text; // what a text filter searches (a log's message)
    QByteArray json; // the entry as delivered, without `sub`
};

// Which entries a read returns. Same meaning as the protocol's filter (docs/protocol.md §4.1):
// a field the entry does not have (empty) never excludes it; `text` is a case-insensitive
// substring, or a case-insensitive regular expression when `regex` is set.
struct HistoryFilter
{
    QStringList sources;
    QStringList levels;
    QStringList streams;
    QString text;
    bool regex = false;
    qint64 fromMs = 0; // time range, inclusive; 0: open
    qint64 toMs = 0;
    // When set, decides instead of the store's own text match (the hub passes its EntryFilter,
    // so the store can never disagree with live delivery). SQL still narrows by the lists above.
    std::function<bool(const HistoryEntry &)> accept;

    bool isEmpty() const;
};

struct TopicPosition
{
    QString epoch;
    quint64 headSeq = 0;
};

class HistoryStore : public QObject
{
    Q_OBJECT
public:
    explicit HistoryStore(QObject *parent = nullptr);
    ~HistoryStore() override; // close()

    // Opens (or creates) the database. False with errorString() when it cannot.
    bool open(const HistoryStoreConfig &config);
    bool isOpen() const { return m_open; }
    QString errorString() const { return m_error; }
    const HistoryStoreConfig &config() const { return m_config; }
    // Writes everything queued and marks the database as cleanly closed.
    void close();

    // False when the previous process did not close() the database (it crashed or was killed):
    // entries it published in its last flush interval may be missing, so positions it handed out
    // cannot be trusted any more, and the caller should start new epochs.
    bool previousCloseWasClean() const { return m_previousClean; }
    // True when the previous process handed out only committed entries (committed delivery,
    // see HistoryArchive) and lost none: its positions hold even after a crash.
    bool previousDeliveryWasCommitted() const { return m_previousCommitted; }
    // Records that this process hands out only committed entries.
    bool setDeliveryCommitted();

    // Told after every commit, once per topic that got entries: the newest committed seq.
    using CommitListener = std::function<void(const QString &topic, quint64 committedSeq)>;
    void setCommitListener(CommitListener listener) { m_commitListener = std::move(listener); }

    // Where `topic` stood when the database was last written; nullopt for a topic never stored.
    std::optional<TopicPosition> position(const QString &topic) const;
    // Starts `topic` on `epoch`: entries of any other epoch are deleted.
    bool beginEpoch(const QString &topic, const QString &epoch, quint64 headSeq = 0);

    // Queues an entry (seq must follow the topic's last one).
    void append(HistoryEntry entry);
    // Commits everything queued in one transaction. False on a database error (logged).
    bool flush();
    qsizetype queued() const { return qsizetype(m_queue.size()); }

    // The oldest stored seq of `topic` (queued entries count as stored), 0 when it has none.
    quint64 oldestSeq(const QString &topic) const;
    quint64 headSeq(const QString &topic) const;
    qint64 storedCount(const QString &topic);

    // Entries fromSeq..toSeq in seq order, at most `limit`.
    std::vector<HistoryEntry> readRange(
        const QString &topic, quint64 fromSeq, quint64 toSeq, qsizetype limit);
    // The newest `limit` entries with seq <= atOrBelow that pass `filter`, newest first.
    std::vector<HistoryEntry> readBackward(
        const QString &topic, quint64 atOrBelow, const HistoryFilter &filter, qsizetype limit);
    // How many entries fromSeq..toSeq pass `filter`.
    qint64 count(const QString &topic, quint64 fromSeq, quint64 toSeq, const HistoryFilter &filter);

    // Deletes what retention no longer keeps, in bounded steps. Returns rows deleted.
    qint64 prune(qint64 nowMs);

    // For benchmarks and stats.
    qint64 writtenTotal() const { return m_writtenTotal; }
    qint64 flushCount() const { return m_flushCount; }

private:
    struct TopicState
    {
        QString epoch;
        quint64 headSeq = 0; // the newest seq appended
        quint64 oldestSeq = 0; // 0: nothing stored
        bool dirty = false; // headSeq changed since the last commit
    };

    bool exec(const QString &sql);
    bool ensureTopicTable(const QString &topic);
    bool loadTopics();
    bool setMeta(const QString &key, const QString &value);
    QString metaValue(const QString &key);
    bool writeQueued();
    qint64 pruneTopic(const QString &topic, TopicState &state, qint64 nowMs);
    void refreshOldest(const QString &topic, TopicState &state);
    QString whereClause(const HistoryFilter &filter, QVariantList &binds) const;

    HistoryStoreConfig m_config;
    QString m_connectionName;
    QSqlDatabase m_db;
    QHash<QString, TopicState> m_topics;
    std::vector<HistoryEntry> m_queue;
    QTimer m_flushTimer;
    QTimer m_pruneTimer;
    QString m_error;
    qint64 m_writtenTotal = 0;
    qint64 m_flushCount = 0;
    bool m_open = false;
    bool m_previousClean = true;
    bool m_lostEntries = false; // a failed commit dropped queued entries
    bool m_previousCommitted = false;
    CommitListener m_commitListener;
};

// A topic name usable as part of a table name ([a-z0-9_], 1–32 characters).
bool isValidTopicName(const QString &topic);
// The table of a topic's entries.
QString tableOf(const QString &topic);

} // namespace opsdeck::hub::storage
