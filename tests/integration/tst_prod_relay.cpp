// Issue 5 end to end, with real processes on loopback: a prod opsdeck-hub with TLS (a
// self-signed certificate made by the test) and operators in its user store, the console's
// sign-in client (AuthClient) logging in over HTTPS, the embedded hub's relay linking with the
// operator's token, and a client of the embedded hub. Roles, a refresh on the live link, a forged
// token, the kill switch, and a kill -9 of the prod hub during a log stream.

#include "authclient.h"
#include "hubprocess.h"
#include "hubserver.h"
#include "testcertificate.h"
#include "testclient.h"
#include "testports.h"
#include "upstreamlink.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

#include <memory>

using namespace opsdeck;
using namespace opsdeck::hub;
using namespace opsdeck::testing;
using transport::HubClient;

namespace {
const QString kAlicePassword = QStringLiteral("alice-correct-horse-1");
const QString kVeraPassword = QStringLiteral("vera-battery-staple-2");

bool isType(const QJsonObject &message, const char *type)
{
    return message.value(QLatin1StringView("type")).toString() == QLatin1StringView(type);
}

} // namespace

class TestProdRelay : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void operatorSeesRemoteFleetThroughTheRelay();
    void operatorTerminalOnTheProdHostViewerRefused();

private:
    bool addUser(const QString &name, const QString &role, const QString &password);
    std::unique_ptr<HubProcess> startProdHub(const QStringList &extra = {});
    app::AuthTokens login(const QString &user, const QString &password);
    QString bestAgent(TestClient &client);

    QTemporaryDir m_dir;
    TestCertificate m_certificate;
    quint16 m_port = 0;
};

void TestProdRelay::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString error;
    QVERIFY2(makeTestCertificate(m_dir.path(), &m_certificate, &error), qPrintable(error));
    trustForThisProcess(m_certificate.certificate);
    QVERIFY(addUser(QStringLiteral("alice"), QStringLiteral("operator"), kAlicePassword));
    QVERIFY(addUser(QStringLiteral("vera"), QStringLiteral("viewer"), kVeraPassword));
    m_port = freePortPair();
    QVERIFY(m_port != 0);
}

bool TestProdRelay::addUser(const QString &name, const QString &role, const QString &password)
{
    QProcess cli;
    cli.start(HubProcess::binaryPath(), {QStringLiteral("user"), QStringLiteral("add"), name, QStringLiteral("--role"), role,
                                         QStringLiteral("--password-stdin"), QStringLiteral("--data-dir"), m_dir.path()});
    cli.write(password.toUtf8() + '\n');
    cli.closeWriteChannel();
    return cli.waitForFinished(30000) && cli.exitCode() == 0;
}

std::unique_ptr<HubProcess> TestProdRelay::startProdHub(const QStringList &extra)
{
    auto hub = std::make_unique<HubProcess>(
        QStringList{QStringLiteral("--tls-cert"), m_certificate.certificateFile, QStringLiteral("--tls-key"),
                    m_certificate.keyFile, QStringLiteral("--data-dir"), m_dir.path(), QStringLiteral("--fleet"),
                    QStringLiteral("demo"), QStringLiteral("--seed"), QStringLiteral("5")}
            + extra,
        m_port);
    hub->setMode(QStringLiteral("prod"));
    return hub;
}

app::AuthTokens TestProdRelay::login(const QString &user, const QString &password)
{
    app::AuthClient auth;
    std::optional<app::AuthResult> result;
    auth.login(app::AuthClient::authBaseUrl(QUrl(QStringLiteral("wss://127.0.0.1:%1/api/v1/ws").arg(m_port))), user,
               password, this, [&](const app::AuthResult &r) { result = r; });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 20000) || !result->ok())
        return {};
    return result->tokens;
}

QString TestProdRelay::bestAgent(TestClient &client)
{
    QString agentId;
    (void)QTest::qWaitFor( // an empty id says it timed out
        [&] {
            const auto answer = client.request(QJsonObject{{"type", "query"}, {"query", "agents"}});
            if (!answer)
                return false;
            for (const QJsonValue &value : answer->value("result").toObject().value("agents").toArray()) {
                const QJsonObject agent = value.toObject();
                if (agent.value("connected").toBool() && agent.value("status").toString() != QLatin1StringView("offline")
                    && agent.value("id").toString().endsWith(QLatin1StringView("@prod")))
                    agentId = agent.value("id").toString();
            }
            return !agentId.isEmpty();
        },
        20000);
    return agentId;
}

