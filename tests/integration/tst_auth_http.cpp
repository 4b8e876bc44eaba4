// AuthHttpService over real HTTPS on 127.0.0.1 (a self-signed certificate made at run time with the
// openssl CLI, trusted by the client as a CA) and over plain HTTP: login, wrong password, unknown
// user, throttling with retry_after, refresh rotation, reuse detection, logout, malformed bodies.

#include "authcontext.h"
#include "authhttpservice.h"
#include "tokenauthenticator.h"
#include "testcertificate.h"
#include "userstore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace opsdeck::hub;
using namespace opsdeck::hub::auth;
using opsdeck::testing::makeTestCertificate;
using opsdeck::testing::TestCertificate;

namespace {

const QString kPassword = QStringLiteral("correct horse battery");

struct HttpAnswer
{
    int status = 0;
    QJsonObject body;
    QByteArray rawBody;
    QByteArray retryAfter;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
};

} // namespace

class TestAuthHttp : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_certDir;
    QSslCertificate m_certificate;
    QSslKey m_key;
    std::unique_ptr<QTemporaryDir> m_dataDir;
    std::unique_ptr<AuthContext> m_auth;
    std::unique_ptr<AuthHttpService> m_service;
    QNetworkAccessManager m_network;
    bool m_trustServer = true;

    bool startService(bool tls)
    {
        m_dataDir = std::make_unique<QTemporaryDir>();
        AuthConfig config;
        config.dataDir = m_dataDir->path();
        config.argon2 = Argon2Limits::minimum();
        QString error;
        m_auth = AuthContext::open(config, &error);
        if (!m_auth) {
            qWarning("%s", qPrintable(error));
            return false;
        }
        if (m_auth->users().add(QStringLiteral("alice"), kPassword, {QStringLiteral("operator")}))
            return false;
        m_service = std::make_unique<AuthHttpService>(*m_auth);
        std::optional<AuthTls> certificate;
        if (tls)
            certificate = AuthTls {m_certificate, m_key, {}};
        if (!m_service->listen(QHostAddress::LocalHost, 0, certificate)) {
            qWarning("%s", qPrintable(m_service->errorString()));
            return false;
        }
        return true;
    }

    HttpAnswer post(const char *path, const QByteArray &body, const QByteArray &contentType = "application/json",
                    const QByteArray &authorization = {})
    {
        QUrl url = m_service->url();
        url.setPath(QString::fromLatin1(path));
        QNetworkRequest request(url);
        request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
        if (!authorization.isEmpty())
            request.setRawHeader("Authorization", authorization);
        if (url.scheme() == u"https") {
            QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
            if (m_trustServer)
                ssl.addCaCertificate(m_certificate); // trust exactly the test's certificate
            request.setSslConfiguration(ssl);
        }
        std::unique_ptr<QNetworkReply> reply(m_network.post(request, body));
        HttpAnswer answer;
        if (!QTest::qWaitFor([&] { return reply->isFinished(); }, 20000)) {
            answer.error = QNetworkReply::TimeoutError;
            return answer;
        }
        answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        answer.rawBody = reply->readAll();
        answer.body = QJsonDocument::fromJson(answer.rawBody).object();
        answer.retryAfter = reply->rawHeader("Retry-After");
        answer.error = reply->error();
        return answer;
    }

    HttpAnswer login(const QString &user, const QString &password)
    {
        return post("/api/v1/auth/login",
                    QJsonDocument(QJsonObject {{QStringLiteral("username"), user}, {QStringLiteral("password"), password}})
                        .toJson(QJsonDocument::Compact));
    }

    HttpAnswer refresh(const QString &token)
    {
        return post("/api/v1/auth/refresh",
                    QJsonDocument(QJsonObject {{QStringLiteral("refresh_token"), token}}).toJson(QJsonDocument::Compact));
    }

    QString error(const HttpAnswer &answer) { return answer.body.value(QStringLiteral("error")).toString(); }

    void verifyTokenAnswer(const HttpAnswer &answer)
    {
        QCOMPARE(answer.status, 200);
        QCOMPARE(answer.body.value(QStringLiteral("token_type")).toString(), QStringLiteral("Bearer"));
        QCOMPARE(answer.body.value(QStringLiteral("expires_in")).toInteger(), 900);
        QVERIFY(qAbs(answer.body.value(QStringLiteral("refresh_expires_in")).toInteger() - 2592000) <= 2);
        QCOMPARE(answer.body.value(QStringLiteral("refresh_token")).toString().size(), 43);
        const QJsonObject user = answer.body.value(QStringLiteral("user")).toObject();
        QCOMPARE(user.value(QStringLiteral("name")).toString(), QStringLiteral("alice"));
        QCOMPARE(user.value(QStringLiteral("roles")).toArray(), QJsonArray {QStringLiteral("operator")});
        const auto result = m_auth->authenticator().authenticate(
            answer.body.value(QStringLiteral("access_token")).toString().toLatin1(), Audience::Operator);
        QVERIFY(std::holds_alternative<Principal>(result));
        QCOMPARE(std::get<Principal>(result).subject, QStringLiteral("alice"));
        QCOMPARE(std::get<Principal>(result).roles, QStringList {QStringLiteral("operator")});
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!QSslSocket::supportsSsl())
            QSKIP("this Qt has no TLS backend");
        TestCertificate made;
        QString error;
        QVERIFY2(makeTestCertificate(m_certDir.path(), &made, &error), qPrintable(error));
        m_certificate = made.certificate;
        m_key = made.key;
        QVERIFY(!m_certificate.isNull());
        QVERIFY(!m_key.isNull());
    }

    void init()
    {
        m_trustServer = true;
        QVERIFY(startService(true));
        QCOMPARE(m_service->url().scheme(), QStringLiteral("https"));
    }
    void cleanup()
    {
        m_network.clearAccessCache();
        m_network.clearConnectionCache();
        m_service.reset();
        m_auth.reset();
        m_dataDir.reset();
    }

    void loginOverHttps() { verifyTokenAnswer(login(QStringLiteral("alice"), kPassword)); }

    void untrustedCertificateIsRejectedByTheClient()
    {
        m_trustServer = false;
        const HttpAnswer answer = login(QStringLiteral("alice"), kPassword);
        QCOMPARE(answer.error, QNetworkReply::SslHandshakeFailedError);
    }

    void wrongPasswordAndUnknownUserGetTheSameAnswer()
    {
        const HttpAnswer wrong = login(QStringLiteral("alice"), QStringLiteral("wrong password"));
        QCOMPARE(wrong.status, 401);
        QCOMPARE(wrong.body,
                 (QJsonObject {{QStringLiteral("error"), QStringLiteral("invalid_credentials")},
                               {QStringLiteral("message"), QStringLiteral("Wrong user name or password")}}));
        const HttpAnswer unknown = login(QStringLiteral("mallory"), kPassword);
        QCOMPARE(unknown.status, 401);
        QCOMPARE(unknown.rawBody, wrong.rawBody);
    }

    void throttledAfterFiveFailures()
    {
        for (int i = 0; i < 5; ++i)
            QCOMPARE(login(QStringLiteral("alice"), QStringLiteral("guess %1").arg(i)).status, 401);
        // Locked out now, even with the right password.
        const HttpAnswer locked = login(QStringLiteral("alice"), kPassword);
        QCOMPARE(locked.status, 429);
        QCOMPARE(error(locked), QStringLiteral("too_many_attempts"));
        const qint64 retryAfter = locked.body.value(QStringLiteral("retry_after")).toInteger();
        QVERIFY2(retryAfter > 55 && retryAfter <= 60, qPrintable(QString::number(retryAfter)));
        QCOMPARE(locked.retryAfter, QByteArray::number(retryAfter));
        QCOMPARE(locked.body.value(QStringLiteral("message")).toString(),
                 QStringLiteral("Too many failed logins; try again in %1 s").arg(retryAfter));
    }

    void malformedRequests()
    {
        QCOMPARE(post("/api/v1/auth/login", "{not json").status, 400);
        QCOMPARE(error(post("/api/v1/auth/login", "{not json")), QStringLiteral("bad_request"));
        QCOMPARE(post("/api/v1/auth/login", R"({"username":"alice"})").status, 400);
        QCOMPARE(post("/api/v1/auth/login", R"(["alice"])").status, 400);
        const HttpAnswer form = post("/api/v1/auth/login", "username=alice&password=x",
                                     "application/x-www-form-urlencoded");
        QCOMPARE(form.status, 415);
        QCOMPARE(post("/api/v1/auth/refresh", "{}").status, 400);
        QCOMPARE(post("/api/v1/auth/nothing", "{}").status, 404);
        // A GET of a login path (a browser address bar) is 405, not an answer with a token.
        QUrl url = m_service->url();
        url.setPath(QStringLiteral("/api/v1/auth/login"));
        QNetworkRequest request(url);
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        ssl.addCaCertificate(m_certificate);
        request.setSslConfiguration(ssl);
        std::unique_ptr<QNetworkReply> reply(m_network.get(request));
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 20000);
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 405);
        QCOMPARE(QJsonDocument::fromJson(reply->readAll()).object().value(QStringLiteral("error")).toString(),
                 QStringLiteral("method_not_allowed"));
    }

    void refreshRotatesAndReuseSignsOut()
    {
        const HttpAnswer first = login(QStringLiteral("alice"), kPassword);
        const QString token1 = first.body.value(QStringLiteral("refresh_token")).toString();
        const HttpAnswer second = refresh(token1);
        verifyTokenAnswer(second);
        const QString token2 = second.body.value(QStringLiteral("refresh_token")).toString();
        QVERIFY(token2 != token1);
        QVERIFY(second.body.value(QStringLiteral("access_token")) != first.body.value(QStringLiteral("access_token")));

        const HttpAnswer reused = refresh(token1);
        QCOMPARE(reused.status, 401);
        QCOMPARE(reused.body,
                 (QJsonObject {{QStringLiteral("error"), QStringLiteral("refresh_token_reused")},
                               {QStringLiteral("message"),
                                QStringLiteral("This sign-in was used twice; every session of it is signed out")}}));
        const HttpAnswer afterReuse = refresh(token2);
        QCOMPARE(afterReuse.status, 401);
        QCOMPARE(error(afterReuse), QStringLiteral("invalid_refresh_token"));
        QCOMPARE(error(refresh(QStringLiteral("made-up"))), QStringLiteral("invalid_refresh_token"));
    }

    void logoutEndsTheSignInAndRevokesTheAccessToken()
    {
        const HttpAnswer session = login(QStringLiteral("alice"), kPassword);
        const QString refreshToken = session.body.value(QStringLiteral("refresh_token")).toString();
        const QByteArray access = session.body.value(QStringLiteral("access_token")).toString().toLatin1();
        const HttpAnswer out = post(
            "/api/v1/auth/logout",
            QJsonDocument(QJsonObject {{QStringLiteral("refresh_token"), refreshToken}}).toJson(QJsonDocument::Compact),
            "application/json", "Bearer " + access);
        QCOMPARE(out.status, 204);
        QCOMPARE(error(refresh(refreshToken)), QStringLiteral("invalid_refresh_token"));
        const auto result = m_auth->authenticator().authenticate(access, Audience::Operator);
        QVERIFY(std::holds_alternative<AuthFailure>(result));
        QCOMPARE(std::get<AuthFailure>(result).reason, QStringLiteral("token revoked"));
        // Idempotent: the same logout again, and one for a token that never existed.
        QCOMPARE(post("/api/v1/auth/logout", R"({"refresh_token":"gone"})").status, 204);
    }

    void plainHttpForDev()
    {
        cleanup();
        QVERIFY(startService(false));
        QCOMPARE(m_service->url().scheme(), QStringLiteral("http"));
        verifyTokenAnswer(login(QStringLiteral("alice"), kPassword));
        QCOMPARE(login(QStringLiteral("alice"), QStringLiteral("wrong password")).status, 401);
    }
};

QTEST_GUILESS_MAIN(TestAuthHttp)
#include "tst_auth_http.moc"
