#pragma once

// Access tokens (docs/protocol.md §12): JWT, HS256, claims sub, roles, exp, iat, jti, iss, aud.
// libjwt 1.10 verifies the signature but checks no claim, and decodes an unsigned token when no
// key is given, so verify() checks the header's `alg` itself before libjwt sees the token and
// every claim after it.

#include "authenticator.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringList>

#include <chrono>
#include <functional>
#include <optional>
#include <variant>

namespace opsdeck::hub::auth {

struct IssuedToken
{
    QByteArray token;
    QString jti;         // 32 lower-case hex digits (128 random bits)
    qint64 issuedAt = 0; // seconds since epoch
    qint64 expiresAt = 0;
};

class TokenService
{
public:
    using Clock = std::function<qint64()>; // seconds since the epoch
    using RevocationCheck = std::function<bool(const QString &jti)>;
    static constexpr qint64 kClockSkewSeconds = 60;
    static constexpr int kMaxTokenLength = 8192;

    // `key` must be SigningKey::kSize bytes. No clock: the system clock.
    TokenService(QByteArray key, QString issuer, Clock clock = {});

    // Consulted after every other check passed; a revoked jti is refused.
    void setRevocationCheck(RevocationCheck check) { m_isRevoked = std::move(check); }

    // Operator tokens carry operator roles (viewer/operator/admin); agent tokens exactly ["agent"].
    // Nothing (and `error`) for a bad subject or roles.
    std::optional<IssuedToken> issue(const QString &subject, const QStringList &roles, Audience audience,
                                     std::chrono::seconds ttl, QString *error = nullptr) const;

    // Signature, alg == HS256, exp, iat (60 s skew), iss, aud, sub, roles, jti, revocation.
    // The failure reason names the check, never the token.
    std::variant<Principal, AuthFailure> verify(QByteArrayView token, Audience expected) const;

    const QString &issuer() const { return m_issuer; }
    qint64 now() const;

    static QString audienceClaim(Audience audience);

private:
    std::optional<AuthFailure> checkHeader(QByteArrayView header) const;
    bool checkSignature(QByteArrayView token) const;

    QByteArray m_key;
    QString m_issuer;
    Clock m_clock;
    RevocationCheck m_isRevoked;
};

} // namespace opsdeck::hub::auth
