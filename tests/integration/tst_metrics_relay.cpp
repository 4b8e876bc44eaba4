// A Prod profile's long metrics windows: the Metrics pane's feed on the embedded hub, linked to a
// remote hub (in process here) whose demo fleet has reported for a simulated half hour before
// the link started. The embedded hub holds only the link's replay; the feed pages the rest from
// the remote hub (docs/protocol.md §15 "History") and merges it with the live relayed points by
// their origin — every remote point once. With the link down it falls back to what was relayed.

#include "demofleet.h"
#include "hubclient.h"
#include "hubserver.h"
#include "metricsfeed.h"
#include "metricsstore.h"
#include "upstreamlink.h"

#include <QApplication>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace opsdeck;
using namespace opsdeck::metrics;
using transport::HubClient;

class TestMetricsRelay : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void longWindowsOfARelayedSourceComeFromItsHub()
    {
        hub::HubServer remote(hub::HubConfig{});
        QVERIFY2(remote.listen(), qPrintable(remote.errorString()));
        hub::demo::DemoFleetConfig fleetConfig;
        fleetConfig.seed = 7;
        fleetConfig.realTime = false;
        fleetConfig.disconnects = false; // every source reports every tick: exact counts
        hub::demo::DemoFleet fleet(remote.registry(), fleetConfig);
        fleet.start();
        constexpr int kBefore = 1100; // more than one page per source
        for (int i = 0; i < kBefore; ++i)
            fleet.tick();
        const QString host = fleet.hosts().constFirst() + QStringLiteral("@prod");
        const QString agent = fleet.agentIds().constFirst() + QStringLiteral("@prod");

        hub::HubServer local(hub::HubConfig{});
        QVERIFY2(local.listen(), qPrintable(local.errorString()));
        hub::relay::UpstreamConfig linkConfig;
        linkConfig.label = QStringLiteral("prod");
        linkConfig.url = remote.url();
        linkConfig.metricsHistory = 40; // the replay: a few points of each source, not the half hour
        auto link = std::make_unique<hub::relay::UpstreamLink>(local, linkConfig);
        link->start();
        HubClient client;
        client.open(local.url());
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), HubClient::State::Connected, 10000);

        MetricsFeed feed;
        MetricsStore store;
        store.setFeed(&feed);
        QSignalSpy loaded(&feed, &MetricsFeed::historyLoaded);
        feed.setClient(&client);
        QTRY_VERIFY_WITH_TIMEOUT(store.count(host) > 0 && store.count(agent) > 0, 10000);
        const int relayedHost = store.count(host);
        QVERIFY2(relayedHost < 40, qPrintable(QString::number(relayedHost)));

        // The 24 h window: everything the remote hub kept of the host, each point once although
        // the newest ones also came live.
        feed.loadHistory(host, 24 * 3600);
        QVERIFY(loaded.wait(20000));
        QCOMPARE(store.count(host), kBefore);
        QVERIFY(feed.coveredSeconds(host) >= 24 * 3600);
        // Live points keep appending after it.
        for (int i = 0; i < 5; ++i)
            fleet.tick();
        QTRY_COMPARE_WITH_TIMEOUT(store.count(host), kBefore + 5, 10000);

        // The link goes: the agent's window is filled from what the embedded hub relayed, and is
        // asked of the remote hub again next time instead of being taken as covered.
        const int relayedAgent = store.count(agent);
        link.reset();
        loaded.clear();
        feed.loadHistory(agent, 24 * 3600);
        QVERIFY(loaded.wait(20000));
        QCOMPARE(store.count(agent), relayedAgent);
        QCOMPARE(feed.coveredSeconds(agent), 0);
        QCOMPARE(store.gapCount(), 0);
    }
};

int main(int argc, char *argv[])
{
    QApplication app(argc, argv); // MetricsStore fills Qt Charts series, which need it
    TestMetricsRelay test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_metrics_relay.moc"
