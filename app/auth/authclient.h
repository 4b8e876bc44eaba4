#pragma once

// The hub's sign-in API over HTTP(S) (docs/protocol.md §12, the auth contract):
// POST /api/v1/auth/login, /refresh and /logout with JSON bodies. The auth base URL comes from the
// profile's WebSocket URL: ws→http, wss→https, same host, port+1. Every failure arrives as an
// AuthFailure in plain words with what to do next. Passwords and tokens are never logged.

#include <QDateTime>
#include <QList>
#include <QNetworkAccessManager>
#include <QObject>
#include <QSslCertificate>
#include <QStringList>
#include <QUrl>

#include <chrono>
#include <functional>

class QNetworkReply;

namespace opsdeck::app {

// What a successful login or refresh hands out.
struct AuthTokens
{
    QString accessToken;
    QDateTime accessExpiresAt; // local clock: now + expires_in
    qint64 accessLifetimeSeconds = 0; // expires_in
    QString refreshToken;
    QDateTime refreshExpiresAt;
    QString user;
    QStringList roles;
};

struct AuthFailure
{
    enum class Kind {
        None,
        InvalidCredentials, // 401 invalid_credentials
        LockedOut, // 429 too_many_attempts (retryAfterSeconds)
        InvalidRefreshToken, // 401 invalid_refresh_token: expired, revoked or unknown
        RefreshTokenReused, // 401 refresh_token_reused: the hub signed this login out everywhere
        Tls, // the certificate is not trusted (details)
        Unreachable, // host not found, refused, network down
        Timeout,
        BadRequest, // 400/415: console and hub disagree on the contract
        NotFound, // 404: no sign-in service at that address
        ServerError, // 5xx or an answer that is not the contract's JSON
        Cancelled,
    };
    Kind kind = Kind::None;
    QString text; // what happened
    QString hint; // what to do next
    QString details; // certificate details, the hub's own message…
    int retryAfterSeconds = 0;
    int httpStatus = 0;

    bool ok() const { return kind == Kind::None; }
    // A problem that may pass by itself (network, timeout, hub error) — worth retrying later.
    bool isTransient() const
    {
        return kind == Kind::Unreachable || kind == Kind::Timeout || kind == Kind::ServerError;
    }
};

struct AuthResult
{
    AuthTokens tokens;
    AuthFailure failure;
    bool ok() const { return failure.ok(); }
};

class AuthClient : public QObject
{
    Q_OBJECT

public:
    using Completion = std::function<void(const AuthResult &result)>;
    using LogoutCompletion = std::function<void(const AuthFailure &failure)>;

    explicit AuthClient(QObject *parent = nullptr);
    ~AuthClient() override;

    // ws://h:8000/api/v1/ws → http://h:8001 ; wss://h/… (443) → https://h:444. Invalid for
    // anything that is not ws/wss with a host.
    static QUrl authBaseUrl(const QUrl &webSocketUrl);
    // "host:port" as the operator knows the hub (the WebSocket URL's, default port filled in).
    static QString hubAddress(const QUrl &webSocketUrl);

    // A request with no answer after this long fails with Kind::Timeout (default 15 s).
    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }
    // Certificates trusted in addition to the system's (a private CA; tests' self-signed hubs).
    void setExtraCaCertificates(const QList<QSslCertificate> &certificates);

    // `done` runs on `context` (never when it is gone). Requests in flight end with Cancelled
    // after abortAll().
    void login(const QUrl &base, const QString &user, const QString &password, QObject *context, Completion done);
    void refresh(const QUrl &base, const QString &refreshToken, QObject *context, Completion done);
    // Revokes the refresh token (and the access token's jti when given). 204 also for an unknown
    // token, so a failure here means the hub was not told.
    void logout(const QUrl &base, const QString &refreshToken, const QString &accessToken, QObject *context,
                LogoutCompletion done);
    void abortAll();

private:
    QNetworkReply *post(const QUrl &base, const QString &path, const QJsonObject &body, const QString &bearer);
    void finishTokens(QNetworkReply *reply, QObject *context, Completion done);

    QNetworkAccessManager m_network;
    std::chrono::milliseconds m_timeout{15000};
    QList<QSslCertificate> m_extraCas;
};

// The words for a finished reply that did not succeed (authfailure.cpp).
AuthFailure failureFromReply(QNetworkReply *reply, const QByteArray &body);

} // namespace opsdeck::app
