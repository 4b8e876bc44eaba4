// A real HubServer on loopback in the test process, with a scripted agent: command routing,
// idempotency, cancel, timeouts and exception containment, deterministic to the message.

#include "hubserver.h"
#include "testclient.h"

#include <QJsonArray>
#include <QTest>

using namespace opsdeck::hub;
using opsdeck::testing::TestClient;

namespace {
// An agent whose commands finish only when the test says so.
class ScriptedAgent : public AgentLink
{
public:
    void startCommand(const CommandRequest &request) override { started.append(request); }
    void cancelCommand(const QString &commandSyncId) override { cancelled.append(commandSyncId); }
    QList<CommandRequest> started;
    QStringList cancelled;
};

CommandResult textResult(const QString &syncId, const QString &text, bool success = true)
{
    CommandResult result;
    result.commandSyncId = syncId;
    result.commandName = QStringLiteral("echo");
    result.isSuccess = success;
    result.text = text;
    return result;
}

QString field(const std::optional<QJsonObject> &message, const char *path)
{
    QJsonValue value = message ? QJsonValue(*message) : QJsonValue();
    for (const QByteArray &part : QByteArray(path).split('.'))
        value = value.toObject().value(QString::fromLatin1(part));
    return value.isString() ? value.toString() : value.isBool() ? QString::number(value.toBool()) : QString::number(value.toDouble());
}

bool isResultFor(const QJsonObject &m, const QString &id)
{
    return m.value(QLatin1StringView("type")).toString() == QLatin1StringView("command_result")
           && m.value(QLatin1StringView("id")).toString() == id;
}
} // namespace

class TestHubInProcess : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<HubServer> m_hub;
    ScriptedAgent m_agent;

    QJsonObject command(const QString &id, const QString &text = QStringLiteral("echo hello"))
    {
        return QJsonObject{{QStringLiteral("type"), QStringLiteral("command")}, {QStringLiteral("id"), id},
                           {QStringLiteral("instanceId"), QStringLiteral("web-01")}, {QStringLiteral("command"), text},
                           {QStringLiteral("sessionId"), QStringLiteral("session-abc")}};
    }

