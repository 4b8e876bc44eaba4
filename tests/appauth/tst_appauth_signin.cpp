// SignInController with the in-memory keychain and a real AuthClient against the hub's sign-in API
// served by a QHttpServer in this process (FakeAuthHub): what the operator sees and what ends up in
// the keychain for each way a sign-in goes.

#include "fakeauthhub.h"
#include "signincontroller.h"

#include <QProcess>
#include <QSignalSpy>
#include <QSslKey>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace opsdeck::app;
using opsdeck::testing::FakeAuthHub;

class TestSignIn : public QObject
{
    Q_OBJECT

    std::unique_ptr<FakeAuthHub> m_hub;
    std::unique_ptr<MemorySecretStore> m_store;
    std::unique_ptr<AuthClient> m_client;
    std::unique_ptr<SignInController> m_signIn;

    QString url() const { return m_hub->webSocketUrl().toString(); }
    QString refreshKey(const QString &user = QStringLiteral("alice")) const
    {
        return SecretStore::refreshTokenKey(QStringLiteral("Prod"), user);
    }
    void signIn(const QString &password, bool remember)
    {
        m_signIn->signIn(QStringLiteral("Prod"), url(), QStringLiteral("alice"), password, remember);
        QCOMPARE(m_signIn->state(), SignInController::SigningIn);
        QTRY_VERIFY(m_signIn->state() != SignInController::SigningIn);
    }
    // A dev token as `opsdeck-hub token issue` prints one (the console does not check signatures).
    static QString devToken(const QString &sub, qint64 exp)
    {
        auto part = [](const QByteArray &json) {
            return QString::fromLatin1(json.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
        };
        return part(R"({"alg":"HS256","typ":"JWT"})") + u'.'
               + part(QStringLiteral(R"({"sub":"%1","roles":["operator"],"exp":%2})").arg(sub).arg(exp).toUtf8())
               + QStringLiteral(".c2lnbmF0dXJl");
    }

private Q_SLOTS:
    void init()
    {
        m_hub = std::make_unique<FakeAuthHub>();
        QVERIFY(m_hub->start());
        m_hub->addUser(QStringLiteral("alice"), QStringLiteral("correct horse"), {QStringLiteral("operator")});
        m_store = std::make_unique<MemorySecretStore>();
        m_client = std::make_unique<AuthClient>();
        m_signIn = std::make_unique<SignInController>(m_store.get(), m_client.get());
        m_signIn->setRefreshRetryPolicy({std::chrono::milliseconds(100), std::chrono::milliseconds(400), 3});
    }
    void cleanup()
    {
        m_signIn.reset();
        m_client.reset();
        m_store.reset();
        m_hub.reset();
    }

    void authBaseUrlIsTheWebSocketPortPlusOne()
    {
        QCOMPARE(AuthClient::authBaseUrl(QUrl(QStringLiteral("ws://hub.local:8000/api/v1/ws/dev"))),
                 QUrl(QStringLiteral("http://hub.local:8001")));
        QCOMPARE(AuthClient::authBaseUrl(QUrl(QStringLiteral("wss://hub.example.com/api/v1/ws"))),
                 QUrl(QStringLiteral("https://hub.example.com:444")));
        QCOMPARE(AuthClient::authBaseUrl(QUrl(QStringLiteral("wss://[::1]:9443/api/v1/ws"))),
                 QUrl(QStringLiteral("https://[::1]:9444")));
        QVERIFY(!AuthClient::authBaseUrl(QUrl(QStringLiteral("http://hub.local:8000"))).isValid());
        QCOMPARE(AuthClient::hubAddress(QUrl(QStringLiteral("wss://hub.example.com/api/v1/ws"))),
                 QStringLiteral("hub.example.com:443"));
    }

    void loginWithoutRememberKeepsNothing()
    {
        QSignalSpy tokens(m_signIn.get(), &SignInController::accessTokenChanged);
        signIn(QStringLiteral("correct horse"), false);
        QCOMPARE(m_signIn->state(), SignInController::SignedIn);
        QCOMPARE(m_signIn->user(), QStringLiteral("alice"));
        QCOMPARE(m_signIn->roles(), QStringList{QStringLiteral("operator")});
        QCOMPARE(m_signIn->hub(), QStringLiteral("127.0.0.1:%1").arg(m_hub->port() - 1));
        QCOMPARE(tokens.size(), 1);
        QCOMPARE(tokens.at(0).at(0).toString(), m_hub->lastAccessToken());
        const QDateTime expires = tokens.at(0).at(1).toDateTime();
        QVERIFY(qAbs(QDateTime::currentDateTimeUtc().secsTo(expires) - 900) < 5);
        QCOMPARE(m_signIn->accessToken(), m_hub->lastAccessToken());
        QTest::qWait(50); // the keychain is asynchronous: give a wrong write the chance to land
        QCOMPARE(m_store->writes(), 0);
        QCOMPARE(m_store->size(), 0);
    }

    void loginWithRememberSavesTheRefreshToken()
    {
        signIn(QStringLiteral("correct horse"), true);
        QCOMPARE(m_signIn->state(), SignInController::SignedIn);
        QTRY_COMPARE(m_store->value(refreshKey()), m_hub->lastRefreshToken());
        QVERIFY(m_hub->isRefreshTokenLive(m_store->value(refreshKey())));
        QVERIFY(m_signIn->notice().isEmpty());
        // Nothing else: never the password, never the access token.
        QCOMPARE(m_store->size(), 1);
    }

    void loginWithoutRememberForgetsAnOlderEntry()
    {
        m_store->write(refreshKey(), m_hub->issueRefreshToken(QStringLiteral("alice")), this, [](const SecretError &) {});
        QTRY_COMPARE(m_store->size(), 1);
        signIn(QStringLiteral("correct horse"), false);
        QTRY_COMPARE(m_store->size(), 0);
    }

    void wrongPasswordSaysSo()
    {
        QSignalSpy tokens(m_signIn.get(), &SignInController::accessTokenChanged);
        signIn(QStringLiteral("wrong"), true);
        QCOMPARE(m_signIn->state(), SignInController::Error);
        QCOMPARE(m_signIn->errorText(), QStringLiteral("Wrong user name or password."));
        QVERIFY(m_signIn->errorHint().contains(QStringLiteral("case-sensitive")));
        QCOMPARE(tokens.size(), 0);
        QVERIFY(m_signIn->accessToken().isEmpty());
        QCOMPARE(m_store->writes(), 0);
    }

    void lockoutCountsDown()
    {
        m_hub->setLockout(2, 3);
        signIn(QStringLiteral("wrong"), false);
        signIn(QStringLiteral("wrong"), false);
        QCOMPARE(m_signIn->retryAfterSeconds(), 0);
        signIn(QStringLiteral("correct horse"), false); // locked: even the right password waits
        QCOMPARE(m_signIn->state(), SignInController::Error);
        QVERIFY2(m_signIn->errorText().startsWith(QStringLiteral("Too many failed sign-ins")), qPrintable(m_signIn->errorText()));
        QVERIFY(!m_signIn->errorHint().isEmpty());
        QCOMPARE(m_signIn->retryAfterSeconds(), 3);
        QSignalSpy ticks(m_signIn.get(), &SignInController::retryAfterSecondsChanged);
        QTRY_COMPARE_WITH_TIMEOUT(m_signIn->retryAfterSeconds(), 2, 2000);
        QTRY_COMPARE_WITH_TIMEOUT(m_signIn->retryAfterSeconds(), 0, 4000);
        QCOMPARE(ticks.size(), 3);
    }

    void silentSignInUsesAndRotatesTheKeychainEntry()
    {
        const QString saved = m_hub->issueRefreshToken(QStringLiteral("alice"));
        m_store->write(refreshKey(), saved, this, [](const SecretError &) {});
        QSignalSpy tokens(m_signIn.get(), &SignInController::accessTokenChanged);
        QSignalSpy needed(m_signIn.get(), &SignInController::interactiveSignInNeeded);
        m_signIn->trySilentSignIn(QStringLiteral("Prod"), url(), QStringLiteral("alice"));
        QTRY_COMPARE(m_signIn->state(), SignInController::SignedIn);
        QCOMPARE(tokens.size(), 1);
        QCOMPARE(needed.size(), 0);
        QVERIFY(m_signIn->rememberMe());
        QTRY_COMPARE(m_store->value(refreshKey()), m_hub->lastRefreshToken());
        QVERIFY(m_store->value(refreshKey()) != saved);
        QVERIFY(!m_hub->isRefreshTokenLive(saved));
    }

    void silentSignInWithoutAnEntryAsksQuietly()
    {
        QSignalSpy needed(m_signIn.get(), &SignInController::interactiveSignInNeeded);
        m_signIn->trySilentSignIn(QStringLiteral("Prod"), url(), QStringLiteral("alice"));
        QTRY_COMPARE(needed.size(), 1);
        QCOMPARE(m_signIn->state(), SignInController::SignedOut);
        QVERIFY(m_signIn->errorText().isEmpty());
        QCOMPARE(m_signIn->user(), QStringLiteral("alice")); // the dialog starts on the password
        QCOMPARE(m_hub->refreshes(), 0);
    }

    void silentSignInWithoutAUserAsksLater()
    {
        QSignalSpy needed(m_signIn.get(), &SignInController::interactiveSignInNeeded);
        m_signIn->trySilentSignIn(QStringLiteral("Staging"), url(), QString());
        QCOMPARE(m_signIn->state(), SignInController::SignedOut);
        QCOMPARE(needed.size(), 0); // asynchronous: a shell that is still loading hears it too
        QTRY_COMPARE(needed.size(), 1);
    }

    void silentSignInExplainsAKeychainProblem()
    {
        m_store->setFailure(SecretError::Kind::NoBackend);
        QSignalSpy needed(m_signIn.get(), &SignInController::interactiveSignInNeeded);
        m_signIn->trySilentSignIn(QStringLiteral("Prod"), url(), QStringLiteral("alice"));
        QTRY_COMPARE(needed.size(), 1);
        QCOMPARE(m_signIn->state(), SignInController::SignedOut);
        QVERIFY(m_signIn->errorText().startsWith(QStringLiteral("No keychain is available")));
        QCOMPARE(m_signIn->errorHint(), QStringLiteral("You can still sign in; you will be asked again next time."));
    }

    void rememberWithoutAKeychainStillSignsIn()
    {
        m_store->setFailure(SecretError::Kind::AccessDenied);
        signIn(QStringLiteral("correct horse"), true);
        QCOMPARE(m_signIn->state(), SignInController::SignedIn);
        QTRY_VERIFY(m_signIn->notice().contains(QStringLiteral("could not remember")));
        QVERIFY(m_signIn->notice().contains(QStringLiteral("Unlock the keychain")));
    }

    void refreshRotatesAndSavesTheNewToken()
    {
        m_hub->setAccessTtl(2);
        QSignalSpy tokens(m_signIn.get(), &SignInController::accessTokenChanged);
        signIn(QStringLiteral("correct horse"), true);
        const QString first = m_signIn->accessToken();
        QTRY_COMPARE(m_store->size(), 1);
        const QString firstRefresh = m_store->value(refreshKey());
        // Due at 80% of the 2 s lifetime.
        QTRY_COMPARE_WITH_TIMEOUT(tokens.size(), 2, 5000);
        QCOMPARE(m_hub->refreshes(), 1);
        QVERIFY(m_signIn->accessToken() != first);
        QCOMPARE(m_signIn->accessToken(), m_hub->lastAccessToken());
        QCOMPARE(m_signIn->state(), SignInController::SignedIn);
        QTRY_COMPARE(m_store->value(refreshKey()), m_hub->lastRefreshToken());
        QVERIFY(!m_hub->isRefreshTokenLive(firstRefresh));
    }

    void refreshRetriesAHubInTrouble()
    {
        m_hub->setAccessTtl(3);
        m_hub->failRefreshes(2, 503);
        QSignalSpy tokens(m_signIn.get(), &SignInController::accessTokenChanged);
        signIn(QStringLiteral("correct horse"), false);
        QTRY_COMPARE_WITH_TIMEOUT(tokens.size(), 2, 6000);
        QCOMPARE(m_hub->refreshes(), 3);
        QCOMPARE(m_signIn->state(), SignInController::SignedIn);
    }

    void refreshGivesUpWhenTheTokenRunsOut()
    {
        m_hub->setAccessTtl(2);
        m_hub->failRefreshes(100, 503);
        QSignalSpy needed(m_signIn.get(), &SignInController::interactiveSignInNeeded);
        QSignalSpy tokens(m_signIn.get(), &SignInController::accessTokenChanged);
        signIn(QStringLiteral("correct horse"), true);
        QTRY_COMPARE_WITH_TIMEOUT(m_signIn->state(), SignInController::SignedOut, 6000);
        QCOMPARE(needed.size(), 1);
        QVERIFY2(m_signIn->errorText().contains(QStringLiteral("could not be reached to renew it")),
                 qPrintable(m_signIn->errorText()));
        QVERIFY(tokens.last().at(0).toString().isEmpty());
        QVERIFY(m_signIn->accessToken().isEmpty());
        QCOMPARE(m_store->size(), 1); // still valid: kept for the next sign-in
    }

    void reusedRefreshTokenSignsOutEverywhere()
    {
        m_hub->setAccessTtl(2);
        signIn(QStringLiteral("correct horse"), true);
        QTRY_COMPARE(m_store->size(), 1);
        // A copy of the saved token is used elsewhere first.
        AuthClient thief;
        bool stolen = false;
        thief.refresh(AuthClient::authBaseUrl(m_hub->webSocketUrl()), m_store->value(refreshKey()), this,
                      [&](const AuthResult &result) { stolen = result.ok(); });
        QTRY_VERIFY(stolen);
        QSignalSpy needed(m_signIn.get(), &SignInController::interactiveSignInNeeded);
        QTRY_COMPARE_WITH_TIMEOUT(m_signIn->state(), SignInController::SignedOut, 5000);
        QVERIFY2(m_signIn->errorText().contains(QStringLiteral("signed out everywhere")), qPrintable(m_signIn->errorText()));
        QCOMPARE(needed.size(), 1);
        QTRY_COMPARE(m_store->size(), 0);
        QVERIFY(!m_hub->isRefreshTokenLive(m_hub->lastRefreshToken())); // the thief's is dead too
    }

    void reusedTokenInTheKeychainIsDeleted()
    {
        const QString saved = m_hub->issueRefreshToken(QStringLiteral("alice"));
        m_store->write(refreshKey(), saved, this, [](const SecretError &) {});
        AuthClient other;
        bool used = false;
        other.refresh(AuthClient::authBaseUrl(m_hub->webSocketUrl()), saved, this,
                      [&](const AuthResult &result) { used = result.ok(); });
        QTRY_VERIFY(used);
        m_signIn->trySilentSignIn(QStringLiteral("Prod"), url(), QStringLiteral("alice"));
        QTRY_COMPARE(m_signIn->state(), SignInController::SignedOut);
        QVERIFY(m_signIn->errorText().contains(QStringLiteral("signed out everywhere")));
        QTRY_COMPARE(m_store->size(), 0);
    }

    void signOutLogsOutAndDeletesTheEntry()
    {
        signIn(QStringLiteral("correct horse"), true);
        QTRY_COMPARE(m_store->size(), 1);
        const QString refresh = m_store->value(refreshKey());
        const QString access = m_signIn->accessToken();
        QSignalSpy tokens(m_signIn.get(), &SignInController::accessTokenChanged);
        m_signIn->signOut();
        QCOMPARE(m_signIn->state(), SignInController::SignedOut);
        QCOMPARE(tokens.size(), 1);
        QVERIFY(tokens.at(0).at(0).toString().isEmpty());
        QTRY_COMPARE(m_store->size(), 0);
        QTRY_COMPARE(m_hub->logouts(), 1);
        QVERIFY(!m_hub->isRefreshTokenLive(refresh));
        QCOMPARE(m_hub->lastLogoutAuthorization(), "Bearer " + access.toUtf8());
    }

    void unreachableHubNamesHostAndPort()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 closed = probe.serverPort();
        probe.close();
        m_signIn->signIn(QStringLiteral("Prod"), QStringLiteral("ws://127.0.0.1:%1/api/v1/ws").arg(closed - 1),
                         QStringLiteral("alice"), QStringLiteral("pw"), false);
        QTRY_COMPARE(m_signIn->state(), SignInController::Error);
        QCOMPARE(m_signIn->errorText(), QStringLiteral("The hub's sign-in service at 127.0.0.1:%1 refused the connection.").arg(closed));
        QVERIFY(m_signIn->errorHint().contains(QString::number(closed)));
    }

