// The agent endpoint of an in-process hub, driven by a raw WebSocket agent (docs/protocol.md §14):
// token refusal, register rules, bad input, what clients see, commands both ways, replacement,
// disconnects, caps and drain.

#include "agentendpoint.h"
#include "agenttesthelpers.h"
#include "hubserver.h"
#include "remoteagent.h"
#include "testclient.h"

#include <QJsonArray>
#include <QTest>

using namespace opsdeck::hub;
using namespace opsdeck::testing;

class TestAgentEndpoint : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<HubServer> m_hub;

    QUrl agentUrl() const
    {
        QUrl url = m_hub->url();
        url.setPath(QString(opsdeck::protocol::kPathAgent));
        return url;
    }

    static QJsonObject registration(const QString &name, const QString &id = QStringLiteral("reg-1"))
    {
        return QJsonObject{{QStringLiteral("type"), QStringLiteral("register")},
                           {QStringLiteral("id"), id},
                           {QStringLiteral("name"), name},
                           {QStringLiteral("kind"), QStringLiteral("web")},
                           {QStringLiteral("host"), QStringLiteral("edge-1")},
                           {QStringLiteral("version"), QStringLiteral("9.9")},
                           {QStringLiteral("capabilities"), QJsonArray{QStringLiteral("status")}},
                           {QStringLiteral("allow"), QJsonArray{QStringLiteral("uptime")}}};
    }

    // A connected and registered raw agent.
    bool connectAgent(TestClient &agent, const QString &name)
    {
        if (!agent.open(agentUrl(), "agent-token-" + name.toUtf8()))
            return false;
        if (!agent.waitForType(QStringLiteral("connection_established")))
            return false;
        const auto reply = agent.request(registration(name));
        return reply && reply->value(QLatin1StringView("ok")).toBool()
            && str(*reply, "result.agent_id") == name;
    }

