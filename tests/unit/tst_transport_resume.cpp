// Subscriptions survive reconnects: exact resume with `since` (recovered:true) against a fake
// hub that keeps its epoch, an explicit gap on a new epoch or lost retention, duplicates
// dropped; and a command resent after a reconnect keeps its id, so it runs once.

#include "fakehub.h"
#include "faultproxy.h"
#include "hubclient.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace opsdeck::transport;
using namespace opsdeck::transport::testing;
using State = HubClient::State;

namespace {

HubClientOptions fastOptions()
{
    HubClientOptions options;
    options.backoff.baseMs = 20;
    options.backoff.capMs = 200;
    options.heartbeatIntervalMs = 0;
    options.watchNetwork = false;
    options.clockCheckIntervalMs = 0;
    return options;
}

// Collects what a subscriber sees, in order.
struct Collector
{
    explicit Collector(ClientSubscription *subscription)
    {
        QObject::connect(subscription, &ClientSubscription::entriesReceived, subscription,
                         [this](const QList<QJsonObject> &entries) {
                             for (const QJsonObject &entry : entries) {
                                 seqs.append(entry.value(QLatin1StringView("seq")).toInteger());
                                 epochs.append(entry.value(QLatin1StringView("epoch")).toString());
                             }
                         });
        QObject::connect(subscription, &ClientSubscription::gap, subscription,
                         [this](const QJsonObject &marker) { gaps.append(marker); });
        QObject::connect(subscription, &ClientSubscription::recovered, subscription,
                         [this](bool ok) { recovered.append(ok); });
    }
    QList<qint64> seqs;
    QStringList epochs;
    QList<QJsonObject> gaps;
    QList<bool> recovered;
};

QList<qint64> range(qint64 from, qint64 to)
{
    QList<qint64> out;
    for (qint64 i = from; i <= to; ++i)
        out.append(i);
    return out;
}

QJsonObject logFields(int i)
{
    return QJsonObject{{QStringLiteral("type"), QStringLiteral("log")},
                       {QStringLiteral("stream"), QStringLiteral("stdout")},
                       {QStringLiteral("message"), QStringLiteral("line %1").arg(i)}};
}

} // namespace

