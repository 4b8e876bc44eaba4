// The Agents pane's live path end to end, in one process: a real HubServer with the demo fleet
// (stepped by a fast timer instead of the wall clock), the console's HubClient, AgentFeed and the
// pane's models. The table fills with the fleet and follows it, a command typed in the console
// returns its own result (correlated by id) — also when it was typed while the link was down —
// and the table is whole again after a reconnect.

#include "agentactionsmodel.h"
#include "agentfeed.h"
#include "agentlistmodel.h"
#include "commandlogmodel.h"
#include "demofleet.h"
#include "hubclient.h"
#include "hubserver.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <memory>

using namespace opsdeck;
using namespace opsdeck::agents;
using hub::HubConfig;
using hub::HubServer;
using hub::demo::DemoFleet;
using transport::HubClient;
using transport::HubClientOptions;

namespace {

HubClientOptions clientOptions()
{
    HubClientOptions options;
    options.watchNetwork = false;
    options.backoff.baseMs = 50;
    options.backoff.capMs = 500;
    return options;
}

} // namespace

class TestAgentsFeed : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<HubServer> m_hub;
    std::unique_ptr<DemoFleet> m_fleet;
    std::unique_ptr<HubClient> m_client;
    QTimer m_stepper; // runs the simulated fleet ~10× faster than real time

    void startHub()
    {
        HubConfig config;
        config.batchIntervalMs = 20;
        m_hub = std::make_unique<HubServer>(config);
        QVERIFY2(m_hub->listen(), qPrintable(m_hub->errorString()));
        DemoFleet::Config fleet;
        fleet.seed = 11;
        fleet.realTime = false;
        fleet.disconnects = false;
        m_fleet = std::make_unique<DemoFleet>(m_hub->registry(), fleet);
        m_fleet->start();
        m_fleet->tick();
        connect(&m_stepper, &QTimer::timeout, this, [this] { m_fleet->advance(100); });
        m_stepper.start(10);
    }

