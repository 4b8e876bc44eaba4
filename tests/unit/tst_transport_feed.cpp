// FeedSubscription, the live stream a console pane's feed holds (LogFeed, MetricsFeed): its
// state in the panes' words, the hub's refusal, entries passed on, and a close the hub hears.

#include "fakehub.h"
#include "feedsubscription.h"
#include "hubclient.h"

#include <QSignalSpy>
#include <QTest>

using namespace opsdeck::transport;
using namespace opsdeck::transport::testing;

class TestTransportFeed : public QObject
{
    Q_OBJECT

    static HubClientOptions options()
    {
        HubClientOptions options;
        options.watchNetwork = false;
        options.heartbeatIntervalMs = 0;
        return options;
    }

private Q_SLOTS:
    void streamsUntilClosedAndTheHubHearsIt()
    {
        FakeHub hub;
        QVERIFY(hub.listen());
        HubClient client(options());
        client.open(hub.url());
        FeedSubscription feed(QStringLiteral("logs"));
        QCOMPARE(feed.stateName(), QString());
        QSignalSpy entries(&feed, &FeedSubscription::entriesReceived);
        QSignalSpy unsubscribed(&hub, &FakeHub::messageReceived);
        SubscribeOptions history;
        history.history = 0;
        feed.open(client, history);
        QVERIFY(feed.isOpen());
        QCOMPARE(feed.stateName(), QStringLiteral("pending"));
        QTRY_COMPARE(feed.stateName(), QStringLiteral("active"));
        feed.open(client, history); // already open: still one subscription
        hub.publishLogs(3);
        QTRY_VERIFY(!entries.isEmpty());
        int received = 0;
        for (const auto &args : entries)
            received += int(args.at(0).value<QList<QJsonObject>>().size());
        QTRY_COMPARE(received, 3);

        QSignalSpy state(&feed, &FeedSubscription::stateChanged);
        feed.close();
        QVERIFY(!feed.isOpen());
        QCOMPARE(feed.stateName(), QString());
        QCOMPARE(state.count(), 1);
        QTRY_VERIFY([&] {
            for (const auto &args : unsubscribed) {
                if (args.at(0).toJsonObject().value(QLatin1StringView("type")).toString() == QLatin1StringView("unsubscribe"))
                    return true;
            }
            return false;
        }());
    }

    void refusalIsFailedWithTheHubsWords()
    {
        FakeHub hub;
        QVERIFY(hub.listen());
        HubClient client(options());
        client.open(hub.url());
        FeedSubscription feed(QStringLiteral("nope"));
        QSignalSpy refused(&feed, &FeedSubscription::refused);
        feed.open(client, SubscribeOptions{});
        QVERIFY(refused.wait(5000));
        QCOMPARE(refused.first().at(0).toString(), QStringLiteral("UNKNOWN_TOPIC"));
        QCOMPARE(feed.stateName(), QStringLiteral("failed"));
        QCOMPARE(feed.errorString(), QStringLiteral("unknown topic"));
    }

    void clientGoingAwayEndsTheStream()
    {
        FakeHub hub;
        QVERIFY(hub.listen());
        auto client = std::make_unique<HubClient>(options());
        client->open(hub.url());
        FeedSubscription feed(QStringLiteral("logs"));
        feed.open(*client, SubscribeOptions{});
        QSignalSpy state(&feed, &FeedSubscription::stateChanged);
        client.reset(); // owns its subscriptions
        QVERIFY(!feed.isOpen());
        QCOMPARE(feed.stateName(), QString());
        QVERIFY(!state.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestTransportFeed)
#include "tst_transport_feed.moc"
