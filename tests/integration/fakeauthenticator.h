#pragma once

// A stand-in for hub/auth's TokenAuthenticator in the hub-modes tests: the server only sees the
// Authenticator interface, so a readable token format lets each test say exactly who connects
// and what the real implementation would decide. Tokens are
//   tok:<user>:<role,role…>:<expiresAtMs>[:<anything>]   an operator
//   agent:<name>:<expiresAtMs>                            an agent (never valid for operators)
// <user> "revoked" is refused as revoked; anything else that does not parse has a bad signature.

#include "authenticator.h"

#include <QDateTime>
#include <QStringList>

namespace opsdeck::testing {

class FakeAuthenticator : public hub::Authenticator
{
public:
    std::variant<hub::Principal, hub::AuthFailure> authenticate(QByteArrayView bearerToken,
                                                                hub::Audience audience) const override
    {
        ++calls;
        const QStringList parts = QString::fromUtf8(bearerToken).split(u':');
        hub::Principal principal;
        bool ok = false;
        if (parts.size() == 3 && parts[0] == QLatin1StringView("agent")) {
            principal.kind = hub::Principal::Kind::Agent;
            principal.subject = parts[1];
            principal.roles = {QStringLiteral("agent")};
            principal.expiresAtMs = parts[2].toLongLong(&ok);
            if (audience != hub::Audience::Agent)
                return hub::AuthFailure{QStringLiteral("wrong audience")};
        } else if (parts.size() >= 4 && parts[0] == QLatin1StringView("tok") && !parts[1].isEmpty()) {
            principal.kind = hub::Principal::Kind::Operator;
            principal.subject = parts[1];
            principal.roles = parts[2].split(u',', Qt::SkipEmptyParts);
            principal.expiresAtMs = parts[3].toLongLong(&ok);
            principal.tokenId = QStringLiteral("jti-%1").arg(calls);
            if (audience != hub::Audience::Operator)
                return hub::AuthFailure{QStringLiteral("wrong audience")};
        }
        if (!ok)
            return hub::AuthFailure{QStringLiteral("bad signature")};
        if (principal.subject == QLatin1StringView("revoked"))
            return hub::AuthFailure{QStringLiteral("token revoked")};
        if (principal.expiresAtMs <= QDateTime::currentMSecsSinceEpoch())
            return hub::AuthFailure{QStringLiteral("token expired")};
        return principal;
    }

    mutable int calls = 0;
};

// An operator token for `user` with `roles` ("viewer", "operator,admin"…) valid for `ttlMs`.
inline QByteArray fakeToken(const QString &user, const QString &roles, qint64 ttlMs = 3600000,
                            const QString &extra = {})
{
    QString token = QStringLiteral("tok:%1:%2:%3").arg(user, roles).arg(QDateTime::currentMSecsSinceEpoch() + ttlMs);
    if (!extra.isEmpty())
        token += u':' + extra;
    return token.toUtf8();
}

} // namespace opsdeck::testing
