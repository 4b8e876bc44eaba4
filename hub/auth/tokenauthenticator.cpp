#include "tokenauthenticator.h"

#include "revokedtokens.h"
#include "tokenservice.h"

namespace opsdeck::hub::auth {

TokenAuthenticator::TokenAuthenticator(const TokenService &tokens, const RevokedTokens *revoked)
    : m_tokens(tokens)
    , m_revoked(revoked)
{
}

std::variant<Principal, AuthFailure> TokenAuthenticator::authenticate(QByteArrayView bearerToken,
                                                                      Audience audience) const
{
    auto result = m_tokens.verify(bearerToken, audience);
    // Checked after the signature and claims, so a forged token never costs a database lookup.
    if (const auto *principal = std::get_if<Principal>(&result); principal && m_revoked
        && m_revoked->isRevoked(principal->tokenId))
        return AuthFailure {QStringLiteral("token revoked")};
    return result;
}

QByteArrayView TokenAuthenticator::bearerToken(QByteArrayView header)
{
    header = header.trimmed();
    constexpr QByteArrayView scheme("bearer ");
    if (header.size() <= scheme.size() || header.first(scheme.size()).compare(scheme, Qt::CaseInsensitive) != 0)
        return {};
    return header.sliced(scheme.size()).trimmed();
}

} // namespace opsdeck::hub::auth