    void silentHubTimesOut()
    {
        QTcpServer mute; // accepts, never answers
        QVERIFY(mute.listen(QHostAddress::LocalHost, 0));
        m_client->setTimeout(std::chrono::milliseconds(300));
        m_signIn->signIn(QStringLiteral("Prod"), QStringLiteral("ws://127.0.0.1:%1/api/v1/ws").arg(mute.serverPort() - 1),
                         QStringLiteral("alice"), QStringLiteral("pw"), false);
        QTRY_COMPARE_WITH_TIMEOUT(m_signIn->state(), SignInController::Error, 5000);
        QCOMPARE(m_signIn->errorText(), QStringLiteral("The hub's sign-in service at 127.0.0.1:%1 did not answer in time.").arg(mute.serverPort()));
    }

    void cancelStopsASignInInFlight()
    {
        QTcpServer mute;
        QVERIFY(mute.listen(QHostAddress::LocalHost, 0));
        QSignalSpy tokens(m_signIn.get(), &SignInController::accessTokenChanged);
        m_signIn->signIn(QStringLiteral("Prod"), QStringLiteral("ws://127.0.0.1:%1/api/v1/ws").arg(mute.serverPort() - 1),
                         QStringLiteral("alice"), QStringLiteral("pw"), false);
        QVERIFY(m_signIn->isBusy());
        QTRY_VERIFY(mute.hasPendingConnections());
        m_signIn->cancel();
        QCOMPARE(m_signIn->state(), SignInController::SignedOut);
        QTest::qWait(100);
        QCOMPARE(m_signIn->state(), SignInController::SignedOut);
        QVERIFY(m_signIn->errorText().isEmpty());
        QCOMPARE(tokens.size(), 0);
    }