void TestProdRelay::operatorSeesRemoteFleetThroughTheRelay()
{
    auto prod = startProdHub();
    QVERIFY2(prod->start(), qPrintable(prod->errorString()));
    QCOMPARE(prod->url().scheme(), QStringLiteral("wss"));

    // Wrong password: refused in words, no token.
    QVERIFY(login(QStringLiteral("alice"), QStringLiteral("not-her-password")).accessToken.isEmpty());
    const app::AuthTokens alice = login(QStringLiteral("alice"), kAlicePassword);
    QVERIFY2(!alice.accessToken.isEmpty(), "alice could not sign in over HTTPS");
    QCOMPARE(alice.roles, QStringList{QStringLiteral("operator")});

    // The embedded hub (in process, like the console's) links to prod with alice's token.
    HubServer local(HubConfig{});
    QVERIFY(local.listen());
    relay::UpstreamConfig linkConfig;
    linkConfig.label = QStringLiteral("prod");
    linkConfig.url = prod->url();
    linkConfig.client.backoff.baseMs = 50;
    linkConfig.client.backoff.capMs = 400;
    relay::UpstreamLink link(local, linkConfig);
    link.setToken(alice.accessToken);
    link.start();
    QSignalSpy linkConnections(&link.client(), &HubClient::connected);

    TestClient client;
    QVERIFY(client.open(local.url()));
    const QString agentId = bestAgent(client);
    QVERIFY2(!agentId.isEmpty(), "the prod fleet never appeared through the relay");

    // An operator's command runs at prod, with the id the console chose.
    const QString commandId = QStringLiteral("prod-echo-51c2");
    client.send(QJsonObject{{"type", "command"}, {"id", commandId}, {"instanceId", agentId}, {"command", "echo from alice"}});
    const auto result = client.waitFor(
        [&](const QJsonObject &m) { return isType(m, "command_result") && m.value("id").toString() == commandId; }, 20000);
    QVERIFY(result);
    QVERIFY2(result->value("isSuccess").toBool(), qPrintable(QJsonDocument(*result).toJson()));
    QCOMPARE(result->value("textResult").toObject().value("response").toString(), QStringLiteral("from alice"));

    // A refreshed token goes over the live link: no reconnect.
    const app::AuthTokens refreshed = login(QStringLiteral("alice"), kAlicePassword);
    QVERIFY(!refreshed.accessToken.isEmpty() && refreshed.accessToken != alice.accessToken);
    const int connectionsBefore = linkConnections.count();
    link.setToken(refreshed.accessToken);
    const QString secondId = QStringLiteral("prod-echo-after-refresh");
    client.send(QJsonObject{{"type", "command"}, {"id", secondId}, {"instanceId", agentId}, {"command", "echo still here"}});
    QVERIFY(client.waitFor(
        [&](const QJsonObject &m) { return isType(m, "command_result") && m.value("id").toString() == secondId; }, 20000));
    QCOMPARE(linkConnections.count(), connectionsBefore);
    QCOMPARE(link.client().state(), HubClient::State::Connected);

    // A viewer reads the fleet but may not command it: FORBIDDEN from prod, as a failed result.
    const app::AuthTokens vera = login(QStringLiteral("vera"), kVeraPassword);
    QVERIFY(!vera.accessToken.isEmpty());
    HubServer veraLocal(HubConfig{});
    QVERIFY(veraLocal.listen());
    relay::UpstreamConfig veraConfig = linkConfig;
    relay::UpstreamLink veraLink(veraLocal, veraConfig);
    veraLink.setToken(vera.accessToken);
    veraLink.start();
    TestClient veraClient;
    QVERIFY(veraClient.open(veraLocal.url()));
    const QString veraAgent = bestAgent(veraClient);
    QVERIFY(!veraAgent.isEmpty());
    veraClient.send(QJsonObject{{"type", "command"}, {"id", "vera-1"}, {"instanceId", veraAgent}, {"command", "echo no"}});
    const auto refused = veraClient.waitFor(
        [&](const QJsonObject &m) { return isType(m, "command_result") && m.value("id").toString() == QLatin1StringView("vera-1"); },
        20000);
    QVERIFY(refused);
    QVERIFY(!refused->value("isSuccess").toBool());
    QVERIFY2(refused->value("error").toObject().value("message").toString().startsWith(QLatin1StringView("FORBIDDEN")),
             qPrintable(QJsonDocument(*refused).toJson()));
    veraLink.stop();

    // A forged token (signed with another key) never gets in: 4401, and the link waits for a sign-in.
    relay::UpstreamLink forged(veraLocal, veraConfig);
    QStringList parts = alice.accessToken.split(u'.');
    parts[2] = QStringLiteral("c2lnbmVkLXdpdGgtYW5vdGhlci1rZXktYWFhYWFhYWFhYWFhYWFhYWFh");
    forged.setToken(parts.join(u'.'));
    forged.start();
    QTRY_VERIFY_WITH_TIMEOUT(forged.loginRequired(), 10000);
    QCOMPARE(forged.client().lastCloseCode(), 4401);
    forged.stop();

    // kill -9 of prod during the log stream: the relay resumes and the client reads every remote
    // entry once (committed delivery keeps prod's epoch across the crash).
    const QJsonObject subscribed = client.subscribe(QJsonObject{{"type", "subscribe"}, {"topic", "logs"}});
    const QString sub = subscribed.value("sub").toString();
    QVERIFY(client.waitForLogEntries(sub, 20, 20000));
    const qsizetype beforeKill = client.logEntries(sub).size();
    prod->kill();
    QTRY_VERIFY_WITH_TIMEOUT(link.client().state() != HubClient::State::Connected, 10000);
    prod = startProdHub();
    QVERIFY2(prod->start(), qPrintable(prod->errorString()));
    // The access token outlives the restart: the same signing key signs and checks it.
    QTRY_COMPARE_WITH_TIMEOUT(link.client().state(), HubClient::State::Connected, 20000);
    QVERIFY(client.waitForLogEntries(sub, beforeKill + 30, 30000));
    const QList<QJsonObject> entries = client.logEntries(sub);
    QString problem;
    QVERIFY2(isContiguous(entries, &problem), qPrintable(problem));
    for (qsizetype i = 1; i < entries.size(); ++i) {
        const QJsonObject previous = entries[i - 1].value("origin").toObject();
        const QJsonObject current = entries[i].value("origin").toObject();
        QCOMPARE(current.value("epoch").toString(), previous.value("epoch").toString());
        QCOMPARE(current.value("seq").toInteger(), previous.value("seq").toInteger() + 1);
    }
    QCOMPARE(link.gapsRelayed(), 0);

    // The kill switch: alice opens a second session directly; prod replaces the relay's (4409),
    // and the link does not fight back.
    QWebSocket second;
    QNetworkRequest request(prod->url());
    request.setRawHeader("Authorization", "Bearer " + refreshed.accessToken.toUtf8());
    second.open(request);
    QTRY_COMPARE_WITH_TIMEOUT(second.state(), QAbstractSocket::ConnectedState, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(link.client().lastCloseCode(), 4409, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(link.client().state(), HubClient::State::Failed, 10000);
    QVERIFY(!link.client().failureMessage().isEmpty());
    // The operator takes the session back (the console re-activating the profile hands the link
    // its token again): the link reopens and, under the default policy, replaces the other one.
    QSignalSpy secondClosed(&second, &QWebSocket::disconnected);
    link.setToken(refreshed.accessToken);
    QTRY_COMPARE_WITH_TIMEOUT(link.client().state(), HubClient::State::Connected, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(secondClosed.count(), 1, 10000);
    QCOMPARE(int(second.closeCode()), 4409);
    // Once more, and this time the operator presses "Retry now" on the banner.
    QWebSocket third;
    third.open(request);
    QTRY_COMPARE_WITH_TIMEOUT(link.client().state(), HubClient::State::Failed, 10000);
    QSignalSpy thirdClosed(&third, &QWebSocket::disconnected);
    link.reconnectNow();
    QTRY_COMPARE_WITH_TIMEOUT(link.client().state(), HubClient::State::Connected, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(thirdClosed.count(), 1, 10000);
    second.close();
    link.stop();
    QCOMPARE(prod->terminate(), 0);
}

// Issue 6 through prod: the operator's shell opens on the prod hub's host through the embedded
// hub's link (wss, token); a viewer's link is refused in prod's words.
void TestProdRelay::operatorTerminalOnTheProdHostViewerRefused()
{
    qputenv("PS1", "$ ");
    auto prod = startProdHub({QStringLiteral("--terminals"), QStringLiteral("--terminal-shell"), QStringLiteral("/bin/sh")});
    QVERIFY2(prod->start(), qPrintable(prod->errorString()));
    const QByteArray localSecret = "prod-relay-terminal-local-secret-01";
    HubConfig localConfig;
    localConfig.secret = localSecret;
    const auto linkedHub = [&](const QString &token, std::unique_ptr<HubServer> &local,
                               std::unique_ptr<relay::UpstreamLink> &link) {
        local = std::make_unique<HubServer>(localConfig);
        QVERIFY(local->listen());
        relay::UpstreamConfig config;
        config.label = QStringLiteral("prod");
        config.url = prod->url();
        link = std::make_unique<relay::UpstreamLink>(*local, config);
        link->setToken(token);
        link->start();
        QTRY_COMPARE_WITH_TIMEOUT(link->client().state(), HubClient::State::Connected, 20000);
    };
    const QJsonObject open{{"type", "terminal_open"}, {"hub", "prod"}, {"cols", 80}, {"rows", 24}, {"encoding", "utf8"}};

    const app::AuthTokens alice = login(QStringLiteral("alice"), kAlicePassword);
    QVERIFY(!alice.accessToken.isEmpty());
    std::unique_ptr<HubServer> local;
    std::unique_ptr<relay::UpstreamLink> link;
    linkedHub(alice.accessToken, local, link);
    if (QTest::currentTestFailed())
        return;
    TestClient client;
    QVERIFY(client.open(local->url(), localSecret));
    const auto opened = client.request(open, 20000);
    QVERIFY(opened);
    QVERIFY2(isType(*opened, "response"), qPrintable(QJsonDocument(*opened).toJson()));
    const QString id = opened->value("result").toObject().value("terminal").toString();
    QVERIFY(id.endsWith(QLatin1StringView("@prod")));
    client.send(QJsonObject{{"type", "input"}, {"terminal", id}, {"data", "printf 'on-%s\\n' prod\n"}});
    QVERIFY(client.waitFor(
        [&](const QJsonObject &m) {
            return isType(m, "output") && m.value("terminal").toString() == id
                   && m.value("data").toString().contains(QLatin1StringView("on-prod"));
        },
        20000));
    client.send(QJsonObject{{"type", "input"}, {"terminal", id}, {"data", "exit 0\n"}});
    QVERIFY(client.waitFor([&](const QJsonObject &m) { return isType(m, "exit") && m.value("terminal").toString() == id; },
                           20000));
    link->stop();

    const app::AuthTokens vera = login(QStringLiteral("vera"), kVeraPassword);
    QVERIFY(!vera.accessToken.isEmpty());
    std::unique_ptr<HubServer> veraLocal;
    std::unique_ptr<relay::UpstreamLink> veraLink;
    linkedHub(vera.accessToken, veraLocal, veraLink);
    if (QTest::currentTestFailed())
        return;
    TestClient veraClient;
    QVERIFY(veraClient.open(veraLocal->url(), localSecret));
    const auto refused = veraClient.request(open, 20000);
    QVERIFY(refused);
    QCOMPARE(refused->value("code").toString(), QStringLiteral("FORBIDDEN"));
    QVERIFY2(refused->value("message").toString().startsWith(QLatin1StringView("prod: ")),
             qPrintable(refused->value("message").toString()));
    QCOMPARE(refused->value("details").toObject().value("hub").toString(), QStringLiteral("prod"));
    veraLink->stop();
    QCOMPARE(prod->terminate(), 0);
}

QTEST_GUILESS_MAIN(TestProdRelay)
#include "tst_prod_relay.moc"
