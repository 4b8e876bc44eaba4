// A dev hub in the test process admits operators by bearer token only (docs/protocol.md §13):
// refusals close 4401 with the reason, `?token=` works and never reaches the log, roles gate
// commands and terminals, tokens expire, and `auth` refreshes a live connection.

#include "demofleet.h"
#include "fakeauthenticator.h"
#include "hubserver.h"
#include "testclient.h"

#include <QJsonArray>
#include <QLoggingCategory>
#include <QMutex>
#include <QTest>
#include <QUrlQuery>

using namespace opsdeck::hub;
using opsdeck::testing::FakeAuthenticator;
using opsdeck::testing::fakeToken;
using opsdeck::testing::TestClient;

namespace {
// Every log line the hub writes, at every level (see initTestCase), for the no-token-in-logs check.
QMutex g_logMutex;
QStringList g_log;
QtMessageHandler g_previousHandler = nullptr;
QLoggingCategory::CategoryFilter g_previousFilter = nullptr;

void captureMessage(QtMsgType type, const QMessageLogContext &context, const QString &text)
{
    {
        QMutexLocker lock(&g_logMutex);
        g_log.append(QString::fromLatin1(context.category ? context.category : "") + u' ' + text);
    }
    if (type != QtDebugMsg && type != QtInfoMsg && g_previousHandler)
        g_previousHandler(type, context, text);
}

void enableEverything(QLoggingCategory *category)
{
    if (g_previousFilter)
        g_previousFilter(category);
    const QByteArray name(category->categoryName());
    if (name.startsWith("opsdeck") || name.startsWith("qt.websockets") || name.startsWith("qt.network")
        || name == "default") {
        category->setEnabled(QtDebugMsg, true);
        category->setEnabled(QtInfoMsg, true);
        category->setEnabled(QtWarningMsg, true);
    }
}

QJsonObject message(const QString &type, std::initializer_list<QPair<QString, QJsonValue>> fields = {})
{
    QJsonObject object{{QStringLiteral("type"), type}};
    for (const auto &[key, value] : fields)
        object.insert(key, value);
    return object;
}

QString typeOf(const std::optional<QJsonObject> &reply)
{
    return reply ? reply->value(QLatin1StringView("type")).toString() : QStringLiteral("(nothing)");
}

QString errorCode(const std::optional<QJsonObject> &reply)
{
    return reply ? reply->value(QLatin1StringView("code")).toString() : QString();
}

QString action(const std::optional<QJsonObject> &reply)
{
    return reply ? reply->value(QLatin1StringView("details")).toObject().value(QLatin1StringView("action")).toString()
                 : QString();
}
} // namespace

class TestHubModesAuth : public QObject
{
    Q_OBJECT

private:
    std::shared_ptr<FakeAuthenticator> m_auth;
    std::unique_ptr<HubServer> m_hub;
    std::unique_ptr<demo::DemoFleet> m_fleet;

    HubConfig devConfig()
    {
        HubConfig config;
        config.mode = opsdeck::protocol::Mode::Dev;
        config.port = 0;
        config.authenticator = m_auth;
        config.sessionPolicy = HubConfig::SessionPolicy::Multiple; // sessions are tst_hubmodes_sessions' subject
        config.terminalsEnabled = true;
        return config;
    }

    // Opens a connection presenting `token` and waits for connection_established.
    bool connectWith(TestClient &client, const QByteArray &token)
    {
        return client.open(m_hub->url(), token) && client.waitForType(QStringLiteral("connection_established"));
    }

    // A client whose upgrade is refused: true when the hub closed it with `code`.
    bool refusedWith(TestClient &client, int code)
    {
        if (!client.waitForClosed())
            return false;
        if (client.closeCode() != code)
            qWarning() << "closed with" << client.closeCode() << client.closeReason();
        return client.closeCode() == code;
    }

    qint64 authFailures() const { return m_hub->stats().authFailures; }

private Q_SLOTS:
    void initTestCase()
    {
        g_previousFilter = QLoggingCategory::installFilter(enableEverything);
        g_previousHandler = qInstallMessageHandler(captureMessage);
    }
    void cleanupTestCase()
    {
        qInstallMessageHandler(g_previousHandler);
        QLoggingCategory::installFilter(g_previousFilter);
    }

    void init()
    {
        m_auth = std::make_shared<FakeAuthenticator>();
        m_hub = std::make_unique<HubServer>(devConfig());
        QVERIFY2(m_hub->listen(), qPrintable(m_hub->errorString()));
        QCOMPARE(m_hub->url().path(), QStringLiteral("/api/v1/ws/dev"));
    }
    void cleanup()
    {
        m_fleet.reset();
        m_hub.reset();
    }