private Q_SLOTS:
    void init()
    {
        m_client = std::make_unique<HubClient>(clientOptions());
        startHub();
    }
    void cleanup()
    {
        m_stepper.stop();
        m_stepper.disconnect();
        m_client.reset();
        m_fleet.reset();
        m_hub.reset();
    }

    void tableFillsWithTheFleetAndFollowsIt()
    {
        AgentFeed feed;
        AgentListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setFeed(&feed);
        feed.setClient(m_client.get());
        m_client->open(m_hub->url());

        QTRY_VERIFY_WITH_TIMEOUT(feed.isLoaded(), 10000);
        QVERIFY2(model.rowCount() >= 8, qPrintable(QString::number(model.rowCount())));
        QCOMPARE(model.rowCount(), int(m_fleet->agentIds().size()));

        // Every row is what the registry holds.
        for (const QString &id : m_fleet->agentIds()) {
            const hub::AgentRecord *record = m_hub->registry().find(id);
            QVERIFY(record);
            const QModelIndex at = model.index(model.rowOf(id));
            QVERIFY(at.isValid());
            QCOMPARE(at.data(AgentListModel::KindRole).toString(), record->info.kind);
            QCOMPARE(at.data(AgentListModel::HostRole).toString(), record->info.host);
            QVERIFY(at.data(AgentListModel::ConnectedRole).toBool());
        }

        // Heartbeats keep the age fresh and metrics fill the sparklines as the fleet runs.
        const QString web = QStringLiteral("web-01");
        const QModelIndex webRow = model.index(model.rowOf(web));
        const qint64 firstBeat = webRow.data(AgentListModel::LastHeartbeatMsRole).toLongLong();
        QTRY_VERIFY_WITH_TIMEOUT(
            webRow.data(AgentListModel::LastHeartbeatMsRole).toLongLong() > firstBeat, 10000);
        QCOMPARE(webRow.data(AgentListModel::HeartbeatStateRole).toString(), QStringLiteral("ok"));
        QTRY_VERIFY_WITH_TIMEOUT(
            webRow.data(AgentListModel::CpuHistoryRole).value<QList<double>>().size() >= 3, 10000);

        // Status and task follow the registry.
        QTRY_VERIFY_WITH_TIMEOUT(model.statusCounts().value(QStringLiteral("busy")).toInt() > 0, 20000);
        // (Stop the fleet first so the comparison is against a registry that holds still.)
        m_stepper.stop();
        for (const QString &id : m_fleet->agentIds()) {
            QTRY_COMPARE_WITH_TIMEOUT(
                model.index(model.rowOf(id)).data(AgentListModel::StatusRole).toString(),
                m_hub->registry().find(id)->status, 5000);
            QCOMPARE(model.index(model.rowOf(id)).data(AgentListModel::TaskRole).toString(),
                m_hub->registry().find(id)->task);
        }
    }

    void consoleCommandReturnsItsCorrelatedResult()
    {
        AgentFeed feed;
        AgentListModel model;
        model.setFeed(&feed);
        AgentActionsModel actions;
        QAbstractItemModelTester actionsTester(
            &actions, QAbstractItemModelTester::FailureReportingMode::QtTest);
        actions.setFeed(&feed);
        actions.setAgentId(QStringLiteral("web-01"));
        CommandLogModel log;
        QAbstractItemModelTester logTester(&log, QAbstractItemModelTester::FailureReportingMode::QtTest);
        log.setClient(m_client.get());
        log.setAgentId(QStringLiteral("web-01"));
        feed.setClient(m_client.get());

        // Typed while the link is down: queued, then sent once connected, then its result.
        QSignalSpy finished(&log, &CommandLogModel::commandFinished);
        const QString early = log.send(QStringLiteral("echo before connect"));
        QCOMPARE(log.stateOf(early), QStringLiteral("queued"));
        m_client->open(m_hub->url());
        QTRY_VERIFY_WITH_TIMEOUT(feed.isLoaded(), 10000);

        const QString second = log.send(QStringLiteral("echo hello"));
        const QString failing = log.send(QStringLiteral("fail disk full"));
        QCOMPARE(log.stateOf(second), QStringLiteral("sent"));
        QTRY_COMPARE_WITH_TIMEOUT(log.pendingCount(), 0, 20000);
        QCOMPARE(finished.size(), 3);

        // Each row holds its own command's result, whatever order they came back in.
        auto rowOf = [&](const QString &id) {
            for (int row = 0; row < log.rowCount(); ++row) {
                if (log.index(row).data(CommandLogModel::CommandIdRole).toString() == id)
                    return log.index(row);
            }
            return QModelIndex();
        };
        QCOMPARE(rowOf(early).data(CommandLogModel::StateRole).toString(), QStringLiteral("succeeded"));
        QCOMPARE(
            rowOf(early).data(CommandLogModel::ResponseRole).toString(), QStringLiteral("before connect"));
        QVERIFY(rowOf(early).data(CommandLogModel::WasQueuedRole).toBool());
        QCOMPARE(rowOf(second).data(CommandLogModel::ResponseRole).toString(), QStringLiteral("hello"));
        QVERIFY(rowOf(second).data(CommandLogModel::IsSuccessRole).toBool());
        QVERIFY(!rowOf(second).data(CommandLogModel::WasQueuedRole).toBool());
        QVERIFY(rowOf(second).data(CommandLogModel::DurationMsRole).toLongLong() >= 0);
        QCOMPARE(rowOf(failing).data(CommandLogModel::StateRole).toString(), QStringLiteral("failed"));
        QCOMPARE(
            rowOf(failing).data(CommandLogModel::ErrorCodeRole).toString(), QStringLiteral("COMMAND_FAILED"));
        QVERIFY(rowOf(failing)
                    .data(CommandLogModel::ErrorMessageRole)
                    .toString()
                    .contains(QStringLiteral("disk full")));

        // The commands also show up in the agent's recent actions, with their outcome, and the
        // queue metrics count them.
        QTRY_VERIFY_WITH_TIMEOUT(actions.actionsOf(QStringLiteral("web-01")).size() >= 3, 10000);
        bool sawFailure = false;
        for (const ActionRow &action : actions.actionsOf(QStringLiteral("web-01"))) {
            if (action.key == QStringLiteral("command:") + failing) {
                QCOMPARE(action.state, QStringLiteral("failed"));
                sawFailure = true;
            }
        }
        QVERIFY(sawFailure);

        // A long command can be taken back: its row says cancelled, and the hub stops it.
        const QString slow = log.send(QStringLiteral("sleep 30"));
        QTRY_COMPARE_WITH_TIMEOUT(log.stateOf(slow), QStringLiteral("accepted"), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(m_hub->registry().find(QStringLiteral("web-01"))->queue.activeIds.contains(slow), 5000);
        QVERIFY(log.cancel(slow));
        QCOMPARE(log.stateOf(slow), QStringLiteral("cancelled"));
        QCOMPARE(rowOf(slow).data(CommandLogModel::ErrorCodeRole).toString(), QStringLiteral("CANCELLED"));
        QCOMPARE(log.pendingCount(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(
            !m_hub->registry().find(QStringLiteral("web-01"))->queue.activeIds.contains(slow), 5000);

        const QModelIndex web = model.index(model.rowOf(QStringLiteral("web-01")));
        QTRY_VERIFY_WITH_TIMEOUT(web.data(AgentListModel::FailedRole).toLongLong() >= 1, 5000);
        QVERIFY(web.data(AgentListModel::SucceededRole).toLongLong() >= 2);

        // Flow agents' seed 004 blocks arrive as actions too.
        QTRY_VERIFY_WITH_TIMEOUT(!actions.actionsOf(QStringLiteral("flow-01")).isEmpty(), 20000);
        QCOMPARE(actions.actionsOf(QStringLiteral("flow-01")).first().kind, QStringLiteral("block"));
    }

    void reconnectTakesAFreshSnapshot()
    {
        AgentFeed feed;
        AgentListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setFeed(&feed);
        feed.setClient(m_client.get());
        m_client->open(m_hub->url());
        QTRY_COMPARE_WITH_TIMEOUT(feed.snapshotCount(), 1, 10000);

        // While the console is away an agent leaves the registry for good.
        m_client->close();
        QTRY_COMPARE_WITH_TIMEOUT(m_client->state(), HubClient::State::Disconnected, 5000);
        const QString gone = m_fleet->agentIds().constLast();
        m_hub->registry().removeAgent(gone);
        m_client->open(m_hub->url());
        QTRY_COMPARE_WITH_TIMEOUT(feed.snapshotCount(), 2, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(model.rowOf(gone), -1, 5000);
        QCOMPARE(model.rowCount(), int(m_hub->registry().agents().size()));
    }
};

QTEST_GUILESS_MAIN(TestAgentsFeed)
#include "tst_agents_feed.moc"
