#pragma once

// Revoked access tokens by `jti` (logout with a bearer token, `opsdeck-hub token revoke`). A row
// is needed only until the token would have expired anyway, so rows carry that time and are pruned.
// Lookups go to the database every time: the admin CLI revokes from another process.

#include <QString>

#include <functional>

namespace opsdeck::hub::auth {

class AuthDatabase;

class RevokedTokens
{
public:
    using Clock = std::function<qint64()>; // seconds since epoch
    // How long a revocation is kept when the token's expiry is unknown (CLI revoke by jti):
    // longer than the longest lifetime `token issue` accepts.
    static constexpr qint64 kUnknownExpiryKeepSeconds = 400LL * 24 * 3600;

    explicit RevokedTokens(AuthDatabase &database, Clock clock = {});

    // `expiresAt` (seconds since epoch) 0: unknown. False on a database error.
    bool revoke(const QString &jti, qint64 expiresAt);
    bool isRevoked(const QString &jti) const;
    int prune();

private:
    qint64 now() const;

    AuthDatabase &m_database;
    Clock m_clock;
};

} // namespace opsdeck::hub::auth