    void upgradeWithoutTokenIsClosed4401()
    {
        TestClient client;
        client.open(m_hub->url());
        QVERIFY(refusedWith(client, 4401));
        QVERIFY2(client.closeReason().contains(QLatin1StringView("missing token")), qPrintable(client.closeReason()));
        // Nothing about the hub is told before the close.
        QVERIFY(client.messages().isEmpty());
        QCOMPARE(authFailures(), 1);
    }

    void refusedTokensCloseWithTheReason_data()
    {
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<QString>("reason");
        QTest::newRow("forged") << QByteArray("eyJhbGciOiJub25lIn0.e30.") << QStringLiteral("bad signature");
        QTest::newRow("expired") << fakeToken(QStringLiteral("alice"), QStringLiteral("operator"), -1000)
                                 << QStringLiteral("token expired");
        QTest::newRow("revoked") << fakeToken(QStringLiteral("revoked"), QStringLiteral("admin"))
                                 << QStringLiteral("token revoked");
        QTest::newRow("agent token") << QByteArray("agent:web-01:99999999999999")
                                     << QStringLiteral("wrong audience");
    }
    void refusedTokensCloseWithTheReason()
    {
        QFETCH(QByteArray, token);
        QFETCH(QString, reason);
        TestClient client;
        client.open(m_hub->url(), token);
        QVERIFY(refusedWith(client, 4401));
        QCOMPARE(client.closeReason(), reason);
        QVERIFY(client.messages().isEmpty());
        QCOMPARE(authFailures(), 1);
        QCOMPARE(m_hub->statsJson().value(QLatin1StringView("auth_failures")).toInteger(), 1);
    }

    void hubWithoutAuthenticatorRefusesEveryToken()
    {
        HubConfig config = devConfig();
        config.authenticator.reset();
        HubServer hub(config);
        QVERIFY(hub.listen());
        TestClient client;
        client.open(hub.url(), fakeToken(QStringLiteral("alice"), QStringLiteral("admin")));
        QVERIFY(client.waitForClosed());
        QCOMPARE(client.closeCode(), 4401);
        QVERIFY2(client.closeReason().contains(QLatin1StringView("no authenticator")), qPrintable(client.closeReason()));
    }

    void bearerTokenAdmitsTheOperator()
    {
        TestClient client;
        client.open(m_hub->url(), fakeToken(QStringLiteral("alice"), QStringLiteral("operator")));
        const auto established = client.waitForType(QStringLiteral("connection_established"));
        QVERIFY(established);
        QCOMPARE(established->value(QLatin1StringView("mode")).toString(), QStringLiteral("dev"));
        const QJsonObject user = established->value(QLatin1StringView("user")).toObject();
        QCOMPARE(user.value(QLatin1StringView("name")).toString(), QStringLiteral("alice"));
        QCOMPARE(user.value(QLatin1StringView("roles")).toArray(), QJsonArray{QStringLiteral("operator")});
        const auto welcome = client.request(message(QStringLiteral("hello"),
                                                    {{QStringLiteral("protocol"), QStringLiteral("opsdeck.v1")}}));
        QCOMPARE(typeOf(welcome), QStringLiteral("welcome"));
        QCOMPARE(welcome->value(QLatin1StringView("user")).toObject(), user);
        QCOMPARE(authFailures(), 0);
    }

