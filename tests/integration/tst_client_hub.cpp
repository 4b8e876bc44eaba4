// HubClient against the real opsdeck-hub process: a hub killed and restarted on the same port
// mid-stream (new epoch: recovered:false + gap, then a complete new epoch), a cut connection
// resumed exactly (recovered:true, nothing missing or duplicated), a command resent after a
// cut that runs once, and the local hub's secret (4401 → login needed → fresh token works).

#include "faultproxy.h"
#include "hubclient.h"
#include "hubprocess.h"

#include <QSignalSpy>
#include <QTemporaryFile>
#include <QTest>

using namespace opsdeck::transport;
using namespace opsdeck::transport::testing;
using opsdeck::testing::HubProcess;
using State = HubClient::State;

namespace {

HubClientOptions testOptions()
{
    HubClientOptions options;
    options.backoff.baseMs = 100;
    options.backoff.capMs = 1000;
    options.heartbeatIntervalMs = 1000;
    options.watchNetwork = false;
    return options;
}

// Per epoch, the seqs a subscriber saw, in order.
struct Stream
{
    explicit Stream(ClientSubscription *subscription)
    {
        QObject::connect(subscription, &ClientSubscription::entriesReceived, subscription,
                         [this](const QList<QJsonObject> &entries) {
                             for (const QJsonObject &entry : entries) {
                                 const QString epoch = entry.value(QLatin1StringView("epoch")).toString();
                                 if (epochs.isEmpty() || epochs.last() != epoch) {
                                     epochs.append(epoch);
                                     seqs.append(QList<qint64>());
                                 }
                                 seqs.last().append(entry.value(QLatin1StringView("seq")).toInteger());
                                 ++total;
                             }
                         });
        QObject::connect(subscription, &ClientSubscription::gap, subscription,
                         [this](const QJsonObject &marker) { gaps.append(marker); });
        QObject::connect(subscription, &ClientSubscription::recovered, subscription,
                         [this](bool ok) { recovered.append(ok); });
    }
    // Empty when every epoch's seqs are consecutive (no hole, no duplicate).
    QString holes() const
    {
        for (qsizetype e = 0; e < seqs.size(); ++e) {
            for (qsizetype i = 1; i < seqs.at(e).size(); ++i) {
                if (seqs.at(e).at(i) != seqs.at(e).at(i - 1) + 1)
                    return QStringLiteral("epoch %1: %2 followed by %3")
                        .arg(epochs.at(e))
                        .arg(seqs.at(e).at(i - 1))
                        .arg(seqs.at(e).at(i));
            }
        }
        return {};
    }
    QStringList epochs;
    QList<QList<qint64>> seqs;
    QList<QJsonObject> gaps;
    QList<bool> recovered;
    qint64 total = 0;
};

const QStringList kBenchLogs{QStringLiteral("--fleet"), QStringLiteral("none"), QStringLiteral("--bench-logs"),
                             QStringLiteral("300")};

} // namespace