private Q_SLOTS:
    void init()
    {
        HubConfig config;
        config.port = 0;
        m_hub = std::make_unique<HubServer>(config);
        QVERIFY(m_hub->listen());
        m_agent = ScriptedAgent{};
        m_hub->registry().registerAgent(AgentInfo{QStringLiteral("web-01"), QStringLiteral("web"), QStringLiteral("edge-1"),
                                                  QStringLiteral("1.0"), {QStringLiteral("echo")}},
                                        &m_agent);
    }
    void cleanup() { m_hub.reset(); }

    // The app's hub thread deletes the server as soon as stopped() arrives, while the last
    // closed session may still wait for its deleteLater. Its subscriptions point into the
    // server's topics: they must go first (a use-after-free here crashed the console at exit;
    // valgrind and the asan preset see it on every run).
    void serverDeletedAtStoppedWithSubscribedClients()
    {
        TestClient first;
        TestClient second;
        QVERIFY(first.open(m_hub->url()));
        QVERIFY(second.open(m_hub->url()));
        for (TestClient *client : {&first, &second}) {
            for (const char *topic : {"logs", "agents", "metrics"}) {
                const auto reply = client->request(QJsonObject{{QStringLiteral("type"), QStringLiteral("subscribe")},
                                                               {QStringLiteral("topic"), QString::fromLatin1(topic)}});
                QVERIFY(reply);
                QVERIFY2(reply->value(QLatin1StringView("ok")).toBool(), topic);
            }
        }
        bool stopped = false;
        // Queued, as in the app: the server is deleted after stopped() returns, not inside it.
        connect(
            m_hub.get(), &HubServer::stopped, this,
            [&] {
                stopped = true;
                m_hub.reset();
            },
            Qt::QueuedConnection);
        m_hub->shutdown();
        QTRY_VERIFY_WITH_TIMEOUT(stopped, 10000);
        QVERIFY(!m_hub);
        // Both clients were told the hub went away (1001), and nothing else happened to them.
        QVERIFY(first.waitForClosed());
        QVERIFY(second.waitForClosed());
        QCOMPARE(first.closeCode(), 1001);
        QCOMPARE(second.closeCode(), 1001);
    }

    void commandRoundTripCarriesSeedShapes()
    {
        TestClient client;
        QVERIFY(client.open(m_hub->url()));
        const auto accepted = client.request(command(QStringLiteral("c-1")));
        QCOMPARE(field(accepted, "result.state"), QStringLiteral("accepted"));
        QCOMPARE(m_agent.started.size(), 1);
        QCOMPARE(m_agent.started.first().sessionId, QStringLiteral("session-abc"));
        m_hub->registry().completeCommand(QStringLiteral("web-01"), textResult(QStringLiteral("c-1"), QStringLiteral("hello")));
        const auto result = client.waitFor([](const QJsonObject &m) { return isResultFor(m, QStringLiteral("c-1")); });
        QVERIFY(result);
        QCOMPARE(field(result, "isSuccess"), QStringLiteral("1"));
        QCOMPARE(field(result, "textResult.response"), QStringLiteral("hello"));
        QCOMPARE(field(result, "commandSyncId"), QStringLiteral("c-1"));
        QCOMPARE(field(result, "commandType"), QStringLiteral("text"));
        QCOMPARE(field(result, "sessionId"), QStringLiteral("session-abc"));

        const auto agents = client.request(QJsonObject{{QStringLiteral("type"), QStringLiteral("query")},
                                                       {QStringLiteral("query"), QStringLiteral("agents")}});
        const QJsonObject queue = agents->value(QLatin1StringView("result")).toObject().value(QLatin1StringView("agents"))
                                      .toArray().first().toObject().value(QLatin1StringView("queue")).toObject();
        QCOMPARE(queue.value(QLatin1StringView("processed")).toInt(), 1);
        QCOMPARE(queue.value(QLatin1StringView("succeeded")).toInt(), 1);
        QCOMPARE(queue.value(QLatin1StringView("active")).toInt(), 0);
    }

    void resentCommandRunsOnceAndReplaysItsResult()
    {
        TestClient client;
        QVERIFY(client.open(m_hub->url()));
        QCOMPARE(field(client.request(command(QStringLiteral("c-2"))), "result.state"), QStringLiteral("accepted"));
        const auto running = client.request(command(QStringLiteral("c-2")));
        QCOMPARE(field(running, "result.state"), QStringLiteral("running"));
        QCOMPARE(field(running, "result.duplicate"), QStringLiteral("1"));
        m_hub->registry().completeCommand(QStringLiteral("web-01"), textResult(QStringLiteral("c-2"), QStringLiteral("once")));
        QVERIFY(client.waitFor([](const QJsonObject &m) { return isResultFor(m, QStringLiteral("c-2")); }));

        const auto completed = client.request(command(QStringLiteral("c-2")));
        QCOMPARE(field(completed, "result.state"), QStringLiteral("completed"));
        const auto replay = client.waitFor([](const QJsonObject &m) { return isResultFor(m, QStringLiteral("c-2")); });
        QCOMPARE(field(replay, "textResult.response"), QStringLiteral("once"));
        QCOMPARE(m_agent.started.size(), 1);
    }

    void resultGoesToTheConnectionThatResentAfterAReconnect()
    {
        auto first = std::make_unique<TestClient>();
        QVERIFY(first->open(m_hub->url()));
        QCOMPARE(field(first->request(command(QStringLiteral("c-3"))), "result.state"), QStringLiteral("accepted"));
        first->close();
        QVERIFY(first->waitForClosed());
        TestClient second;
        QVERIFY(second.open(m_hub->url()));
        QCOMPARE(field(second.request(command(QStringLiteral("c-3"))), "result.state"), QStringLiteral("running"));
        m_hub->registry().completeCommand(QStringLiteral("web-01"), textResult(QStringLiteral("c-3"), QStringLiteral("late")));
        QVERIFY(second.waitFor([](const QJsonObject &m) { return isResultFor(m, QStringLiteral("c-3")); }));
        QCOMPARE(m_agent.started.size(), 1);
    }

    void reusedIdForAnotherCommandIsAConflict()
    {
        TestClient client;
        QVERIFY(client.open(m_hub->url()));
        client.request(command(QStringLiteral("c-4")));
        const auto conflict = client.request(command(QStringLiteral("c-4"), QStringLiteral("echo other")));
        QCOMPARE(field(conflict, "code"), QStringLiteral("IDEMPOTENCY_CONFLICT"));
    }

    void cancelAnswersThenDeliversACancelledResult()
    {
        TestClient client;
        QVERIFY(client.open(m_hub->url()));
        client.request(command(QStringLiteral("c-5"), QStringLiteral("sleep 60")));
        const auto cancelled = client.request(QJsonObject{{QStringLiteral("type"), QStringLiteral("cancel")},
                                                          {QStringLiteral("commandId"), QStringLiteral("c-5")}});
        QCOMPARE(field(cancelled, "result.state"), QStringLiteral("cancelled"));
        const auto result = client.waitFor([](const QJsonObject &m) { return isResultFor(m, QStringLiteral("c-5")); });
        QCOMPARE(field(result, "isSuccess"), QStringLiteral("0"));
        QCOMPARE(field(result, "error.code"), QStringLiteral("CANCELLED"));
        QCOMPARE(m_agent.cancelled, QStringList{QStringLiteral("c-5")});
        // The response came before the result.
        const QList<QJsonObject> &all = client.messages();
        qsizetype responseAt = -1, resultAt = -1;
        for (qsizetype i = 0; i < all.size(); ++i) {
            if (all[i].value(QLatin1StringView("type")).toString() == QLatin1StringView("response")
                && all[i].value(QLatin1StringView("result")).toObject().value(QLatin1StringView("state")).toString() == QLatin1StringView("cancelled"))
                responseAt = i;
            if (isResultFor(all[i], QStringLiteral("c-5")))
                resultAt = i;
        }
        QVERIFY(responseAt >= 0 && responseAt < resultAt);
        // A late answer from the agent changes nothing.
        m_hub->registry().completeCommand(QStringLiteral("web-01"), textResult(QStringLiteral("c-5"), QStringLiteral("late")));
        const auto unknown = client.request(QJsonObject{{QStringLiteral("type"), QStringLiteral("cancel")},
                                                        {QStringLiteral("commandId"), QStringLiteral("c-5")}});
        QCOMPARE(field(unknown, "code"), QStringLiteral("NOT_FOUND"));
    }

    void commandTimesOut()
    {
        TestClient client;
        QVERIFY(client.open(m_hub->url()));
        QJsonObject slow = command(QStringLiteral("c-6"), QStringLiteral("sleep 60"));
        slow.insert(QStringLiteral("timeout_ms"), 150);
        client.request(slow);
        const auto result = client.waitFor([](const QJsonObject &m) { return isResultFor(m, QStringLiteral("c-6")); });
        QCOMPARE(field(result, "error.code"), QStringLiteral("COMMAND_TIMEOUT"));
        QCOMPARE(m_agent.cancelled, QStringList{QStringLiteral("c-6")});
    }

    void unknownAndOfflineAgentsAreRefused()
    {
        TestClient client;
        QVERIFY(client.open(m_hub->url()));
        QJsonObject unknown = command(QStringLiteral("c-7"));
        unknown.insert(QStringLiteral("instanceId"), QStringLiteral("nobody"));
        QCOMPARE(field(client.request(unknown), "code"), QStringLiteral("NOT_FOUND"));
        m_hub->registry().disconnectAgent(QStringLiteral("web-01"));
        const auto offline = client.request(command(QStringLiteral("c-8")));
        QCOMPARE(field(offline, "code"), QStringLiteral("AGENT_UNAVAILABLE"));
        QCOMPARE(field(offline, "details.instanceId"), QStringLiteral("web-01"));
    }

    void runningCommandsFailWhenTheirAgentGoesOffline()
    {
        TestClient client;
        QVERIFY(client.open(m_hub->url()));
        client.request(command(QStringLiteral("c-9"), QStringLiteral("sleep 60")));
        m_hub->registry().disconnectAgent(QStringLiteral("web-01"));
        const auto result = client.waitFor([](const QJsonObject &m) { return isResultFor(m, QStringLiteral("c-9")); });
        QCOMPARE(field(result, "error.code"), QStringLiteral("AGENT_UNAVAILABLE"));
    }

    void commandsTopicShowsTheLifecycle()
    {
        TestClient watcher;
        QVERIFY(watcher.open(m_hub->url()));
        const QJsonObject sub = watcher.subscribe(QJsonObject{{QStringLiteral("topic"), QStringLiteral("commands")}});
        QVERIFY(!sub.isEmpty());
        TestClient client;
        QVERIFY(client.open(m_hub->url()));
        client.request(command(QStringLiteral("c-10")));
        m_hub->registry().completeCommand(QStringLiteral("web-01"), textResult(QStringLiteral("c-10"), QStringLiteral("x")));
        for (const QString &event : {QStringLiteral("accepted"), QStringLiteral("completed")}) {
            const auto seen = watcher.waitFor([&](const QJsonObject &m) {
                return m.value(QLatin1StringView("event")).toString() == event
                       && m.value(QLatin1StringView("command")).toObject().value(QLatin1StringView("id")).toString() == QLatin1StringView("c-10");
            });
            QVERIFY2(seen, qPrintable(event));
        }
    }

    void aThrowingHandlerClosesOnlyItsConnectionWith1011()
    {
        m_hub->registerHandler(QStringLiteral("explode"), [](HubSession &, const opsdeck::protocol::InboundMessage &) {
            throw std::runtime_error("boom");
        });
        TestClient victim;
        TestClient bystander;
        QVERIFY(victim.open(m_hub->url()));
        QVERIFY(bystander.open(m_hub->url()));
        victim.send(QJsonObject{{QStringLiteral("type"), QStringLiteral("explode")}});
        const auto error = victim.waitForType(QStringLiteral("error"));
        QCOMPARE(field(error, "code"), QStringLiteral("INTERNAL"));
        QVERIFY(victim.waitForClosed());
        QCOMPARE(victim.closeCode(), 1011);
        const auto pong = bystander.request(QJsonObject{{QStringLiteral("type"), QStringLiteral("ping")}});
        QCOMPARE(field(pong, "type"), QStringLiteral("pong"));
        QCOMPARE(m_hub->connectionCount(), 1);
    }
};

QTEST_GUILESS_MAIN(TestHubInProcess)
#include "tst_hub_inprocess.moc"
