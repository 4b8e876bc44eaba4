#include "authclient.h"

#include "authlog.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslConfiguration>

namespace opsdeck::app {

namespace {

// Set on replies the client aborts itself, so an abort is not mistaken for a timeout.
constexpr char kCancelledProperty[] = "opsdeckCancelled";

QString hostPort(const QUrl &url, int defaultPort)
{
    const QString host = url.host().contains(u':') ? u'[' + url.host() + u']' : url.host();
    return host + u':' + QString::number(url.port(defaultPort));
}

QStringList stringList(const QJsonValue &value)
{
    QStringList list;
    for (const QJsonValue &item : value.toArray())
        list.append(item.toString());
    return list;
}

// The contract's 200 answer to login and refresh; an incomplete one is the hub's fault.
AuthResult parseTokens(const QByteArray &body, const QString &where)
{
    AuthResult result;
    const QJsonObject json = QJsonDocument::fromJson(body).object();
    AuthTokens &tokens = result.tokens;
    tokens.accessToken = json.value(QLatin1StringView("access_token")).toString();
    tokens.refreshToken = json.value(QLatin1StringView("refresh_token")).toString();
    tokens.accessLifetimeSeconds = json.value(QLatin1StringView("expires_in")).toInteger();
    const qint64 refreshLifetime = json.value(QLatin1StringView("refresh_expires_in")).toInteger();
    const QJsonObject user = json.value(QLatin1StringView("user")).toObject();
    tokens.user = user.value(QLatin1StringView("name")).toString();
    tokens.roles = stringList(user.value(QLatin1StringView("roles")));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    tokens.accessExpiresAt = now.addSecs(tokens.accessLifetimeSeconds);
    tokens.refreshExpiresAt = refreshLifetime > 0 ? now.addSecs(refreshLifetime) : QDateTime();
    if (tokens.accessToken.isEmpty() || tokens.refreshToken.isEmpty() || tokens.accessLifetimeSeconds <= 0
        || tokens.user.isEmpty()) {
        result.tokens = {};
        result.failure.kind = AuthFailure::Kind::ServerError;
        result.failure.httpStatus = 200;
        result.failure.text = QObject::tr("The hub at %1 answered the sign-in with something Opsdeck does not "
                                          "understand.")
                                  .arg(where);
        result.failure.hint = QObject::tr("The console and the hub may be different versions; update one of them, "
                                          "or tell the hub administrator.");
    }
    return result;
}

} // namespace

AuthClient::AuthClient(QObject *parent)
    : QObject(parent)
{
    // Never follow a redirect with a password in the body.
    m_network.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
}

AuthClient::~AuthClient()
{
    abortAll();
}

void AuthClient::setExtraCaCertificates(const QList<QSslCertificate> &certificates)
{
    m_extraCas = certificates;
    // Pooled connections keep the TLS configuration they were opened with.
    m_network.clearConnectionCache();
}

QUrl AuthClient::authBaseUrl(const QUrl &webSocketUrl)
{
    if (!webSocketUrl.isValid() || webSocketUrl.host().isEmpty())
        return {};
    const bool tls = webSocketUrl.scheme() == QLatin1StringView("wss");
    if (!tls && webSocketUrl.scheme() != QLatin1StringView("ws"))
        return {};
    const int port = webSocketUrl.port(tls ? 443 : 80);
    if (port >= 65535)
        return {};
    QUrl base;
    base.setScheme(tls ? QStringLiteral("https") : QStringLiteral("http"));
    base.setHost(webSocketUrl.host());
    base.setPort(port + 1);
    return base;
}

QString AuthClient::hubAddress(const QUrl &webSocketUrl)
{
    if (webSocketUrl.host().isEmpty())
        return {};
    return hostPort(webSocketUrl, webSocketUrl.scheme() == QLatin1StringView("wss") ? 443 : 80);
}

QNetworkReply *AuthClient::post(const QUrl &base, const QString &path, const QJsonObject &body, const QString &bearer)
{
    QUrl url = base;
    url.setPath(path);
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader(QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json"));
    if (!bearer.isEmpty())
        request.setRawHeader(QByteArrayLiteral("Authorization"), "Bearer " + bearer.toUtf8());
    request.setTransferTimeout(int(m_timeout.count()));
    if (url.scheme() == QLatin1StringView("https") && !m_extraCas.isEmpty()) {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.addCaCertificates(m_extraCas);
        request.setSslConfiguration(tls);
    }
    QNetworkReply *reply = m_network.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
    // The certificate problems are only known here; failureFromReply turns them into words.
    connect(reply, &QNetworkReply::sslErrors, reply, [reply](const QList<QSslError> &errors) {
        reply->setProperty("opsdeckSslErrors", QVariant::fromValue(errors));
    });
    connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
    return reply;
}

void AuthClient::finishTokens(QNetworkReply *reply, QObject *context, Completion done)
{
    if (!context)
        return;
    connect(reply, &QNetworkReply::finished, context, [reply, done = std::move(done)] {
        const QByteArray body = reply->isOpen() ? reply->readAll() : QByteArray();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        AuthResult result;
        if (status == 200 && reply->error() == QNetworkReply::NoError)
            result = parseTokens(body, hostPort(reply->url(), 443));
        else
            result.failure = failureFromReply(reply, body);
        done(result);
    });
}

void AuthClient::login(const QUrl &base, const QString &user, const QString &password, QObject *context,
                       Completion done)
{
    qCInfo(lcAuth) << "signing in" << user << "at" << base.host() << base.port();
    QNetworkReply *reply = post(base, QStringLiteral("/api/v1/auth/login"),
                                QJsonObject{{QStringLiteral("username"), user}, {QStringLiteral("password"), password}},
                                {});
    finishTokens(reply, context, [user, done = std::move(done)](const AuthResult &result) {
        if (result.ok())
            qCInfo(lcAuth) << "signed in" << user << "roles" << result.tokens.roles;
        else
            qCInfo(lcAuth) << "sign-in of" << user << "failed:" << int(result.failure.kind) << result.failure.httpStatus;
        done(result);
    });
}

void AuthClient::refresh(const QUrl &base, const QString &refreshToken, QObject *context, Completion done)
{
    QNetworkReply *reply = post(base, QStringLiteral("/api/v1/auth/refresh"),
                                QJsonObject{{QStringLiteral("refresh_token"), refreshToken}}, {});
    finishTokens(reply, context, [done = std::move(done)](const AuthResult &result) {
        if (result.ok())
            qCInfo(lcAuth) << "refreshed the session of" << result.tokens.user;
        else
            qCInfo(lcAuth) << "refresh failed:" << int(result.failure.kind) << result.failure.httpStatus;
        done(result);
    });
}

void AuthClient::logout(const QUrl &base, const QString &refreshToken, const QString &accessToken, QObject *context,
                        LogoutCompletion done)
{
    QNetworkReply *reply = post(base, QStringLiteral("/api/v1/auth/logout"),
                                QJsonObject{{QStringLiteral("refresh_token"), refreshToken}}, accessToken);
    if (!context)
        return;
    connect(reply, &QNetworkReply::finished, context, [reply, done = std::move(done)] {
        const QByteArray body = reply->isOpen() ? reply->readAll() : QByteArray();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const AuthFailure failure = (status / 100 == 2 && reply->error() == QNetworkReply::NoError)
                                        ? AuthFailure{}
                                        : failureFromReply(reply, body);
        qCInfo(lcAuth) << "signed out at the hub:" << (failure.ok() ? "ok" : "failed") << status;
        done(failure);
    });
}

void AuthClient::abortAll()
{
    const auto replies = m_network.findChildren<QNetworkReply *>();
    for (QNetworkReply *reply : replies) {
        if (reply->isFinished())
            continue;
        reply->setProperty(kCancelledProperty, true);
        reply->abort();
    }
}

} // namespace opsdeck::app
