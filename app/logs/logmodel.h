#pragma once

// The Logs pane's list model: a filtered, pausable view over a LogStore.
//
// The view is an index vector of (low 32 bits of) store positions, so re-filtering a million
// entries costs one pass over compact records and 4 bytes per visible row. Large re-filters
// currently run synchronously on the GUI thread (~tens of ms per million entries for a level or
// ASCII substring filter, more for regexes); moving them to a worker in slices is a follow-up.

#include "logbatch.h"
#include "logfilter.h"
#include "logstore.h"

#include <QAbstractListModel>
#include <QJsonArray>
#include <QJsonObject>
#include <QSet>

#include <unordered_map>
#include <vector>

namespace opsdeck::logs {

class LogModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(int totalCount READ totalCount NOTIFY totalCountChanged)
    Q_PROPERTY(int pendingCount READ pendingCount NOTIFY pendingCountChanged)
    Q_PROPERTY(bool paused READ isPaused WRITE setPaused NOTIFY pausedChanged)
    Q_PROPERTY(bool followTail READ followTail WRITE setFollowTail NOTIFY followTailChanged)
    Q_PROPERTY(bool utc READ utc WRITE setUtc NOTIFY utcChanged)
    Q_PROPERTY(QStringList levels READ levels WRITE setLevels NOTIFY filterChanged)
    Q_PROPERTY(QStringList sources READ sources WRITE setSources NOTIFY filterChanged)
    Q_PROPERTY(QStringList streams READ streams WRITE setStreams NOTIFY filterChanged)
    Q_PROPERTY(QString searchText READ searchText WRITE setSearchText NOTIFY filterChanged)
    Q_PROPERTY(bool regex READ regex WRITE setRegex NOTIFY filterChanged)
    Q_PROPERTY(bool filterOnly READ filterOnly WRITE setFilterOnly NOTIFY filterChanged)
    Q_PROPERTY(QString filterError READ filterError NOTIFY filterErrorChanged)
    Q_PROPERTY(int capacity READ capacity WRITE setCapacity NOTIFY capacityChanged)
    Q_PROPERTY(QStringList knownSources READ knownSources NOTIFY knownValuesChanged)
    Q_PROPERTY(QStringList knownStreams READ knownStreams NOTIFY knownValuesChanged)

public:
    enum Role {
        SeqRole = Qt::UserRole + 1,
        TimestampRole,   // display text, local time or UTC per `utc`
        TimestampMsRole, // ms since epoch UTC (qint64)
        LevelRole,       // "error", … ("" when unknown)
        StreamRole,
        SourceRole,
        HostRole,
        MessageRole,     // the whole message, all lines
        FirstLineRole,
        LineCountRole,
        IsGapRole,
        MatchRangesRole, // [{start, length}, …] in UTF-16 units of `message`
        MatchesRole,     // the row matches the text criterion (for highlight mode tinting)
        ExpandedRole,
        EpochRole,
        TimestampIsoRole, // ISO 8601 as recorded (file entries keep their original offset)
    };
    Q_ENUM(Role)

    static constexpr int kDefaultCapacity = 2'000'000;
    static constexpr int kDefaultChunkSize = 8192;

    explicit LogModel(QObject *parent = nullptr, int chunkSize = kDefaultChunkSize);
    ~LogModel() override;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Ingest (protocol docs §4.3/§4.4). Entries whose seq is <= the last seq seen for their
    // epoch are duplicates (replays after a resume) and are skipped.
    void appendEntries(const QList<QJsonObject> &entries);
    Q_INVOKABLE void appendEntryArray(const QJsonArray &entries);
    Q_INVOKABLE void appendGap(const QJsonObject &gap);
    // Any hub message: `log`, `batch` (its `logs`) or `gap`; other types are ignored.
    Q_INVOKABLE void handleMessage(const QJsonObject &message);
    // Parsed file entries; not deduplicated (a file's "seq" is its line number).
    void appendBatch(const LogBatchPtr &batch);
    Q_INVOKABLE void clear();

