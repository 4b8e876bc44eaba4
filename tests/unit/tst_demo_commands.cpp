// Demo agents' commands (docs/protocol.md §6) through AgentLink and AgentRegistry::commandFinished,
// stepped in simulated time; and the benchmark log source.

#include "agentregistry.h"
#include "benchlogsource.h"
#include "demofleet.h"
#include "topic.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace opsdeck::hub;
using namespace opsdeck::hub::demo;
using opsdeck::protocol::ErrorCode;

Q_DECLARE_METATYPE(opsdeck::hub::CommandResult)

namespace {

struct Harness
{
    explicit Harness(bool disconnects = false, quint64 seed = 9)
        : fleet(registry, config(disconnects, seed))
    {
        fleet.start();
    }

    static DemoFleetConfig config(bool disconnects, quint64 seed)
    {
        DemoFleetConfig c;
        c.seed = seed;
        c.realTime = false;
        c.disconnects = disconnects;
        return c;
    }

    AgentLink *link(const QString &agent) const { return registry.find(agent)->link; }

    void send(const QString &agent, const QString &command, const QString &syncId)
    {
        CommandRequest request;
        request.id = syncId;
        request.commandSyncId = syncId;
        request.instanceId = agent;
        request.command = command;
        link(agent)->startCommand(request);
    }

    // Steps 100 ms at a time until the command's result arrives or `maxMs` have passed.
    std::optional<CommandResult> await(QSignalSpy &spy, const QString &syncId, qint64 maxMs)
    {
        for (qint64 t = 0; t <= maxMs; t += 100) {
            for (const QList<QVariant> &args : spy) {
                const auto result = args.at(1).value<CommandResult>();
                if (result.commandSyncId == syncId)
                    return result;
            }
            fleet.advance(100);
        }
        return std::nullopt;
    }

    TopicSet topics {TopicSet::Capacities {}};
    AgentRegistry registry {topics};
    DemoFleet fleet;
};

} // namespace

