// The Agents pane's models, driven the way the pane drives them: through AgentFeed's typed
// signals. Every model runs under QAbstractItemModelTester. What an operator relies on: the
// table shows the registry (merged, not reset, after a reconnect), heartbeat ages turn stale and
// lost on time, filters and sorting behave, recent actions pair starts with outcomes, and a
// command typed while offline shows "queued".

#include "agentactionsmodel.h"
#include "agentdetail.h"
#include "agentfeed.h"
#include "agentfiltermodel.h"
#include "agentlistmodel.h"
#include "commandlogmodel.h"
#include "hubclient.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace opsdeck::agents;
using opsdeck::transport::HubClient;

namespace {

constexpr qint64 kNow = 1'800'000'000'000; // a fixed wall clock for heartbeat ages

AgentRow makeAgent(const QString &id, const QString &status = QStringLiteral("idle"),
    const QString &task = {}, qint64 processed = 0, qint64 failed = 0)
{
    AgentRow row;
    row.id = id;
    row.kind = id.section(u'-', 0, 0);
    row.host = row.kind == QLatin1StringView("db") ? QStringLiteral("data-1") : QStringLiteral("edge-1");
    row.version = QStringLiteral("1.0");
    row.capabilities = {QStringLiteral("status"), QStringLiteral("echo")};
    row.status = status;
    row.task = task;
    row.connected = status != QLatin1StringView("offline");
    row.lastHeartbeatMs = kNow;
    row.processed = processed;
    row.failed = failed;
    row.succeeded = processed - failed;
    return row;
}

QStringList column(const QAbstractItemModel &model, int role)
{
    QStringList values;
    for (int row = 0; row < model.rowCount(); ++row)
        values.append(model.index(row, 0).data(role).toString());
    return values;
}

QList<int> rolesOf(const QSignalSpy &spy, qsizetype at)
{
    return spy.at(at).at(2).value<QList<int>>();
}

} // namespace

class TestAgentsModel : public QObject
{
    Q_OBJECT

private:
    qint64 m_now = kNow;

    void pinClock(AgentListModel &model)
    {
        model.setNowFunction([this] { return m_now; });
    }

private Q_SLOTS:
    void init() { m_now = kNow; }

    void snapshotFillsTheTable()
    {
        AgentFeed feed;
        AgentListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        pinClock(model);
        model.setFeed(&feed);

        AgentRow web
            = makeAgent(QStringLiteral("web-01"), QStringLiteral("busy"), QStringLiteral("deploy"), 8, 2);
        web.activeIds = {QStringLiteral("c-1")};
        Q_EMIT feed.snapshot(
            {web, makeAgent(QStringLiteral("db-01")), makeAgent(QStringLiteral("cache-01"))});

        QCOMPARE(model.rowCount(), 3);
        const QModelIndex at = model.index(model.rowOf(QStringLiteral("web-01")));
        QCOMPARE(at.data(AgentListModel::StatusRole).toString(), QStringLiteral("busy"));
        QCOMPARE(at.data(AgentListModel::TaskRole).toString(), QStringLiteral("deploy"));
        QCOMPARE(at.data(AgentListModel::KindRole).toString(), QStringLiteral("web"));
        QCOMPARE(at.data(AgentListModel::ActiveRole).toInt(), 1);
        QCOMPARE(at.data(AgentListModel::ProcessedRole).toLongLong(), 8);
        QCOMPARE(at.data(AgentListModel::SucceededRole).toLongLong(), 6);
        QCOMPARE(at.data(AgentListModel::FailedRole).toLongLong(), 2);
        QCOMPARE(at.data(AgentListModel::SuccessRateRole).toDouble(), 75.0);
        // Nothing processed yet: no rate rather than a division by zero.
        QCOMPARE(model.index(model.rowOf(QStringLiteral("db-01")))
                     .data(AgentListModel::SuccessRateRole)
                     .toDouble(),
            -1.0);
        QCOMPARE(model.statusCounts().value(QStringLiteral("busy")).toInt(), 1);
        QCOMPARE(model.statusCounts().value(QStringLiteral("idle")).toInt(), 2);
        QCOMPARE(model.statusCounts().value(QStringLiteral("total")).toInt(), 3);
        QCOMPARE(model.roleNames().value(AgentListModel::AgentIdRole), QByteArray("agentId"));
        QCOMPARE(int(AgentListModel::AgentIdRole), Qt::UserRole + 1);
    }