    int count() const { return int(m_rows.size()); }
    int totalCount() const { return int(m_store.size()); }
    int pendingCount() const { return int(m_pending.size()); }
    bool isPaused() const { return m_paused; }
    void setPaused(bool paused);
    Q_INVOKABLE void pause() { setPaused(true); }
    Q_INVOKABLE void resume() { setPaused(false); }
    bool followTail() const { return m_followTail; }
    void setFollowTail(bool follow);
    bool utc() const { return m_utc; }
    void setUtc(bool utc);

    QStringList levels() const;
    void setLevels(const QStringList &levels);
    Q_INVOKABLE void setLevelEnabled(const QString &level, bool enabled);
    Q_INVOKABLE bool isLevelEnabled(const QString &level) const;
    QStringList sources() const { return m_sourceFilter; }
    void setSources(const QStringList &sources);
    QStringList streams() const { return m_streamFilter; }
    void setStreams(const QStringList &streams);
    QString searchText() const { return m_searchText; }
    void setSearchText(const QString &text);
    bool regex() const { return m_regex; }
    void setRegex(bool regex);
    bool filterOnly() const { return m_filterOnly; }
    void setFilterOnly(bool filterOnly);
    QString filterError() const { return m_filterError; }

    int capacity() const { return m_capacity; }
    void setCapacity(int capacity);
    QStringList knownSources() const;
    QStringList knownStreams() const;

    Q_INVOKABLE void toggleExpanded(int row);
    Q_INVOKABLE bool isExpanded(int row) const;
    // Next row after (or before) `fromRow` whose message matches the text criterion; -1 if none.
    // Highlight mode's "next match".
    Q_INVOKABLE int findMatch(int fromRow, bool forward = true) const;
    // Row of the entry with this seq (exact or the first after it), -1 if none; for "go to".
    Q_INVOKABLE int rowForSeq(qint64 seq) const;
    // Plain-text rendering of rows [first, last] for the clipboard.
    Q_INVOKABLE QString rowsText(int first, int last) const;

    const LogStore &store() const { return m_store; }
    const LogFilter &filter() const { return m_filter; }
    // Store positions of the visible rows, in order (exporter, tests).
    std::vector<uint64_t> visiblePositions() const;
    uint64_t positionAt(int row) const { return absolute(m_rows[std::size_t(row)]); }
    bool rowPassesForView(const LogRecord &record, std::string_view message) const;
    // "<time> LEVEL source@host stream: message" — the text export and clipboard line format.
    static QString entryText(const LogStore &store, uint64_t position, const QString &timeText);

Q_SIGNALS:
    void countChanged();
    void totalCountChanged();
    void pendingCountChanged();
    void pausedChanged();
    void followTailChanged();
    void utcChanged();
    void filterChanged();
    void filterErrorChanged();
    void capacityChanged();
    void knownValuesChanged();
    // Emitted after new rows reached the view (not while paused); QML scrolls when following.
    void rowsAppended(int first, int last);

private:
    uint64_t absolute(uint32_t low) const
    {
        const uint64_t first = m_store.firstPosition();
        return first + uint32_t(low - uint32_t(first));
    }
    bool acceptSeq(const QString &epoch, qint64 seq);
    void appendOne(const QJsonObject &entry);
    void commitAppended(uint64_t from);
    void enforceCapacity();
    void refilter();
    void applyFilterFields();
    void noteKnownValues();

    LogStore m_store;
    LogFilter m_filter;
    std::vector<uint32_t> m_rows;
    std::vector<uint32_t> m_pending;
    uint64_t m_pauseBoundary = 0; // while paused, positions from here on are pending
    std::unordered_map<std::string, int64_t> m_lastSeq;
    QString m_lastEpochKey;
    int64_t *m_lastSeqSlot = nullptr; // m_lastSeq's node for m_lastEpochKey (nodes never move)
    QSet<quint64> m_expanded;
    std::string m_scratch;

    bool m_paused = false;
    bool m_followTail = true;
    bool m_utc = false;
    bool m_regex = false;
    bool m_filterOnly = true;
    QString m_searchText;
    QString m_filterError;
    QStringList m_sourceFilter;
    QStringList m_streamFilter;
    int m_capacity = kDefaultCapacity;
    int m_knownSources = 1;
    int m_knownStreams = 1;
};

} // namespace opsdeck::logs