    void queryTokenWorksAndIsNeverLogged()
    {
        {
            QMutexLocker lock(&g_logMutex);
            g_log.clear();
        }
        const QString nonce = QStringLiteral("n0nce7c1b9e4");
        const QByteArray good = fakeToken(QStringLiteral("carol"), QStringLiteral("viewer"), 3600000, nonce);
        const QByteArray bad = QByteArray("tok:carol:viewer:notanumber:") + nonce.toUtf8();

        QUrl url = m_hub->url();
        url.setQuery(QUrlQuery{{QStringLiteral("token"), QString::fromUtf8(good)}});
        TestClient browser;
        QVERIFY(browser.open(url));
        const auto established = browser.waitForType(QStringLiteral("connection_established"));
        QVERIFY(established);
        QCOMPARE(established->value(QLatin1StringView("user")).toObject().value(QLatin1StringView("name")).toString(),
                 QStringLiteral("carol"));
        // A viewer's forbidden command, a refused auth and a refused upgrade all log something.
        QCOMPARE(errorCode(browser.request(message(QStringLiteral("command"),
                                                    {{QStringLiteral("instanceId"), QStringLiteral("x")},
                                                     {QStringLiteral("command"), QStringLiteral("status")}}))),
                 QStringLiteral("FORBIDDEN"));
        QUrl badUrl = m_hub->url();
        badUrl.setQuery(QUrlQuery{{QStringLiteral("token"), QString::fromUtf8(bad)}});
        TestClient refused;
        refused.open(badUrl);
        QVERIFY(refusedWith(refused, 4401));
        QUrl wrongPath = url;
        wrongPath.setPath(QStringLiteral("/api/v1/ws/demo"));
        TestClient lost;
        lost.open(wrongPath);
        QVERIFY(lost.waitForClosed());
        QCOMPARE(lost.closeCode(), 4404);
        QVERIFY(!lost.closeReason().contains(nonce));
        browser.send(message(QStringLiteral("auth"), {{QStringLiteral("id"), QStringLiteral("a1")},
                                                      {QStringLiteral("token"), QString::fromUtf8(bad)}}));
        QVERIFY(refusedWith(browser, 4401));

        QMutexLocker lock(&g_logMutex);
        QVERIFY2(g_log.filter(QStringLiteral("refused connection")).size() >= 1, qPrintable(g_log.join(u'\n')));
        QVERIFY2(!g_log.filter(QStringLiteral("carol")).isEmpty(), "the capture sees the hub's log");
        for (const QString &line : std::as_const(g_log)) {
            QVERIFY2(!line.contains(nonce) && !line.contains(QLatin1StringView("tok:")), qPrintable(line));
            QVERIFY2(!line.contains(QLatin1StringView("token=")), qPrintable(line));
        }
    }

    void viewerReadsButMayNotCommand()
    {
        TestClient viewer;
        QVERIFY(connectWith(viewer, fakeToken(QStringLiteral("vera"), QStringLiteral("viewer"))));
        QVERIFY(!viewer.subscribe(message(QStringLiteral("subscribe"), {{QStringLiteral("topic"), QStringLiteral("agents")}}))
                     .isEmpty());
        QCOMPARE(typeOf(viewer.request(message(QStringLiteral("query"), {{QStringLiteral("query"), QStringLiteral("agents")}}))),
                 QStringLiteral("response"));
        QCOMPARE(typeOf(viewer.request(message(QStringLiteral("query"), {{QStringLiteral("query"), QStringLiteral("history")},
                                                                         {QStringLiteral("topic"), QStringLiteral("logs")}}))),
                 QStringLiteral("response"));

        const auto command = viewer.request(message(QStringLiteral("command"),
                                                    {{QStringLiteral("instanceId"), QStringLiteral("web-01")},
                                                     {QStringLiteral("command"), QStringLiteral("status")}}));
        QCOMPARE(errorCode(command), QStringLiteral("FORBIDDEN"));
        QCOMPARE(action(command), QStringLiteral("command"));
        const auto cancel = viewer.request(message(QStringLiteral("cancel"), {{QStringLiteral("commandId"), QStringLiteral("c1")}}));
        QCOMPARE(errorCode(cancel), QStringLiteral("FORBIDDEN"));
        QCOMPARE(action(cancel), QStringLiteral("cancel"));
        const auto terminal = viewer.request(message(QStringLiteral("terminal_open"), {{QStringLiteral("cols"), 80},
                                                                                     {QStringLiteral("rows"), 24}}));
        QCOMPARE(errorCode(terminal), QStringLiteral("FORBIDDEN"));
        QCOMPARE(action(terminal), QStringLiteral("terminal"));
        QCOMPARE(m_hub->terminals().count(), 0);
        // FORBIDDEN is not garbage: the connection stays and keeps working.
        QCOMPARE(typeOf(viewer.request(message(QStringLiteral("ping")))), QStringLiteral("pong"));
        QVERIFY(viewer.isOpen());
    }

