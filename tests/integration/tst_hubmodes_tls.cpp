// TLS for the hub (docs/operations.md §5): a prod hub over wss:// with a self-signed certificate
// made at run time by openssl, a client that trusts it, clients that do not, unusable certificate
// files, and the prod-needs-TLS rule — in process and through the opsdeck-hub binary.

#include "fakeauthenticator.h"
#include "hubprocess.h"
#include "hubserver.h"
#include "testclient.h"

#include <QProcess>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QTemporaryDir>
#include <QTest>

using namespace opsdeck::hub;
using opsdeck::testing::FakeAuthenticator;
using opsdeck::testing::fakeToken;
using opsdeck::testing::HubProcess;
using opsdeck::testing::TestClient;

class TestHubModesTls : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_cert;
    QString m_key;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    // openssl req -x509: a self-signed certificate for 127.0.0.1 and localhost.
    bool makeCertificate(const QString &cert, const QString &key, const QStringList &keyArgs, QString *error)
    {
        QProcess openssl;
        openssl.start(QStringLiteral("openssl"),
                      QStringList{QStringLiteral("req"), QStringLiteral("-x509")} + keyArgs
                          + QStringList{QStringLiteral("-nodes"), QStringLiteral("-keyout"), key,
                                        QStringLiteral("-out"), cert, QStringLiteral("-days"), QStringLiteral("2"),
                                        QStringLiteral("-subj"), QStringLiteral("/CN=opsdeck-test"),
                                        QStringLiteral("-addext"),
                                        QStringLiteral("subjectAltName=IP:127.0.0.1,DNS:localhost")});
        if (!openssl.waitForFinished(60000) || openssl.exitStatus() != QProcess::NormalExit || openssl.exitCode() != 0) {
            *error = QStringLiteral("openssl req failed (%1): %2 — install openssl (scripts/install-deps.sh)")
                         .arg(openssl.errorString(), QString::fromUtf8(openssl.readAllStandardError()));
            return false;
        }
        return true;
    }

    HubConfig prodConfig() const
    {
        HubConfig config;
        config.mode = opsdeck::protocol::Mode::Prod;
        config.port = 0;
        config.authenticator = std::make_shared<FakeAuthenticator>();
        config.tlsCertificateFile = m_cert;
        config.tlsKeyFile = m_key;
        return config;
    }

    QSslConfiguration trusting() const
    {
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        ssl.setCaCertificates(QSslCertificate::fromPath(m_cert));
        return ssl;
    }

    static bool writeFile(const QString &file, const QByteArray &content)
    {
        QFile out(file);
        return out.open(QIODevice::WriteOnly) && out.write(content) == content.size();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_cert = path(QStringLiteral("cert.pem"));
        m_key = path(QStringLiteral("key.pem"));
        QString error;
        QVERIFY2(makeCertificate(m_cert, m_key,
                                 {QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                                  QStringLiteral("ec_paramgen_curve:prime256v1")},
                                 &error),
                 qPrintable(error));
    }

    void prodOverTlsAdmitsATrustingClient()
    {
        HubServer hub(prodConfig());
        QVERIFY2(hub.listen(), qPrintable(hub.errorString()));
        QVERIFY(hub.isSecure());
        QCOMPARE(hub.url().scheme(), QStringLiteral("wss"));
        QCOMPARE(hub.url().path(), QStringLiteral("/api/v1/ws"));

        TestClient client;
        client.socket().setSslConfiguration(trusting());
        QVERIFY(client.open(hub.url(), fakeToken(QStringLiteral("alice"), QStringLiteral("operator"))));
        const auto established = client.waitForType(QStringLiteral("connection_established"));
        QVERIFY(established);
        QCOMPARE(established->value(QLatin1StringView("mode")).toString(), QStringLiteral("prod"));
        QCOMPARE(established->value(QLatin1StringView("user")).toObject().value(QLatin1StringView("name")).toString(),
                 QStringLiteral("alice"));
        QCOMPARE(client.request(QJsonObject{{QStringLiteral("type"), QStringLiteral("ping")}})
                     ->value(QLatin1StringView("type")).toString(),
                 QStringLiteral("pong"));
        // Without a token TLS alone admits nobody.
        TestClient anonymous;
        anonymous.socket().setSslConfiguration(trusting());
        anonymous.open(hub.url());
        QVERIFY(anonymous.waitForClosed());
        QCOMPARE(anonymous.closeCode(), 4401);
    }

    void clientsThatDoNotTrustItOrSpeakPlainWsFail()
    {
        HubServer hub(prodConfig());
        QVERIFY2(hub.listen(), qPrintable(hub.errorString()));
        TestClient untrusting; // the system's CAs do not know a self-signed certificate
        QSignalSpy sslErrors(&untrusting.socket(), &QWebSocket::sslErrors);
        QVERIFY(!untrusting.open(hub.url(), fakeToken(QStringLiteral("alice"), QStringLiteral("operator"))));
        QVERIFY(!sslErrors.isEmpty());

        QUrl plain = hub.url();
        plain.setScheme(QStringLiteral("ws"));
        TestClient cleartext;
        QVERIFY(!cleartext.open(plain, fakeToken(QStringLiteral("alice"), QStringLiteral("operator"))));
        QCOMPARE(hub.connectionCount(), 0);
        QCOMPARE(hub.stats().connectionsAccepted, 0);
    }

    void unusableCertificateFilesFailToListen_data()
    {
        QTest::addColumn<QString>("cert");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("mentions");
        QVERIFY(writeFile(path(QStringLiteral("garbage.pem")), "not a certificate\n"));
        QString error;
        QVERIFY2(makeCertificate(path(QStringLiteral("rsa-cert.pem")), path(QStringLiteral("rsa-key.pem")),
                                 {QStringLiteral("-newkey"), QStringLiteral("rsa:2048")}, &error),
                 qPrintable(error));
        QTest::newRow("missing cert") << path(QStringLiteral("nope.pem")) << m_key << QStringLiteral("cannot read --tls-cert");
        QTest::newRow("missing key") << m_cert << path(QStringLiteral("nope.pem")) << QStringLiteral("cannot read --tls-key");
        QTest::newRow("not a cert") << path(QStringLiteral("garbage.pem")) << m_key << QStringLiteral("no PEM certificate");
        QTest::newRow("not a key") << m_cert << path(QStringLiteral("garbage.pem")) << QStringLiteral("no unencrypted PEM private key");
        QTest::newRow("key of another kind") << m_cert << path(QStringLiteral("rsa-key.pem"))
                                             << QStringLiteral("does not belong to --tls-cert");
    }
    void unusableCertificateFilesFailToListen()
    {
        QFETCH(QString, cert);
        QFETCH(QString, key);
        QFETCH(QString, mentions);
        HubConfig config = prodConfig();
        config.tlsCertificateFile = cert;
        config.tlsKeyFile = key;
        HubServer hub(config);
        QVERIFY(!hub.listen());
        QVERIFY2(hub.errorString().contains(mentions), qPrintable(hub.errorString()));
        QCOMPARE(hub.port(), 0);
    }

    void prodWithoutTlsListensOnlyOnLoopback()
    {
        HubConfig config = prodConfig();
        config.tlsCertificateFile.clear();
        config.tlsKeyFile.clear();
        config.address = QHostAddress::AnyIPv4; // refused before anything is bound
        HubServer exposed(config);
        QVERIFY(!exposed.listen());
        QVERIFY2(exposed.errorString().contains(QLatin1StringView("needs TLS")), qPrintable(exposed.errorString()));
        config.address = QHostAddress::LocalHost; // what --insecure-loopback allows
        HubServer local(config);
        QVERIFY2(local.listen(), qPrintable(local.errorString()));
        QCOMPARE(local.url().scheme(), QStringLiteral("ws"));
    }

    void binaryServesWssAndRefusesBadSetups()
    {
        // A demo hub may use TLS too; its first line says wss://.
        HubProcess secure({QStringLiteral("--tls-cert"), m_cert, QStringLiteral("--tls-key"), m_key,
                           QStringLiteral("--fleet"), QStringLiteral("none")});
        QVERIFY2(secure.start(), qPrintable(secure.errorString()));
        QCOMPARE(secure.url().scheme(), QStringLiteral("wss"));
        TestClient client;
        client.socket().setSslConfiguration(trusting());
        QVERIFY(client.open(secure.url()));
        QVERIFY(client.waitForType(QStringLiteral("connection_established")));
        client.close();
        QCOMPARE(secure.terminate(), 0);

        // prod without TLS: a usage error (2) that names the flags to add.
        HubProcess plainProd;
        plainProd.setMode(QStringLiteral("prod"));
        QVERIFY(!plainProd.start());
        QCOMPARE(plainProd.waitForExit(), 2);
        QVERIFY2(plainProd.standardError().contains("--tls-cert"), plainProd.standardError().constData());

        // A certificate file that is not one: cannot listen (1), with the file named.
        HubProcess badCert({QStringLiteral("--tls-cert"), path(QStringLiteral("garbage.pem")), QStringLiteral("--tls-key"),
                            m_key});
        QVERIFY(!badCert.start());
        QCOMPARE(badCert.waitForExit(), 1);
        QVERIFY2(badCert.standardError().contains("garbage.pem"), badCert.standardError().constData());
    }
};

QTEST_GUILESS_MAIN(TestHubModesTls)
#include "tst_hubmodes_tls.moc"