    void snapshotAfterReconnectMergesInsteadOfResetting()
    {
        AgentFeed feed;
        AgentListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        pinClock(model);
        model.setFeed(&feed);
        Q_EMIT feed.snapshot({makeAgent(QStringLiteral("web-01")), makeAgent(QStringLiteral("db-01")),
            makeAgent(QStringLiteral("cache-01"))});
        Q_EMIT feed.metricsPoint(QStringLiteral("web-01"), 40, 20, kNow - 1000);

        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        Q_EMIT feed.snapshot({makeAgent(QStringLiteral("web-01"), QStringLiteral("error")),
            makeAgent(QStringLiteral("db-01")), makeAgent(QStringLiteral("flow-01"))});

        QCOMPARE(reset.size(), 0);
        QCOMPARE(removed.size(), 1);
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(changed.size(), 1); // web-01's status; db-01 did not change
        QCOMPARE(rolesOf(changed, 0), QList<int> {AgentListModel::StatusRole});
        QCOMPARE(model.rowOf(QStringLiteral("cache-01")), -1);
        QVERIFY(model.rowOf(QStringLiteral("flow-01")) >= 0);
        // The sparkline of an agent that stayed survives the snapshot.
        QCOMPARE(model.index(model.rowOf(QStringLiteral("web-01")))
                     .data(AgentListModel::CpuHistoryRole)
                     .value<QList<double>>(),
            QList<double> {40});
    }

    void eventsUpdateOnlyWhatChangedAndRemoveAgents()
    {
        AgentFeed feed;
        AgentListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        pinClock(model);
        model.setFeed(&feed);
        Q_EMIT feed.snapshot({makeAgent(QStringLiteral("web-01"))});

        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        AgentRow beat = makeAgent(QStringLiteral("web-01"));
        beat.lastHeartbeatMs = kNow + 1000;
        Q_EMIT feed.agentUpdated(beat);
        QCOMPARE(changed.size(), 1);
        QVERIFY(rolesOf(changed, 0).contains(AgentListModel::LastHeartbeatMsRole));
        QVERIFY(!rolesOf(changed, 0).contains(AgentListModel::StatusRole));

        // An event for an agent the table has not seen yet adds it (it registered after the snapshot).
        Q_EMIT feed.agentUpdated(
            makeAgent(QStringLiteral("worker-01"), QStringLiteral("busy"), QStringLiteral("reindex")));
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.statusCounts().value(QStringLiteral("busy")).toInt(), 1);