class TestClientHub : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void restartedHubResumesWithNewEpochAndNoHoles()
    {
        HubProcess hub(kBenchLogs);
        QVERIFY2(hub.start(), qPrintable(hub.errorString()));
        HubClient client(testOptions());
        SubscribeOptions options;
        options.history = 100000; // everything retained: lets the test check from seq 1
        ClientSubscription *logs = client.subscribe(QStringLiteral("logs"), options);
        Stream stream(logs);
        client.open(hub.url());
        QTRY_VERIFY_WITH_TIMEOUT(stream.total >= 150, 15000);

        // A crash, then the same binary on the same port: its topics start a new epoch.
        hub.kill();
        QTRY_VERIFY_WITH_TIMEOUT(client.state() == State::Reconnecting, 10000);
        const qint64 before = stream.total;
        QVERIFY2(hub.start(), qPrintable(hub.errorString()));
        QTRY_COMPARE_WITH_TIMEOUT(stream.recovered.size(), 1, 15000);
        QCOMPARE(stream.recovered.first(), false);
        QTRY_VERIFY_WITH_TIMEOUT(stream.total >= before + 150, 15000);
        QCOMPARE(stream.gaps.size(), 1);
        QCOMPARE(stream.gaps.first().value(QLatin1StringView("reason")).toString(), QStringLiteral("epoch_changed"));

        // A graceful restart (SIGTERM: drain with 1001) behaves the same way.
        // The client retries at once, and that attempt (hub not yet back) closes with 1006
        // and overwrites lastCloseCode — so the drain's code is read from the first signal.
        QSignalSpy closes(&client, &HubClient::disconnected);
        QCOMPARE(hub.terminate(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(!closes.isEmpty(), 10000);
        QCOMPARE(closes.first().at(0).toInt(), 1001);
        const qint64 beforeSecond = stream.total;
        QVERIFY2(hub.start(), qPrintable(hub.errorString()));
        QTRY_VERIFY_WITH_TIMEOUT(stream.total >= beforeSecond + 150, 15000);
        QCOMPARE(stream.recovered, (QList<bool>{false, false}));
        QCOMPARE(stream.gaps.size(), 2);

        QCOMPARE(stream.epochs.size(), 3);
        QCOMPARE(QSet<QString>(stream.epochs.begin(), stream.epochs.end()).size(), 3);
        for (const auto &seqs : stream.seqs)
            QCOMPARE(seqs.first(), 1); // each epoch complete from its start…
        QVERIFY2(stream.holes().isEmpty(), qPrintable(stream.holes())); // …with nothing missing or twice
        QCOMPARE(logs->duplicatesDropped(), 0);
    }

    void cutConnectionResumesExactly()
    {
        HubProcess hub(kBenchLogs);
        QVERIFY2(hub.start(), qPrintable(hub.errorString()));
        FaultProxy proxy(hub.port());
        QVERIFY(proxy.listen());
        HubClient client(testOptions());
        ClientSubscription *logs = client.subscribe(QStringLiteral("logs"), SubscribeOptions{{}, 100000, {}});
        Stream stream(logs);
        client.open(QUrl(hub.url().toString().replace(QString::number(hub.port()), QString::number(proxy.port()))));
        QTRY_VERIFY_WITH_TIMEOUT(stream.total >= 100, 15000);
        for (int round = 0; round < 3; ++round) {
            const qint64 before = stream.total;
            proxy.cut();
            QTRY_COMPARE_WITH_TIMEOUT(stream.recovered.size(), round + 1, 15000);
            QTRY_VERIFY_WITH_TIMEOUT(stream.total >= before + 100, 15000);
        }
        QCOMPARE(stream.recovered, (QList<bool>{true, true, true}));
        QVERIFY(stream.gaps.isEmpty());
        QCOMPARE(stream.epochs.size(), 1);
        QCOMPARE(stream.seqs.first().first(), 1);
        QVERIFY2(stream.holes().isEmpty(), qPrintable(stream.holes()));
    }

    void commandResentAfterCutRunsOnce()
    {
        HubProcess hub({QStringLiteral("--seed"), QStringLiteral("7")});
        QVERIFY2(hub.start(), qPrintable(hub.errorString()));
        FaultProxy proxy(hub.port());
        QVERIFY(proxy.listen());
        HubClient client(testOptions());
        ClientSubscription *commands = client.subscribe(QStringLiteral("commands"));
        QList<QJsonObject> events;
        connect(commands, &ClientSubscription::entriesReceived, this,
                [&events](const QList<QJsonObject> &entries) { events += entries; });
        client.open(QUrl(hub.url().toString().replace(QString::number(hub.port()), QString::number(proxy.port()))));
        QTRY_COMPARE_WITH_TIMEOUT(commands->state(), ClientSubscription::State::Active, 10000);

        HubReply *reply = client.sendCommand(QStringLiteral("web-01"), QStringLiteral("sleep 1"));
        const QString id = reply->id();
        QSignalSpy acknowledged(reply, &HubReply::acknowledged);
        QSignalSpy finished(reply, &HubReply::finished);
        // The reply deletes itself after finished(): read it there.
        QString errorCode = QStringLiteral("unset");
        int sendCount = 0;
        connect(reply, &HubReply::finished, this, [&, reply] {
            errorCode = reply->errorCode();
            sendCount = reply->sendCount();
        });
        QVERIFY(acknowledged.wait(10000));
        proxy.cut(); // the hub keeps running the command; the client resends the same id
        QTRY_COMPARE_WITH_TIMEOUT(acknowledged.count(), 2, 10000);
        QCOMPARE(acknowledged.last().at(0).toJsonObject().value(QLatin1StringView("duplicate")).toBool(), true);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 15000);
        QCOMPARE(errorCode, QString());
        QCOMPARE(sendCount, 2);
        int accepted = 0;
        QTRY_VERIFY_WITH_TIMEOUT(std::any_of(events.cbegin(), events.cend(), [&](const QJsonObject &e) {
            return e.value(QLatin1StringView("event")).toString() == QLatin1StringView("completed")
                && e.value(QLatin1StringView("command")).toObject().value(QLatin1StringView("id")).toString() == id;
        }), 10000);
        for (const QJsonObject &event : std::as_const(events)) {
            if (event.value(QLatin1StringView("command")).toObject().value(QLatin1StringView("id")).toString() == id
                && event.value(QLatin1StringView("event")).toString() == QLatin1StringView("accepted"))
                ++accepted;
        }
        QCOMPARE(accepted, 1); // executed once
    }

    void secretRequiredThenFreshToken()
    {
        QTemporaryFile secret;
        QVERIFY(secret.open());
        secret.write("s3cret-for-the-client-test\n");
        secret.flush();
        HubProcess hub({QStringLiteral("--fleet"), QStringLiteral("none"), QStringLiteral("--secret-file"),
                        secret.fileName()});
        QVERIFY2(hub.start(), qPrintable(hub.errorString()));
        HubClient client(testOptions());
        QString token = QStringLiteral("wrong");
        client.setTokenProvider([&token] { return token; });
        QSignalSpy login(&client, &HubClient::loginRequired);
        client.open(hub.url());
        QVERIFY(login.wait(10000));
        QCOMPARE(client.state(), State::Failed);
        QCOMPARE(client.lastCloseCode(), 4401);
        token = QStringLiteral("s3cret-for-the-client-test");
        client.open(hub.url());
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Connected, 10000);
        QSignalSpy disconnected(&client, &HubClient::disconnected);
        QVERIFY(!disconnected.wait(500)); // accepted, not closed right after the upgrade
    }
};

QTEST_GUILESS_MAIN(TestClientHub)
#include "tst_client_hub.moc"
