#include "historystore.h"

#include "storagelog.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <atomic>

Q_LOGGING_CATEGORY(lcStorage, "opsdeck.hub.storage")

namespace opsdeck::hub::storage {

namespace {
    constexpr int kSchemaVersion = 1;
    constexpr qsizetype kRowsPerInsert = 64; // 512 bound values, far below SQLite's limit

    std::atomic<int> g_connectionCounter {0};
} // namespace

QString tableOf(const QString &topic)
{
    return QStringLiteral("entries_") + topic;
}

bool isValidTopicName(const QString &topic)
{
    static const QRegularExpression pattern(QStringLiteral("^[a-z0-9_]{1,32}$"));
    return pattern.match(topic).hasMatch();
}

HistoryStore::HistoryStore(QObject *parent)
    : QObject(parent)
{
    m_flushTimer.setSingleShot(true);
    connect(&m_flushTimer, &QTimer::timeout, this, [this] { flush(); });
    connect(&m_pruneTimer, &QTimer::timeout, this, [this] { prune(QDateTime::currentMSecsSinceEpoch()); });
}

HistoryStore::~HistoryStore()
{
    close();
}

bool HistoryStore::exec(const QString &sql)
{
    QSqlQuery query(m_db);
    if (query.exec(sql))
        return true;
    m_error = QStringLiteral("%1: %2").arg(sql, query.lastError().text());
    qCWarning(lcStorage) << "history store:" << m_error;
    return false;
}

bool HistoryStore::open(const HistoryStoreConfig &config)
{
    close();
    m_config = config;
    m_error.clear();
    m_lostEntries = false;
    m_topics.clear();
    if (m_config.path.isEmpty()) {
        m_error = QStringLiteral("no database path");
        return false;
    }
    const QFileInfo file(m_config.path);
    if (!QDir().mkpath(file.absolutePath())) {
        m_error = QStringLiteral("cannot create the directory %1").arg(file.absolutePath());
        return false;
    }
    m_connectionName = QStringLiteral("opsdeck-history-%1").arg(g_connectionCounter.fetch_add(1));
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    m_db.setDatabaseName(m_config.path);
    // Another process reading the file (a backup, sqlite3) may hold a lock for a moment.
    m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!m_db.open()) {
        m_error = QStringLiteral("cannot open %1: %2").arg(m_config.path, m_db.lastError().text());
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connectionName);
        return false;
    }
    m_open = true;
    // WAL: readers (backups) never block the hub's writes; NORMAL: a commit is durable against a
    // process crash, and only a power loss may take the last transactions — which the
    // clean-close marker below already treats like a crash.
    QSqlQuery pragma(m_db);
    if (!pragma.exec(QStringLiteral("PRAGMA journal_mode=WAL")) || !pragma.next()
        || pragma.value(0).toString().compare(QLatin1StringView("wal"), Qt::CaseInsensitive) != 0) {
        m_error = QStringLiteral("%1 cannot use write-ahead logging (%2)")
                      .arg(m_config.path, pragma.lastError().text());
        pragma = QSqlQuery();
        close();
        return false;
    }
    pragma = QSqlQuery();
    const bool ok = exec(QStringLiteral("PRAGMA synchronous=NORMAL"))
        && exec(QStringLiteral("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"))
        && exec(QStringLiteral("CREATE TABLE IF NOT EXISTS topics (topic TEXT PRIMARY KEY, "
                               "epoch TEXT NOT NULL, head_seq INTEGER NOT NULL)"));
    if (!ok) {
        const QString error = m_error;
        close();
        m_error = error;
        return false;
    }
    const QString version = metaValue(QStringLiteral("schema_version"));
    if (!version.isEmpty() && version.toInt() != kSchemaVersion) {
        m_error = QStringLiteral("%1 has history schema %2; this hub reads %3")
                      .arg(m_config.path, version)
                      .arg(kSchemaVersion);
        close();
        return false;
    }
    // A missing marker is a new database: nothing was handed out from it yet.
    m_previousClean = metaValue(QStringLiteral("clean")) != QLatin1StringView("0");
    m_previousCommitted = metaValue(QStringLiteral("delivery")) == QLatin1StringView("committed");
    if (!setMeta(QStringLiteral("schema_version"), QString::number(kSchemaVersion))
        || !setMeta(QStringLiteral("clean"), QStringLiteral("0")) || !loadTopics()) {
        const QString error = m_error;
        close();
        m_error = error;
        return false;
    }
    prune(QDateTime::currentMSecsSinceEpoch());
    m_flushTimer.setInterval(std::max(1, m_config.flushIntervalMs));
    m_pruneTimer.start(std::max(100, m_config.pruneIntervalMs));
    qCInfo(lcStorage) << "history store" << m_config.path << "opened;" << m_topics.size() << "topics"
                      << (m_previousClean ? "" : "(the previous run did not close it)");
    return true;
}

