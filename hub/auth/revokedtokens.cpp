#include "revokedtokens.h"

#include "authconfig.h"
#include "authdatabase.h"

#include <QDateTime>
#include <QSqlQuery>
#include <QVariant>

namespace opsdeck::hub::auth {

RevokedTokens::RevokedTokens(AuthDatabase &database, Clock clock)
    : m_database(database)
    , m_clock(std::move(clock))
{
}

qint64 RevokedTokens::now() const
{
    return m_clock ? m_clock() : QDateTime::currentSecsSinceEpoch();
}

bool RevokedTokens::revoke(const QString &jti, qint64 expiresAt)
{
    if (jti.isEmpty())
        return false;
    const qint64 keepUntil = expiresAt > 0 ? expiresAt : now() + kUnknownExpiryKeepSeconds;
    QSqlQuery query(m_database.connection());
    // MAX: revoking again never shortens an earlier, longer revocation.
    query.prepare(QStringLiteral("INSERT INTO revoked_access_tokens (jti, expires) VALUES (?, ?) "
                                 "ON CONFLICT(jti) DO UPDATE SET expires = MAX(expires, excluded.expires)"));
    query.addBindValue(jti);
    query.addBindValue(keepUntil);
    if (!AuthDatabase::exec(query))
        return false;
    prune();
    return true;
}

bool RevokedTokens::isRevoked(const QString &jti) const
{
    QSqlQuery query(m_database.connection());
    query.prepare(QStringLiteral("SELECT 1 FROM revoked_access_tokens WHERE jti = ?"));
    query.addBindValue(jti);
    if (!AuthDatabase::exec(query))
        return true; // cannot tell: refuse rather than admit a possibly revoked token
    return query.next();
}

int RevokedTokens::prune()
{
    QSqlQuery query(m_database.connection());
    query.prepare(QStringLiteral("DELETE FROM revoked_access_tokens WHERE expires < ?"));
    query.addBindValue(now());
    if (!AuthDatabase::exec(query))
        return 0;
    return query.numRowsAffected();
}

} // namespace opsdeck::hub::auth
