#pragma once

// The hub's sign-in API (the auth contract: POST /api/v1/auth/login, /refresh, /logout) served by a
// QHttpServer inside the test process on 127.0.0.1 with a port chosen at run time, optionally over
// TLS. Refresh tokens rotate, a reused one revokes its family, failures lock a user out with
// retry_after — what the console has to cope with, not a canned answer per test.

#include <QDateTime>
#include <QHash>
#include <QHttpServer>
#include <QObject>
#include <QSslCertificate>
#include <QSslKey>
#include <QStringList>
#include <QUrl>

namespace opsdeck::testing {

class FakeAuthHub : public QObject
{
    Q_OBJECT

public:
    explicit FakeAuthHub(QObject *parent = nullptr);
    ~FakeAuthHub() override;

    // Listens on 127.0.0.1:0 (over TLS when a certificate is given). False if it could not.
    bool start(const QSslCertificate &certificate = QSslCertificate(), const QSslKey &key = QSslKey());
    quint16 port() const { return m_port; }
    // The profile URL whose auth base (port + 1) is this server.
    QUrl webSocketUrl() const;

    void addUser(const QString &name, const QString &password, const QStringList &roles);
    void setAccessTtl(int seconds) { m_accessTtl = seconds; }
    // Failures per user before a 429 (retry_after = lockoutSeconds).
    void setLockout(int failures, int lockoutSeconds);
    // The next `count` refreshes answer `status` (e.g. 503) — a hub in trouble.
    void failRefreshes(int count, int status);

    // A valid refresh token for `user`, as if they had signed in earlier with "Remember me".
    QString issueRefreshToken(const QString &user);
    bool isRefreshTokenLive(const QString &token) const;
    QString lastRefreshToken() const { return m_lastRefresh; }
    QString lastAccessToken() const { return m_lastAccess; }
    QByteArray lastLogoutAuthorization() const { return m_lastLogoutAuthorization; }
    int logins() const { return m_logins; }
    int refreshes() const { return m_refreshes; }
    int logouts() const { return m_logouts; }

private:
    struct RefreshEntry
    {
        QString user;
        int family = 0;
        bool used = false;
        bool revoked = false;
    };
    QHttpServerResponse login(const QHttpServerRequest &request);
    QHttpServerResponse refresh(const QHttpServerRequest &request);
    QHttpServerResponse logout(const QHttpServerRequest &request);
    QHttpServerResponse tokensFor(const QString &user, int family);

    QHttpServer m_server;
    quint16 m_port = 0;
    bool m_tls = false;
    QHash<QString, QString> m_passwords;
    QHash<QString, QStringList> m_roles;
    QHash<QString, int> m_failures;
    QHash<QString, QDateTime> m_lockedUntil;
    QHash<QString, RefreshEntry> m_refresh;
    int m_families = 0;
    int m_accessTtl = 900;
    int m_lockAfter = 5;
    int m_lockSeconds = 60;
    int m_failRefreshes = 0;
    int m_failStatus = 503;
    QString m_lastRefresh;
    QString m_lastAccess;
    QByteArray m_lastLogoutAuthorization;
    int m_logins = 0;
    int m_refreshes = 0;
    int m_logouts = 0;
};

} // namespace opsdeck::testing
