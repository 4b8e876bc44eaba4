#pragma once

// Shared by the agent protocol integration tests: a fake Authenticator (the real token issuing
// lives behind the same interface) and small helpers.

#include "authenticator.h"

#include <QJsonObject>
#include <QString>

namespace opsdeck::testing {

// Accepts "agent-token-<name>" as agent <name> on the agent endpoint; everything else fails.
class FakeAgentAuthenticator final : public hub::Authenticator
{
public:
    std::variant<hub::Principal, hub::AuthFailure> authenticate(QByteArrayView token, hub::Audience audience) const override
    {
        static constexpr QByteArrayView kPrefix = "agent-token-";
        if (audience != hub::Audience::Agent)
            return hub::AuthFailure{QStringLiteral("wrong audience")};
        if (!token.startsWith(kPrefix) || token.size() == kPrefix.size())
            return hub::AuthFailure{QStringLiteral("unknown token")};
        hub::Principal principal;
        principal.kind = hub::Principal::Kind::Agent;
        principal.subject = QString::fromUtf8(token.sliced(kPrefix.size()));
        principal.roles = {QStringLiteral("agent")};
        principal.tokenId = QStringLiteral("jti-") + principal.subject;
        return principal;
    }
};

inline QString str(const QJsonObject &object, const char *path)
{
    QJsonValue value = object;
    for (const QByteArray &part : QByteArray(path).split('.'))
        value = value.toObject().value(QString::fromLatin1(part));
    return value.isString() ? value.toString()
                            : value.isBool() ? (value.toBool() ? QStringLiteral("true") : QStringLiteral("false"))
                                             : value.isDouble() ? QString::number(value.toDouble()) : QString();
}

inline bool isType(const QJsonObject &message, const char *type)
{
    return message.value(QLatin1StringView("type")).toString() == QLatin1StringView(type);
}

} // namespace opsdeck::testing
