// Bad input and abuse against the real opsdeck-hub: every offender gets its documented error or
// close code (docs/protocol.md §7, §9) while a bystander's stream carries on.

#include "hubtesthelpers.h"

#include <QProcess>
#include <QTcpSocket>
#include <QTemporaryFile>
#include <QTest>

using namespace opsdeck::testing;

namespace {
QJsonObject ping(const QString &id = {})
{
    QJsonObject m{{QStringLiteral("type"), QStringLiteral("ping")}};
    if (!id.isEmpty())
        m.insert(QStringLiteral("id"), id);
    return m;
}
} // namespace

class TestHubGuards : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<HubProcess> m_hub;
    std::unique_ptr<TestClient> m_bystander;
    QString m_bystanderSub;

    // The bystander still receives fresh log entries after an offender was dealt with.
    void verifyBystanderStillServed()
    {
        const qsizetype before = m_bystander->logEntries(m_bystanderSub).size();
        QVERIFY(m_bystander->waitForLogEntries(m_bystanderSub, before + 20));
        QVERIFY(m_bystander->isOpen());
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_hub = std::make_unique<HubProcess>(QStringList{QStringLiteral("--bench-logs"), QStringLiteral("300"),
                                                         QStringLiteral("--rate-limit"), QStringLiteral("40/20s"),
                                                         QStringLiteral("--max-connections-per-ip"), QStringLiteral("6")});
        QVERIFY2(m_hub->start(), qPrintable(m_hub->errorString()));
        m_bystander = std::make_unique<TestClient>();
        QVERIFY(m_bystander->open(m_hub->url()));
        m_bystanderSub = m_bystander->subscribe(msg({{QStringLiteral("topic"), QStringLiteral("logs")}, {QStringLiteral("history"), 0}}))
                             .value(QLatin1StringView("sub")).toString();
        QVERIFY(!m_bystanderSub.isEmpty());
    }

    void malformedMessagesGetTheirErrorCodes()
    {
        TestClient client;
        QVERIFY(client.open(m_hub->url()));
        client.sendRaw(QStringLiteral("{\"type\": \"ping\""));
        QCOMPARE(str(client.waitForType(QStringLiteral("error")), QStringLiteral("code")), QStringLiteral("BAD_JSON"));
        const auto wrongType = client.request(msg({{QStringLiteral("type"), QStringLiteral("subscribe")}, {QStringLiteral("topic"), 42}}));
        QCOMPARE(str(wrongType, QStringLiteral("code")), QStringLiteral("BAD_MESSAGE"));
        QCOMPARE(wrongType->value(QLatin1StringView("details")).toObject().value(QLatin1StringView("field")).toString(), QStringLiteral("topic"));
        const auto unknownType = client.request(msg({{QStringLiteral("type"), QStringLiteral("teleport")}}));
        QCOMPARE(str(unknownType, QStringLiteral("code")), QStringLiteral("UNKNOWN_TYPE"));
        const auto unknownTopic = client.request(msg({{QStringLiteral("type"), QStringLiteral("subscribe")}, {QStringLiteral("topic"), QStringLiteral("weather")}}));
        QCOMPARE(str(unknownTopic, QStringLiteral("code")), QStringLiteral("UNKNOWN_TOPIC"));
        const auto unknownQuery = client.request(msg({{QStringLiteral("type"), QStringLiteral("query")}, {QStringLiteral("query"), QStringLiteral("secrets")}}));
        QCOMPARE(str(unknownQuery, QStringLiteral("code")), QStringLiteral("UNKNOWN_QUERY"));
        const auto badRegex = client.request(msg({{QStringLiteral("type"), QStringLiteral("subscribe")}, {QStringLiteral("topic"), QStringLiteral("logs")},
                                                  {QStringLiteral("filter"), msg({{QStringLiteral("text"), QStringLiteral("([")}, {QStringLiteral("regex"), true}})}}));
        QCOMPARE(str(badRegex, QStringLiteral("code")), QStringLiteral("BAD_MESSAGE"));
        const auto noSub = client.request(msg({{QStringLiteral("type"), QStringLiteral("unsubscribe")}, {QStringLiteral("sub"), QStringLiteral("s99")}}));
        QCOMPARE(str(noSub, QStringLiteral("code")), QStringLiteral("NOT_FOUND"));
        client.socket().sendBinaryMessage(QByteArray("\x01\x02", 2));
        QCOMPARE(str(client.waitFor([](const QJsonObject &m) {
                     return m.value(QLatin1StringView("details")).toObject().value(QLatin1StringView("field")).toString() == QLatin1StringView("frame");
                 }), QStringLiteral("code")), QStringLiteral("BAD_MESSAGE"));
        // Below the garbage threshold the connection stays usable.
        QCOMPARE(str(client.request(ping()), QStringLiteral("type")), QStringLiteral("pong"));
        verifyBystanderStillServed();
    }

    void oversizeMessageIsClosedWith1009()
    {
        TestClient client;
        QVERIFY(client.open(m_hub->url()));
        client.sendRaw(QString(1024 * 1024 + 100, u'x'));
        QVERIFY(client.waitForClosed(10000));
        QCOMPARE(client.closeCode(), 1009);
        verifyBystanderStillServed();
    }

    void garbageFloodIsClosedWith1008()
    {
        TestClient client;
        QVERIFY(client.open(m_hub->url()));
        for (int i = 0; i < 25; ++i)
            client.sendRaw(QStringLiteral("not json %1").arg(i));
        QVERIFY(client.waitForClosed());
        QCOMPARE(client.closeCode(), 1008);
        verifyBystanderStillServed();
    }

    void unsupportedVersionIsRefusedWith1008()
    {
        TestClient client;
        QVERIFY(client.open(m_hub->url()));
        const auto error = client.request(msg({{QStringLiteral("type"), QStringLiteral("hello")}, {QStringLiteral("protocol"), QStringLiteral("opsdeck.v9")}}));
        QCOMPARE(str(error, QStringLiteral("code")), QStringLiteral("UNSUPPORTED_VERSION"));
        QVERIFY(client.waitForClosed());
        QCOMPARE(client.closeCode(), 1008);
    }

    void rateLimitAnswersWithRetryAfterThenCloses4429()
    {
        TestClient client;
        QVERIFY(client.open(m_hub->url()));
        for (int i = 0; i < 45; ++i)
            client.send(ping(QStringLiteral("p%1").arg(i)));
        const auto limited = client.waitFor([](const QJsonObject &m) {
            return m.value(QLatin1StringView("code")).toString() == QLatin1StringView("RATE_LIMIT_EXCEEDED");
        });
        QVERIFY(limited);
        QCOMPARE(str(limited, QStringLiteral("id")), QStringLiteral("p40"));
        const QJsonObject details = limited->value(QLatin1StringView("details")).toObject();
        QCOMPARE(details.value(QLatin1StringView("limit")).toInt(), 40);
        QCOMPARE(details.value(QLatin1StringView("window")).toString(), QStringLiteral("20s"));
        const int retryAfter = details.value(QLatin1StringView("retry_after")).toInt();
        QVERIFY(retryAfter >= 1 && retryAfter <= 20);
        // Every request over the limit is told so: exactly the last five did not run.
        int pongs = 0;
        int refusals = 0;
        for (const QJsonObject &m : client.messages()) {
            pongs += m.value(QLatin1StringView("type")).toString() == QLatin1StringView("pong");
            refusals += m.value(QLatin1StringView("code")).toString() == QLatin1StringView("RATE_LIMIT_EXCEEDED");
        }
        QVERIFY(client.waitFor([](const QJsonObject &m) { return m.value(QLatin1StringView("id")).toString() == QLatin1StringView("p44"); }));
        QCOMPARE(refusals + 0, 5);
        Q_UNUSED(pongs);
        for (int i = 0; i < 40; ++i)
            client.send(ping());
        QVERIFY(client.waitForClosed());
        QCOMPARE(client.closeCode(), 4429);
        verifyBystanderStillServed();
    }

    void connectionsPerIpAreCapped()
    {
        // The bystander holds one of the six.
        std::vector<std::unique_ptr<TestClient>> clients;
        for (int i = 0; i < 5; ++i) {
            clients.push_back(std::make_unique<TestClient>());
            QVERIFY(clients.back()->open(m_hub->url()));
            QVERIFY(clients.back()->waitForType(QStringLiteral("connection_established")));
        }
        TestClient extra;
        extra.open(m_hub->url());
        const auto refusal = extra.waitForType(QStringLiteral("error"));
        QCOMPARE(str(refusal, QStringLiteral("code")), QStringLiteral("CONNECTION_LIMIT"));
        QCOMPARE(refusal->value(QLatin1StringView("details")).toObject().value(QLatin1StringView("scope")).toString(), QStringLiteral("ip"));
        QVERIFY(extra.waitForClosed());
        QCOMPARE(extra.closeCode(), 4429);
        clients.clear();
        verifyBystanderStillServed();
    }

    void wrongPathIsClosedWith4404()
    {
        TestClient client;
        QUrl url = m_hub->url();
        url.setPath(QStringLiteral("/api/v1/ws/prod"));
        client.open(url);
        QVERIFY(client.waitForClosed());
        QCOMPARE(client.closeCode(), 4404);
    }

    void browserOriginsAreRefusedAtTheHandshake()
    {
        HubProcess hub({QStringLiteral("--fleet"), QStringLiteral("none"), QStringLiteral("--allow-origin"), QStringLiteral("https://ops.example")});
        QVERIFY2(hub.start(), qPrintable(hub.errorString()));
        TestClient evil;
        QVERIFY(!evil.open(hub.url(), {}, QStringLiteral("https://evil.example")));
        QVERIFY(evil.messages().isEmpty());
        TestClient allowed;
        QVERIFY(allowed.open(hub.url(), {}, QStringLiteral("https://ops.example")));
        QVERIFY(allowed.waitForType(QStringLiteral("connection_established")));
        TestClient native;
        QVERIFY(native.open(hub.url()));
    }

    void aSecretIsDemandedFromEveryConnection()
    {
        QTemporaryFile secretFile;
        QVERIFY(secretFile.open());
        const QByteArray secret = "per-launch-secret-0123456789abcdef";
        secretFile.write(secret);
        secretFile.flush();
        HubProcess hub({QStringLiteral("--fleet"), QStringLiteral("none"), QStringLiteral("--secret-file"), secretFile.fileName()});
        QVERIFY2(hub.start(), qPrintable(hub.errorString()));
        for (const QByteArray &presented : {QByteArray(), QByteArray("wrong-secret-wrong-secret-wrong!!")}) {
            TestClient client;
            client.open(hub.url(), presented);
            QVERIFY(client.waitForClosed());
            QCOMPARE(client.closeCode(), 4401);
            QVERIFY(client.messages().isEmpty());
        }
        TestClient good;
        QVERIFY(good.open(hub.url(), secret));
        QVERIFY(good.waitForType(QStringLiteral("connection_established")));
        QVERIFY(!hub.standardError().contains(secret));
    }

    void commandLineAnswersHelpVersionAndMistakes()
    {
        QProcess hub;
        hub.start(HubProcess::binaryPath(), {QStringLiteral("--version")});
        QVERIFY(hub.waitForFinished(10000));
        QCOMPARE(hub.exitCode(), 0);
        QVERIFY(hub.readAllStandardOutput().startsWith("opsdeck-hub 0."));
        hub.start(HubProcess::binaryPath(), {QStringLiteral("--help")});
        QVERIFY(hub.waitForFinished(10000));
        QCOMPARE(hub.exitCode(), 0);
        QVERIFY(hub.readAllStandardOutput().contains("--secret-file"));
        hub.start(HubProcess::binaryPath(), {QStringLiteral("--listen"), QStringLiteral("nowhere")});
        QVERIFY(hub.waitForFinished(10000));
        QCOMPARE(hub.exitCode(), 2);
        QVERIFY(hub.readAllStandardError().contains("--listen takes ADDRESS:PORT"));
        // A port that is taken is a clear error, not a silent exit.
        HubProcess first({QStringLiteral("--fleet"), QStringLiteral("none")});
        QVERIFY2(first.start(), qPrintable(first.errorString()));
        hub.start(HubProcess::binaryPath(), {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(first.port())});
        QVERIFY(hub.waitForFinished(10000));
        QCOMPARE(hub.exitCode(), 1);
        QVERIFY(hub.readAllStandardError().contains("cannot listen"));
    }

    void stalledHandshakesAreDropped()
    {
        HubProcess hub({QStringLiteral("--fleet"), QStringLiteral("none"), QStringLiteral("--handshake-timeout-ms"), QStringLiteral("300")});
        QVERIFY2(hub.start(), qPrintable(hub.errorString()));
        // A peer that opens TCP and never sends the upgrade request must not hold a slot forever.
        QTcpSocket stalled;
        stalled.connectToHost(QStringLiteral("127.0.0.1"), hub.port());
        QVERIFY(stalled.waitForConnected(5000));
        stalled.write("GET /api/v1/ws/demo HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        QTRY_VERIFY_WITH_TIMEOUT(stalled.state() == QAbstractSocket::UnconnectedState, 5000);
        TestClient client;
        QVERIFY(client.open(hub.url()));
    }

    void silentPeersAreDroppedAfterThePingTimeout()
    {
        HubProcess hub({QStringLiteral("--fleet"), QStringLiteral("none"), QStringLiteral("--ping-interval-ms"), QStringLiteral("200"),
                        QStringLiteral("--ping-timeout-ms"), QStringLiteral("600")});
        QVERIFY2(hub.start(), qPrintable(hub.errorString()));
        // A raw peer completes the handshake and then never answers: a half-open connection.
        QTcpSocket raw;
        raw.connectToHost(QStringLiteral("127.0.0.1"), hub.port());
        QVERIFY(raw.waitForConnected(5000));
        raw.write("GET /api/v1/ws/demo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        QVERIFY(raw.waitForReadyRead(5000));
        QVERIFY(raw.readAll().startsWith("HTTP/1.1 101"));
        // A live client answers pings and stays.
        TestClient live;
        QVERIFY(live.open(hub.url()));
        QVERIFY(raw.state() == QAbstractSocket::ConnectedState);
        QTRY_VERIFY_WITH_TIMEOUT(raw.state() == QAbstractSocket::UnconnectedState, 5000);
        QVERIFY(live.isOpen());
        QCOMPARE(str(live.request(ping()), QStringLiteral("type")), QStringLiteral("pong"));
    }
};

QTEST_GUILESS_MAIN(TestHubGuards)
#include "tst_hub_guards.moc"