    void untrustedCertificateIsDescribed()
    {
        const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
        if (openssl.isEmpty())
            QSKIP("needs the openssl CLI to make a certificate (scripts/install-deps.sh installs it)");
        QTemporaryDir dir;
        QProcess make;
        make.start(openssl, {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                             QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-days"),
                             QStringLiteral("2"), QStringLiteral("-subj"), QStringLiteral("/CN=opsdeck-test-hub/O=Opsdeck Tests"),
                             QStringLiteral("-addext"), QStringLiteral("subjectAltName=IP:127.0.0.1"),
                             QStringLiteral("-keyout"), dir.filePath(QStringLiteral("key.pem")), QStringLiteral("-out"),
                             dir.filePath(QStringLiteral("cert.pem"))});
        QVERIFY(make.waitForFinished(30000));
        QCOMPARE(make.exitCode(), 0);
        const auto certificates = QSslCertificate::fromPath(dir.filePath(QStringLiteral("cert.pem")));
        QCOMPARE(certificates.size(), 1);
        QFile keyFile(dir.filePath(QStringLiteral("key.pem")));
        QVERIFY(keyFile.open(QIODevice::ReadOnly));
        const QSslKey key(&keyFile, QSsl::Rsa);
        QVERIFY(!key.isNull());

        FakeAuthHub tlsHub;
        QVERIFY(tlsHub.start(certificates.first(), key));
        tlsHub.addUser(QStringLiteral("alice"), QStringLiteral("correct horse"), {QStringLiteral("operator")});
        const QString tlsUrl = tlsHub.webSocketUrl().toString();
        QVERIFY(tlsUrl.startsWith(QStringLiteral("wss://")));
        m_signIn->signIn(QStringLiteral("Prod"), tlsUrl, QStringLiteral("alice"), QStringLiteral("correct horse"), true);
        QTRY_COMPARE(m_signIn->state(), SignInController::Error);
        QVERIFY2(m_signIn->errorText().startsWith(QStringLiteral("The hub's sign-in service at 127.0.0.1:%1 is not trusted: ").arg(tlsHub.port())),
                 qPrintable(m_signIn->errorText()));
        QVERIFY2(m_signIn->errorText().contains(QStringLiteral("self-signed")), qPrintable(m_signIn->errorText()));
        const QString details = m_signIn->errorDetails();
        const QString fingerprint = QString::fromLatin1(certificates.first().digest(QCryptographicHash::Sha256).toHex(':').toUpper());
        QVERIFY2(details.contains(QStringLiteral("Certificate: CN=opsdeck-test-hub")), qPrintable(details));
        QVERIFY2(details.contains(QStringLiteral("Issued by: opsdeck-test-hub, Opsdeck Tests")), qPrintable(details));
        QVERIFY2(details.contains(QStringLiteral("SHA-256: ") + fingerprint), qPrintable(details));
        QVERIFY2(details.contains(QStringLiteral("Expires: ") + certificates.first().expiryDate().toUTC().toString(Qt::ISODate)),
                 qPrintable(details));
        QVERIFY(m_signIn->errorHint().contains(QStringLiteral("fingerprint")));
        QCOMPARE(m_store->writes(), 0);

        // Trusted (a private CA installed), the same hub signs in over TLS.
        m_client->setExtraCaCertificates(certificates);
        m_signIn->signIn(QStringLiteral("Prod"), tlsUrl, QStringLiteral("alice"), QStringLiteral("correct horse"), true);
        QTRY_VERIFY(m_signIn->state() != SignInController::SigningIn);
        QVERIFY2(m_signIn->state() == SignInController::SignedIn, qPrintable(m_signIn->errorText()));
        QCOMPARE(m_signIn->accessToken(), tlsHub.lastAccessToken());
    }

