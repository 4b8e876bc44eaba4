#pragma once

// The server-facing Authenticator (hub/auth/authenticator.h): verifies an access token with the
// TokenService (signature, HS256 only, every claim) and refuses revoked `jti`s. Used by the hub's
// WebSocket upgrade (4401 on failure) and the in-band `auth` refresh.

#include "authenticator.h"

namespace opsdeck::hub::auth {

class TokenService;
class RevokedTokens;

class TokenAuthenticator : public Authenticator
{
public:
    // Both must outlive this. `revoked` may be nullptr (no revocation list, e.g. in tests).
    TokenAuthenticator(const TokenService &tokens, const RevokedTokens *revoked);

    std::variant<Principal, AuthFailure> authenticate(QByteArrayView bearerToken, Audience audience) const override;

    // "Bearer <token>" (scheme case-insensitive) -> the token; empty when it is not a bearer header.
    static QByteArrayView bearerToken(QByteArrayView authorizationHeader);

private:
    const TokenService &m_tokens;
    const RevokedTokens *m_revoked;
};

} // namespace opsdeck::hub::auth
