#include "refreshtokenstore.h"

#include "authconfig.h"
#include "authdatabase.h"
#include "sodiumsupport.h"

#include <QDateTime>
#include <QSqlQuery>
#include <QVariant>

namespace opsdeck::hub::auth {

namespace {

constexpr int kTokenBytes = 32;

QByteArray tokenHash(QByteArrayView token)
{
    return blake2b(token);
}

} // namespace

RefreshTokenStore::RefreshTokenStore(AuthDatabase &database, std::chrono::seconds ttl, Clock clock)
    : m_database(database)
    , m_ttl(ttl)
    , m_clock(std::move(clock))
{
}

qint64 RefreshTokenStore::now() const
{
    return m_clock ? m_clock() : QDateTime::currentSecsSinceEpoch();
}

std::optional<IssuedRefreshToken> RefreshTokenStore::insert(const QString &user, const QString &family)
{
    IssuedRefreshToken issued;
    issued.token = randomBytes(kTokenBytes).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    issued.user = user;
    issued.family = family;
    const qint64 created = now();
    issued.expiresAt = created + m_ttl.count();
    QSqlQuery query(m_database.connection());
    query.prepare(QStringLiteral("INSERT INTO refresh_tokens (hash, user, family, created, expires, used, revoked) "
                                 "VALUES (?, ?, ?, ?, ?, 0, 0)"));
    query.addBindValue(tokenHash(issued.token));
    query.addBindValue(user);
    query.addBindValue(family);
    query.addBindValue(created);
    query.addBindValue(issued.expiresAt);
    if (!AuthDatabase::exec(query))
        return std::nullopt;
    return issued;
}

std::optional<IssuedRefreshToken> RefreshTokenStore::issue(const QString &user)
{
    return insert(user, QString::fromLatin1(randomBytes(16).toHex()));
}

std::variant<IssuedRefreshToken, RefreshFailure> RefreshTokenStore::rotate(QByteArrayView token)
{
    // A well-formed token is 43 base64url characters; anything else cannot be in the table.
    if (token.size() != 43)
        return RefreshFailure::Invalid;
    AuthTransaction transaction(m_database.connection());
    if (!transaction.ok())
        return RefreshFailure::Storage;
    QSqlQuery find(m_database.connection());
    find.prepare(QStringLiteral("SELECT user, family, expires, used, revoked FROM refresh_tokens WHERE hash = ?"));
    find.addBindValue(tokenHash(token));
    if (!AuthDatabase::exec(find))
        return RefreshFailure::Storage;
    if (!find.next())
        return RefreshFailure::Invalid;
    const QString user = find.value(0).toString();
    const QString family = find.value(1).toString();
    const qint64 expires = find.value(2).toLongLong();
    const bool used = find.value(3).toInt() != 0;
    const bool revoked = find.value(4).toInt() != 0;
    find.finish();
    if (revoked || expires <= now())
        return RefreshFailure::Invalid;
    if (used) {
        QSqlQuery revoke(m_database.connection());
        revoke.prepare(QStringLiteral("UPDATE refresh_tokens SET revoked = 1 WHERE family = ?"));
        revoke.addBindValue(family);
        if (!AuthDatabase::exec(revoke) || !transaction.commit())
            return RefreshFailure::Storage;
        qCWarning(lcHubAuth) << "refresh token of" << user << "used twice: every session of that login signed out";
        return RefreshFailure::Reused;
    }
    QSqlQuery markUsed(m_database.connection());
    markUsed.prepare(QStringLiteral("UPDATE refresh_tokens SET used = 1 WHERE hash = ? AND used = 0"));
    markUsed.addBindValue(tokenHash(token));
    if (!AuthDatabase::exec(markUsed) || markUsed.numRowsAffected() != 1)
        return RefreshFailure::Storage;
    auto next = insert(user, family);
    if (!next || !transaction.commit())
        return RefreshFailure::Storage;
    return *next;
}

bool RefreshTokenStore::revokeFamilyOf(QByteArrayView token)
{
    if (token.isEmpty() || token.size() > 256)
        return false;
    QSqlQuery find(m_database.connection());
    find.prepare(QStringLiteral("SELECT family FROM refresh_tokens WHERE hash = ?"));
    find.addBindValue(tokenHash(token));
    if (!AuthDatabase::exec(find) || !find.next())
        return false;
    const QString family = find.value(0).toString();
    find.finish();
    revokeFamily(family);
    return true;
}

void RefreshTokenStore::revokeFamily(const QString &family)
{
    QSqlQuery revoke(m_database.connection());
    revoke.prepare(QStringLiteral("UPDATE refresh_tokens SET revoked = 1 WHERE family = ?"));
    revoke.addBindValue(family);
    AuthDatabase::exec(revoke);
}

int RefreshTokenStore::revokeUser(const QString &user)
{
    QSqlQuery revoke(m_database.connection());
    revoke.prepare(QStringLiteral("UPDATE refresh_tokens SET revoked = 1 WHERE user = ? AND revoked = 0"));
    revoke.addBindValue(user);
    if (!AuthDatabase::exec(revoke))
        return 0;
    return revoke.numRowsAffected();
}

int RefreshTokenStore::prune()
{
    QSqlQuery prune(m_database.connection());
    prune.prepare(QStringLiteral("DELETE FROM refresh_tokens WHERE expires <= ?"));
    prune.addBindValue(now());
    if (!AuthDatabase::exec(prune))
        return 0;
    return prune.numRowsAffected();
}

} // namespace opsdeck::hub::auth