class TestResume : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void exactResumeAfterHubRestartWithSameEpoch()
    {
        FakeHub hub;
        QVERIFY(hub.listen());
        for (int i = 1; i <= 10; ++i)
            hub.publish(QStringLiteral("logs"), logFields(i));
        HubClient client(fastOptions());
        SubscribeOptions options;
        options.history = 1000;
        ClientSubscription *logs = client.subscribe(QStringLiteral("logs"), options); // before connecting
        Collector seen(logs);
        client.open(hub.url());
        QTRY_COMPARE(seen.seqs.size(), 10);
        QCOMPARE(logs->state(), ClientSubscription::State::Active);
        for (int i = 11; i <= 15; ++i)
            hub.publish(QStringLiteral("logs"), logFields(i));
        QTRY_COMPARE(seen.seqs.size(), 15);

        // The hub process "restarts" on the same port but keeps its history and epoch; entries
        // published while the client is away must arrive after the resume, exactly once.
        hub.stop();
        QTRY_COMPARE(client.state(), State::Reconnecting);
        for (int i = 16; i <= 20; ++i)
            hub.publish(QStringLiteral("logs"), logFields(i));
        QVERIFY(hub.listen(hub.port()));
        QTRY_COMPARE(seen.recovered.size(), 1);
        QCOMPARE(seen.recovered.first(), true);
        for (int i = 21; i <= 25; ++i)
            hub.publish(QStringLiteral("logs"), logFields(i));
        QTRY_COMPARE(seen.seqs.size(), 25);
        QCOMPARE(seen.seqs, range(1, 25));
        QVERIFY(seen.gaps.isEmpty());
        const auto subscribes = hub.receivedOfType(QStringLiteral("subscribe"));
        QCOMPARE(subscribes.size(), 2);
        const QJsonObject since = subscribes.last().value(QLatin1StringView("since")).toObject();
        QCOMPARE(since.value(QLatin1StringView("seq")).toInteger(), 15);
        QCOMPARE(since.value(QLatin1StringView("epoch")).toString(), hub.epoch(QStringLiteral("logs")));
        QCOMPARE(logs->lastSeq(), 25);
    }

    void exactResumeAfterCutConnection()
    {
        FakeHub hub;
        QVERIFY(hub.listen());
        FaultProxy proxy(hub.port());
        QVERIFY(proxy.listen());
        HubClient client(fastOptions());
        client.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/api/v1/ws/demo").arg(proxy.port())));
        QTRY_COMPARE(client.state(), State::Connected);
        ClientSubscription *events = client.subscribe(QStringLiteral("agents")); // while connected
        Collector seen(events);
        QTRY_COMPARE(events->state(), ClientSubscription::State::Active);
        for (int i = 1; i <= 5; ++i)
            hub.publish(QStringLiteral("agents"), QJsonObject{{QStringLiteral("event"), QStringLiteral("heartbeat")}});
        QTRY_COMPARE(seen.seqs.size(), 5);
        proxy.cut();
        QTRY_VERIFY(client.state() != State::Connected);
        for (int i = 6; i <= 9; ++i)
            hub.publish(QStringLiteral("agents"), QJsonObject{{QStringLiteral("event"), QStringLiteral("heartbeat")}});
        QTRY_COMPARE(seen.seqs.size(), 9);
        QCOMPARE(seen.seqs, range(1, 9));
        QCOMPARE(seen.recovered, QList<bool>{true});
        QVERIFY(seen.gaps.isEmpty());
    }

    void newEpochGivesRecoveredFalseAndAGap()
    {
        FakeHub hub;
        QVERIFY(hub.listen());
        HubClient client(fastOptions());
        SubscribeOptions options;
        options.history = 1000;
        ClientSubscription *logs = client.subscribe(QStringLiteral("logs"), options);
        Collector seen(logs);
        client.open(hub.url());
        for (int i = 1; i <= 4; ++i)
            hub.publish(QStringLiteral("logs"), logFields(i));
        QTRY_COMPARE(seen.seqs.size(), 4);
        const QString oldEpoch = logs->epoch();

        hub.stop();
        hub.newEpoch(QStringLiteral("logs")); // a restarted hub without a persistent store
        for (int i = 1; i <= 3; ++i)
            hub.publish(QStringLiteral("logs"), logFields(i));
        QVERIFY(hub.listen(hub.port()));
        QTRY_COMPARE(seen.recovered.size(), 1);
        QCOMPARE(seen.recovered.first(), false);
        QTRY_COMPARE(seen.gaps.size(), 1);
        QCOMPARE(seen.gaps.first().value(QLatin1StringView("reason")).toString(), QStringLiteral("epoch_changed"));
        // The new epoch's entries start again at 1: they are not mistaken for duplicates.
        QTRY_COMPARE(seen.seqs.size(), 7);
        QCOMPARE(seen.seqs, (QList<qint64>{1, 2, 3, 4, 1, 2, 3}));
        QVERIFY(logs->epoch() != oldEpoch);
        QCOMPARE(seen.epochs.last(), hub.epoch(QStringLiteral("logs")));
    }

    void retentionExceededGivesAGapWithRange()
    {
        FakeHub hub;
        hub.setRetention(5);
        QVERIFY(hub.listen());
        HubClient client(fastOptions());
        ClientSubscription *status = client.subscribe(QStringLiteral("status"));
        Collector seen(status);
        client.open(hub.url());
        QTRY_COMPARE(status->state(), ClientSubscription::State::Active);
        hub.publish(QStringLiteral("status"), QJsonObject{{QStringLiteral("status"), QStringLiteral("idle")}});
        QTRY_COMPARE(seen.seqs.size(), 1);
        hub.stop();
        for (int i = 0; i < 20; ++i) // seq 2..21, only 17..21 retained
            hub.publish(QStringLiteral("status"), QJsonObject{{QStringLiteral("status"), QStringLiteral("busy")}});
        QVERIFY(hub.listen(hub.port()));
        QTRY_COMPARE(seen.gaps.size(), 1);
        QCOMPARE(seen.recovered, QList<bool>{false});
        const QJsonObject gap = seen.gaps.first();
        QCOMPARE(gap.value(QLatin1StringView("reason")).toString(), QStringLiteral("retention_exceeded"));
        QCOMPARE(gap.value(QLatin1StringView("from_seq")).toInteger(), 2);
        QCOMPARE(gap.value(QLatin1StringView("to_seq")).toInteger(), 16);
    }

    void duplicatesAreDropped()
    {
        FakeHub hub;
        QVERIFY(hub.listen());
        HubClient client(fastOptions());
        ClientSubscription *logs = client.subscribe(QStringLiteral("logs"));
        Collector seen(logs);
        client.open(hub.url());
        for (int i = 1; i <= 3; ++i)
            hub.publish(QStringLiteral("logs"), logFields(i));
        QTRY_COMPARE(seen.seqs.size(), 3);
        const QString epoch = logs->epoch();
        auto entry = [&](qint64 seq) {
            return QJsonObject{{QStringLiteral("type"), QStringLiteral("log")}, {QStringLiteral("seq"), seq},
                               {QStringLiteral("message"), QStringLiteral("x")}};
        };
        // A replay overlapping what was already delivered, as after a resume race.
        hub.sendToAll(QJsonObject{{QStringLiteral("type"), QStringLiteral("batch")},
                                  {QStringLiteral("topic"), QStringLiteral("logs")},
                                  {QStringLiteral("sub"), logs->hubSubId()},
                                  {QStringLiteral("epoch"), epoch},
                                  {QStringLiteral("logs"), QJsonArray{entry(2), entry(3), entry(4)}},
                                  {QStringLiteral("count"), 3}});
        QJsonObject single = entry(4);
        single.insert(QStringLiteral("sub"), logs->hubSubId());
        single.insert(QStringLiteral("epoch"), epoch);
        hub.sendToAll(single);
        single.insert(QStringLiteral("seq"), 5);
        hub.sendToAll(single);
        QTRY_COMPARE(seen.seqs.size(), 5);
        QCOMPARE(seen.seqs, range(1, 5));
        QCOMPARE(logs->duplicatesDropped(), 3);
    }

    void typedDeliveriesReachTheirSubscription()
    {
        FakeHub hub;
        QVERIFY(hub.listen());
        HubClient client(fastOptions());
        ClientSubscription *metrics = client.subscribe(QStringLiteral("metrics"));
        ClientSubscription *flow = client.subscribe(QStringLiteral("flow"));
        Collector metricsSeen(metrics), flowSeen(flow);
        client.open(hub.url());
        QTRY_COMPARE(flow->state(), ClientSubscription::State::Active);
        hub.publish(QStringLiteral("metrics"), QJsonObject{{QStringLiteral("type"), QStringLiteral("metrics")},
                                                           {QStringLiteral("cpu"), 45.2}});
        hub.publish(QStringLiteral("flow"), QJsonObject{{QStringLiteral("type"), QStringLiteral("block_started_enhanced")}});
        hub.publish(QStringLiteral("flow"), QJsonObject{{QStringLiteral("type"), QStringLiteral("block_executed_enhanced")}});
        QTRY_COMPARE(flowSeen.seqs.size(), 2);
        QCOMPARE(metricsSeen.seqs, QList<qint64>{1});
        QVERIFY(metrics->hubSubId() != flow->hubSubId());
    }

    void refusedSubscriptionFailsAndIsNotRetried()
    {
        FakeHub hub;
        QVERIFY(hub.listen());
        HubClient client(fastOptions());
        ClientSubscription *bad = client.subscribe(QStringLiteral("nope"));
        QSignalSpy failed(bad, &ClientSubscription::failed);
        client.open(hub.url());
        QVERIFY(failed.wait(2000));
        QCOMPARE(failed.first().at(0).toString(), QStringLiteral("UNKNOWN_TOPIC"));
        QCOMPARE(bad->state(), ClientSubscription::State::Failed);
        hub.closeAll(1001);
        QTRY_COMPARE(hub.connectionsAccepted(), 2);
        QTRY_COMPARE(client.state(), State::Connected);
        QCOMPARE(hub.receivedOfType(QStringLiteral("subscribe")).size(), 1);
    }

    void unsubscribeTellsTheHub()
    {
        FakeHub hub;
        QVERIFY(hub.listen());
        HubClient client(fastOptions());
        ClientSubscription *logs = client.subscribe(QStringLiteral("logs"));
        client.open(hub.url());
        QTRY_COMPARE(logs->state(), ClientSubscription::State::Active);
        const QString sub = logs->hubSubId();
        delete logs;
        QTRY_COMPARE(hub.receivedOfType(QStringLiteral("unsubscribe")).size(), 1);
        QCOMPARE(hub.receivedOfType(QStringLiteral("unsubscribe")).first().value(QLatin1StringView("sub")).toString(), sub);
        QVERIFY(client.subscriptions().isEmpty());
    }

    void commandResentAfterReconnectRunsOnce()
    {
        FakeHub hub;
        hub.setCommandDelayMs(-1);
        QVERIFY(hub.listen());
        HubClient client(fastOptions());
        client.open(hub.url());
        QTRY_COMPARE(client.state(), State::Connected);
        HubReply *reply = client.sendCommand(QStringLiteral("web-01"), QStringLiteral("echo once"));
        const QString id = reply->id();
        QSignalSpy finished(reply, &HubReply::finished);
        QSignalSpy acknowledged(reply, &HubReply::acknowledged);
        QVERIFY(acknowledged.wait(2000));
        hub.closeAll(1001, QStringLiteral("draining"));
        QTRY_COMPARE(hub.receivedOfType(QStringLiteral("command")).size(), 2);
        const auto commands = hub.receivedOfType(QStringLiteral("command"));
        QCOMPARE(commands.at(1).value(QLatin1StringView("id")).toString(), id);
        QTRY_COMPARE(acknowledged.count(), 2);
        QCOMPARE(acknowledged.last().at(0).toJsonObject().value(QLatin1StringView("duplicate")).toBool(), true);
        QCOMPARE(hub.executions(id), 1);
        hub.completeCommand(id);
        QVERIFY(finished.wait(2000));
        QCOMPARE(finished.count(), 1);
        QCOMPARE(client.inFlightCount(), 0);
    }

    void resultProducedDuringOutageIsReplayedOnResend()
    {
        FakeHub hub;
        hub.setCommandDelayMs(-1);
        QVERIFY(hub.listen());
        FaultProxy proxy(hub.port());
        QVERIFY(proxy.listen());
        HubClient client(fastOptions());
        client.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/api/v1/ws/demo").arg(proxy.port())));
        QTRY_COMPARE(client.state(), State::Connected);
        HubReply *reply = client.sendCommand(QStringLiteral("web-01"), QStringLiteral("echo replay"));
        const QString id = reply->id();
        QSignalSpy finished(reply, &HubReply::finished);
        // The reply deletes itself after finished(): read it there.
        QString errorCode = QStringLiteral("unset");
        int sendCount = 0;
        QJsonObject finalMessage;
        connect(reply, &HubReply::finished, this, [&, reply] {
            errorCode = reply->errorCode();
            sendCount = reply->sendCount();
            finalMessage = reply->finalMessage();
        });
        QTRY_COMPARE(hub.receivedOfType(QStringLiteral("command")).size(), 1);
        proxy.cut();
        hub.completeCommand(id); // the result is lost with the connection
        QVERIFY(finished.wait(3000));
        QCOMPARE(finished.count(), 1);
        QCOMPARE(hub.executions(id), 1);
        QCOMPARE(hub.receivedOfType(QStringLiteral("command")).size(), 2);
        QCOMPARE(errorCode, QString());
        QCOMPARE(sendCount, 2);
        QCOMPARE(finalMessage.value(QLatin1StringView("textResult")).toObject()
                     .value(QLatin1StringView("response")).toString(),
                 QStringLiteral("echo replay"));
    }
};

QTEST_GUILESS_MAIN(TestResume)
#include "tst_transport_resume.moc"
