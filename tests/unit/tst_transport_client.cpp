// HubClient against an in-process fake hub on real loopback sockets: states, close-code
// policy, offline queue, requests, heartbeat, wake from sleep and token refresh.

#include "fakehub.h"
#include "faultproxy.h"
#include "hubclient.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace opsdeck::transport;
using namespace opsdeck::transport::testing;
using State = HubClient::State;

namespace {

// Fast timings so reconnects happen within the test's patience.
HubClientOptions fastOptions()
{
    HubClientOptions options;
    options.backoff.baseMs = 20;
    options.backoff.capMs = 200;
    options.heartbeatIntervalMs = 0; // off unless a test is about it
    options.watchNetwork = false;
    options.clockCheckIntervalMs = 0;
    return options;
}

// A port nobody listens on (yet): bind, read the port, release it.
quint16 freePort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    return server.serverPort();
}

QJsonObject query(const QString &name)
{
    return QJsonObject{{QStringLiteral("type"), QStringLiteral("query")}, {QStringLiteral("query"), name}};
}

QStringList idsOf(const QList<QJsonObject> &messages)
{
    QStringList ids;
    for (const QJsonObject &m : messages)
        ids.append(m.value(QLatin1StringView("id")).toString());
    return ids;
}

} // namespace

class TestClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void connectsAndClosesWithoutReconnecting()
    {
        FakeHub hub;
        QVERIFY(hub.listen());
        HubClient client(fastOptions());
        QSignalSpy states(&client, &HubClient::stateChanged);
        client.open(hub.url());
        QCOMPARE(client.state(), State::Connecting);
        QTRY_COMPARE(client.state(), State::Connected);
        QTRY_COMPARE(client.connectionInfo().value(QLatin1StringView("type")).toString(),
                     QStringLiteral("connection_established"));
        client.close();
        QTRY_COMPARE(client.state(), State::Disconnected);
        QCOMPARE(client.lastCloseCode(), 1000);
        QList<State> seen;
        for (const auto &args : states)
            seen.append(args.at(0).value<State>());
        QCOMPARE(seen, (QList<State>{State::Connecting, State::Connected, State::Disconnecting, State::Disconnected}));
        QSignalSpy again(&hub, &FakeHub::clientConnected);
        QVERIFY(!again.wait(300)); // a client-initiated 1000 is not retried
    }

    void requestsCorrelateById()
    {
        FakeHub hub;
        QVERIFY(hub.listen());
        HubClient client(fastOptions());
        client.open(hub.url());
        QTRY_COMPARE(client.state(), State::Connected);
        QPointer<HubReply> a = client.request(query(QStringLiteral("agents")));
        QPointer<HubReply> b = client.request(query(QStringLiteral("stats")));
        QSignalSpy aDone(a, &HubReply::finished), bDone(b, &HubReply::finished);
        QCOMPARE(client.inFlightCount(), 2);
        QTRY_COMPARE(aDone.count() + bDone.count(), 2);
        QCOMPARE(client.inFlightCount(), 0);
        QCOMPARE(client.acknowledgedCount(), 2);
        QCOMPARE(hub.receivedOfType(QStringLiteral("query")).size(), 2);
    }

    void queuesWhileOfflineAndFlushesInOrder()
    {
        const quint16 port = freePort();
        FakeHub hub;
        HubClient client(fastOptions());
        QSignalSpy queued(&client, &HubClient::queuedCountChanged);
        client.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/api/v1/ws/demo").arg(port)));
        QTRY_COMPARE(client.state(), State::Reconnecting);
        QStringList expected;
        QList<QPointer<HubReply>> replies;
        for (int i = 0; i < 5; ++i) {
            HubReply *reply = client.request(QJsonObject{{QStringLiteral("type"), QStringLiteral("query")},
                                                         {QStringLiteral("id"), QStringLiteral("q%1").arg(i)},
                                                         {QStringLiteral("query"), QStringLiteral("agents")}});
            replies.append(reply);
            expected.append(reply->id());
            if (i == 2) {
                QVERIFY(client.send(QJsonObject{{QStringLiteral("type"), QStringLiteral("identify_client")},
                                                {QStringLiteral("id"), QStringLiteral("fire")}}));
                expected.append(QStringLiteral("fire"));
            }
        }
        QCOMPARE(client.queuedCount(), 6);
        QVERIFY(queued.count() >= 6);
        QCOMPARE(client.inFlightCount(), 0);
        QVERIFY(hub.listen(port));
        QTRY_COMPARE(client.state(), State::Connected);
        QTRY_COMPARE(hub.received().size(), 6);
        QCOMPARE(idsOf(hub.received()), expected);
        QCOMPARE(client.queuedCount(), 0);
        QTRY_COMPARE(client.acknowledgedCount(), 5);
        for (const auto &reply : replies)
            QVERIFY(!reply || reply->isFinished());
    }

    void overflowIsReportedToTheSender()
    {
        HubClientOptions options = fastOptions();
        options.queue.maxMessages = 3;
        options.queue.maxBytes = 100000;
        HubClient client(options);
        QSignalSpy dropped(&client, &HubClient::messageDropped);
        for (int i = 0; i < 3; ++i)
            client.request(query(QStringLiteral("agents")));
        HubReply *fourth = client.sendCommand(QStringLiteral("web-01"), QStringLiteral("echo hi"));
        QSignalSpy failed(fourth, &HubReply::failed);
        QVERIFY(failed.wait(1000));
        QCOMPARE(failed.first().at(0).toString(), QStringLiteral("QUEUE_FULL"));
        QCOMPARE(dropped.count(), 1);
        QCOMPARE(dropped.first().at(1).toString(), QStringLiteral("QUEUE_FULL"));
        QCOMPARE(client.queuedCount(), 3);
        QVERIFY(!client.send(QJsonObject{{QStringLiteral("type"), QStringLiteral("identify_client")}}));
        QCOMPARE(dropped.count(), 2);

        // The byte bound too.
        options.queue.maxMessages = 1000;
        options.queue.maxBytes = 300;
        HubClient small(options);
        QVERIFY(small.send(QJsonObject{{QStringLiteral("type"), QStringLiteral("x")},
                                       {QStringLiteral("pad"), QString(150, QLatin1Char('a'))}}));
        QSignalSpy smallDropped(&small, &HubClient::messageDropped);
        QVERIFY(!small.send(QJsonObject{{QStringLiteral("type"), QStringLiteral("x")},
                                        {QStringLiteral("pad"), QString(150, QLatin1Char('a'))}}));
        QCOMPARE(smallDropped.count(), 1);
        QVERIFY(smallDropped.first().at(2).toString().contains(QStringLiteral("byte")));
    }

    void ttlExpiryIsReportedAndNothingStaleIsSent()
    {
        const quint16 port = freePort();
        HubClient client(fastOptions());
        client.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/api/v1/ws/demo").arg(port)));
        QSignalSpy dropped(&client, &HubClient::messageDropped);
        RequestOptions shortLived;
        shortLived.ttlMs = 150;
        HubReply *reply = client.request(query(QStringLiteral("agents")), shortLived);
        QSignalSpy failed(reply, &HubReply::failed);
        QVERIFY(client.send(QJsonObject{{QStringLiteral("type"), QStringLiteral("identify_client")}}, 150));
        HubReply *keeper = client.request(query(QStringLiteral("stats"))); // default TTL: one minute
        const QString keeperId = keeper->id();
        QCOMPARE(client.queuedCount(), 3);
        QVERIFY(failed.wait(2000));
        QCOMPARE(failed.first().at(0).toString(), QStringLiteral("EXPIRED"));
        QTRY_COMPARE(dropped.count(), 2);
        QCOMPARE(client.queuedCount(), 1);
        FakeHub hub;
        QVERIFY(hub.listen(port));
        QTRY_COMPARE(hub.received().size(), 1);
        QCOMPARE(idsOf(hub.received()), QStringList{keeperId});
    }

    void requestTimeout()
    {
        FakeHub hub;
        QVERIFY(hub.listen());
        hub.setAnswerRequests(false);
        HubClient client(fastOptions());
        client.open(hub.url());
        QTRY_COMPARE(client.state(), State::Connected);
        RequestOptions options;
        options.timeoutMs = 200;
        QElapsedTimer timer;
        timer.start();
        HubReply *reply = client.request(query(QStringLiteral("agents")), options);
        QSignalSpy failed(reply, &HubReply::failed);
        QVERIFY(failed.wait(3000));
        QCOMPARE(failed.first().at(0).toString(), QStringLiteral("TIMEOUT"));
        QVERIFY2(timer.elapsed() >= 190, qPrintable(QString::number(timer.elapsed()))); // ms clock granularity
        QCOMPARE(client.inFlightCount(), 0);
    }

    void cancelQueuedAndInFlight()
    {
        FakeHub hub;
        hub.setCommandDelayMs(-1); // runs until cancelled
        HubClient client(fastOptions());
        // Queued: cancelled before it was ever sent.
        HubReply *queued = client.request(query(QStringLiteral("agents")));
        QSignalSpy queuedFailed(queued, &HubReply::failed);
        QVERIFY(client.cancel(queued->id()));
        QCOMPARE(queuedFailed.count(), 1);
        QCOMPARE(queuedFailed.first().at(0).toString(), QStringLiteral("CANCELLED"));
        QCOMPARE(client.queuedCount(), 0);

        QVERIFY(hub.listen());
        client.open(hub.url());
        QTRY_COMPARE(client.state(), State::Connected);
        HubReply *command = client.sendCommand(QStringLiteral("web-01"), QStringLiteral("sleep 60"));
        const QString id = command->id();
        QSignalSpy acknowledged(command, &HubReply::acknowledged);
        QSignalSpy failed(command, &HubReply::failed);
        QVERIFY(acknowledged.wait(2000));
        QVERIFY(client.cancel(id));
        QCOMPARE(failed.count(), 1);
        QCOMPARE(failed.first().at(0).toString(), QStringLiteral("CANCELLED"));
        QTRY_COMPARE(hub.receivedOfType(QStringLiteral("cancel")).size(), 1);
        QCOMPARE(hub.receivedOfType(QStringLiteral("cancel")).first().value(QLatin1StringView("commandId")).toString(), id);
        QVERIFY(!client.cancel(id));
        QCOMPARE(client.inFlightCount(), 0);
    }

    void tooBigIsRefusedLocally()
    {
        HubClient client(fastOptions());
        HubReply *reply = client.request(QJsonObject{{QStringLiteral("type"), QStringLiteral("query")},
                                                     {QStringLiteral("pad"), QString(1100000, QLatin1Char('a'))}});
        QSignalSpy failed(reply, &HubReply::failed);
        QVERIFY(failed.wait(1000));
        QCOMPARE(failed.first().at(0).toString(), QStringLiteral("TOO_BIG"));
        QCOMPARE(client.queuedCount(), 0);
    }

    void tooBigCloseDropsTheLastMessageAndReconnects()
    {
        FakeHub hub;
        QVERIFY(hub.listen());
        hub.setAnswerRequests(false);
        HubClient client(fastOptions());
        client.open(hub.url());
        QTRY_COMPARE(client.state(), State::Connected);
        HubReply *first = client.request(query(QStringLiteral("agents")));
        HubReply *last = client.request(query(QStringLiteral("stats")));
        const QString firstId = first->id();
        QSignalSpy lastFailed(last, &HubReply::failed);
        QTRY_COMPARE(hub.received().size(), 2);
        hub.closeAll(1009, QStringLiteral("message too big"));
        QVERIFY(lastFailed.wait(2000));
        QCOMPARE(lastFailed.first().at(0).toString(), QStringLiteral("TOO_BIG"));
        QTRY_COMPARE(client.state(), State::Connected);
        // The earlier request is resent with its id; the offending one is not.
        QTRY_COMPARE(hub.received().size(), 3);
        QCOMPARE(hub.received().last().value(QLatin1StringView("id")).toString(), firstId);
        QCOMPARE(client.inFlightCount(), 1);
    }

    void retryingCloseCodesReconnect_data()
    {
        QTest::addColumn<int>("code");
        QTest::newRow("1000 ping timeout") << 1000;
        QTest::newRow("1001 going away") << 1001;
        QTest::newRow("1011 internal") << 1011;
    }

    void retryingCloseCodesReconnect()
    {
        QFETCH(int, code);
        FakeHub hub;
        QVERIFY(hub.listen());
        HubClient client(fastOptions());
        QSignalSpy disconnected(&client, &HubClient::disconnected);
        client.open(hub.url());
        QTRY_COMPARE(client.state(), State::Connected);
        hub.closeAll(code, QStringLiteral("bye"));
        QVERIFY(disconnected.wait(2000));
        QCOMPARE(disconnected.first().at(0).toInt(), code);
        QCOMPARE(client.lastCloseCode(), code);
        QCOMPARE(client.lastCloseReason(), QStringLiteral("bye"));
        QTRY_COMPARE(hub.connectionsAccepted(), 2);
        QTRY_COMPARE(client.state(), State::Connected);
    }

    void stoppingCloseCodesFail_data()
    {
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("4409 session replaced") << 4409 << QStringLiteral("Session replaced");
        QTest::newRow("4403 forbidden") << 4403 << QStringLiteral("forbidden");
        QTest::newRow("1008 policy") << 1008 << QStringLiteral("policy violation");
    }

    void stoppingCloseCodesFail()
    {
        QFETCH(int, code);
        QFETCH(QString, message);
        FakeHub hub;
        QVERIFY(hub.listen());
        HubClient client(fastOptions());
        QSignalSpy failed(&client, &HubClient::failed);
        QSignalSpy login(&client, &HubClient::loginRequired);
        client.open(hub.url());
        QTRY_COMPARE(client.state(), State::Connected);
        hub.closeAll(code, QStringLiteral("by the hub"));
        QVERIFY(failed.wait(2000));
        QVERIFY2(failed.first().at(0).toString().contains(message, Qt::CaseInsensitive),
                 qPrintable(failed.first().at(0).toString()));
        QCOMPARE(client.state(), State::Failed);
        QCOMPARE(client.failureMessage(), failed.first().at(0).toString());
        QCOMPARE(login.count(), 0);
        QSignalSpy again(&hub, &FakeHub::clientConnected);
        QVERIFY(!again.wait(400)); // backoff would have retried within ~200 ms
        QCOMPARE(hub.connectionsAccepted(), 1);
    }

    void unauthenticatedStopsAndAFreshTokenIsUsed()
    {
        FakeHub hub;
        hub.setRequiredToken(QStringLiteral("fresh-token"));
        QVERIFY(hub.listen());
        HubClient client(fastOptions());
        QString token = QStringLiteral("stale-token");
        int asked = 0;
        client.setTokenProvider([&] {
            ++asked;
            return token;
        });
        QSignalSpy login(&client, &HubClient::loginRequired);
        client.open(hub.url());
        QVERIFY(login.wait(2000));
        QCOMPARE(client.state(), State::Failed);
        QCOMPARE(hub.lastAuthorization(), QStringLiteral("Bearer stale-token"));
        QSignalSpy again(&hub, &FakeHub::clientConnected);
        QVERIFY(!again.wait(400));
        QCOMPARE(hub.connectionsAccepted(), 1);
        QCOMPARE(asked, 1);

        token = QStringLiteral("fresh-token"); // a login refreshed it; no restart of anything
        client.open(hub.url());
        QTRY_COMPARE(client.state(), State::Connected);
        QCOMPARE(hub.lastAuthorization(), QStringLiteral("Bearer fresh-token"));
        QCOMPARE(asked, 2);
    }

    void rateLimitedWaitsRetryAfter()
    {
        FakeHub hub;
        QVERIFY(hub.listen());
        HubClient client(fastOptions());
        client.open(hub.url());
        QTRY_COMPARE(client.state(), State::Connected);
        QSignalSpy reconnected(&hub, &FakeHub::clientConnected);
        QSignalSpy disconnected(&client, &HubClient::disconnected);
        const QJsonObject error{{QStringLiteral("type"), QStringLiteral("error")},
                                {QStringLiteral("code"), QStringLiteral("RATE_LIMIT_EXCEEDED")},
                                {QStringLiteral("message"), QStringLiteral("Too many requests")},
                                {QStringLiteral("details"), QJsonObject{{QStringLiteral("limit"), 600},
                                                                        {QStringLiteral("window"), QStringLiteral("1m")},
                                                                        {QStringLiteral("retry_after"), 1}}}};
        hub.closeAll(4429, QStringLiteral("rate limited"), error);
        QVERIFY(disconnected.wait(2000));
        QElapsedTimer sinceClose;
        sinceClose.start();
        QCOMPARE(client.state(), State::Reconnecting);
        const qint64 announced = QDateTime::currentMSecsSinceEpoch() - client.nextAttemptAt().toMSecsSinceEpoch();
        QVERIFY2(announced <= -900, qPrintable(QString::number(announced))); // countdown shows ~1 s
        client.reconnectNow(); // must not cut the hub's wait short
        QVERIFY(reconnected.wait(5000));
        QVERIFY2(sinceClose.elapsed() >= 950, qPrintable(QString::number(sinceClose.elapsed())));
        QTRY_COMPARE(client.state(), State::Connected);
    }

    void attemptLimitEndsInFailed()
    {
        HubClientOptions options = fastOptions();
        options.backoff.maxAttempts = 3;
        HubClient client(options);
        QSignalSpy failed(&client, &HubClient::failed);
        QSignalSpy next(&client, &HubClient::nextAttemptChanged);
        client.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/api/v1/ws/demo").arg(freePort())));
        QVERIFY(failed.wait(5000));
        QCOMPARE(client.state(), State::Failed);
        QCOMPARE(client.reconnectAttempt(), 3);
        QVERIFY(failed.first().at(0).toString().contains(QStringLiteral("3")));
        QVERIFY(next.count() >= 3);
    }

    void frozenPeerIsDetectedWithinTwoHeartbeats()
    {
        FakeHub hub;
        QVERIFY(hub.listen());
        FaultProxy proxy(hub.port());
        QVERIFY(proxy.listen());
        HubClientOptions options = fastOptions();
        const int interval = 300;
        options.heartbeatIntervalMs = interval;
        HubClient client(options);
        QSignalSpy dead(&client, &HubClient::heartbeatTimedOut);
        QSignalSpy latency(&client, &HubClient::latencyChanged);
        client.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/api/v1/ws/demo").arg(proxy.port())));
        QTRY_COMPARE(client.state(), State::Connected);
        // A healthy peer answers pings: no false alarm over several intervals.
        QVERIFY(!dead.wait(4 * interval));
        QVERIFY(latency.count() >= 2);
        QVERIFY(client.latencyMs() >= 0);

        proxy.freeze();
        QElapsedTimer timer;
        timer.start();
        QVERIFY(dead.wait(10 * interval));
        const qint64 detected = timer.elapsed();
        // Dead means 2 intervals without a pong since the last one; the last pong came at most
        // one ping period before the freeze, so detection lands within 2 intervals of it
        // (plus the watchdog's tick and scheduling slack on a loaded 2-core machine).
        QVERIFY2(detected <= 3 * interval, qPrintable(QString::number(detected)));
        QVERIFY2(detected >= interval, qPrintable(QString::number(detected)));
        QCOMPARE(client.lastCloseReason(), QStringLiteral("heartbeat timeout"));
        QTRY_COMPARE(proxy.connectionsAccepted(), 2);
        QTRY_COMPARE(client.state(), State::Connected);
    }

    void cutConnectionReconnects()
    {
        FakeHub hub;
        QVERIFY(hub.listen());
        FaultProxy proxy(hub.port());
        QVERIFY(proxy.listen());
        HubClient client(fastOptions());
        QSignalSpy disconnected(&client, &HubClient::disconnected);
        client.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/api/v1/ws/demo").arg(proxy.port())));
        QTRY_COMPARE(client.state(), State::Connected);
        proxy.cut();
        QVERIFY(disconnected.wait(2000));
        QCOMPARE(disconnected.first().at(0).toInt(), 1006);
        QTRY_COMPARE(client.state(), State::Connected);
        QCOMPARE(proxy.connectionsAccepted(), 2);
    }

    void wakeFromSleepAttemptsAtOnce()
    {
        HubClientOptions options = fastOptions();
        options.backoff.baseMs = 60000; // the backoff alone would wait ~54 s
        options.backoff.capMs = 60000;
        options.clockCheckIntervalMs = 50;
        HubClient client(options);
        client.setRandomSource([] { return 0.9; });
        auto clock = std::make_shared<ManualClock>();
        client.setClock(clock);
        const quint16 port = freePort();
        QSignalSpy wake(&client, &HubClient::wakeDetected);
        client.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/api/v1/ws/demo").arg(port)));
        QTRY_COMPARE(client.state(), State::Reconnecting);
        QVERIFY(client.nextAttemptAt().toMSecsSinceEpoch() - clock->wallMs() > 30000);
        FakeHub hub;
        QVERIFY(hub.listen(port));
        QVERIFY(!wake.wait(200)); // the clocks agree: no wake, no attempt
        QCOMPARE(hub.connectionsAccepted(), 0);

        clock->simulateSleep(3600 * 1000);
        QVERIFY(wake.wait(2000));
        QVERIFY(wake.first().at(0).toLongLong() >= 3600 * 1000 - 1000);
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Connected, 3000);
    }

    void networkChangeAttemptsAtOnce()
    {
        HubClientOptions options = fastOptions();
        options.backoff.baseMs = 60000;
        options.backoff.capMs = 60000;
        HubClient client(options);
        client.setRandomSource([] { return 0.9; });
        const quint16 port = freePort();
        client.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/api/v1/ws/demo").arg(port)));
        QTRY_COMPARE(client.state(), State::Reconnecting);
        FakeHub hub;
        QVERIFY(hub.listen(port));
        client.handleNetworkChange();
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Connected, 3000);
    }

    void countsAreNotified()
    {
        FakeHub hub;
        hub.setCommandDelayMs(-1);
        QVERIFY(hub.listen());
        HubClient client(fastOptions());
        QSignalSpy inFlight(&client, &HubClient::inFlightCountChanged);
        QSignalSpy acked(&client, &HubClient::acknowledgedCountChanged);
        QSignalSpy sent(&client, &HubClient::sentCountChanged);
        client.open(hub.url());
        QTRY_COMPARE(client.state(), State::Connected);
        HubReply *command = client.sendCommand(QStringLiteral("web-01"), QStringLiteral("echo hi"));
        const QString id = command->id();
        QSignalSpy finished(command, &HubReply::finished);
        QCOMPARE(client.inFlightCount(), 1);
        QTRY_COMPARE(client.acknowledgedCount(), 1);
        QCOMPARE(client.inFlightCount(), 1); // accepted, the result is still due
        hub.completeCommand(id);
        QVERIFY(finished.wait(2000));
        QCOMPARE(client.inFlightCount(), 0);
        QCOMPARE(client.acknowledgedCount(), 1);
        QVERIFY(inFlight.count() >= 2);
        QVERIFY(acked.count() >= 1);
        QVERIFY(sent.count() >= 1);
    }
};

QTEST_GUILESS_MAIN(TestClient)
#include "tst_transport_client.moc"