bool HistoryStore::setDeliveryCommitted()
{
    return m_open && setMeta(QStringLiteral("delivery"), QStringLiteral("committed"));
}

void HistoryStore::close()
{
    if (!m_open)
        return;
    m_flushTimer.stop();
    m_pruneTimer.stop();
    // After lost entries the next run must not trust positions either (see writeQueued).
    if (flush() && !m_lostEntries)
        setMeta(QStringLiteral("clean"), QStringLiteral("1"));
    m_queue.clear();
    m_open = false;
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
    qCInfo(lcStorage) << "history store" << m_config.path << "closed after" << m_writtenTotal << "entries";
}

QString HistoryStore::metaValue(const QString &key)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("SELECT value FROM meta WHERE key = ?"));
    query.addBindValue(key);
    if (query.exec() && query.next())
        return query.value(0).toString();
    return {};
}

bool HistoryStore::setMeta(const QString &key, const QString &value)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)"));
    query.addBindValue(key);
    query.addBindValue(value);
    if (query.exec())
        return true;
    m_error = QStringLiteral("cannot write meta %1: %2").arg(key, query.lastError().text());
    qCWarning(lcStorage) << "history store:" << m_error;
    return false;
}

bool HistoryStore::ensureTopicTable(const QString &topic)
{
    const QString table = tableOf(topic);
    // seq is the rowid: replay and paging are primary-key range scans.
    return exec(QStringLiteral("CREATE TABLE IF NOT EXISTS %1 (seq INTEGER PRIMARY KEY, epoch TEXT NOT NULL, "
                               "ts INTEGER NOT NULL, source TEXT NOT NULL, level TEXT NOT NULL, "
                               "stream TEXT NOT NULL, text TEXT NOT NULL, json BLOB NOT NULL)")
                    .arg(table))
        && exec(QStringLiteral("CREATE INDEX IF NOT EXISTS %1_ts ON %1 (ts)").arg(table));
}

bool HistoryStore::loadTopics()
{
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("SELECT topic, epoch, head_seq FROM topics"))) {
        m_error = query.lastError().text();
        return false;
    }
    while (query.next()) {
        const QString topic = query.value(0).toString();
        if (!isValidTopicName(topic))
            continue;
        TopicState state;
        state.epoch = query.value(1).toString();
        state.headSeq = quint64(query.value(2).toLongLong());
        m_topics.insert(topic, state);
    }
    query = QSqlQuery();
    for (auto it = m_topics.begin(); it != m_topics.end(); ++it) {
        if (!ensureTopicTable(it.key()))
            return false;
        refreshOldest(it.key(), it.value());
    }
    return true;
}

void HistoryStore::refreshOldest(const QString &topic, TopicState &state)
{
    // Rows of another epoch never survive beginEpoch(); rows above the head (a flush that
    // committed entries but not the head) cannot exist because both share one transaction.
    QSqlQuery query(m_db);
    state.oldestSeq = 0;
    if (query.exec(QStringLiteral("SELECT min(seq) FROM %1").arg(tableOf(topic))) && query.next()
        && !query.value(0).isNull())
        state.oldestSeq = quint64(query.value(0).toLongLong());
    if (state.oldestSeq == 0 && !m_queue.empty()) {
        for (const HistoryEntry &entry : m_queue) {
            if (entry.topic == topic) {
                state.oldestSeq = entry.seq;
                break;
            }
        }
    }
}

std::optional<TopicPosition> HistoryStore::position(const QString &topic) const
{
    const auto it = m_topics.constFind(topic);
    if (it == m_topics.cend())
        return std::nullopt;
    return TopicPosition {it->epoch, it->headSeq};
}

bool HistoryStore::beginEpoch(const QString &topic, const QString &epoch, quint64 headSeq)
{
    if (!m_open || !isValidTopicName(topic))
        return false;
    flush();
    if (!ensureTopicTable(topic)
        || !exec(QStringLiteral("DELETE FROM %1 WHERE epoch <> '%2'")
                     .arg(tableOf(topic), QString(epoch).replace(u'\'', QLatin1StringView("''")))))
        return false;
    TopicState &state = m_topics[topic];
    state.epoch = epoch;
    state.headSeq = headSeq;
    state.dirty = true;
    refreshOldest(topic, state);
    return writeQueued();
}

