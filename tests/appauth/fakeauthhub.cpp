#include "fakeauthhub.h"

#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSslConfiguration>

namespace opsdeck::testing {

namespace {

using Status = QHttpServerResponder::StatusCode;

QString randomToken()
{
    QByteArray bytes(32, Qt::Uninitialized);
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), bytes.size() / 4);
    return QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QHttpServerResponse error(Status status, const QString &code, const QString &message)
{
    return QHttpServerResponse(QJsonObject{{QStringLiteral("error"), code}, {QStringLiteral("message"), message}}, status);
}

QJsonObject body(const QHttpServerRequest &request)
{
    return QJsonDocument::fromJson(request.body()).object();
}

} // namespace

FakeAuthHub::FakeAuthHub(QObject *parent)
    : QObject(parent)
{
    using Method = QHttpServerRequest::Method;
    m_server.route(QStringLiteral("/api/v1/auth/login"), Method::Post,
                   [this](const QHttpServerRequest &request) { return login(request); });
    m_server.route(QStringLiteral("/api/v1/auth/refresh"), Method::Post,
                   [this](const QHttpServerRequest &request) { return refresh(request); });
    m_server.route(QStringLiteral("/api/v1/auth/logout"), Method::Post,
                   [this](const QHttpServerRequest &request) { return logout(request); });
}

FakeAuthHub::~FakeAuthHub() = default;

bool FakeAuthHub::start(const QSslCertificate &certificate, const QSslKey &key)
{
    if (!certificate.isNull()) {
        m_server.sslSetup(certificate, key);
        m_tls = true;
    }
    m_port = m_server.listen(QHostAddress::LocalHost, 0);
    return m_port > 1;
}

QUrl FakeAuthHub::webSocketUrl() const
{
    return QUrl(QStringLiteral("%1://127.0.0.1:%2/api/v1/ws").arg(m_tls ? u"wss" : u"ws").arg(m_port - 1));
}

void FakeAuthHub::addUser(const QString &name, const QString &password, const QStringList &roles)
{
    m_passwords.insert(name, password);
    m_roles.insert(name, roles);
}

void FakeAuthHub::setLockout(int failures, int lockoutSeconds)
{
    m_lockAfter = failures;
    m_lockSeconds = lockoutSeconds;
}

void FakeAuthHub::failRefreshes(int count, int status)
{
    m_failRefreshes = count;
    m_failStatus = status;
}

QString FakeAuthHub::issueRefreshToken(const QString &user)
{
    const QString token = randomToken();
    m_refresh.insert(token, RefreshEntry{user, ++m_families, false, false});
    return token;
}

bool FakeAuthHub::isRefreshTokenLive(const QString &token) const
{
    const auto it = m_refresh.constFind(token);
    return it != m_refresh.cend() && !it->used && !it->revoked;
}

QHttpServerResponse FakeAuthHub::tokensFor(const QString &user, int family)
{
    m_lastAccess = QStringLiteral("access-") + randomToken();
    m_lastRefresh = randomToken();
    m_refresh.insert(m_lastRefresh, RefreshEntry{user, family, false, false});
    QJsonArray roles;
    for (const QString &role : m_roles.value(user))
        roles.append(role);
    return QHttpServerResponse(QJsonObject{
        {QStringLiteral("access_token"), m_lastAccess},
        {QStringLiteral("token_type"), QStringLiteral("Bearer")},
        {QStringLiteral("expires_in"), m_accessTtl},
        {QStringLiteral("refresh_token"), m_lastRefresh},
        {QStringLiteral("refresh_expires_in"), 2592000},
        {QStringLiteral("user"), QJsonObject{{QStringLiteral("name"), user}, {QStringLiteral("roles"), roles}}},
    });
}

QHttpServerResponse FakeAuthHub::login(const QHttpServerRequest &request)
{
    ++m_logins;
    const QJsonObject json = body(request);
    const QString user = json.value(QLatin1StringView("username")).toString();
    const QString password = json.value(QLatin1StringView("password")).toString();
    if (user.isEmpty() || password.isEmpty())
        return error(Status::BadRequest, QStringLiteral("bad_request"), QStringLiteral("username and password are required"));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (const QDateTime until = m_lockedUntil.value(user); until.isValid() && now < until) {
        const int seconds = int(std::max<qint64>(1, (now.msecsTo(until) + 999) / 1000));
        QHttpServerResponse response(
            QJsonObject{{QStringLiteral("error"), QStringLiteral("too_many_attempts")},
                        {QStringLiteral("message"), QStringLiteral("Too many failed logins; try again in %1 s").arg(seconds)},
                        {QStringLiteral("retry_after"), seconds}},
            Status::TooManyRequests);
        response.setHeader(QByteArrayLiteral("Retry-After"), QByteArray::number(seconds));
        return response;
    }
    if (m_lockedUntil.contains(user)) { // the lockout has passed: a fresh start
        m_lockedUntil.remove(user);
        m_failures.remove(user);
    }
    if (!m_passwords.contains(user) || m_passwords.value(user) != password) {
        if (++m_failures[user] >= m_lockAfter)
            m_lockedUntil.insert(user, now.addSecs(m_lockSeconds));
        return error(Status::Unauthorized, QStringLiteral("invalid_credentials"), QStringLiteral("Wrong user name or password"));
    }
    m_failures.remove(user);
    return tokensFor(user, ++m_families);
}

QHttpServerResponse FakeAuthHub::refresh(const QHttpServerRequest &request)
{
    ++m_refreshes;
    if (m_failRefreshes > 0) {
        --m_failRefreshes;
        return error(Status(m_failStatus), QStringLiteral("unavailable"), QStringLiteral("the hub is busy"));
    }
    const QString token = body(request).value(QLatin1StringView("refresh_token")).toString();
    const auto it = m_refresh.find(token);
    if (it == m_refresh.end() || it->revoked)
        return error(Status::Unauthorized, QStringLiteral("invalid_refresh_token"), QStringLiteral("Unknown or expired refresh token"));
    if (it->used) {
        // Reuse detection: every token of the family dies.
        const int family = it->family;
        for (RefreshEntry &entry : m_refresh) {
            if (entry.family == family)
                entry.revoked = true;
        }
        return error(Status::Unauthorized, QStringLiteral("refresh_token_reused"),
                     QStringLiteral("This sign-in was used twice; every session of it is signed out"));
    }
    it->used = true;
    return tokensFor(it->user, it->family);
}

QHttpServerResponse FakeAuthHub::logout(const QHttpServerRequest &request)
{
    ++m_logouts;
    m_lastLogoutAuthorization = request.value(QByteArrayLiteral("Authorization"));
    const QString token = body(request).value(QLatin1StringView("refresh_token")).toString();
    if (const auto it = m_refresh.find(token); it != m_refresh.end())
        it->revoked = true;
    return QHttpServerResponse(Status::NoContent);
}

} // namespace opsdeck::testing
