#include "authdatabase.h"

#include "authconfig.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QThread>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace opsdeck::hub::auth {

namespace {

const char *const kSchema[] = {
    "CREATE TABLE IF NOT EXISTS users ("
    " name TEXT PRIMARY KEY NOT NULL,"
    " hash TEXT NOT NULL,"
    " roles TEXT NOT NULL,"
    " created INTEGER NOT NULL,"
    " last_login INTEGER,"
    " disabled INTEGER NOT NULL DEFAULT 0)",
    "CREATE TABLE IF NOT EXISTS refresh_tokens ("
    " hash BLOB PRIMARY KEY NOT NULL,"
    " user TEXT NOT NULL,"
    " family TEXT NOT NULL,"
    " created INTEGER NOT NULL,"
    " expires INTEGER NOT NULL,"
    " used INTEGER NOT NULL DEFAULT 0,"
    " revoked INTEGER NOT NULL DEFAULT 0)",
    "CREATE INDEX IF NOT EXISTS refresh_tokens_family ON refresh_tokens(family)",
    "CREATE INDEX IF NOT EXISTS refresh_tokens_user ON refresh_tokens(user)",
    "CREATE TABLE IF NOT EXISTS revoked_access_tokens ("
    " jti TEXT PRIMARY KEY NOT NULL,"
    " expires INTEGER NOT NULL)",
};

std::atomic<int> g_instances {0};

} // namespace

AuthDatabase::AuthDatabase(QString path)
    : m_path(std::move(path))
    , m_connectionPrefix(QStringLiteral("opsdeck-auth-%1-").arg(++g_instances))
{
}

AuthDatabase::~AuthDatabase()
{
    const QMutexLocker lock(&m_mutex);
    // removeDatabase closes the connection; no QSqlDatabase handle outlives the stores.
    for (const QString &name : std::as_const(m_connections))
        QSqlDatabase::removeDatabase(name);
}

std::unique_ptr<AuthDatabase> AuthDatabase::open(const QString &path, QString *error)
{
    // Create the file ourselves so it is 0600 from the start; SQLite gives its -wal and -shm
    // files the database file's permissions.
    const QByteArray native = path.toLocal8Bit();
    const int fd = ::open(native.constData(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        *error = QStringLiteral("cannot open %1: %2").arg(path, QString::fromLocal8Bit(std::strerror(errno)));
        return nullptr;
    }
    ::close(fd);
    std::unique_ptr<AuthDatabase> database(new AuthDatabase(path));
    if (!database->connection().isOpen()) {
        *error = QStringLiteral("cannot open %1: %2").arg(path, database->connection().lastError().text());
        return nullptr;
    }
    if (!database->createSchema(error))
        return nullptr;
    return database;
}

QSqlDatabase AuthDatabase::connection() const
{
    const QMutexLocker lock(&m_mutex);
    const Qt::HANDLE thread = QThread::currentThreadId();
    const auto existing = m_connections.constFind(thread);
    if (existing != m_connections.cend())
        return QSqlDatabase::database(*existing, false);
    const QString name = m_connectionPrefix + QString::number(quintptr(thread), 16);
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
    db.setDatabaseName(m_path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (db.open()) {
        QSqlQuery pragma(db);
        pragma.exec(QStringLiteral("PRAGMA journal_mode=WAL"));
        pragma.exec(QStringLiteral("PRAGMA foreign_keys=ON"));
        pragma.exec(QStringLiteral("PRAGMA synchronous=NORMAL"));
    } else {
        qCWarning(lcHubAuth) << "cannot open" << m_path << ":" << db.lastError().text();
    }
    m_connections.insert(thread, name);
    return db;
}

bool AuthDatabase::createSchema(QString *error)
{
    QSqlDatabase db = connection();
    for (const char *statement : kSchema) {
        QSqlQuery query(db);
        if (!query.exec(QString::fromLatin1(statement))) {
            *error = QStringLiteral("cannot prepare %1: %2").arg(m_path, query.lastError().text());
            return false;
        }
    }
    return true;
}

bool AuthDatabase::exec(QSqlQuery &query)
{
    if (query.exec())
        return true;
    qCWarning(lcHubAuth) << "database error:" << query.lastError().text();
    return false;
}

AuthTransaction::AuthTransaction(QSqlDatabase db)
    : m_db(std::move(db))
{
    // IMMEDIATE takes the write lock up front (waiting out the busy timeout): a deferred
    // transaction that reads and then writes can fail at once when another process wrote between.
    QSqlQuery begin(m_db);
    m_open = begin.exec(QStringLiteral("BEGIN IMMEDIATE"));
    if (!m_open)
        qCWarning(lcHubAuth) << "cannot start a transaction:" << begin.lastError().text();
}

AuthTransaction::~AuthTransaction()
{
    if (m_open) {
        QSqlQuery rollback(m_db);
        rollback.exec(QStringLiteral("ROLLBACK"));
    }
}

bool AuthTransaction::commit()
{
    if (!m_open)
        return false;
    m_open = false;
    QSqlQuery commit(m_db);
    if (commit.exec(QStringLiteral("COMMIT")))
        return true;
    qCWarning(lcHubAuth) << "cannot commit:" << commit.lastError().text();
    QSqlQuery rollback(m_db);
    rollback.exec(QStringLiteral("ROLLBACK"));
    return false;
}

} // namespace opsdeck::hub::auth