class TestDemoCommands : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { qRegisterMetaType<CommandResult>(); }

    void commands_data()
    {
        QTest::addColumn<QString>("agent");
        QTest::addColumn<QString>("command");
        QTest::addColumn<bool>("success");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("text"); // exact, or a fragment for status/chat
        QTest::addColumn<int>("error"); // -1: none

        QTest::newRow("status") << "db-01"
                                << "status" << true << "status"
                                << "db-01 (db v16.4) on data-1" << -1;
        QTest::newRow("echo") << "web-01"
                              << "echo hello  world" << true << "echo"
                              << "hello  world" << -1;
        QTest::newRow("echo-empty") << "web-01"
                                    << "echo" << true << "echo"
                                    << "" << -1;
        QTest::newRow("sleep") << "worker-01"
                               << "sleep 2" << true << "sleep"
                               << "slept 2 s" << -1;
        QTest::newRow("sleep-0") << "worker-01"
                                 << "sleep 0" << true << "sleep"
                                 << "slept 0 s" << -1;
        QTest::newRow("sleep-bad") << "worker-01"
                                   << "sleep forever" << false << "sleep"
                                   << "" << int(ErrorCode::CommandFailed);
        QTest::newRow("sleep-too-long") << "worker-01"
                                        << "sleep 601" << false << "sleep"
                                        << "" << int(ErrorCode::CommandFailed);
        QTest::newRow("fail") << "cache-01"
                              << "fail disk on fire" << false << "fail"
                              << "disk on fire" << int(ErrorCode::CommandFailed);
        QTest::newRow("fail-bare") << "cache-01"
                                   << "fail" << false << "fail"
                                   << "failed on request" << int(ErrorCode::CommandFailed);
        QTest::newRow("chat") << "flow-01"
                              << "chat Hello Jiro" << true << "chat"
                              << "Jiro" << -1;
        QTest::newRow("unknown") << "web-02"
                                 << "frobnicate now" << false << "frobnicate"
                                 << "unknown command: frobnicate" << int(ErrorCode::CommandFailed);
    }

    void commands()
    {
        QFETCH(QString, agent);
        QFETCH(QString, command);
        QFETCH(bool, success);
        QFETCH(QString, name);
        QFETCH(QString, text);
        QFETCH(int, error);

        Harness h;
        h.fleet.tick();
        QSignalSpy spy(&h.registry, &AgentRegistry::commandFinished);
        h.send(agent, command, QStringLiteral("cmd-1"));
        // Never answered from inside startCommand: the router is not re-entered.
        QCOMPARE(spy.size(), 0);
        QCOMPARE(h.registry.find(agent)->status, QStringLiteral("busy"));
        QCOMPARE(h.registry.find(agent)->task, command);

        const auto result = h.await(spy, QStringLiteral("cmd-1"), 5000);
        QVERIFY(result);
        QCOMPARE(spy.size(), 1);
        QCOMPARE(spy.first().first().toString(), agent);
        QCOMPARE(result->commandSyncId, QStringLiteral("cmd-1"));
        QCOMPARE(result->commandName, name);
        QCOMPARE(result->commandType, QStringLiteral("text"));
        QCOMPARE(result->isSuccess, success);
        if (name == QLatin1String("status") || name == QLatin1String("chat") || text.isEmpty())
            QVERIFY2(result->text.contains(text), qPrintable(result->text));
        else
            QCOMPARE(result->text, text);
        if (error < 0) {
            QVERIFY(!result->errorCode);
        } else {
            QCOMPARE(int(result->errorCode.value()), error);
            QVERIFY(!result->errorMessage.isEmpty());
        }
        h.fleet.advance(100);
        QVERIFY(h.registry.find(agent)->task != command);
    }

    void sleepTakesSimulatedTime()
    {
        Harness h;
        QSignalSpy spy(&h.registry, &AgentRegistry::commandFinished);
        h.send(QStringLiteral("web-01"), QStringLiteral("sleep 2"), QStringLiteral("s-1"));
        h.fleet.advance(1900);
        QCOMPARE(spy.size(), 0);
        QCOMPARE(h.registry.find(QStringLiteral("web-01"))->task, QStringLiteral("sleep 2"));
        h.fleet.advance(200);
        QCOMPARE(spy.size(), 1);
        QVERIFY(spy.first().at(1).value<CommandResult>().isSuccess);
    }

    void sleepIsCancellable()
    {
        Harness h;
        QSignalSpy spy(&h.registry, &AgentRegistry::commandFinished);
        h.send(QStringLiteral("worker-02"), QStringLiteral("sleep 600"), QStringLiteral("s-2"));
        h.send(QStringLiteral("worker-02"), QStringLiteral("sleep 3"), QStringLiteral("s-3"));
        h.fleet.advance(1000);
        h.link(QStringLiteral("worker-02"))->cancelCommand(QStringLiteral("s-2"));
        h.link(QStringLiteral("worker-02"))->cancelCommand(QStringLiteral("no-such-command"));
        QCOMPARE(spy.size(), 0);
        const auto cancelled = h.await(spy, QStringLiteral("s-2"), 200);
        QVERIFY(cancelled);
        QVERIFY(!cancelled->isSuccess);
        QCOMPARE(cancelled->errorCode, std::optional(ErrorCode::Cancelled));
        QCOMPARE(cancelled->commandName, QStringLiteral("sleep"));
        // The other command is unaffected and the cancelled one never reports again.
        const auto other = h.await(spy, QStringLiteral("s-3"), 3000);
        QVERIFY(other && other->isSuccess);
        h.fleet.advance(700000);
        QCOMPARE(spy.size(), 2);
    }

    void inFlightCommandEndsWhenAgentDisconnects()
    {
        QStringList order; // results and disconnects as the registry reports them; outlives h
        Harness h(true, 4);
        QObject::connect(
            &h.registry, &AgentRegistry::commandFinished, [&](const QString &agent, const CommandResult &r) {
                order.append(agent + QStringLiteral(" result ")
                    + (r.errorCode ? opsdeck::protocol::errorCodeName(*r.errorCode) : QStringLiteral("ok")));
            });
        QObject::connect(&h.registry, &AgentRegistry::agentDisconnected,
            [&](const QString &agent) { order.append(agent + QStringLiteral(" disconnected")); });
        for (const QString &agent : h.fleet.agentIds())
            h.send(agent, QStringLiteral("sleep 600"), agent);
        QString who;
        for (int i = 0; i < 100 && who.isEmpty(); ++i) {
            h.fleet.tick();
            const int at = order.indexOf(QRegularExpression(QStringLiteral(".* disconnected")));
            if (at >= 0)
                who = order[at].section(u' ', 0, 0);
        }
        QVERIFY(!who.isEmpty());
        const qsizetype result = order.indexOf(who + QStringLiteral(" result AGENT_UNAVAILABLE"));
        QVERIFY2(result >= 0, qPrintable(order.join(u'\n')));
        QVERIFY(result < order.indexOf(who + QStringLiteral(" disconnected")));
        QVERIFY(!h.registry.find(who)->link);
    }

    void benchMessageShape()
    {
        const QString message = BenchLogSource::makeMessage(123456789012345);
        QCOMPARE(message.size(), BenchLogSource::kMessageBytes);
        QVERIFY(message.startsWith(QLatin1String("bench 123456789012345x")));
        QVERIFY(message.endsWith(QLatin1String("xxx")));
    }

    void benchPublishesAtRate()
    {
        TopicSet topics {TopicSet::Capacities {}};
        AgentRegistry registry {topics};
        BenchLogSource bench(registry, 200000);
        bench.start();
        const AgentRecord *record = registry.find(QStringLiteral("bench"));
        QVERIFY(record && record->connected && !record->info.host.isEmpty());
        // Poll (no sleeping): at 200k/s a few hundred entries are due within milliseconds.
        QElapsedTimer deadline;
        deadline.start();
        while (bench.published() < 500 && deadline.elapsed() < 5000)
            bench.publishDue();
        QVERIFY(bench.published() >= 500);
        const opsdeck::hub::Topic &logs = topics.topic(opsdeck::protocol::Topic::Logs);
        QCOMPARE(qint64(logs.headSeq()), bench.published());
        const QJsonObject last = QJsonDocument::fromJson(logs.entry(logs.headSeq())->json).object();
        QCOMPARE(last.value("source").toString(), QStringLiteral("bench"));
        QCOMPARE(last.value("level").toString(), QStringLiteral("info"));
        QCOMPARE(last.value("stream").toString(), QStringLiteral("stdout"));
        QCOMPARE(last.value("host").toString(), record->info.host);
        const QString message = last.value("message").toString();
        QCOMPARE(message.toUtf8().size(), 120);
        const qint64 ns = message.mid(6).section(u'x', 0, 0).toLongLong();
        QVERIFY(ns > 0 && ns <= BenchLogSource::steadyNowNs());
        // Never more than the rate allows.
        QVERIFY(bench.published() <= qint64(deadline.nsecsElapsed() * 200000.0 / 1e9) + 1);
        bench.stop();
        QVERIFY(!registry.find(QStringLiteral("bench"))->link);
    }
};

QTEST_GUILESS_MAIN(TestDemoCommands)
#include "tst_demo_commands.moc"