        Q_EMIT feed.agentRemoved(QStringLiteral("web-01"));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.index(0).data(AgentListModel::AgentIdRole).toString(), QStringLiteral("worker-01"));
    }

    void heartbeatAgeTurnsStaleThenLost()
    {
        AgentFeed feed;
        AgentListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        pinClock(model);
        model.setFeed(&feed);
        Q_EMIT feed.snapshot({makeAgent(QStringLiteral("web-01")), makeAgent(QStringLiteral("db-01"))});
        const QModelIndex web = model.index(model.rowOf(QStringLiteral("web-01")));
        QCOMPARE(web.data(AgentListModel::HeartbeatAgeSRole).toInt(), 0);
        QCOMPARE(web.data(AgentListModel::HeartbeatStateRole).toString(), QStringLiteral("ok"));

        // db-01 keeps beating, web-01 falls silent.
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        m_now = kNow + 6000;
        AgentRow db = makeAgent(QStringLiteral("db-01"));
        db.lastHeartbeatMs = m_now;
        Q_EMIT feed.agentUpdated(db);
        changed.clear();
        model.refreshAges();
        QCOMPARE(web.data(AgentListModel::HeartbeatAgeSRole).toInt(), 6);
        QCOMPARE(web.data(AgentListModel::HeartbeatStateRole).toString(), QStringLiteral("stale"));
        QCOMPARE(model.index(model.rowOf(QStringLiteral("db-01")))
                     .data(AgentListModel::HeartbeatStateRole)
                     .toString(),
            QStringLiteral("ok"));
        // The timer touches the age roles only, so rows do not redraw their other cells.
        QCOMPARE(changed.size(), 1);
        QCOMPARE(rolesOf(changed, 0),
            (QList<int> {AgentListModel::HeartbeatAgeSRole, AgentListModel::HeartbeatStateRole}));
        QCOMPARE(model.statusCounts().value(QStringLiteral("stale")).toInt(), 1);

        m_now = kNow + 16000;
        model.refreshAges();
        QCOMPARE(web.data(AgentListModel::HeartbeatStateRole).toString(), QStringLiteral("lost"));
        QCOMPARE(model.statusCounts().value(QStringLiteral("lost")).toInt(), 1);

        // A heartbeat brings it back at once.
        AgentRow back = makeAgent(QStringLiteral("web-01"));
        back.lastHeartbeatMs = m_now;
        Q_EMIT feed.agentUpdated(back);
        QCOMPARE(web.data(AgentListModel::HeartbeatStateRole).toString(), QStringLiteral("ok"));

        // Nothing changes within the same second: no signal at all.
        changed.clear();
        m_now += 300;
        model.refreshAges();
        QCOMPARE(changed.size(), 0);
    }

    void ageTimerRunsOnItsOwn()
    {
        AgentFeed feed;
        AgentListModel model;
        model.setFeed(&feed);
        AgentRow web = makeAgent(QStringLiteral("web-01"));
        web.lastHeartbeatMs = QDateTime::currentMSecsSinceEpoch();
        Q_EMIT feed.snapshot({web});
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QVERIFY(changed.wait(3000));
        QCOMPARE(model.index(0).data(AgentListModel::HeartbeatAgeSRole).toInt() >= 1, true);
    }

    void metricsFeedTheSparklines()
    {
        AgentFeed feed;
        AgentListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        pinClock(model);
        model.setFeed(&feed);
        // Points replayed before the snapshot are kept for the agent.
        for (int i = 0; i < 70; ++i)
            Q_EMIT feed.metricsPoint(QStringLiteral("web-01"), i, 200 - i, kNow + i * 1000);
        Q_EMIT feed.snapshot({makeAgent(QStringLiteral("web-01"))});
        const QModelIndex web = model.index(0);
        const auto cpu = web.data(AgentListModel::CpuHistoryRole).value<QList<double>>();
        QCOMPARE(cpu.size(), AgentListModel::kHistoryLength);
        QCOMPARE(cpu.first(), 10.0);
        QCOMPARE(cpu.last(), 69.0);
        QCOMPARE(web.data(AgentListModel::CpuRole).toDouble(), 69.0);
        // Percentages are clamped: a sparkline never draws off its scale.
        QCOMPARE(web.data(AgentListModel::MemHistoryRole).value<QList<double>>().first(), 100.0);

        // A replay of a point already shown is ignored.
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        Q_EMIT feed.metricsPoint(QStringLiteral("web-01"), 99, 50, kNow + 5000);
        QCOMPARE(changed.size(), 0);
        Q_EMIT feed.metricsPoint(QStringLiteral("web-01"), 12.5, 50, kNow + 70000);
        QCOMPARE(changed.size(), 1);
        QVERIFY(rolesOf(changed, 0).contains(AgentListModel::CpuHistoryRole));
        QCOMPARE(web.data(AgentListModel::CpuRole).toDouble(), 12.5);

        // The detail panel follows the selected agent's sparkline.
        AgentDetail detail;
        detail.setModel(&model);
        detail.setAgentId(QStringLiteral("web-01"));
        QVERIFY(detail.isPresent());
        QCOMPARE(detail.cpuHistory().size(), AgentListModel::kHistoryLength);
        QCOMPARE(detail.facts().value(QStringLiteral("status")).toString(), QStringLiteral("idle"));
        QSignalSpy factsChanged(&detail, &AgentDetail::changed);
        Q_EMIT feed.agentUpdated(
            makeAgent(QStringLiteral("web-01"), QStringLiteral("busy"), QStringLiteral("warm cache")));
        QCOMPARE(factsChanged.size(), 1);
        QCOMPARE(detail.facts().value(QStringLiteral("task")).toString(), QStringLiteral("warm cache"));
        Q_EMIT feed.agentRemoved(QStringLiteral("web-01"));
        QVERIFY(!detail.isPresent());
    }

    void filterByTextAndStatus()
    {
        AgentFeed feed;
        AgentListModel model;
        pinClock(model);
        model.setFeed(&feed);
        AgentFilterModel filter;
        QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
        filter.setSourceModel(&model);
        Q_EMIT feed.snapshot({makeAgent(QStringLiteral("web-01"), QStringLiteral("busy"),
                                  QStringLiteral("Rotate TLS certs")),
            makeAgent(QStringLiteral("web-02")), makeAgent(QStringLiteral("db-01"), QStringLiteral("error")),
            makeAgent(QStringLiteral("cache-01"), QStringLiteral("offline"))});
        QCOMPARE(filter.count(), 4);

        filter.setFilterText(QStringLiteral("WEB")); // id and kind, case-insensitive
        QCOMPARE(column(filter, AgentListModel::AgentIdRole),
            (QStringList {QStringLiteral("web-01"), QStringLiteral("web-02")}));
        filter.setFilterText(QStringLiteral("data-1")); // host
        QCOMPARE(column(filter, AgentListModel::AgentIdRole), QStringList {QStringLiteral("db-01")});
        filter.setFilterText(QStringLiteral("tls")); // task
        QCOMPARE(column(filter, AgentListModel::AgentIdRole), QStringList {QStringLiteral("web-01")});
        filter.setFilterText(QString());

        filter.setStatusFilter(QStringLiteral("idle"));
        QCOMPARE(column(filter, AgentListModel::AgentIdRole), QStringList {QStringLiteral("web-02")});
        filter.setStatusFilter(QStringLiteral("attention"));
        QCOMPARE(column(filter, AgentListModel::AgentIdRole),
            (QStringList {QStringLiteral("cache-01"), QStringLiteral("db-01")}));

        // A live status change moves an agent in or out of the filtered view.
        Q_EMIT feed.agentUpdated(makeAgent(QStringLiteral("db-01")));
        QCOMPARE(column(filter, AgentListModel::AgentIdRole), QStringList {QStringLiteral("cache-01")});
        // So does a heartbeat that goes stale.
        m_now = kNow + 7000;
        AgentRow web2 = makeAgent(QStringLiteral("web-02"));
        web2.lastHeartbeatMs = m_now;
        Q_EMIT feed.agentUpdated(web2);
        model.refreshAges();
        QCOMPARE(column(filter, AgentListModel::AgentIdRole),
            (QStringList {QStringLiteral("cache-01"), QStringLiteral("db-01"), QStringLiteral("web-01")}));
    }

    void sortByAnyColumnWithStableTies()
    {
        AgentFeed feed;
        AgentListModel model;
        pinClock(model);
        model.setFeed(&feed);
        AgentFilterModel filter;
        QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
        filter.setSourceModel(&model);
        Q_EMIT feed.snapshot({makeAgent(QStringLiteral("web-02"), QStringLiteral("idle"), {}, 5),
            makeAgent(QStringLiteral("web-01"), QStringLiteral("busy"), {}, 5),
            makeAgent(QStringLiteral("db-01"), QStringLiteral("error"), {}, 12, 3),
            makeAgent(QStringLiteral("cache-01"), QStringLiteral("offline"), {}, 0)});
        // Default: by agent id.
        QCOMPARE(column(filter, AgentListModel::AgentIdRole),
            (QStringList {QStringLiteral("cache-01"), QStringLiteral("db-01"), QStringLiteral("web-01"),
                QStringLiteral("web-02")}));

        // Status ascending puts the agents that need a look first.
        filter.toggleSort(QStringLiteral("status"));
        QCOMPARE(column(filter, AgentListModel::AgentIdRole),
            (QStringList {QStringLiteral("db-01"), QStringLiteral("cache-01"), QStringLiteral("web-01"),
                QStringLiteral("web-02")}));

        // Numbers sort as numbers; equal values keep id order in both directions.
        filter.toggleSort(QStringLiteral("processed"));
        QVERIFY(!filter.sortDescending());
        QCOMPARE(column(filter, AgentListModel::AgentIdRole),
            (QStringList {QStringLiteral("cache-01"), QStringLiteral("web-01"), QStringLiteral("web-02"),
                QStringLiteral("db-01")}));
        filter.toggleSort(QStringLiteral("processed"));
        QVERIFY(filter.sortDescending());
        QCOMPARE(column(filter, AgentListModel::AgentIdRole),
            (QStringList {QStringLiteral("db-01"), QStringLiteral("web-01"), QStringLiteral("web-02"),
                QStringLiteral("cache-01")}));

        // A live update re-sorts the view.
        Q_EMIT feed.agentUpdated(makeAgent(QStringLiteral("web-02"), QStringLiteral("idle"), {}, 40));
        QCOMPARE(filter.agentIdAt(0), QStringLiteral("web-02"));
        QCOMPARE(filter.rowOfAgent(QStringLiteral("cache-01")), 3);

        // Success rate: agents that never ran anything sort below 0 %.
        filter.setSortKey(QStringLiteral("successRate"));
        filter.setSortDescending(false);
        QCOMPARE(filter.agentIdAt(0), QStringLiteral("cache-01"));
        QCOMPARE(filter.agentIdAt(1), QStringLiteral("db-01"));
    }

    void recentActionsPairStartsWithOutcomes()
    {
        AgentFeed feed;
        AgentActionsModel actions;
        QAbstractItemModelTester tester(&actions, QAbstractItemModelTester::FailureReportingMode::QtTest);
        actions.setFeed(&feed);
        actions.setAgentId(QStringLiteral("flow-01"));

        auto block = [](const QString &id, const QString &state, qint64 ts, qint64 finished = 0) {
            ActionRow row;
            row.key = QStringLiteral("block:") + id;
            row.agentId = QStringLiteral("flow-01");
            row.kind = QStringLiteral("block");
            row.state = state;
            row.timestampMs = ts;
            row.finishedMs = finished;
            if (state == QLatin1StringView("running"))
                row.text = QStringLiteral("Measuring EC…");
            else
                row.detail = QStringLiteral("1.42 mS/cm");
            return row;
        };
        Q_EMIT feed.actionEvent(
            QStringLiteral("flow-01"), block(QStringLiteral("b1"), QStringLiteral("running"), kNow));
        QCOMPARE(actions.rowCount(), 1);
        QCOMPARE(actions.index(0).data(AgentActionsModel::StateRole).toString(), QStringLiteral("running"));

        // The executed event (seed 004: only an end time) completes the same row.
        Q_EMIT feed.actionEvent(QStringLiteral("flow-01"),
            block(QStringLiteral("b1"), QStringLiteral("succeeded"), 0, kNow + 1250));
        QCOMPARE(actions.rowCount(), 1);
        const QModelIndex first = actions.index(0);
        QCOMPARE(first.data(AgentActionsModel::StateRole).toString(), QStringLiteral("succeeded"));
        QCOMPARE(first.data(AgentActionsModel::TextRole).toString(), QStringLiteral("Measuring EC…"));
        QCOMPARE(first.data(AgentActionsModel::DetailRole).toString(), QStringLiteral("1.42 mS/cm"));
        QCOMPARE(first.data(AgentActionsModel::DurationMsRole).toLongLong(), 1250);

        // Newest first, at most `limit`, other agents kept apart.
        actions.setLimit(20);
        for (int i = 2; i <= 30; ++i)
            Q_EMIT feed.actionEvent(QStringLiteral("flow-01"),
                block(QStringLiteral("b%1").arg(i), QStringLiteral("running"), kNow + i * 1000));
        QCOMPARE(actions.rowCount(), 20);
        QCOMPARE(actions.index(0).data(AgentActionsModel::KeyRole).toString(), QStringLiteral("block:b30"));
        ActionRow other = block(QStringLiteral("x"), QStringLiteral("running"), kNow);
        other.agentId = QStringLiteral("flow-02");
        Q_EMIT feed.actionEvent(QStringLiteral("flow-02"), other);
        QCOMPARE(actions.rowCount(), 20);
        actions.setAgentId(QStringLiteral("flow-02"));
        QCOMPARE(actions.rowCount(), 1);
    }

    void commandEventsBecomeActions()
    {
        const QJsonObject started {{QStringLiteral("event"), QStringLiteral("started")},
            {QStringLiteral("timestamp"), QStringLiteral("2027-01-15T08:00:00.000Z")},
            {QStringLiteral("command"),
                QJsonObject {{QStringLiteral("id"), QStringLiteral("c-1")},
                    {QStringLiteral("instanceId"), QStringLiteral("web-01")},
                    {QStringLiteral("command"), QStringLiteral("echo hi")}}}};
        QJsonObject completed = started;
        completed.insert(QStringLiteral("event"), QStringLiteral("failed"));
        completed.insert(QStringLiteral("timestamp"), QStringLiteral("2027-01-15T08:00:02.000Z"));
        QJsonObject command = started.value(QStringLiteral("command")).toObject();
        command.insert(QStringLiteral("isSuccess"), false);
        command.insert(QStringLiteral("duration_ms"), 2000);
        completed.insert(QStringLiteral("command"), command);

        std::optional<ActionRow> start = actionFromCommandEvent(started);
        std::optional<ActionRow> end = actionFromCommandEvent(completed);
        QVERIFY(start && end);
        QCOMPARE(start->key, end->key);
        QCOMPARE(start->state, QStringLiteral("running"));
        QCOMPARE(end->state, QStringLiteral("failed"));
        QCOMPARE(end->timestampMs, start->timestampMs); // end minus duration = start
        start->merge(*end);
        QCOMPARE(start->state, QStringLiteral("failed"));
        QCOMPARE(start->durationMs, 2000);
        QVERIFY(
            !actionFromCommandEvent(QJsonObject {{QStringLiteral("event"), QStringLiteral("completed")}}));
        // A dev/prod hub says who sent it; the row says so beside the outcome.
        QVERIFY(start->detail.isEmpty());
        command.insert(QStringLiteral("by"), QStringLiteral("bob"));
        completed.insert(QStringLiteral("command"), command);
        QCOMPARE(actionFromCommandEvent(completed)->detail, QStringLiteral("by bob"));
    }

    void commandWhileOfflineIsQueued()
    {
        HubClient client; // never opened: every request waits in its queue
        CommandLogModel log;
        QAbstractItemModelTester tester(&log, QAbstractItemModelTester::FailureReportingMode::QtTest);
        log.setClient(&client);
        QCOMPARE(log.send(QStringLiteral("status")), QString()); // no agent selected: nothing sent
        log.setAgentId(QStringLiteral("web-01"));
        QCOMPARE(log.send(QStringLiteral("   ")), QString());

        const QString id = log.send(QStringLiteral("echo hello"));
        QVERIFY(!id.isEmpty());
        QCOMPARE(log.rowCount(), 1);
        QCOMPARE(log.stateOf(id), QStringLiteral("queued"));
        QCOMPARE(log.index(0).data(CommandLogModel::StateRole).toString(), QStringLiteral("queued"));
        QVERIFY(log.index(0).data(CommandLogModel::WasQueuedRole).toBool());
        QCOMPARE(log.index(0).data(CommandLogModel::CommandIdRole).toString(), id);
        QCOMPARE(client.queuedCount(), 1);
        QCOMPARE(log.pendingCount(), 1);

        // Each agent has its own console.
        log.setAgentId(QStringLiteral("db-01"));
        QCOMPARE(log.rowCount(), 0);
        log.setAgentId(QStringLiteral("web-01"));
        QCOMPARE(log.rowCount(), 1);

        // Cancelling a queued command finishes its row with CANCELLED.
        QSignalSpy finished(&log, &CommandLogModel::commandFinished);
        QVERIFY(log.cancel(id));
        QTRY_COMPARE(finished.size(), 1);
        QCOMPARE(log.stateOf(id), QStringLiteral("cancelled"));
        QCOMPARE(log.index(0).data(CommandLogModel::ErrorCodeRole).toString(), QStringLiteral("CANCELLED"));
        QCOMPARE(log.pendingCount(), 0);
        log.clear();
        QCOMPARE(log.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestAgentsModel)
#include "tst_agents_model.moc"
