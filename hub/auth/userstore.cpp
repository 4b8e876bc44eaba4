#include "userstore.h"

#include "authdatabase.h"
#include "sodiumsupport.h"

#include <QDateTime>
#include <QSqlQuery>
#include <QVariant>

namespace opsdeck::hub::auth {

namespace {

QString joinRoles(const QStringList &roles)
{
    return roles.join(QLatin1Char(','));
}

QStringList splitRoles(const QString &text)
{
    return text.split(QLatin1Char(','), Qt::SkipEmptyParts);
}

QString unknownUser(const QString &name)
{
    return QStringLiteral("no user \"%1\"; see `opsdeck-hub user list`").arg(name);
}

UserRecord recordFrom(const QSqlQuery &query)
{
    // Columns: name, roles, created, last_login, disabled
    UserRecord record;
    record.name = query.value(0).toString();
    record.roles = splitRoles(query.value(1).toString());
    record.createdMs = query.value(2).toLongLong();
    record.lastLoginMs = query.value(3).isNull() ? 0 : query.value(3).toLongLong();
    record.disabled = query.value(4).toInt() != 0;
    return record;
}

} // namespace

UserStore::UserStore(AuthDatabase &database, Argon2Limits limits)
    : m_database(database)
    , m_limits(limits)
{
}

StoreError UserStore::checkNewPassword(const QString &password)
{
    if (password.size() < kMinPasswordLength)
        return QStringLiteral("the password needs at least %1 characters").arg(kMinPasswordLength);
    if (password.toUtf8().size() > kMaxPasswordBytes)
        return QStringLiteral("the password is longer than %1 bytes").arg(kMaxPasswordBytes);
    return std::nullopt;
}

StoreError UserStore::add(const QString &name, const QString &password, const QStringList &roles)
{
    if (!isValidUserName(name))
        return QStringLiteral("\"%1\" is not a valid user name: %2").arg(name, userNameRule());
    if (auto rolesError = checkOperatorRoles(roles))
        return rolesError;
    if (auto passwordError = checkNewPassword(password))
        return passwordError;
    if (find(name))
        return QStringLiteral("user \"%1\" already exists; use `opsdeck-hub user passwd` to change the password").arg(name);
    const QByteArray hash = hashPassword(password.toUtf8(), m_limits);
    if (hash.isEmpty())
        return QStringLiteral("cannot hash the password (out of memory?)");
    QSqlQuery query(m_database.connection());
    query.prepare(QStringLiteral("INSERT INTO users (name, hash, roles, created, disabled) VALUES (?, ?, ?, ?, 0)"));
    query.addBindValue(name);
    query.addBindValue(QString::fromLatin1(hash));
    query.addBindValue(joinRoles(roles));
    query.addBindValue(QDateTime::currentMSecsSinceEpoch());
    if (!AuthDatabase::exec(query))
        return QStringLiteral("cannot add user \"%1\" (database error, see the log)").arg(name);
    qCInfo(lcHubAuth) << "user" << name << "added with roles" << joinRoles(roles);
    return std::nullopt;
}

StoreError UserStore::setPassword(const QString &name, const QString &password)
{
    if (auto passwordError = checkNewPassword(password))
        return passwordError;
    if (!find(name))
        return unknownUser(name);
    const QByteArray hash = hashPassword(password.toUtf8(), m_limits);
    if (hash.isEmpty())
        return QStringLiteral("cannot hash the password (out of memory?)");
    QSqlQuery query(m_database.connection());
    query.prepare(QStringLiteral("UPDATE users SET hash = ? WHERE name = ?"));
    query.addBindValue(QString::fromLatin1(hash));
    query.addBindValue(name);
    if (!AuthDatabase::exec(query) || query.numRowsAffected() != 1)
        return QStringLiteral("cannot change the password of \"%1\" (database error, see the log)").arg(name);
    qCInfo(lcHubAuth) << "password of" << name << "changed";
    return std::nullopt;
}

StoreError UserStore::setRoles(const QString &name, const QStringList &roles)
{
    if (auto rolesError = checkOperatorRoles(roles))
        return rolesError;
    QSqlQuery query(m_database.connection());
    query.prepare(QStringLiteral("UPDATE users SET roles = ? WHERE name = ?"));
    query.addBindValue(joinRoles(roles));
    query.addBindValue(name);
    if (!AuthDatabase::exec(query))
        return QStringLiteral("cannot change the roles of \"%1\" (database error, see the log)").arg(name);
    if (query.numRowsAffected() != 1)
        return unknownUser(name);
    qCInfo(lcHubAuth) << "roles of" << name << "set to" << joinRoles(roles);
    return std::nullopt;
}

StoreError UserStore::setDisabled(const QString &name, bool disabled)
{
    QSqlQuery query(m_database.connection());
    query.prepare(QStringLiteral("UPDATE users SET disabled = ? WHERE name = ?"));
    query.addBindValue(disabled ? 1 : 0);
    query.addBindValue(name);
    if (!AuthDatabase::exec(query))
        return QStringLiteral("cannot change \"%1\" (database error, see the log)").arg(name);
    if (query.numRowsAffected() != 1)
        return unknownUser(name);
    return std::nullopt;
}

StoreError UserStore::remove(const QString &name)
{
    QSqlQuery query(m_database.connection());
    query.prepare(QStringLiteral("DELETE FROM users WHERE name = ?"));
    query.addBindValue(name);
    if (!AuthDatabase::exec(query))
        return QStringLiteral("cannot remove \"%1\" (database error, see the log)").arg(name);
    if (query.numRowsAffected() != 1)
        return unknownUser(name);
    qCInfo(lcHubAuth) << "user" << name << "removed";
    return std::nullopt;
}

QList<UserRecord> UserStore::list() const
{
    QList<UserRecord> users;
    QSqlQuery query(m_database.connection());
    query.prepare(QStringLiteral("SELECT name, roles, created, last_login, disabled FROM users ORDER BY name"));
    if (!AuthDatabase::exec(query))
        return users;
    while (query.next())
        users.append(recordFrom(query));
    return users;
}

std::optional<UserRecord> UserStore::find(const QString &name) const
{
    UserRecord record;
    if (!storedHash(name, &record))
        return std::nullopt;
    return record;
}

std::optional<QByteArray> UserStore::storedHash(const QString &name, UserRecord *record) const
{
    if (!isValidUserName(name))
        return std::nullopt;
    QSqlQuery query(m_database.connection());
    query.prepare(QStringLiteral("SELECT name, roles, created, last_login, disabled, hash FROM users WHERE name = ?"));
    query.addBindValue(name);
    if (!AuthDatabase::exec(query) || !query.next())
        return std::nullopt;
    *record = recordFrom(query);
    return query.value(5).toString().toLatin1();
}

void UserStore::prepareDummyHash()
{
    if (m_dummyHash.isEmpty())
        m_dummyHash = hashPassword(randomBytes(32).toHex(), m_limits);
}

std::optional<UserRecord> UserStore::verify(const QString &name, const QString &password)
{
    const QByteArray passwordBytes = password.toUtf8();
    UserRecord record;
    const std::optional<QByteArray> hash = passwordBytes.size() <= kMaxPasswordBytes ? storedHash(name, &record)
                                                                                      : std::nullopt;
    if (!hash) {
        prepareDummyHash();
        verifyPassword(m_dummyHash, passwordBytes.first(qMin(passwordBytes.size(), qsizetype(kMaxPasswordBytes))));
        return std::nullopt;
    }
    if (!verifyPassword(*hash, passwordBytes) || record.disabled)
        return std::nullopt;

    record.lastLoginMs = QDateTime::currentMSecsSinceEpoch();
    QSqlQuery query(m_database.connection());
    const QByteArray rehashed = passwordNeedsRehash(*hash, m_limits) ? hashPassword(passwordBytes, m_limits)
                                                                      : QByteArray();
    if (!rehashed.isEmpty()) {
        // The configured cost changed since this hash was made: store one at today's cost.
        query.prepare(QStringLiteral("UPDATE users SET last_login = ?, hash = ? WHERE name = ? AND hash = ?"));
        query.addBindValue(record.lastLoginMs);
        query.addBindValue(QString::fromLatin1(rehashed));
        query.addBindValue(name);
        query.addBindValue(QString::fromLatin1(*hash));
    } else {
        query.prepare(QStringLiteral("UPDATE users SET last_login = ? WHERE name = ?"));
        query.addBindValue(record.lastLoginMs);
        query.addBindValue(name);
    }
    AuthDatabase::exec(query);
    return record;
}

} // namespace opsdeck::hub::auth