void HistoryStore::append(HistoryEntry entry)
{
    if (!m_open)
        return;
    auto it = m_topics.find(entry.topic);
    if (it == m_topics.end() || it->epoch != entry.epoch) {
        if (!beginEpoch(entry.topic, entry.epoch, entry.seq - 1))
            return;
        it = m_topics.find(entry.topic);
    }
    it->headSeq = entry.seq;
    it->dirty = true;
    if (it->oldestSeq == 0)
        it->oldestSeq = entry.seq;
    m_queue.push_back(std::move(entry));
    if (qsizetype(m_queue.size()) >= m_config.flushMaxEntries)
        flush();
    else if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

bool HistoryStore::flush()
{
    m_flushTimer.stop();
    if (!m_open)
        return false;
    bool dirty = !m_queue.empty();
    for (const TopicState &state : std::as_const(m_topics))
        dirty |= state.dirty;
    return !dirty || writeQueued();
}

bool HistoryStore::writeQueued()
{
    if (!m_db.transaction()) {
        qCWarning(lcStorage) << "history store: cannot begin a transaction:" << m_db.lastError().text();
        return false;
    }
    bool ok = true;
    {
        // Multi-row INSERTs: QtSql's per-exec overhead, not SQLite, dominates a row at a time.
        const auto statement = [](const QString &topic, qsizetype rows) {
            QString sql = QStringLiteral("INSERT OR REPLACE INTO %1 (seq, epoch, ts, source, level, stream, "
                                         "text, json) VALUES ")
                              .arg(tableOf(topic));
            for (qsizetype row = 0; row < rows; ++row)
                sql += (row == 0 ? QStringLiteral("") : QStringLiteral(", "))
                    + QStringLiteral("(?, ?, ?, coalesce(?, ''), coalesce(?, ''), coalesce(?, ''), "
                                     "coalesce(?, ''), ?)");
            return sql;
        };
        QHash<QString, QSqlQuery> fullInserts; // prepared once per topic and commit
        size_t first = 0;
        while (ok && first < m_queue.size()) {
            const QString &topic = m_queue[first].topic;
            size_t end = first;
            while (
                end < m_queue.size() && end - first < size_t(kRowsPerInsert) && m_queue[end].topic == topic)
                ++end;
            const qsizetype rows = qsizetype(end - first);
            QSqlQuery partial(m_db);
            QSqlQuery *insert = &partial;
            if (rows == kRowsPerInsert) {
                auto it = fullInserts.find(topic);
                if (it == fullInserts.end()) {
                    it = fullInserts.insert(topic, QSqlQuery(m_db));
                    it->prepare(statement(topic, rows));
                }
                insert = &*it;
            } else {
                partial.prepare(statement(topic, rows));
            }
            int bind = 0;
            for (size_t i = first; i < end; ++i) {
                const HistoryEntry &entry = m_queue[i];
                insert->bindValue(bind++, qint64(entry.seq));
                insert->bindValue(bind++, entry.epoch);
                insert->bindValue(bind++, entry.timeMs);
                insert->bindValue(bind++, entry.source);
                insert->bindValue(bind++, entry.level);
                insert->bindValue(bind++, entry.stream);
                insert->bindValue(bind++, entry.text);
                insert->bindValue(bind++, entry.json);
            }
            if (!insert->exec()) {
                qCWarning(lcStorage) << "history store: insert into" << topic
                                     << "failed:" << insert->lastError().text();
                ok = false;
            }
            first = end;
        }
        QSqlQuery head(m_db);
        head.prepare(
            QStringLiteral("INSERT OR REPLACE INTO topics (topic, epoch, head_seq) VALUES (?, ?, ?)"));
        for (auto it = m_topics.cbegin(); ok && it != m_topics.cend(); ++it) {
            if (!it->dirty)
                continue;
            head.bindValue(0, it.key());
            head.bindValue(1, it->epoch);
            head.bindValue(2, qint64(it->headSeq));
            ok = head.exec();
        }
    }
    if (ok && m_db.commit()) {
        m_writtenTotal += qint64(m_queue.size());
        ++m_flushCount;
        m_queue.clear();
        for (auto it = m_topics.begin(); it != m_topics.end(); ++it) {
            if (it->dirty && m_commitListener)
                m_commitListener(it.key(), it->headSeq);
            it->dirty = false;
        }
        return true;
    }
    m_db.rollback();
    // Delivery must not stall behind a broken disk: the entries go out uncommitted, and the
    // next run is told not to trust this run's positions (if the database still takes that).
    if (!setMeta(QStringLiteral("delivery"), QStringLiteral("lost")))
        qCCritical(lcStorage) << "history store: cannot record lost entries; restart after a crash may reuse seqs";
    if (m_commitListener) {
        for (auto it = m_topics.cbegin(); it != m_topics.cend(); ++it) {
            if (it->dirty)
                m_commitListener(it.key(), it->headSeq);
        }
    }
    // The queued entries are lost. The store must never replay around a hole, so what it still
    // holds of those topics becomes unreachable: their oldest seq moves past the lost ones.
    for (const HistoryEntry &entry : m_queue) {
        TopicState &state = m_topics[entry.topic];
        state.oldestSeq = entry.seq + 1 > state.headSeq ? 0 : entry.seq + 1;
    }
    m_lostEntries = true;
    qCWarning(lcStorage) << "history store: dropped" << m_queue.size()
                         << "entries:" << m_db.lastError().text();
    m_queue.clear();
    return false;
}

} // namespace opsdeck::hub::storage
