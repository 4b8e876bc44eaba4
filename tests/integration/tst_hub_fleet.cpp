// The real opsdeck-hub serving its demo fleet: what an operator's client sees — agents, filtered
// logs, seed-shaped metrics/status/flow events, and the demo command set.

#include "hubtesthelpers.h"

#include <QSet>
#include <QTest>

using namespace opsdeck::testing;

namespace {
bool isResultFor(const QJsonObject &m, const QString &id)
{
    return m.value(QLatin1StringView("type")).toString() == QLatin1StringView("command_result")
           && m.value(QLatin1StringView("id")).toString() == id;
}
} // namespace

class TestHubFleet : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<HubProcess> m_hub;

    std::optional<QJsonObject> runCommand(TestClient &client, const QString &id, const QString &text, int timeoutMs = 10000)
    {
        const auto accepted = client.request(msg({{QStringLiteral("type"), QStringLiteral("command")}, {QStringLiteral("id"), id},
                                                  {QStringLiteral("instanceId"), QStringLiteral("web-01")},
                                                  {QStringLiteral("command"), text}}));
        if (resultOf(accepted).value(QLatin1StringView("state")).toString() != QLatin1StringView("accepted"))
            return std::nullopt;
        return client.waitFor([&](const QJsonObject &m) { return isResultFor(m, id); }, timeoutMs);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_hub = std::make_unique<HubProcess>(QStringList{QStringLiteral("--seed"), QStringLiteral("7")});
        QVERIFY2(m_hub->start(), qPrintable(m_hub->errorString()));
    }

    void fleetHasAtLeastEightAgentsAcrossKindsAndHosts()
    {
        TestClient client;
        QVERIFY(client.open(m_hub->url()));
        const auto reply = client.request(msg({{QStringLiteral("type"), QStringLiteral("query")}, {QStringLiteral("query"), QStringLiteral("agents")}}));
        const QJsonArray agents = resultOf(reply).value(QLatin1StringView("agents")).toArray();
        QVERIFY2(agents.size() >= 8, qPrintable(QString::number(agents.size())));
        QSet<QString> kinds, hosts;
        for (const QJsonValue &value : agents) {
            const QJsonObject agent = value.toObject();
            kinds.insert(agent.value(QLatin1StringView("kind")).toString());
            hosts.insert(agent.value(QLatin1StringView("host")).toString());
            QVERIFY(agent.value(QLatin1StringView("queue")).toObject().contains(QLatin1StringView("active_ids")));
        }
        QVERIFY(kinds.size() >= 3);
        QVERIFY(hosts.size() >= 3);
    }

    void subscriptionAndSeedControlFiltersApply()
    {
        TestClient client;
        QVERIFY(client.open(m_hub->url()));
        const QString sub = client.subscribe(msg({{QStringLiteral("topic"), QStringLiteral("logs")}, {QStringLiteral("history"), 100},
                                                  {QStringLiteral("filter"), msg({{QStringLiteral("streams"), QJsonArray{QStringLiteral("stderr")}}})}}))
                                .value(QLatin1StringView("sub")).toString();
        QVERIFY(client.waitForLogEntries(sub, 5, 20000));
        for (const QJsonObject &entry : client.logEntries(sub))
            QCOMPARE(entry.value(QLatin1StringView("stream")).toString(), QStringLiteral("stderr"));

        const auto switched = client.request(msg({{QStringLiteral("action"), QStringLiteral("filter")}, {QStringLiteral("stream"), QStringLiteral("stdout")}}));
        QCOMPARE(resultOf(switched).value(QLatin1StringView("subs")).toArray(), QJsonArray{sub});
        const qsizetype before = client.logEntries(sub).size();
        QVERIFY(client.waitForLogEntries(sub, before + 5, 20000));
        const QList<QJsonObject> after = client.logEntries(sub).mid(before);
        for (const QJsonObject &entry : after)
            QCOMPARE(entry.value(QLatin1StringView("stream")).toString(), QStringLiteral("stdout"));
    }

    void levelFilterAndMultiLineEntries()
    {
        TestClient client;
        QVERIFY(client.open(m_hub->url()));
        const QString sub = client.subscribe(msg({{QStringLiteral("topic"), QStringLiteral("logs")}, {QStringLiteral("history"), 1000},
                                                  {QStringLiteral("filter"), msg({{QStringLiteral("levels"), QJsonArray{QStringLiteral("error"), QStringLiteral("fatal")}}})}}))
                                .value(QLatin1StringView("sub")).toString();
        QVERIFY(client.waitForLogEntries(sub, 2, 30000));
        for (const QJsonObject &entry : client.logEntries(sub)) {
            const QString level = entry.value(QLatin1StringView("level")).toString();
            QVERIFY2(level == QLatin1StringView("error") || level == QLatin1StringView("fatal"), qPrintable(level));
        }
    }

    void seedCommandsReturnCorrelatedResults()
    {
        TestClient client;
        QVERIFY(client.open(m_hub->url()));
        const auto echo = runCommand(client, QStringLiteral("f-echo"), QStringLiteral("echo hello fleet"));
        QVERIFY(echo);
        QCOMPARE(echo->value(QLatin1StringView("isSuccess")).toBool(), true);
        QCOMPARE(echo->value(QLatin1StringView("textResult")).toObject().value(QLatin1StringView("response")).toString(), QStringLiteral("hello fleet"));
        QCOMPARE(echo->value(QLatin1StringView("commandName")).toString(), QStringLiteral("echo"));

        const auto chat = runCommand(client, QStringLiteral("f-chat"), QStringLiteral("chat Hello Jiro"));
        QVERIFY(chat && chat->value(QLatin1StringView("isSuccess")).toBool());
        QVERIFY(!chat->value(QLatin1StringView("textResult")).toObject().value(QLatin1StringView("response")).toString().isEmpty());

        const auto status = runCommand(client, QStringLiteral("f-status"), QStringLiteral("status"));
        QVERIFY(status && status->value(QLatin1StringView("isSuccess")).toBool());

        const auto fail = runCommand(client, QStringLiteral("f-fail"), QStringLiteral("fail disk on fire"));
        QVERIFY(fail);
        QCOMPARE(fail->value(QLatin1StringView("isSuccess")).toBool(), false);
        QCOMPARE(fail->value(QLatin1StringView("error")).toObject().value(QLatin1StringView("code")).toString(), QStringLiteral("COMMAND_FAILED"));

        const auto unknown = runCommand(client, QStringLiteral("f-unknown"), QStringLiteral("reboot --now"));
        QVERIFY(unknown);
        QCOMPARE(unknown->value(QLatin1StringView("error")).toObject().value(QLatin1StringView("code")).toString(), QStringLiteral("COMMAND_FAILED"));
    }

    void sleepIsCancellable()
    {
        TestClient client;
        QVERIFY(client.open(m_hub->url()));
        const auto accepted = client.request(msg({{QStringLiteral("type"), QStringLiteral("command")}, {QStringLiteral("id"), QStringLiteral("f-sleep")},
                                                  {QStringLiteral("instanceId"), QStringLiteral("web-01")}, {QStringLiteral("command"), QStringLiteral("sleep 300")}}));
        QCOMPARE(resultOf(accepted).value(QLatin1StringView("state")).toString(), QStringLiteral("accepted"));
        const auto cancelled = client.request(msg({{QStringLiteral("type"), QStringLiteral("cancel")}, {QStringLiteral("commandId"), QStringLiteral("f-sleep")}}));
        QCOMPARE(resultOf(cancelled).value(QLatin1StringView("state")).toString(), QStringLiteral("cancelled"));
        const auto result = client.waitFor([](const QJsonObject &m) { return isResultFor(m, QStringLiteral("f-sleep")); });
        QCOMPARE(result->value(QLatin1StringView("error")).toObject().value(QLatin1StringView("code")).toString(), QStringLiteral("CANCELLED"));
    }

    void metricsStatusAndFlowKeepSeedShapes()
    {
        TestClient client;
        QVERIFY(client.open(m_hub->url()));
        client.subscribe(msg({{QStringLiteral("topic"), QStringLiteral("metrics")}}));
        QSet<QString> kinds;
        for (int i = 0; i < 40 && kinds.size() < 2; ++i) {
            const auto point = client.waitForType(QStringLiteral("metrics"), 5000);
            QVERIFY(point);
            for (const char *field : {"cpu", "memory", "memoryLimit", "timestamp", "source", "seq", "epoch"})
                QVERIFY2(point->contains(QLatin1StringView(field)), field);
            QVERIFY(point->value(QLatin1StringView("network")).toObject().contains(QLatin1StringView("rx")));
            QVERIFY(point->value(QLatin1StringView("network")).toObject().contains(QLatin1StringView("tx")));
            kinds.insert(point->value(QLatin1StringView("kind")).toString());
        }
        QCOMPARE(kinds, (QSet<QString>{QStringLiteral("agent"), QStringLiteral("host")}));

        client.subscribe(msg({{QStringLiteral("topic"), QStringLiteral("status")}, {QStringLiteral("history"), 20}}));
        const auto status = client.waitForType(QStringLiteral("status"));
        QVERIFY(status && status->contains(QLatin1StringView("status")) && status->contains(QLatin1StringView("timestamp")));

        client.subscribe(msg({{QStringLiteral("topic"), QStringLiteral("flow")}, {QStringLiteral("history"), 50}}));
        const auto started = client.waitForType(QStringLiteral("block_started_enhanced"), 30000);
        QVERIFY(started);
        const QJsonObject data = started->value(QLatin1StringView("data")).toObject();
        QVERIFY(data.value(QLatin1StringView("blockId")).toString().startsWith(u"block_"));
        QVERIFY(data.value(QLatin1StringView("timing")).toObject().contains(QLatin1StringView("startTime")));
        const auto executed = client.waitForType(QStringLiteral("block_executed_enhanced"), 30000);
        QVERIFY(executed && executed->value(QLatin1StringView("data")).toObject().contains(QLatin1StringView("status")));

        client.send(msg({{QStringLiteral("type"), QStringLiteral("request_initial_state")}}));
        const auto initial = client.waitForType(QStringLiteral("initial_execution_state"));
        QVERIFY(initial);
        const QJsonObject state = initial->value(QLatin1StringView("data")).toObject();
        QVERIFY(state.value(QLatin1StringView("active")).isArray());
        QVERIFY(state.value(QLatin1StringView("recent")).isArray());
        QVERIFY(state.value(QLatin1StringView("executionContext")).toObject().value(QLatin1StringView("agents")).toInt() >= 8);
    }
};

QTEST_GUILESS_MAIN(TestHubFleet)
#include "tst_hub_fleet.moc"