    void operatorCommandRunsOnTheFleet()
    {
        m_fleet = std::make_unique<demo::DemoFleet>(m_hub->registry());
        m_fleet->start();
        const QString agent = m_fleet->agentIds().first();
        // Everyone watching the commands topic learns who ran what (a viewer too).
        TestClient watcher;
        QVERIFY(connectWith(watcher, fakeToken(QStringLiteral("vera"), QStringLiteral("viewer"))));
        QVERIFY(!watcher.subscribe(message(QStringLiteral("subscribe"), {{QStringLiteral("topic"), QStringLiteral("commands")}}))
                     .isEmpty());
        TestClient op;
        QVERIFY(connectWith(op, fakeToken(QStringLiteral("olga"), QStringLiteral("operator"))));
        const auto accepted = op.request(message(QStringLiteral("command"),
                                                 {{QStringLiteral("id"), QStringLiteral("cmd-1")},
                                                  {QStringLiteral("instanceId"), agent},
                                                  {QStringLiteral("command"), QStringLiteral("echo from olga")}}));
        QCOMPARE(typeOf(accepted), QStringLiteral("response"));
        QCOMPARE(accepted->value(QLatin1StringView("result")).toObject().value(QLatin1StringView("state")).toString(),
                 QStringLiteral("accepted"));
        const auto result = op.waitForType(QStringLiteral("command_result"), 10000);
        QVERIFY(result);
        QVERIFY(result->value(QLatin1StringView("isSuccess")).toBool());
        QCOMPARE(result->value(QLatin1StringView("textResult")).toObject().value(QLatin1StringView("response")).toString(),
                 QStringLiteral("from olga"));
        const auto completed = watcher.waitFor(
            [](const QJsonObject &m) {
                return m.value(QLatin1StringView("event")).toString() == QLatin1StringView("completed");
            },
            10000);
        QVERIFY(completed);
        const QJsonObject command = completed->value(QLatin1StringView("command")).toObject();
        QCOMPARE(command.value(QLatin1StringView("id")).toString(), QStringLiteral("cmd-1"));
        QCOMPARE(command.value(QLatin1StringView("by")).toString(), QStringLiteral("olga"));
    }

    void commandIdsAreScopedPerOperator()
    {
        m_fleet = std::make_unique<demo::DemoFleet>(m_hub->registry());
        m_fleet->start();
        const QString agent = m_fleet->agentIds().first();
        TestClient alice;
        TestClient bob;
        QVERIFY(connectWith(alice, fakeToken(QStringLiteral("alice"), QStringLiteral("operator"))));
        QVERIFY(connectWith(bob, fakeToken(QStringLiteral("bob"), QStringLiteral("operator"))));
        const auto send = [&](TestClient &client, const QString &text) {
            return client.request(message(QStringLiteral("command"), {{QStringLiteral("id"), QStringLiteral("same-id")},
                                                                      {QStringLiteral("instanceId"), agent},
                                                                      {QStringLiteral("command"), text}}));
        };
        const auto resultText = [](const std::optional<QJsonObject> &result) {
            return result ? result->value(QLatin1StringView("textResult")).toObject().value(QLatin1StringView("response")).toString()
                          : QString();
        };
        QCOMPARE(typeOf(send(alice, QStringLiteral("echo a"))), QStringLiteral("response"));
        QCOMPARE(resultText(alice.waitForType(QStringLiteral("command_result"), 10000)), QStringLiteral("a"));
        // The same id from another operator is another command: run, not answered from alice's.
        const auto bobs = send(bob, QStringLiteral("echo b"));
        QCOMPARE(typeOf(bobs), QStringLiteral("response"));
        QCOMPARE(bobs->value(QLatin1StringView("result")).toObject().value(QLatin1StringView("state")).toString(),
                 QStringLiteral("accepted"));
        QCOMPARE(resultText(bob.waitForType(QStringLiteral("command_result"), 10000)), QStringLiteral("b"));
        // Within one operator the id still is the idempotency key.
        const auto again = send(alice, QStringLiteral("echo a"));
        QCOMPARE(again->value(QLatin1StringView("result")).toObject().value(QLatin1StringView("state")).toString(),
                 QStringLiteral("completed"));
        QCOMPARE(resultText(alice.waitForType(QStringLiteral("command_result"))), QStringLiteral("a"));
        QCOMPARE(errorCode(send(alice, QStringLiteral("echo different"))), QStringLiteral("IDEMPOTENCY_CONFLICT"));
    }

    void operatorGetsATerminal()
    {
        TestClient op;
        QVERIFY(connectWith(op, fakeToken(QStringLiteral("olga"), QStringLiteral("operator"))));
        const auto opened = op.request(message(QStringLiteral("terminal_open"), {{QStringLiteral("cols"), 80},
                                                                               {QStringLiteral("rows"), 24}}));
        QCOMPARE(typeOf(opened), QStringLiteral("response"));
        const QString terminal = opened->value(QLatin1StringView("result")).toObject().value(QLatin1StringView("terminal")).toString();
        QVERIFY(!terminal.isEmpty());
        QVERIFY(op.waitForType(QStringLiteral("ready")));
        // Another operator cannot see it.
        TestClient other;
        QVERIFY(connectWith(other, fakeToken(QStringLiteral("otto"), QStringLiteral("admin"))));
        QCOMPARE(errorCode(other.request(message(QStringLiteral("attach"), {{QStringLiteral("terminal"), terminal}}))),
                 QStringLiteral("NOT_FOUND"));
        op.send(message(QStringLiteral("terminal_close"), {{QStringLiteral("terminal"), terminal}}));
        QVERIFY(op.waitForType(QStringLiteral("exit"), 10000));
    }

