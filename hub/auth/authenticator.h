#pragma once

// The seam between the hub server and its credentials (docs/architecture.md "Authentication").
// The server only asks "who presents this bearer token, for which endpoint?"; how tokens are made,
// signed, stored and revoked lives behind this interface (hub/auth's TokenAuthenticator), so the
// server's tests can use a small fake and the server never links the crypto itself.

#include <QByteArrayView>
#include <QString>
#include <QStringList>

#include <variant>

namespace opsdeck::hub {

// Who is on the other end of a connection.
struct Principal
{
    enum class Kind {
        Local,    // demo mode, or the desktop app presenting the per-launch secret: every right
        Operator, // a person logged in to a dev/prod hub (roles below)
        Agent,    // an agent process on /api/v1/ws/agent
    };
    Kind kind = Kind::Local;
    QString subject;        // the operator's user name or the agent's name; empty for Local
    QStringList roles;      // operators: "viewer", "operator", "admin"; agents: "agent"
    QString tokenId;        // the token's `jti`; empty for Local
    qint64 expiresAtMs = 0; // when the presented token stops being valid (ms since epoch); 0: never

    bool hasRole(QStringView role) const { return roles.contains(role); }
    // viewer: read; operator: + commands and terminals; admin: + users and sessions (seed 002).
    bool mayRead() const { return kind != Kind::Agent; }
    bool mayCommand() const
    {
        return kind == Kind::Local
            || (kind == Kind::Operator && (hasRole(u"operator") || hasRole(u"admin")));
    }
    bool mayAdminister() const { return kind == Kind::Local || (kind == Kind::Operator && hasRole(u"admin")); }
};

// Why a token was refused. The reason goes into the 4401 close frame and the hub's log, so it
// must never contain the token itself.
struct AuthFailure
{
    QString reason; // e.g. "token expired", "bad signature", "token revoked"
};

// Which endpoint the token is presented to: an operator token must not open the agent endpoint
// and an agent token must not open the operator endpoint (different `aud` claims).
enum class Audience { Operator, Agent };

class Authenticator
{
public:
    virtual ~Authenticator() = default;
    // Checks signature, algorithm, every claim (exp, iat, iss, aud, sub, jti) and revocation.
    virtual std::variant<Principal, AuthFailure> authenticate(QByteArrayView bearerToken,
                                                              Audience audience) const = 0;
};

} // namespace opsdeck::hub
