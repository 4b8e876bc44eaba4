#include "tokenservice.h"

#include "authconfig.h"
#include "signingkey.h"
#include "sodiumsupport.h"

#include <jwt.h>

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <cstdlib>
#include <memory>

namespace opsdeck::hub::auth {

namespace {

struct JwtFree
{
    void operator()(jwt_t *jwt) const { jwt_free(jwt); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtFree>;

std::optional<QJsonObject> decodeJsonPart(QByteArrayView part)
{
    const auto decoded = QByteArray::fromBase64Encoding(
        part.toByteArray(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(*decoded, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    return document.object();
}

// A JSON number that is a whole number of seconds (JSON has no integer type).
std::optional<qint64> integerClaim(const QJsonObject &claims, QLatin1StringView name)
{
    const QJsonValue value = claims.value(name);
    if (!value.isDouble())
        return std::nullopt;
    const double number = value.toDouble();
    if (number != double(qint64(number)))
        return std::nullopt;
    return qint64(number);
}

AuthFailure fail(const char *reason)
{
    return AuthFailure {QString::fromLatin1(reason)};
}

} // namespace

TokenService::TokenService(QByteArray key, QString issuer, Clock clock)
    : m_key(std::move(key))
    , m_issuer(std::move(issuer))
    , m_clock(std::move(clock))
{
    Q_ASSERT(m_key.size() == SigningKey::kSize);
}

qint64 TokenService::now() const
{
    return m_clock ? m_clock() : QDateTime::currentSecsSinceEpoch();
}

QString TokenService::audienceClaim(Audience audience)
{
    return QString::fromLatin1(audience == Audience::Agent ? kAgentAudience : kOperatorAudience);
}

std::optional<IssuedToken> TokenService::issue(const QString &subject, const QStringList &roles, Audience audience,
                                               std::chrono::seconds ttl, QString *error) const
{
    auto refuse = [error](const QString &why) -> std::optional<IssuedToken> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (!isValidUserName(subject))
        return refuse(QStringLiteral("the name \"%1\" is not valid: %2").arg(subject, userNameRule()));
    if (audience == Audience::Agent) {
        if (roles != QStringList {QString::fromLatin1(kAgentRole)})
            return refuse(QStringLiteral("agent tokens carry exactly the role \"agent\""));
    } else if (const auto rolesError = checkOperatorRoles(roles)) {
        return refuse(*rolesError);
    }
    if (ttl.count() <= 0)
        return refuse(QStringLiteral("a token lifetime must be positive"));

    IssuedToken issued;
    issued.jti = QString::fromLatin1(randomBytes(16).toHex());
    issued.issuedAt = now();
    issued.expiresAt = issued.issuedAt + ttl.count();
    const QJsonObject claims {
        {QStringLiteral("sub"), subject},
        {QStringLiteral("roles"), QJsonArray::fromStringList(roles)},
        {QStringLiteral("iat"), issued.issuedAt},
        {QStringLiteral("exp"), issued.expiresAt},
        {QStringLiteral("jti"), issued.jti},
        {QStringLiteral("iss"), m_issuer},
        {QStringLiteral("aud"), audienceClaim(audience)},
    };
    jwt_t *raw = nullptr;
    if (jwt_new(&raw) != 0)
        return refuse(QStringLiteral("out of memory"));
    JwtPtr jwt(raw);
    const QByteArray claimsJson = QJsonDocument(claims).toJson(QJsonDocument::Compact);
    if (jwt_add_grants_json(jwt.get(), claimsJson.constData()) != 0
        || jwt_set_alg(jwt.get(), JWT_ALG_HS256, reinterpret_cast<const unsigned char *>(m_key.constData()),
                       int(m_key.size()))
               != 0)
        return refuse(QStringLiteral("libjwt refused the claims"));
    char *encoded = jwt_encode_str(jwt.get());
    if (!encoded)
        return refuse(QStringLiteral("libjwt cannot encode the token"));
    issued.token = QByteArray(encoded);
    std::free(encoded);
    return issued;
}

std::optional<AuthFailure> TokenService::checkHeader(QByteArrayView headerPart) const
{
    const auto header = decodeJsonPart(headerPart);
    if (!header)
        return fail("malformed token header");
    // Exactly HS256: "none" would need no key, RS*/ES* would treat our secret as a public key.
    if (header->value(QLatin1StringView("alg")).toString() != QLatin1StringView("HS256"))
        return fail("unsupported token algorithm");
    const QJsonValue typ = header->value(QLatin1StringView("typ"));
    if (!typ.isUndefined() && typ.toString() != QLatin1StringView("JWT"))
        return fail("unsupported token type");
    if (header->contains(QLatin1StringView("crit")))
        return fail("unsupported critical token header");
    return std::nullopt;
}

bool TokenService::checkSignature(QByteArrayView token) const
{
    // Never call jwt_decode without a key: libjwt then skips verification entirely.
    if (m_key.isEmpty())
        return false;
    const QByteArray terminated = token.toByteArray();
    jwt_t *raw = nullptr;
    const int rc = jwt_decode(&raw, terminated.constData(), reinterpret_cast<const unsigned char *>(m_key.constData()),
                              int(m_key.size()));
    JwtPtr jwt(raw);
    return rc == 0 && jwt && jwt_get_alg(jwt.get()) == JWT_ALG_HS256;
}

std::variant<Principal, AuthFailure> TokenService::verify(QByteArrayView token, Audience expected) const
{
    if (token.isEmpty())
        return fail("no token");
    if (token.size() > kMaxTokenLength)
        return fail("token too long");
    const qsizetype firstDot = token.indexOf('.');
    const qsizetype secondDot = firstDot < 0 ? -1 : token.sliced(firstDot + 1).indexOf('.');
    if (firstDot <= 0 || secondDot <= 0)
        return fail("malformed token");
    const QByteArrayView headerPart = token.first(firstDot);
    const QByteArrayView payloadPart = token.sliced(firstDot + 1, secondDot);
    const QByteArrayView signaturePart = token.sliced(firstDot + 1 + secondDot + 1);
    if (signaturePart.contains('.'))
        return fail("malformed token");
    // The header first: an unsigned `alg: none` token is named for what it is.
    if (auto headerFailure = checkHeader(headerPart))
        return *headerFailure;
    if (signaturePart.isEmpty())
        return fail("malformed token");
    const auto claims = decodeJsonPart(payloadPart);
    if (!claims)
        return fail("malformed token claims");
    if (!checkSignature(token))
        return fail("bad signature");

    const qint64 nowSeconds = now();
    const auto exp = integerClaim(*claims, QLatin1StringView("exp"));
    const auto iat = integerClaim(*claims, QLatin1StringView("iat"));
    if (!exp)
        return fail("token has no exp");
    if (!iat)
        return fail("token has no iat");
    if (*exp <= nowSeconds)
        return fail("token expired");
    if (*iat > nowSeconds + kClockSkewSeconds)
        return fail("token issued in the future");
    if (*exp <= *iat)
        return fail("token expires before it was issued");
    if (claims->value(QLatin1StringView("iss")).toString() != m_issuer)
        return fail("token from another issuer");
    if (claims->value(QLatin1StringView("aud")).toString() != audienceClaim(expected))
        return fail(expected == Audience::Agent ? "not an agent token" : "not an operator token");

    Principal principal;
    principal.kind = expected == Audience::Agent ? Principal::Kind::Agent : Principal::Kind::Operator;
    principal.subject = claims->value(QLatin1StringView("sub")).toString();
    if (!isValidUserName(principal.subject))
        return fail("token has no valid sub");
    static const QRegularExpression jtiPattern(QStringLiteral("^[0-9a-f]{32}$"));
    principal.tokenId = claims->value(QLatin1StringView("jti")).toString();
    if (!jtiPattern.match(principal.tokenId).hasMatch())
        return fail("token has no valid jti");
    const QJsonValue roles = claims->value(QLatin1StringView("roles"));
    if (!roles.isArray())
        return fail("token has no roles");
    for (const QJsonValue &role : roles.toArray()) {
        if (!role.isString())
            return fail("token has invalid roles");
        principal.roles.append(role.toString());
    }
    if (expected == Audience::Agent) {
        if (principal.roles != QStringList {QString::fromLatin1(kAgentRole)})
            return fail("token has invalid roles");
    } else if (checkOperatorRoles(principal.roles)) {
        return fail("token has invalid roles");
    }
    principal.expiresAtMs = *exp * 1000;
    if (m_isRevoked && m_isRevoked(principal.tokenId))
        return fail("token revoked");
    return principal;
}

} // namespace opsdeck::hub::auth
