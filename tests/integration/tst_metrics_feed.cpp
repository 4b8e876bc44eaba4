// The Metrics pane's data path end to end, in one process: a real HubServer with the demo
// fleet stepped in simulated time, a real HubClient, MetricsFeed, MetricsStore and HubHealth.
// History that existed before the feed subscribed is loaded page by page; live points append
// after it without duplicates; the hub's `stats` populate the health panel.
//
// The fleet stamps metrics with the wall clock (AgentRegistry::publishMetrics: isoNow() unless
// MetricsSample::timeMs is set), so minutes of simulated ticks land within a second or two of
// real time. The checks therefore count points and compare seqs, not time spans.

#include "demofleet.h"
#include "hubclient.h"
#include "hubhealth.h"
#include "hubserver.h"
#include "metricsfeed.h"
#include "metricsstore.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QLineSeries>
#include <QSignalSpy>
#include <QTest>

using namespace opsdeck;
using namespace opsdeck::metrics;
using transport::HubClient;

class TestMetricsFeed : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<hub::HubServer> m_hub;
    std::unique_ptr<hub::demo::DemoFleet> m_fleet;
    std::unique_ptr<HubClient> m_client;

    void tick(int n)
    {
        for (int i = 0; i < n; ++i)
            m_fleet->tick();
    }

    // Stops the hub (1001 to every client) and starts a fresh one on the same port: a new
    // epoch, so the client's resume is answered recovered:false with an epoch_changed gap.
    void restartHub()
    {
        const quint16 port = m_hub->port();
        QSignalSpy stopped(m_hub.get(), &hub::HubServer::stopped);
        m_hub->shutdown();
        QVERIFY(stopped.count() > 0 || stopped.wait(10000));
        QTRY_VERIFY_WITH_TIMEOUT(m_client->state() != HubClient::State::Connected, 10000);
        m_fleet.reset();
        m_hub.reset();
        hub::HubConfig config;
        config.port = port;
        m_hub = std::make_unique<hub::HubServer>(config);
        QVERIFY2(m_hub->listen(), qPrintable(m_hub->errorString()));
        hub::demo::DemoFleetConfig fleetConfig;
        fleetConfig.seed = 8;
        fleetConfig.realTime = false;
        fleetConfig.disconnects = false;
        m_fleet = std::make_unique<hub::demo::DemoFleet>(m_hub->registry(), fleetConfig);
        m_fleet->start();
    }

