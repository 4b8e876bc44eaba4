#pragma once

// POST /api/v1/auth/login, /refresh and /logout (docs/protocol.md §12) on a QHttpServer this
// object owns; HTTPS when given a certificate and key. Logs user name, client address and outcome
// only: never a password or a token. Argon2id runs on this object's thread, so a login blocks it
// for the hash time (~0.1 s at INTERACTIVE cost).
//
// Client addresses come from QHttpServerRequest::remoteAddress() (Qt 6.4): the TCP peer. Behind a
// reverse proxy every client shares the proxy's address for the per-address throttle;
// X-Forwarded-For is deliberately not trusted.

#include "authconfig.h"
#include "loginthrottle.h"

#include <QHostAddress>
#include <QObject>
#include <QSslCertificate>
#include <QSslKey>
#include <QUrl>

#include <memory>
#include <optional>

class QHttpServer;
class QHttpServerRequest;
class QHttpServerResponse;
class QJsonObject;

namespace opsdeck::hub::auth {

class AuthContext;
struct IssuedRefreshToken;
struct UserRecord;

struct AuthTls
{
    QSslCertificate certificate; // the chain's leaf; intermediates may follow in `chain`
    QSslKey key;
    QList<QSslCertificate> chain;
};

class AuthHttpService : public QObject
{
    Q_OBJECT
public:
    static constexpr auto kLoginPath = "/api/v1/auth/login";
    static constexpr auto kRefreshPath = "/api/v1/auth/refresh";
    static constexpr auto kLogoutPath = "/api/v1/auth/logout";

    // `context` must outlive this. `throttleClock` (ms) is for tests; default: the system clock.
    explicit AuthHttpService(AuthContext &context, QObject *parent = nullptr);
    AuthHttpService(AuthContext &context, LoginThrottle::Clock throttleClock, QObject *parent = nullptr);
    ~AuthHttpService() override;

    // Port 0: any free port. With `tls`: HTTPS only. False (see errorString()) when it cannot bind.
    bool listen(const QHostAddress &address, quint16 port, const std::optional<AuthTls> &tls = std::nullopt);
    quint16 port() const { return m_port; }
    QUrl url() const; // http(s)://ADDRESS:PORT
    QString errorString() const { return m_error; }

    LoginThrottle &throttle() { return m_throttle; }

private:
    QHttpServerResponse handleLogin(const QHttpServerRequest &request);
    QHttpServerResponse handleRefresh(const QHttpServerRequest &request);
    QHttpServerResponse handleLogout(const QHttpServerRequest &request);
    QHttpServerResponse tokenResponse(const UserRecord &user, const IssuedRefreshToken &refresh);
    void setUpRoutes();

    AuthContext &m_context;
    LoginThrottle m_throttle;
    std::unique_ptr<QHttpServer> m_http;
    QHostAddress m_address;
    quint16 m_port = 0;
    bool m_tls = false;
    QString m_error;
};

} // namespace opsdeck::hub::auth
