#pragma once

// Refresh tokens (docs/protocol.md §12): opaque, 32 random bytes base64url, stored only as their
// BLAKE2b hash with the user, a family id (one login = one family), expiry and used/revoked flags.
// Every use rotates the token; presenting a used one again means it was copied, so the whole
// family is revoked (every session of that login is signed out).

#include <QByteArray>
#include <QString>

#include <chrono>
#include <functional>
#include <optional>
#include <variant>

namespace opsdeck::hub::auth {

class AuthDatabase;

struct IssuedRefreshToken
{
    QByteArray token;     // give to the client; never stored or logged
    QString user;
    QString family;
    qint64 expiresAt = 0; // seconds since epoch
};

enum class RefreshFailure {
    Invalid, // unknown, expired or revoked
    Reused,  // already used: its family is now revoked
    Storage, // database error
};

class RefreshTokenStore
{
public:
    using Clock = std::function<qint64()>; // seconds since epoch

    RefreshTokenStore(AuthDatabase &database, std::chrono::seconds ttl, Clock clock = {});

    // A token for a new login (new family). Nothing on a database error.
    std::optional<IssuedRefreshToken> issue(const QString &user);
    // Marks `token` used and returns its successor in the same family.
    std::variant<IssuedRefreshToken, RefreshFailure> rotate(QByteArrayView token);
    // Logout: revokes the token's family. False when the token is unknown (nothing to do).
    bool revokeFamilyOf(QByteArrayView token);
    void revokeFamily(const QString &family);
    // Every family of `user` (user removed or password changed).
    int revokeUser(const QString &user);
    // Deletes rows past their expiry; returns how many.
    int prune();

    std::chrono::seconds ttl() const { return m_ttl; }
    qint64 now() const;

private:
    std::optional<IssuedRefreshToken> insert(const QString &user, const QString &family);

    AuthDatabase &m_database;
    std::chrono::seconds m_ttl;
    Clock m_clock;
};

} // namespace opsdeck::hub::auth
