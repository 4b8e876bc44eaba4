#include "authhttpservice.h"

#include "authcontext.h"
#include "refreshtokenstore.h"
#include "revokedtokens.h"
#include "tokenauthenticator.h"
#include "tokenservice.h"
#include "userstore.h"

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSslConfiguration>

#include <variant>

namespace opsdeck::hub::auth {

using StatusCode = QHttpServerResponder::StatusCode;

namespace {

QHttpServerResponse jsonResponse(const QJsonObject &body, StatusCode status)
{
    QHttpServerResponse response(body, status);
    // Token answers must not land in a shared or browser cache.
    response.setHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store"));
    return response;
}

QHttpServerResponse errorResponse(StatusCode status, const QString &code, const QString &message)
{
    return jsonResponse(QJsonObject {{QStringLiteral("error"), code}, {QStringLiteral("message"), message}}, status);
}

QByteArray headerValue(const QHttpServerRequest &request, QByteArrayView name)
{
    const auto headers = request.headers();
    for (const auto &header : headers) {
        if (QByteArrayView(header.first).compare(name, Qt::CaseInsensitive) == 0)
            return header.second;
    }
    return {};
}

// The JSON object body, or the 415/400 answer to send instead.
std::variant<QJsonObject, QHttpServerResponse> jsonBody(const QHttpServerRequest &request)
{
    const QByteArray contentType = headerValue(request, "content-type");
    const qsizetype parameters = contentType.indexOf(';');
    const QByteArray mediaType = (parameters < 0 ? contentType : contentType.first(parameters)).trimmed().toLower();
    if (mediaType != "application/json")
        return errorResponse(StatusCode::UnsupportedMediaType, QStringLiteral("unsupported_media_type"),
                             QStringLiteral("Send the request body as JSON with Content-Type: application/json"));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return errorResponse(StatusCode::BadRequest, QStringLiteral("bad_request"),
                             QStringLiteral("The request body is not a JSON object"));
    return document.object();
}

// A user name fit for the log: untrusted input that is not a valid name is not echoed.
QString loggableUser(const QString &name)
{
    return isValidUserName(name) ? name : QStringLiteral("(invalid name)");
}

QString clientAddress(const QHttpServerRequest &request)
{
    QHostAddress address = request.remoteAddress();
    // An IPv4 client on a dual-stack socket and the same client over IPv4 count as one address.
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    if (isV4)
        address = QHostAddress(v4);
    return address.toString();
}

} // namespace

AuthHttpService::AuthHttpService(AuthContext &context, QObject *parent)
    : AuthHttpService(context, LoginThrottle::Clock {}, parent)
{
}

AuthHttpService::AuthHttpService(AuthContext &context, LoginThrottle::Clock throttleClock, QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_throttle(context.config().throttle, std::move(throttleClock))
    , m_http(std::make_unique<QHttpServer>())
{
    // Now rather than on the first unknown name, so that one is not answered faster.
    m_context.users().prepareDummyHash();
    setUpRoutes();
}

AuthHttpService::~AuthHttpService() = default;

void AuthHttpService::setUpRoutes()
{
    m_http->route(QString::fromLatin1(kLoginPath), QHttpServerRequest::Method::Post,
                  [this](const QHttpServerRequest &request) { return handleLogin(request); });
    m_http->route(QString::fromLatin1(kRefreshPath), QHttpServerRequest::Method::Post,
                  [this](const QHttpServerRequest &request) { return handleRefresh(request); });
    m_http->route(QString::fromLatin1(kLogoutPath), QHttpServerRequest::Method::Post,
                  [this](const QHttpServerRequest &request) { return handleLogout(request); });
    m_http->setMissingHandler([](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        const QString path = request.url().path();
        const bool ours = path == QLatin1StringView(kLoginPath) || path == QLatin1StringView(kRefreshPath)
            || path == QLatin1StringView(kLogoutPath);
        const QJsonObject body {
            {QStringLiteral("error"), ours ? QStringLiteral("method_not_allowed") : QStringLiteral("not_found")},
            {QStringLiteral("message"),
             ours ? QStringLiteral("Use POST") : QStringLiteral("No such endpoint; see /api/v1/auth/login")}};
        responder.write(QJsonDocument(body), {{QByteArrayLiteral("Allow"), QByteArrayLiteral("POST")}},
                        ours ? StatusCode::MethodNotAllowed : StatusCode::NotFound);
    });
}

bool AuthHttpService::listen(const QHostAddress &address, quint16 port, const std::optional<AuthTls> &tls)
{
    if (tls) {
        if (tls->certificate.isNull() || tls->key.isNull()) {
            m_error = QStringLiteral("the TLS certificate or key for the login service is empty or unreadable");
            return false;
        }
        QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
        configuration.setLocalCertificateChain(QList<QSslCertificate> {tls->certificate} + tls->chain);
        configuration.setPrivateKey(tls->key);
        configuration.setProtocol(QSsl::TlsV1_2OrLater);
        m_http->sslSetup(configuration);
        m_tls = true;
    }
    const quint16 bound = m_http->listen(address, port);
    if (bound == 0) {
        m_error = QStringLiteral("cannot listen for logins on %1:%2 (address in use or not ours?)")
                      .arg(address.toString())
                      .arg(port);
        return false;
    }
    m_address = address;
    m_port = bound;
    qCInfo(lcHubAuth) << "login service on" << url().toString();
    return true;
}

QUrl AuthHttpService::url() const
{
    QUrl url;
    url.setScheme(m_tls ? QStringLiteral("https") : QStringLiteral("http"));
    url.setHost(m_address.toString());
    url.setPort(m_port);
    return url;
}

QHttpServerResponse AuthHttpService::tokenResponse(const UserRecord &user, const IssuedRefreshToken &refresh)
{
    QString error;
    const auto access = m_context.tokens().issue(user.name, user.roles, Audience::Operator,
                                                 m_context.config().accessTtl, &error);
    if (!access) {
        qCWarning(lcHubAuth) << "cannot issue an access token for" << user.name << ":" << error;
        return errorResponse(StatusCode::InternalServerError, QStringLiteral("internal_error"),
                             QStringLiteral("The hub cannot issue a token for this account; ask an administrator"));
    }
    const QJsonObject body {
        {QStringLiteral("access_token"), QString::fromLatin1(access->token)},
        {QStringLiteral("token_type"), QStringLiteral("Bearer")},
        {QStringLiteral("expires_in"), access->expiresAt - access->issuedAt},
        {QStringLiteral("refresh_token"), QString::fromLatin1(refresh.token)},
        {QStringLiteral("refresh_expires_in"), refresh.expiresAt - m_context.refreshTokens().now()},
        {QStringLiteral("user"),
         QJsonObject {{QStringLiteral("name"), user.name},
                      {QStringLiteral("roles"), QJsonArray::fromStringList(user.roles)}}},
    };
    return jsonResponse(body, StatusCode::Ok);
}

QHttpServerResponse AuthHttpService::handleLogin(const QHttpServerRequest &request)
{
    auto parsed = jsonBody(request);
    if (auto *refusal = std::get_if<QHttpServerResponse>(&parsed))
        return std::move(*refusal);
    const QJsonObject body = std::get<QJsonObject>(parsed);
    const QJsonValue username = body.value(QLatin1StringView("username"));
    const QJsonValue password = body.value(QLatin1StringView("password"));
    if (!username.isString() || !password.isString() || username.toString().isEmpty())
        return errorResponse(StatusCode::BadRequest, QStringLiteral("bad_request"),
                             QStringLiteral("Send {\"username\": \"…\", \"password\": \"…\"}"));
    const QString user = username.toString();
    const QString address = clientAddress(request);

    if (const qint64 wait = m_throttle.retryAfter(user, address); wait > 0) {
        qCWarning(lcHubAuth).noquote() << "login" << loggableUser(user) << "from" << address << "throttled for" << wait
                                    << "s";
        QJsonObject answer {
            {QStringLiteral("error"), QStringLiteral("too_many_attempts")},
            {QStringLiteral("message"), QStringLiteral("Too many failed logins; try again in %1 s").arg(wait)},
            {QStringLiteral("retry_after"), wait}};
        QHttpServerResponse response = jsonResponse(answer, StatusCode::TooManyRequests);
        response.setHeader(QByteArrayLiteral("Retry-After"), QByteArray::number(wait));
        return response;
    }

    const auto record = m_context.users().verify(user, password.toString());
    if (!record) {
        m_throttle.recordFailure(user, address);
        qCWarning(lcHubAuth).noquote() << "login" << loggableUser(user) << "from" << address << "refused";
        return errorResponse(StatusCode::Unauthorized, QStringLiteral("invalid_credentials"),
                             QStringLiteral("Wrong user name or password"));
    }
    m_throttle.recordSuccess(user);
    const auto refresh = m_context.refreshTokens().issue(record->name);
    if (!refresh)
        return errorResponse(StatusCode::InternalServerError, QStringLiteral("internal_error"),
                             QStringLiteral("The hub cannot store the sign-in; check its disk and log"));
    qCInfo(lcHubAuth).noquote() << "login" << record->name << "from" << address << "ok";
    return tokenResponse(*record, *refresh);
}

QHttpServerResponse AuthHttpService::handleRefresh(const QHttpServerRequest &request)
{
    auto parsed = jsonBody(request);
    if (auto *refusal = std::get_if<QHttpServerResponse>(&parsed))
        return std::move(*refusal);
    const QJsonValue token = std::get<QJsonObject>(parsed).value(QLatin1StringView("refresh_token"));
    if (!token.isString() || token.toString().isEmpty())
        return errorResponse(StatusCode::BadRequest, QStringLiteral("bad_request"),
                             QStringLiteral("Send {\"refresh_token\": \"…\"}"));
    const QString address = clientAddress(request);
    const auto rotated = m_context.refreshTokens().rotate(token.toString().toLatin1());
    if (const auto *failure = std::get_if<RefreshFailure>(&rotated)) {
        switch (*failure) {
        case RefreshFailure::Reused:
            qCWarning(lcHubAuth).noquote() << "refresh from" << address << "reused a used token: family revoked";
            return errorResponse(StatusCode::Unauthorized, QStringLiteral("refresh_token_reused"),
                                 QStringLiteral("This sign-in was used twice; every session of it is signed out"));
        case RefreshFailure::Storage:
            return errorResponse(StatusCode::InternalServerError, QStringLiteral("internal_error"),
                                 QStringLiteral("The hub cannot reach its user database; try again"));
        case RefreshFailure::Invalid:
            break;
        }
        qCInfo(lcHubAuth).noquote() << "refresh from" << address << "refused";
        return errorResponse(StatusCode::Unauthorized, QStringLiteral("invalid_refresh_token"),
                             QStringLiteral("The sign-in expired or was ended; log in again"));
    }
    const auto &next = std::get<IssuedRefreshToken>(rotated);
    // Roles are read again, so a change with `opsdeck-hub user roles` applies at the next refresh.
    const auto user = m_context.users().find(next.user);
    if (!user || user->disabled) {
        m_context.refreshTokens().revokeFamily(next.family);
        qCInfo(lcHubAuth).noquote() << "refresh for" << next.user << "from" << address << "refused: account gone";
        return errorResponse(StatusCode::Unauthorized, QStringLiteral("invalid_refresh_token"),
                             QStringLiteral("This account no longer exists or is disabled"));
    }
    qCInfo(lcHubAuth).noquote() << "refresh for" << user->name << "from" << address << "ok";
    return tokenResponse(*user, next);
}

QHttpServerResponse AuthHttpService::handleLogout(const QHttpServerRequest &request)
{
    auto parsed = jsonBody(request);
    if (auto *refusal = std::get_if<QHttpServerResponse>(&parsed))
        return std::move(*refusal);
    const QJsonValue token = std::get<QJsonObject>(parsed).value(QLatin1StringView("refresh_token"));
    const QByteArray authorization = headerValue(request, "authorization");
    const QByteArrayView bearer = TokenAuthenticator::bearerToken(authorization);
    if (!token.isString() && bearer.isEmpty())
        return errorResponse(StatusCode::BadRequest, QStringLiteral("bad_request"),
                             QStringLiteral("Send {\"refresh_token\": \"…\"}"));
    const QString address = clientAddress(request);
    const bool ended = token.isString() && m_context.refreshTokens().revokeFamilyOf(token.toString().toLatin1());
    QString subject;
    if (!bearer.isEmpty()) {
        // Only a token this hub signed can name a jti to revoke.
        const auto verified = m_context.tokens().verify(bearer, Audience::Operator);
        if (const auto *principal = std::get_if<Principal>(&verified)) {
            m_context.revokedTokens().revoke(principal->tokenId, principal->expiresAtMs / 1000);
            subject = principal->subject;
        }
    }
    qCInfo(lcHubAuth).noquote() << "logout" << (subject.isEmpty() ? QStringLiteral("(no access token)") : subject)
                             << "from" << address << (ended ? "ended a sign-in" : "(no such sign-in)");
    QHttpServerResponse response(StatusCode::NoContent);
    response.setHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store"));
    return response;
}

} // namespace opsdeck::hub::auth