private Q_SLOTS:
    void init()
    {
        HubConfig config;
        config.mode = opsdeck::protocol::Mode::Demo;
        config.authenticator = std::make_shared<FakeAgentAuthenticator>();
        m_hub = std::make_unique<HubServer>(config);
        QVERIFY(m_hub->listen());
    }
    void cleanup() { m_hub.reset(); }

    void missingOrWrongTokenIsRefusedWith4401()
    {
        for (const QByteArray &token : {QByteArray(), QByteArray("not-an-agent-token")}) {
            TestClient agent;
            agent.open(agentUrl(), token);
            QVERIFY(agent.waitForClosed());
            QCOMPARE(agent.closeCode(), 4401);
            QVERIFY(agent.messages().isEmpty());
            QVERIFY(!agent.closeReason().contains(QStringLiteral("not-an-agent-token")));
        }
        QCOMPARE(m_hub->stats().authFailures, 2);
        QCOMPARE(m_hub->stats().agentConnectionsAccepted, 0);
    }

    void noAuthenticatorMeansNoAgents()
    {
        m_hub.reset();
        m_hub = std::make_unique<HubServer>(HubConfig{});
        QVERIFY(m_hub->listen());
        TestClient agent;
        agent.open(agentUrl(), "agent-token-web-01");
        QVERIFY(agent.waitForClosed());
        QCOMPARE(agent.closeCode(), 4401);
        QVERIFY(agent.closeReason().contains(QStringLiteral("no authenticator")));
    }

    void connectionEstablishedHasTheClientShape()
    {
        TestClient agent;
        QVERIFY(agent.open(agentUrl(), "agent-token-web-01"));
        const auto hello = agent.waitForType(QStringLiteral("connection_established"));
        QVERIFY(hello);
        QCOMPARE(str(*hello, "protocol"), QStringLiteral("opsdeck.v1"));
        QCOMPARE(str(*hello, "mode"), QStringLiteral("demo"));
        QCOMPARE(str(*hello, "hub.hub_id"), m_hub->hubId());
        QVERIFY(str(*hello, "client_id").startsWith(QStringLiteral("c-")));
    }

    void registerWithAnotherNameIsForbidden()
    {
        TestClient agent;
        QVERIFY(agent.open(agentUrl(), "agent-token-web-01"));
        const auto reply = agent.request(registration(QStringLiteral("db-01")));
        QVERIFY(reply);
        QCOMPARE(str(*reply, "code"), QStringLiteral("FORBIDDEN"));
        QCOMPARE(str(*reply, "id"), QStringLiteral("reg-1"));
        QVERIFY(agent.waitForClosed());
        QCOMPARE(agent.closeCode(), 4403);
        QVERIFY(!m_hub->registry().find(QStringLiteral("db-01")));
        QVERIFY(!m_hub->registry().find(QStringLiteral("web-01")));
    }

    void badInputIsAnsweredAndCounted()
    {
        TestClient agent;
        QVERIFY(agent.open(agentUrl(), "agent-token-web-01"));
        agent.sendRaw(QStringLiteral("{not json"));
        const auto badJson = agent.waitForType(QStringLiteral("error"));
        QVERIFY(badJson);
        QCOMPARE(str(*badJson, "code"), QStringLiteral("BAD_JSON"));
        // Before register: nothing else is taken.
        const auto early = agent.request(QJsonObject{{QStringLiteral("type"), QStringLiteral("heartbeat")}});
        QCOMPARE(str(*early, "code"), QStringLiteral("BAD_MESSAGE"));
        QCOMPARE(str(*early, "details.field"), QStringLiteral("type"));
        const auto unknown = agent.request(QJsonObject{{QStringLiteral("type"), QStringLiteral("subscribe")}});
        QCOMPARE(str(*unknown, "code"), QStringLiteral("UNKNOWN_TYPE"));
        const auto badRegister = agent.request(QJsonObject{{QStringLiteral("type"), QStringLiteral("register")}});
        QCOMPARE(str(*badRegister, "code"), QStringLiteral("BAD_MESSAGE"));
        QCOMPARE(str(*badRegister, "details.field"), QStringLiteral("name"));
        QVERIFY(agent.request(registration(QStringLiteral("web-01")))->value(QLatin1StringView("ok")).toBool());
        const auto again = agent.request(registration(QStringLiteral("web-01"), QStringLiteral("reg-2")));
        QCOMPARE(str(*again, "code"), QStringLiteral("BAD_MESSAGE"));
        const auto badBatch = agent.request(QJsonObject{{QStringLiteral("type"), QStringLiteral("batch")},
                                                        {QStringLiteral("logs"), QJsonArray{QJsonObject{{QStringLiteral("stream"), QStringLiteral("stdout")}}}}});
        QCOMPARE(str(*badBatch, "details.field"), QStringLiteral("logs[0].timestamp"));
        QCOMPARE(m_hub->stats().errorsByCode.value(QStringLiteral("BAD_JSON")), 1);
        QVERIFY(m_hub->stats().inByType.contains(QStringLiteral("agent.register")));
    }

    void garbageThresholdCloses1008()
    {
        TestClient agent;
        QVERIFY(agent.open(agentUrl(), "agent-token-web-01"));
        for (int i = 0; i < m_hub->config().garbageLimit; ++i)
            agent.sendRaw(QStringLiteral("]"));
        QVERIFY(agent.waitForClosed());
        QCOMPARE(agent.closeCode(), 1008);
    }

    void oversizedFrameCloses1009()
    {
        TestClient agent;
        QVERIFY(agent.open(agentUrl(), "agent-token-web-01"));
        agent.sendRaw(QString(1024 * 1024 + 10, QLatin1Char('x')));
        QVERIFY(agent.waitForClosed(10000));
        QCOMPARE(agent.closeCode(), 1009);
    }

    void registeredAgentIsSeenByClientsAndReportsReachTopics()
    {
        TestClient client;
        QVERIFY(client.open(m_hub->url()));
        const QJsonObject agentsSub = client.subscribe(QJsonObject{{QStringLiteral("topic"), QStringLiteral("agents")}});
        const QJsonObject logsSub = client.subscribe(QJsonObject{{QStringLiteral("topic"), QStringLiteral("logs")},
                                                                 {QStringLiteral("batch"), false}});
        const QJsonObject metricsSub = client.subscribe(QJsonObject{{QStringLiteral("topic"), QStringLiteral("metrics")}});
        const QJsonObject statusSub = client.subscribe(QJsonObject{{QStringLiteral("topic"), QStringLiteral("status")}});
        QVERIFY(!agentsSub.isEmpty() && !logsSub.isEmpty() && !metricsSub.isEmpty() && !statusSub.isEmpty());

        TestClient agent;
        QVERIFY(connectAgent(agent, QStringLiteral("web-01")));
        const auto registered = client.waitFor([](const QJsonObject &m) { return str(m, "event") == QLatin1StringView("registered"); });
        QVERIFY(registered);
        QCOMPARE(str(*registered, "agent.id"), QStringLiteral("web-01"));
        QCOMPARE(str(*registered, "agent.host"), QStringLiteral("edge-1"));
        QCOMPARE(str(*registered, "agent.kind"), QStringLiteral("web"));
        QCOMPARE(str(*registered, "agent.connected"), QStringLiteral("true"));
        QCOMPARE(registered->value(QLatin1StringView("agent")).toObject().value(QLatin1StringView("capabilities")).toArray(),
                 (QJsonArray{QStringLiteral("status"), QStringLiteral("uptime")}));
        const auto listed = client.request(QJsonObject{{QStringLiteral("type"), QStringLiteral("query")}, {QStringLiteral("query"), QStringLiteral("agents")}});
        QCOMPARE(listed->value(QLatin1StringView("result")).toObject().value(QLatin1StringView("agents")).toArray().at(0).toObject()
                     .value(QLatin1StringView("name")).toString(),
                 QStringLiteral("web-01"));

        // Every report, each answered because it carries an id.
        const QList<QJsonObject> reports{
            QJsonObject{{QStringLiteral("type"), QStringLiteral("status")}, {QStringLiteral("status"), QStringLiteral("busy")}, {QStringLiteral("task"), QStringLiteral("reindex")}},
            QJsonObject{{QStringLiteral("type"), QStringLiteral("heartbeat")}},
            QJsonObject{{QStringLiteral("type"), QStringLiteral("metrics")}, {QStringLiteral("cpu"), 12.5}, {QStringLiteral("memory_mib"), 64},
                        {QStringLiteral("memory_limit_mib"), 1024}, {QStringLiteral("rx_bytes_per_s"), 10}, {QStringLiteral("tx_bytes_per_s"), 20}},
            QJsonObject{{QStringLiteral("type"), QStringLiteral("log")}, {QStringLiteral("timestamp"), QStringLiteral("2026-11-21T12:00:00.000Z")},
                        {QStringLiteral("stream"), QStringLiteral("stderr")}, {QStringLiteral("level"), QStringLiteral("error")}, {QStringLiteral("message"), QStringLiteral("single")}},
            QJsonObject{{QStringLiteral("type"), QStringLiteral("batch")}, {QStringLiteral("count"), 2},
                        {QStringLiteral("logs"), QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("log")}, {QStringLiteral("timestamp"), QStringLiteral("2026-11-21T12:00:01.000Z")},
                                                                        {QStringLiteral("stream"), QStringLiteral("stdout")}, {QStringLiteral("message"), QStringLiteral("first")}},
                                                            QJsonObject{{QStringLiteral("type"), QStringLiteral("log")}, {QStringLiteral("timestamp"), QStringLiteral("2026-11-21T12:00:02.000Z")},
                                                                        {QStringLiteral("stream"), QStringLiteral("file")}, {QStringLiteral("level"), QStringLiteral("warn")}, {QStringLiteral("message"), QStringLiteral("second")}}}}},
            QJsonObject{{QStringLiteral("type"), QStringLiteral("queue_metrics")}, {QStringLiteral("activeCount"), 1}, {QStringLiteral("activeIds"), QJsonArray{QStringLiteral("job-7")}},
                        {QStringLiteral("processed"), 5}, {QStringLiteral("succeeded"), 4}, {QStringLiteral("failed"), 1}},
        };
        for (const QJsonObject &report : reports) {
            const auto answer = agent.request(report);
            QVERIFY2(answer && answer->value(QLatin1StringView("ok")).toBool(), qPrintable(str(*answer, "message")));
        }

        const auto status = client.waitFor([](const QJsonObject &m) { return isType(m, "status") && str(m, "status") == QLatin1StringView("busy"); });
        QVERIFY(status);
        QCOMPARE(str(*status, "source"), QStringLiteral("web-01"));
        QCOMPARE(str(*status, "task"), QStringLiteral("reindex"));
        const auto metrics = client.waitFor([](const QJsonObject &m) { return isType(m, "metrics"); });
        QVERIFY(metrics);
        QCOMPARE(str(*metrics, "source"), QStringLiteral("web-01"));
        QCOMPARE(str(*metrics, "host"), QStringLiteral("edge-1"));
        QCOMPARE(str(*metrics, "kind"), QStringLiteral("agent"));
        QCOMPARE(str(*metrics, "cpu"), QStringLiteral("12.5"));
        QCOMPARE(str(*metrics, "memoryLimit"), QStringLiteral("1024"));
        QCOMPARE(str(*metrics, "network.tx"), QStringLiteral("20"));
        const QString logsId = logsSub.value(QLatin1StringView("sub")).toString();
        QVERIFY(client.waitForLogEntries(logsId, 3));
        const QList<QJsonObject> logs = client.logEntries(logsId);
        QCOMPARE(str(logs.at(0), "message"), QStringLiteral("single"));
        QCOMPARE(str(logs.at(0), "source"), QStringLiteral("web-01"));
        QCOMPARE(str(logs.at(0), "level"), QStringLiteral("error"));
        QCOMPARE(str(logs.at(0), "timestamp"), QStringLiteral("2026-11-21T12:00:00.000Z"));
        QCOMPARE(str(logs.at(1), "level"), QStringLiteral("info"));
        QCOMPARE(str(logs.at(2), "stream"), QStringLiteral("file"));
        const auto queued = client.waitFor([](const QJsonObject &m) {
            return str(m, "event") == QLatin1StringView("updated") && str(m, "agent.queue.processed") == QLatin1StringView("5");
        });
        QVERIFY(queued);
        QCOMPARE(str(*queued, "agent.queue.active"), QStringLiteral("1"));
        QCOMPARE(queued->value(QLatin1StringView("agent")).toObject().value(QLatin1StringView("queue")).toObject()
                     .value(QLatin1StringView("active_ids")).toArray(), QJsonArray{QStringLiteral("job-7")});
        QVERIFY(client.waitFor([](const QJsonObject &m) { return str(m, "event") == QLatin1StringView("heartbeat"); }));
        QCOMPARE(m_hub->stats().agentConnections, 1);
    }

    void commandsRunAtTheAgentAndResultsReturn()
    {
        TestClient agent;
        QVERIFY(connectAgent(agent, QStringLiteral("web-01")));
        TestClient client;
        QVERIFY(client.open(m_hub->url()));
        const auto accepted = client.request(QJsonObject{{QStringLiteral("type"), QStringLiteral("command")}, {QStringLiteral("id"), QStringLiteral("cmd-1")},
                                                         {QStringLiteral("instanceId"), QStringLiteral("web-01")}, {QStringLiteral("command"), QStringLiteral("uptime -p")},
                                                         {QStringLiteral("commandSyncId"), QStringLiteral("sync-1")}, {QStringLiteral("sessionId"), QStringLiteral("session-abc")},
                                                         {QStringLiteral("parameters"), QJsonObject{{QStringLiteral("k"), QStringLiteral("v")}}},
                                                         {QStringLiteral("timeout_ms"), 20000}});
        QCOMPARE(str(*accepted, "result.state"), QStringLiteral("accepted"));
        const auto command = agent.waitForType(QStringLiteral("command"));
        QVERIFY(command);
        QCOMPARE(str(*command, "commandSyncId"), QStringLiteral("sync-1"));
        QCOMPARE(str(*command, "instanceId"), QStringLiteral("web-01"));
        QCOMPARE(str(*command, "command"), QStringLiteral("uptime -p"));
        QCOMPARE(str(*command, "sessionId"), QStringLiteral("session-abc"));
        QCOMPARE(str(*command, "parameters.k"), QStringLiteral("v"));
        QCOMPARE(str(*command, "timeout_ms"), QStringLiteral("20000"));
        QVERIFY(!command->contains(QLatin1StringView("id"))); // the client's key stays with the hub

        agent.send(QJsonObject{{QStringLiteral("type"), QStringLiteral("command_result")}, {QStringLiteral("commandSyncId"), QStringLiteral("sync-1")},
                               {QStringLiteral("isSuccess"), true}, {QStringLiteral("commandName"), QStringLiteral("uptime")},
                               {QStringLiteral("commandType"), QStringLiteral("text")}, {QStringLiteral("textResult"), QJsonObject{{QStringLiteral("response"), QStringLiteral("up 3 days")}}}});
        const auto result = client.waitFor([](const QJsonObject &m) { return isType(m, "command_result"); });
        QVERIFY(result);
        QCOMPARE(str(*result, "id"), QStringLiteral("cmd-1"));
        QCOMPARE(str(*result, "isSuccess"), QStringLiteral("true"));
        QCOMPARE(str(*result, "textResult.response"), QStringLiteral("up 3 days"));
        QCOMPARE(str(*result, "instanceId"), QStringLiteral("web-01"));

        // A result nobody asked for is refused; a cancel reaches the agent.
        const auto stray = agent.request(QJsonObject{{QStringLiteral("type"), QStringLiteral("command_result")}, {QStringLiteral("commandSyncId"), QStringLiteral("sync-1")},
                                                     {QStringLiteral("isSuccess"), true}});
        QCOMPARE(str(*stray, "code"), QStringLiteral("NOT_FOUND"));
        client.request(QJsonObject{{QStringLiteral("type"), QStringLiteral("command")}, {QStringLiteral("id"), QStringLiteral("cmd-2")},
                                   {QStringLiteral("instanceId"), QStringLiteral("web-01")}, {QStringLiteral("command"), QStringLiteral("sleep 100")}});
        QVERIFY(agent.waitForType(QStringLiteral("command")));
        const auto cancelled = client.request(QJsonObject{{QStringLiteral("type"), QStringLiteral("cancel")}, {QStringLiteral("commandId"), QStringLiteral("cmd-2")}});
        QCOMPARE(str(*cancelled, "result.state"), QStringLiteral("cancelled"));
        const auto cancel = agent.waitForType(QStringLiteral("cancel"));
        QVERIFY(cancel);
        QCOMPARE(str(*cancel, "commandSyncId"), QStringLiteral("cmd-2"));
        // The agent's late CANCELLED answer is taken quietly.
        const auto late = agent.request(QJsonObject{{QStringLiteral("type"), QStringLiteral("command_result")}, {QStringLiteral("commandSyncId"), QStringLiteral("cmd-2")},
                                                    {QStringLiteral("isSuccess"), false}, {QStringLiteral("error"), QJsonObject{{QStringLiteral("code"), QStringLiteral("CANCELLED")}}}});
        QVERIFY(late->value(QLatin1StringView("ok")).toBool());
    }

    void disconnectMarksOfflineAndFailsRunningCommands()
    {
        TestClient client;
        QVERIFY(client.open(m_hub->url()));
        {
            TestClient agent;
            QVERIFY(connectAgent(agent, QStringLiteral("web-01")));
            client.request(QJsonObject{{QStringLiteral("type"), QStringLiteral("command")}, {QStringLiteral("id"), QStringLiteral("cmd-9")},
                                       {QStringLiteral("instanceId"), QStringLiteral("web-01")}, {QStringLiteral("command"), QStringLiteral("uptime")}});
            QVERIFY(agent.waitForType(QStringLiteral("command")));
            agent.close();
            QVERIFY(agent.waitForClosed());
        }
        const auto result = client.waitFor([](const QJsonObject &m) { return isType(m, "command_result"); });
        QVERIFY(result);
        QCOMPARE(str(*result, "error.code"), QStringLiteral("AGENT_UNAVAILABLE"));
        QTRY_COMPARE(m_hub->registry().find(QStringLiteral("web-01"))->status, QStringLiteral("offline"));
        QVERIFY(!m_hub->registry().find(QStringLiteral("web-01"))->connected);
        QCOMPARE(m_hub->stats().agentConnections, 0);
        // It comes back under the same record.
        TestClient again;
        QVERIFY(connectAgent(again, QStringLiteral("web-01")));
        QVERIFY(m_hub->registry().find(QStringLiteral("web-01"))->connected);
    }

    void newerConnectionReplacesTheOlderWith4409()
    {
        TestClient first;
        QVERIFY(connectAgent(first, QStringLiteral("web-01")));
        TestClient second;
        QVERIFY(connectAgent(second, QStringLiteral("web-01")));
        QVERIFY(first.waitForClosed());
        QCOMPARE(first.closeCode(), 4409);
        QCOMPARE(first.closeReason(), QStringLiteral("agent replaced"));
        QVERIFY(second.isOpen());
        QCOMPARE(m_hub->agents().agent(QStringLiteral("web-01"))->session().clientId(),
                 str(second.messages().first(), "client_id"));
        const AgentRecord *record = m_hub->registry().find(QStringLiteral("web-01"));
        QVERIFY(record && record->connected);
        QCOMPARE(record->link, static_cast<AgentLink *>(m_hub->agents().agent(QStringLiteral("web-01"))));
        // Commands go to the newer one.
        TestClient client;
        QVERIFY(client.open(m_hub->url()));
        client.request(QJsonObject{{QStringLiteral("type"), QStringLiteral("command")}, {QStringLiteral("id"), QStringLiteral("cmd-3")},
                                   {QStringLiteral("instanceId"), QStringLiteral("web-01")}, {QStringLiteral("command"), QStringLiteral("uptime")}});
        QVERIFY(second.waitForType(QStringLiteral("command")));
    }

    void connectionCapsCountAgentsAndClients()
    {
        m_hub.reset();
        HubConfig config;
        config.authenticator = std::make_shared<FakeAgentAuthenticator>();
        config.maxConnectionsPerIp = 2;
        m_hub = std::make_unique<HubServer>(config);
        QVERIFY(m_hub->listen());
        TestClient client;
        QVERIFY(client.open(m_hub->url()));
        TestClient agent;
        QVERIFY(connectAgent(agent, QStringLiteral("web-01")));
        for (bool asAgent : {true, false}) {
            TestClient refused;
            refused.open(asAgent ? agentUrl() : m_hub->url(), asAgent ? QByteArray("agent-token-web-02") : QByteArray());
            const auto error = refused.waitForType(QStringLiteral("error"));
            QVERIFY(error);
            QCOMPARE(str(*error, "code"), QStringLiteral("CONNECTION_LIMIT"));
            QCOMPARE(str(*error, "details.scope"), QStringLiteral("ip"));
            QVERIFY(refused.waitForClosed());
            QCOMPARE(refused.closeCode(), 4429);
        }
    }

    void rateLimitAppliesToAgents()
    {
        AgentLimits limits;
        limits.rateLimit = 5;
        m_hub->agents().setLimits(limits);
        TestClient agent;
        QVERIFY(connectAgent(agent, QStringLiteral("web-01"))); // 1 message
        for (int i = 0; i < 4; ++i)
            agent.send(QJsonObject{{QStringLiteral("type"), QStringLiteral("heartbeat")}});
        const auto refused = agent.request(QJsonObject{{QStringLiteral("type"), QStringLiteral("heartbeat")}});
        QVERIFY(refused);
        QCOMPARE(str(*refused, "code"), QStringLiteral("RATE_LIMIT_EXCEEDED"));
        QCOMPARE(str(*refused, "details.limit"), QStringLiteral("5"));
        QCOMPARE(str(*refused, "details.window"), QStringLiteral("1m"));
    }

    void drainClosesAgentsWith1001()
    {
        TestClient agent;
        QVERIFY(connectAgent(agent, QStringLiteral("web-01")));
        m_hub->shutdown();
        const auto notice = agent.waitForType(QStringLiteral("broadcast"));
        QVERIFY(notice);
        QCOMPARE(str(*notice, "event"), QStringLiteral("draining"));
        QVERIFY(agent.waitForClosed());
        QCOMPARE(agent.closeCode(), 1001);
    }

    void demoAgentNamesCannotBeTaken()
    {
        struct Inert : AgentLink
        {
            void startCommand(const CommandRequest &) override {}
            void cancelCommand(const QString &) override {}
        } inProcess;
        m_hub->registry().registerAgent(AgentInfo{QStringLiteral("web-01"), QStringLiteral("web"), {}, {}, {}}, &inProcess);
        TestClient agent;
        QVERIFY(agent.open(agentUrl(), "agent-token-web-01"));
        const auto reply = agent.request(registration(QStringLiteral("web-01")));
        QCOMPARE(str(*reply, "code"), QStringLiteral("FORBIDDEN"));
        QVERIFY(agent.waitForClosed());
        QCOMPARE(agent.closeCode(), 4403);
        QCOMPARE(m_hub->registry().find(QStringLiteral("web-01"))->link, static_cast<AgentLink *>(&inProcess));
        m_hub.reset(); // before inProcess goes
    }
};

QTEST_GUILESS_MAIN(TestAgentEndpoint)
#include "tst_agent_endpoint.moc"