private Q_SLOTS:
    void init()
    {
        hub::HubConfig config;
        config.port = 0;
        m_hub = std::make_unique<hub::HubServer>(config);
        QVERIFY2(m_hub->listen(), qPrintable(m_hub->errorString()));
        hub::demo::DemoFleetConfig fleetConfig;
        fleetConfig.seed = 7;
        fleetConfig.realTime = false;
        fleetConfig.disconnects = false; // every source reports every tick: exact counts
        m_fleet = std::make_unique<hub::demo::DemoFleet>(m_hub->registry(), fleetConfig);
        m_fleet->start();
        m_client = std::make_unique<HubClient>();
        m_client->open(m_hub->url());
        QTRY_COMPARE_WITH_TIMEOUT(m_client->state(), HubClient::State::Connected, 10000);
    }

    void cleanup()
    {
        m_client.reset();
        m_fleet.reset();
        m_hub.reset();
    }

    void historyThenLiveWithoutDuplicates()
    {
        // Twenty simulated minutes before anyone looks: more than one history page per source.
        constexpr int kBefore = 1100;
        tick(kBefore);
        const QString host = m_fleet->hosts().constFirst();
        const QString agent = m_fleet->agentIds().constFirst();

        MetricsFeed feed;
        feed.setHistory(0); // nothing replayed by the subscription: history must come from `query history`
        MetricsStore store;
        store.setFeed(&feed);
        QAbstractItemModelTester tester(store.sources(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy points(&feed, &MetricsFeed::pointsReceived);
        QSignalSpy loaded(&feed, &MetricsFeed::historyLoaded);
        feed.setClient(m_client.get());
        QTRY_COMPARE(feed.state(), QStringLiteral("active"));
        QCOMPARE(store.pointCount(), 0);

        feed.loadHistory(host, 900);
        QVERIFY(feed.isLoading());
        QVERIFY(loaded.wait(10000));
        QCOMPARE(loaded.first().at(0).toString(), host);
        QVERIFY(!feed.isLoading());
        QCOMPARE(store.count(host), kBefore);
        int pages = 0;
        for (const auto &args : points)
            pages += args.at(0).toString() == host ? 1 : 0;
        QVERIFY2(pages >= 2, "1100 points of one source take two pages of at most 1000");
        QCOMPARE(store.sources()->rowCount(), 1);
        QCOMPARE(store.sources()->kindAt(0), QStringLiteral("host"));
        // A disk series exists for a host, from history alone.
        QLineSeries disk;
        store.updateSeries(&disk, host, QStringLiteral("disk"), 0);
        QCOMPARE(disk.count(), kBefore);

        // Asking again for a covered window goes nowhere near the hub.
        loaded.clear();
        feed.loadHistory(host, 300);
        QVERIFY(!feed.isLoading());

        // Live points append after the history.
        tick(5);
        QTRY_COMPARE(store.count(host), kBefore + 5);
        QTRY_VERIFY(store.count(agent) >= 5);
        const int sources = int(m_fleet->hosts().size() + m_fleet->agentIds().size());
        QTRY_COMPARE(store.sources()->rowCount(), sources);

        // History for an agent now overlaps what arrived live: merged, not doubled.
        feed.loadHistory(agent, 900);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(store.count(agent), kBefore + 5);
        const QList<QPointF> cpu = store.points(agent, QStringLiteral("cpu"), 0);
        QCOMPARE(cpu.size(), kBefore + 5);
        for (int i = 1; i < cpu.size(); ++i)
            QVERIFY(cpu[i].x() >= cpu[i - 1].x());
        QCOMPARE(store.gapCount(), 0);
    }

    void subscriptionReplaysRecentPointsForThePicker()
    {
        tick(30);
        MetricsFeed feed; // default history: enough for every source to show up at once
        MetricsStore store;
        store.setFeed(&feed);
        feed.setClient(m_client.get());
        const int sources = int(m_fleet->hosts().size() + m_fleet->agentIds().size());
        QTRY_COMPARE(store.sources()->rowCount(), sources);
        // Metrics are "latest value wins": the replay brings at least each source's newest point.
        QTRY_VERIFY(store.pointCount() >= sources);
        QVERIFY(store.latestTimeMs() > 0);
    }

    void hubRestartIsAVisibleGap()
    {
        MetricsFeed feed;
        MetricsStore store;
        store.setFeed(&feed);
        QSignalSpy gaps(&feed, &MetricsFeed::gapReceived);
        feed.setClient(m_client.get());
        QTRY_COMPARE(feed.state(), QStringLiteral("active"));
        tick(3);
        const QString host = m_fleet->hosts().constFirst();
        QTRY_VERIFY(store.count(host) >= 3);
        const qint64 before = store.count(host);

        restartHub();
        if (m_client->state() != HubClient::State::Connected)
            m_client->reconnectNow();
        QTRY_COMPARE_WITH_TIMEOUT(m_client->state(), HubClient::State::Connected, 20000);
        QVERIFY(gaps.wait(10000) || !gaps.isEmpty());
        QCOMPARE(gaps.first().at(0).value<MetricsGap>().reason, QStringLiteral("epoch_changed"));
        QCOMPARE(store.gapCount(), 1);
        // Open until the host reports again, then closed at its first new point.
        QCOMPARE(store.gaps(host).size(), 1);
        tick(2);
        QTRY_VERIFY(store.count(host) >= before + 2);
        const QVariantMap gap = store.gaps(host).constFirst().toMap();
        QVERIFY(gap.value("end").toDouble() > gap.value("start").toDouble());
        QCOMPARE(gap.value("reason").toString(), QStringLiteral("epoch_changed"));
        // Points of both epochs are kept, in time order.
        const QList<QPointF> cpu = store.points(host, QStringLiteral("cpu"), 0);
        for (int i = 1; i < cpu.size(); ++i)
            QVERIFY(cpu[i].x() >= cpu[i - 1].x());
    }

    void healthIsPopulatedFromStats()
    {
        HubHealth health;
        QSignalSpy stats(&health, &HubHealth::statsChanged);
        health.setIntervalMs(200);
        health.setClient(m_client.get());
        QVERIFY(stats.wait(10000));
        QVERIFY(health.isValid());
        QCOMPARE(health.connections(), 1);
        QVERIFY(health.connectionsAccepted() >= 1);
        QVERIFY(health.uptimeSeconds() >= 0);
        QCOMPARE(health.reconnects(), 0);
        QVERIFY(health.errorString().isEmpty());
        // An unknown query counts as an error by code at the hub; the next poll shows it.
        auto *reply = m_client->request(QJsonObject{{"type", "query"}, {"query", "no-such-query"}});
        QSignalSpy finished(reply, &transport::HubReply::finished);
        QVERIFY(finished.wait(5000));
        QTRY_VERIFY_WITH_TIMEOUT(!health.errorsByCode().isEmpty(), 10000);
        QCOMPARE(health.errorsByCode().first().toMap().value("code").toString(), QStringLiteral("UNKNOWN_QUERY"));
        QVERIFY(health.errorTotal() >= 1);

        // The hub restarts on the same port: the link drops and comes back, one reconnect.
        restartHub();
        QCOMPARE(health.disconnects(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(health.reconnects(), 1, 20000);
        QCOMPARE(m_client->state(), HubClient::State::Connected);
    }
};

int main(int argc, char *argv[])
{
    QApplication app(argc, argv); // QLineSeries (Qt Charts) needs it
    TestMetricsFeed test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_metrics_feed.moc"
