// The demo fleet, stepped in simulated time: registration, logs, metrics, flow events,
// reproducibility and disconnects. No test waits on the wall clock.

#include "agentregistry.h"
#include "demofleet.h"
#include "topic.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

using namespace opsdeck::hub;
using namespace opsdeck::hub::demo;
using TopicId = opsdeck::protocol::Topic;

namespace {

struct Hub
{
    TopicSet topics {TopicSet::Capacities {}};
    AgentRegistry registry {topics};

    QList<QJsonObject> entries(TopicId id, quint64 after = 0) const
    {
        const opsdeck::hub::Topic &topic = topics.topic(id);
        QList<QJsonObject> out;
        for (quint64 seq = std::max(after + 1, topic.oldestSeq()); seq <= topic.headSeq(); ++seq)
            out.append(QJsonDocument::fromJson(topic.entry(seq)->json).object());
        return out;
    }
};

DemoFleetConfig stepped(quint64 seed, bool disconnects = false)
{
    DemoFleetConfig config;
    config.seed = seed;
    config.realTime = false;
    config.disconnects = disconnects;
    return config;
}

QString str(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}

} // namespace

class TestDemoFleet : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void registersAgentsAcrossKindsAndHosts()
    {
        Hub hub;
        DemoFleet fleet(hub.registry, stepped(7));
        fleet.start();
        const auto agents = hub.registry.agents();
        QVERIFY(agents.size() >= 8);
        QCOMPARE(agents.size(), fleet.agentIds().size());
        QSet<QString> kinds;
        QSet<QString> hosts;
        bool flowCapable = false;
        for (const AgentRecord *record : agents) {
            kinds.insert(record->info.kind);
            hosts.insert(record->info.host);
            QVERIFY(record->connected);
            QVERIFY(record->link);
            QCOMPARE(record->status, QStringLiteral("idle"));
            QVERIFY(record->info.capabilities.contains(QStringLiteral("sleep")));
            if (record->info.capabilities.contains(QStringLiteral("flow"))) {
                flowCapable = true;
                QCOMPARE(record->info.kind, QStringLiteral("flow"));
            }
        }
        QCOMPARE(kinds, (QSet<QString> {"web", "worker", "db", "cache", "flow"}));
        QVERIFY2(hosts.size() >= 5, qPrintable(QStringList(hosts.values()).join(u',')));
        QVERIFY(flowCapable);
        const QStringList fleetHosts = fleet.hosts();
        QCOMPARE(hosts, QSet<QString>(fleetHosts.begin(), fleetHosts.end()));

        fleet.stop();
        for (const AgentRecord *record : hub.registry.agents()) {
            QVERIFY(!record->connected);
            QVERIFY(!record->link);
        }
    }

    void moreAgentsThanTemplates()
    {
        Hub hub;
        DemoFleetConfig config = stepped(3);
        config.agentCount = 20;
        DemoFleet fleet(hub.registry, config);
        fleet.start();
        QCOMPARE(hub.registry.agents().size(), 20);
        fleet.tick();
    }

    void logsAtEveryLevelOnBothStreams()
    {
        Hub hub;
        DemoFleetConfig config = stepped(11);
        config.logRate = 2;
        DemoFleet fleet(hub.registry, config);
        fleet.start();
        for (int i = 0; i < 600; ++i)
            fleet.tick();
        const auto logs = hub.entries(TopicId::Logs);
        QSet<QString> levels;
        QSet<QString> streams;
        QSet<QString> sources;
        int multiLine = 0;
        bool java = false, python = false, cpp = false;
        QSet<QString> distinct;
        for (const QJsonObject &log : logs) {
            levels.insert(str(log, "level"));
            streams.insert(str(log, "stream"));
            sources.insert(str(log, "source"));
            QVERIFY(!str(log, "host").isEmpty());
            const QString message = str(log, "message");
            distinct.insert(message);
            if (message.contains(u'\n')) {
                ++multiLine;
                java = java || message.contains(QLatin1String("\n\tat com.opsdeck"));
                python = python || message.contains(QLatin1String("Traceback (most recent call last):"));
                cpp = cpp || message.contains(QLatin1String("\n    #0 0x"));
            }
        }
        QCOMPARE(levels, (QSet<QString> {"trace", "debug", "info", "warn", "error", "fatal"}));
        QCOMPARE(streams, (QSet<QString> {"stdout", "stderr"}));
        QCOMPARE(sources.size(), fleet.agentIds().size());
        QVERIFY(multiLine > 0);
        QVERIFY(java && python && cpp);
        // Varied, not repetitive.
        QVERIFY2(distinct.size() > logs.size() * 0.8,
            qPrintable(QStringLiteral("%1/%2").arg(distinct.size()).arg(logs.size())));
    }

    void metricsForEveryAgentAndHostEachTick()
    {
        Hub hub;
        DemoFleet fleet(hub.registry, stepped(5));
        fleet.start();
        const QStringList ids = fleet.agentIds();
        QSet<QString> expected(ids.begin(), ids.end());
        for (const QString &host : fleet.hosts())
            expected.insert(host);
        QList<double> webCpu;
        for (int tick = 0; tick < 30; ++tick) {
            const quint64 head = hub.topics.topic(TopicId::Metrics).headSeq();
            fleet.tick();
            const auto samples = hub.entries(TopicId::Metrics, head);
            QCOMPARE(samples.size(), expected.size());
            QSet<QString> seen;
            for (const QJsonObject &m : samples) {
                seen.insert(str(m, "source"));
                const bool host = str(m, "kind") == QLatin1String("host");
                QVERIFY(m.value("cpu").toDouble() > 0 && m.value("cpu").toDouble() <= 100);
                QVERIFY(m.value("memory").toDouble() > 0);
                QVERIFY(m.value("memory").toDouble() <= m.value("memoryLimit").toDouble());
                QVERIFY(m.value("network").toObject().value("rx").toDouble() > 0);
                QVERIFY(m.value("network").toObject().value("tx").toDouble() > 0);
                QCOMPARE(m.contains("disk"), host);
                if (host) {
                    const QJsonObject disk = m.value("disk").toObject();
                    QVERIFY(disk.value("used").toDouble() > 0);
                    QVERIFY(disk.value("used").toDouble() < disk.value("total").toDouble());
                }
                if (str(m, "source") == QLatin1String("web-01"))
                    webCpu.append(m.value("cpu").toDouble());
            }
            QCOMPARE(seen, expected);
        }
        // The values wander rather than stand still.
        QVERIFY(QSet<double>(webCpu.begin(), webCpu.end()).size() > 10);
    }

    void flowBlocksComeInPairs()
    {
        Hub hub;
        DemoFleet fleet(hub.registry, stepped(13));
        fleet.start();
        for (int i = 0; i < 180; ++i)
            fleet.tick();
        static const QRegularExpression idShape(QStringLiteral("^block_\\d{13}_[0-9a-z]{9}$"));
        QHash<QString, QString> open; // source -> block id
        int started = 0, executed = 0, failed = 0;
        QSet<QString> types;
        for (const QJsonObject &e : hub.entries(TopicId::Flow)) {
            const QJsonObject data = e.value("data").toObject();
            const QString source = str(e, "source");
            QVERIFY(source.startsWith(QLatin1String("flow-")));
            if (str(e, "type") == QLatin1String("block_started_enhanced")) {
                QVERIFY2(!open.contains(source), "a block started before the previous one ended");
                QVERIFY(idShape.match(str(data, "blockId")).hasMatch());
                types.insert(str(data, "blockType"));
                QVERIFY(!str(data, "blockName").isEmpty());
                QVERIFY(!str(data, "displayText").isEmpty());
                QVERIFY(!data.value("timing").toObject().value("startTime").toString().isEmpty());
                open.insert(source, str(data, "blockId"));
                ++started;
            } else {
                QCOMPARE(str(e, "type"), QStringLiteral("block_executed_enhanced"));
                QCOMPARE(str(data, "blockId"), open.take(source));
                const QString status = str(data, "status");
                QVERIFY(status == QLatin1String("completed") || status == QLatin1String("failed"));
                failed += status == QLatin1String("failed");
                QVERIFY(!data.value("timing").toObject().value("endTime").toString().isEmpty());
                QVERIFY(data.value("result").isObject());
                ++executed;
            }
        }
        QVERIFY(started >= 20);
        QVERIFY(executed >= started - 2);
        QCOMPARE(types, (QSet<QString> {"sensor", "actuator", "wait", "condition"}));
        QVERIFY(hub.registry.initialExecutionState().value("recent").toArray().size() > 0);
        Q_UNUSED(failed);
    }

    void sameSeedSameFleet()
    {
        auto run = [](quint64 seed) {
            Hub hub;
            DemoFleetConfig config = stepped(seed, true);
            DemoFleet fleet(hub.registry, config);
            fleet.start();
            for (int i = 0; i < 150; ++i)
                fleet.tick();
            QStringList out;
            for (const QJsonObject &log : hub.entries(TopicId::Logs))
                out.append(str(log, "source") + u'|' + str(log, "level") + u'|' + str(log, "stream") + u'|'
                    + str(log, "message"));
            for (const QJsonObject &s : hub.entries(TopicId::Status))
                out.append(str(s, "source") + u'|' + str(s, "status") + u'|' + str(s, "task"));
            return out;
        };
        const QStringList a = run(42);
        const QStringList b = run(42);
        const QStringList c = run(43);
        QVERIFY(a.size() > 500);
        QCOMPARE(a, b);
        QVERIFY(a != c);
    }

    void disconnectAndReturn()
    {
        Hub hub;
        DemoFleet fleet(hub.registry, stepped(21, true));
        fleet.start();
        QSignalSpy disconnected(&hub.registry, &AgentRegistry::agentDisconnected);
        QString who;
        int ticks = 0;
        // Disconnects are scheduled at most 75 s apart and last at most 15 s.
        for (; ticks < 100 && who.isEmpty(); ++ticks) {
            fleet.tick();
            if (!disconnected.isEmpty())
                who = disconnected.first().first().toString();
        }
        QVERIFY2(!who.isEmpty(), "no agent disconnected within 100 ticks");
        QCOMPARE(hub.registry.find(who)->status, QStringLiteral("offline"));
        QVERIFY(!hub.registry.find(who)->link);
        for (int i = 0; i < 20 && !hub.registry.find(who)->connected; ++i)
            fleet.tick();
        QVERIFY(hub.registry.find(who)->connected);
        QVERIFY(hub.registry.find(who)->link);
        // The agents topic tells the story: disconnected, then registered again.
        bool sawDisconnect = false, sawReturn = false;
        for (const QJsonObject &e : hub.entries(TopicId::Agents)) {
            if (e.value("agent").toObject().value("id").toString() != who)
                continue;
            if (str(e, "event") == QLatin1String("disconnected"))
                sawDisconnect = true;
            else if (sawDisconnect && str(e, "event") == QLatin1String("registered"))
                sawReturn = true;
        }
        QVERIFY(sawDisconnect && sawReturn);
    }

    void lifecycleCoversEveryStatus()
    {
        Hub hub;
        DemoFleet fleet(hub.registry, stepped(8, true));
        fleet.start();
        for (int i = 0; i < 400; ++i)
            fleet.tick();
        QSet<QString> statuses;
        bool backgroundTask = false;
        for (const QJsonObject &s : hub.entries(TopicId::Status)) {
            statuses.insert(str(s, "status"));
            backgroundTask
                = backgroundTask || (str(s, "status") == QLatin1String("busy") && !str(s, "task").isEmpty());
        }
        QCOMPARE(statuses, (QSet<QString> {"idle", "busy", "error", "offline"}));
        QVERIFY(backgroundTask);
    }

    void noDisconnectsWhenDisabled()
    {
        Hub hub;
        DemoFleet fleet(hub.registry, stepped(21, false));
        fleet.start();
        QSignalSpy disconnected(&hub.registry, &AgentRegistry::agentDisconnected);
        for (int i = 0; i < 300; ++i)
            fleet.tick();
        QCOMPARE(disconnected.size(), 0);
    }

    void registryGoneFirst()
    {
        auto hub = std::make_unique<Hub>();
        DemoFleet fleet(hub->registry, stepped(1));
        fleet.start();
        fleet.tick();
        hub.reset();
        fleet.tick(); // publishes nothing, must not touch the dead registry
        fleet.stop();
    }
};

QTEST_GUILESS_MAIN(TestDemoFleet)
#include "tst_demo_fleet.moc"
