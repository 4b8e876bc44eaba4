#pragma once

// <data-dir>/users.sqlite: users, refresh tokens and revoked access tokens (docs/operations.md §7).
// WAL, so the admin CLI can add a user while the hub serves logins; a busy timeout, so the two
// processes wait for each other's short transactions instead of failing. QSqlDatabase connections
// belong to the thread that opened them, so each thread that asks gets its own connection.

#include <QHash>
#include <QMutex>
#include <QSqlDatabase>
#include <QString>

#include <memory>
#include <optional>

class QSqlQuery;

namespace opsdeck::hub::auth {

class AuthDatabase
{
public:
    // Creates the file (0600) and the schema when missing. Nothing and `error` when it cannot.
    static std::unique_ptr<AuthDatabase> open(const QString &path, QString *error);
    ~AuthDatabase();
    AuthDatabase(const AuthDatabase &) = delete;
    AuthDatabase &operator=(const AuthDatabase &) = delete;

    // This thread's connection (opened on first use).
    QSqlDatabase connection() const;
    const QString &path() const { return m_path; }

    // Runs `query` (already prepared and bound); logs and returns false on a database error.
    static bool exec(QSqlQuery &query);

private:
    explicit AuthDatabase(QString path);
    bool createSchema(QString *error);

    QString m_path;
    QString m_connectionPrefix;
    mutable QMutex m_mutex;
    mutable QHash<Qt::HANDLE, QString> m_connections; // thread -> connection name
};

// Commits on commit(), rolls back otherwise: every multi-statement change is all or nothing.
class AuthTransaction
{
public:
    explicit AuthTransaction(QSqlDatabase db);
    ~AuthTransaction();
    bool ok() const { return m_open; }
    bool commit();

private:
    QSqlDatabase m_db;
    bool m_open = false;
};

} // namespace opsdeck::hub::auth