    void tokenExpiryCloses4401()
    {
        TestClient client;
        QVERIFY(connectWith(client, fakeToken(QStringLiteral("erin"), QStringLiteral("viewer"), 1200)));
        QVERIFY(client.waitForClosed(10000));
        QCOMPARE(client.closeCode(), 4401);
        QCOMPARE(client.closeReason(), QStringLiteral("token expired"));
    }

    void authRefreshKeepsTheConnectionPastTheOldExpiry()
    {
        TestClient alice;
        QVERIFY(connectWith(alice, fakeToken(QStringLiteral("alice"), QStringLiteral("viewer"), 1500)));
        // bob's token runs out a little after alice's first one: his close marks that moment.
        TestClient bob;
        QVERIFY(connectWith(bob, fakeToken(QStringLiteral("bob"), QStringLiteral("viewer"), 1800)));
        const QByteArray fresh = fakeToken(QStringLiteral("alice"), QStringLiteral("viewer,operator"), 600000);
        const auto refreshed = alice.request(message(QStringLiteral("auth"), {{QStringLiteral("token"), QString::fromUtf8(fresh)}}));
        QCOMPARE(typeOf(refreshed), QStringLiteral("response"));
        const QJsonObject result = refreshed->value(QLatin1StringView("result")).toObject();
        QCOMPARE(result.value(QLatin1StringView("sub")).toString(), QStringLiteral("alice"));
        QCOMPARE(result.value(QLatin1StringView("roles")).toArray(),
                 (QJsonArray{QStringLiteral("viewer"), QStringLiteral("operator")}));
        const QDateTime expiresAt = QDateTime::fromString(result.value(QLatin1StringView("expires_at")).toString(), Qt::ISODateWithMs);
        QVERIFY(expiresAt.isValid());
        QVERIFY(expiresAt > QDateTime::currentDateTimeUtc().addSecs(500));

        QVERIFY(bob.waitForClosed(10000));
        QCOMPARE(bob.closeCode(), 4401);
        QCOMPARE(typeOf(alice.request(message(QStringLiteral("ping")))), QStringLiteral("pong"));
        QVERIFY(alice.isOpen());
        // The new roles apply at once: alice may now command (the agent does not exist, which
        // is a NOT_FOUND, not a FORBIDDEN).
        QCOMPARE(errorCode(alice.request(message(QStringLiteral("command"),
                                                 {{QStringLiteral("instanceId"), QStringLiteral("nowhere")},
                                                  {QStringLiteral("command"), QStringLiteral("status")}}))),
                 QStringLiteral("NOT_FOUND"));
    }

    void authForAnotherUserIsForbidden()
    {
        TestClient alice;
        QVERIFY(connectWith(alice, fakeToken(QStringLiteral("alice"), QStringLiteral("viewer"))));
        const auto reply = alice.request(message(QStringLiteral("auth"),
                                                 {{QStringLiteral("token"),
                                                   QString::fromUtf8(fakeToken(QStringLiteral("mallory"), QStringLiteral("admin")))}}));
        QCOMPARE(errorCode(reply), QStringLiteral("FORBIDDEN"));
        QCOMPARE(action(reply), QStringLiteral("auth"));
        // Still alice, still a viewer.
        QCOMPARE(errorCode(alice.request(message(QStringLiteral("kill_session"), {{QStringLiteral("client_id"), QStringLiteral("c-0")}}))),
                 QStringLiteral("FORBIDDEN"));
        QVERIFY(alice.isOpen());
    }

    void invalidAuthCloses4401()
    {
        TestClient alice;
        QVERIFY(connectWith(alice, fakeToken(QStringLiteral("alice"), QStringLiteral("viewer"))));
        alice.send(message(QStringLiteral("auth"), {{QStringLiteral("id"), QStringLiteral("a1")},
                                                    {QStringLiteral("token"), QStringLiteral("forged")}}));
        QVERIFY(alice.waitForClosed());
        QCOMPARE(alice.closeCode(), 4401);
        QCOMPARE(alice.closeReason(), QStringLiteral("bad signature"));
        QCOMPARE(authFailures(), 1);
    }
};

QTEST_GUILESS_MAIN(TestHubModesAuth)
#include "tst_hubmodes_auth.moc"