    void devTokenSignsInAndIsRemembered()
    {
        const QString token = devToken(QStringLiteral("dev-bot"), QDateTime::currentSecsSinceEpoch() + 3600);
        QSignalSpy tokens(m_signIn.get(), &SignInController::accessTokenChanged);
        m_signIn->useDevToken(QStringLiteral("Dev"), url(), QString(), token, true);
        QCOMPARE(m_signIn->state(), SignInController::SignedIn);
        QCOMPARE(m_signIn->user(), QStringLiteral("dev-bot"));
        QCOMPARE(tokens.size(), 1);
        QCOMPARE(tokens.at(0).at(0).toString(), token);
        const QString key = SecretStore::devTokenKey(QStringLiteral("Dev"), QStringLiteral("dev-bot"));
        QTRY_COMPARE(m_store->value(key), token);

        SignInController later(m_store.get(), m_client.get());
        later.trySilentSignIn(QStringLiteral("Dev"), url(), QStringLiteral("dev-bot"));
        QTRY_COMPARE(later.state(), SignInController::SignedIn);
        QCOMPARE(later.accessToken(), token);

        const QString expired = devToken(QStringLiteral("dev-bot"), QDateTime::currentSecsSinceEpoch() - 10);
        m_signIn->useDevToken(QStringLiteral("Dev"), url(), QStringLiteral("dev-bot"), expired, true);
        QCOMPARE(m_signIn->state(), SignInController::Error);
        QVERIFY(m_signIn->errorText().startsWith(QStringLiteral("This token expired")));
        m_signIn->useDevToken(QStringLiteral("Dev"), url(), QStringLiteral("dev-bot"), QStringLiteral("not a token"), false);
        QCOMPARE(m_signIn->state(), SignInController::Error);
    }
};

QTEST_GUILESS_MAIN(TestSignIn)
#include "tst_appauth_signin.moc"
