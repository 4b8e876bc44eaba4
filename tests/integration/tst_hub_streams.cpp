// The real opsdeck-hub process: welcome, history, batches, pause/resume, resume with `since`,
// gap markers and filters — as any WebSocket client sees them.

#include "hubtesthelpers.h"

#include <QTest>

using namespace opsdeck::testing;

class TestHubStreams : public QObject
{
    Q_OBJECT

private:
    // A steady synthetic log stream: every seq is published, so continuity is checkable.
    std::unique_ptr<HubProcess> m_hub;

    QJsonObject subscribeLogs(TestClient &client, QJsonObject extra = {})
    {
        extra.insert(QStringLiteral("topic"), QStringLiteral("logs"));
        return client.subscribe(extra);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_hub = std::make_unique<HubProcess>(QStringList{QStringLiteral("--bench-logs"), QStringLiteral("400")});
        QVERIFY2(m_hub->start(), qPrintable(m_hub->errorString()));
    }

    void welcomeNegotiatesCapabilities()
    {
        TestClient client;
        QVERIFY(client.open(m_hub->url()));
        const auto established = client.waitForType(QStringLiteral("connection_established"));
        QVERIFY(established);
        QCOMPARE(str(established, QStringLiteral("protocol")), QStringLiteral("opsdeck.v1"));
        QCOMPARE(str(established, QStringLiteral("mode")), QStringLiteral("demo"));
        const auto welcome = client.request(msg({{QStringLiteral("type"), QStringLiteral("hello")},
                                                 {QStringLiteral("protocol"), QStringLiteral("opsdeck.v1")},
                                                 {QStringLiteral("capabilities"),
                                                  QJsonArray{QStringLiteral("batch"), QStringLiteral("resume"), QStringLiteral("telepathy")}}}));
        QCOMPARE(str(welcome, QStringLiteral("type")), QStringLiteral("welcome"));
        QCOMPARE(welcome->value(QLatin1StringView("capabilities")).toArray(),
                 (QJsonArray{QStringLiteral("batch"), QStringLiteral("resume")}));
        QCOMPARE(str(welcome, QStringLiteral("client_id")), str(established, QStringLiteral("client_id")));
        QVERIFY(welcome->value(QLatin1StringView("topics")).toArray().contains(QStringLiteral("flow")));
        const QJsonObject limits = welcome->value(QLatin1StringView("limits")).toObject();
        QCOMPARE(limits.value(QLatin1StringView("max_message_bytes")).toInteger(), 1048576);
        QCOMPARE(limits.value(QLatin1StringView("batch")).toObject().value(QLatin1StringView("max_entries")).toInt(), 100);
        // A second hello is a protocol error, not a renegotiation.
        const auto again = client.request(msg({{QStringLiteral("type"), QStringLiteral("hello")},
                                               {QStringLiteral("protocol"), QStringLiteral("opsdeck.v1")}}));
        QCOMPARE(str(again, QStringLiteral("code")), QStringLiteral("BAD_MESSAGE"));
    }

    void seedIdentifyClientIsAnswered()
    {
        TestClient client;
        QVERIFY(client.open(m_hub->url()));
        const auto identified = client.request(msg({{QStringLiteral("type"), QStringLiteral("identify_client")},
                                                    {QStringLiteral("clientInfo"), msg({{QStringLiteral("name"), QStringLiteral("ProgramDashboard")},
                                                                                        {QStringLiteral("page"), QStringLiteral("dashboard")}})}}));
        QCOMPARE(str(identified, QStringLiteral("type")), QStringLiteral("client_identified"));
        const QJsonObject data = identified->value(QLatin1StringView("data")).toObject();
        QCOMPARE(data.value(QLatin1StringView("name")).toString(), QStringLiteral("ProgramDashboard"));
        QCOMPARE(data.value(QLatin1StringView("page")).toString(), QStringLiteral("dashboard"));
        QVERIFY(data.value(QLatin1StringView("clientId")).toString().startsWith(u"c-"));
    }

    void historyReplaysExactlyTheNewestN()
    {
        TestClient client;
        QVERIFY(client.open(m_hub->url()));
        QVERIFY(waitForLogSeq(m_hub->url(), 60));
        const QJsonObject result = subscribeLogs(client, msg({{QStringLiteral("history"), 20}}));
        QCOMPARE(result.value(QLatin1StringView("replayed")).toInt(), 20);
        QVERIFY(result.value(QLatin1StringView("recovered")).toBool());
        const QString sub = result.value(QLatin1StringView("sub")).toString();
        QVERIFY(client.waitForLogEntries(sub, 40));
        const QList<QJsonObject> entries = client.logEntries(sub);
        QCOMPARE(entries.first().value(QLatin1StringView("seq")).toInteger(),
                 result.value(QLatin1StringView("head_seq")).toInteger() - 19);
        QString problem;
        QVERIFY2(isContiguous(entries, &problem), qPrintable(problem));
    }

    void logsArriveInSeedBatches()
    {
        TestClient client;
        QVERIFY(client.open(m_hub->url()));
        const QString sub = subscribeLogs(client, msg({{QStringLiteral("history"), 0}})).value(QLatin1StringView("sub")).toString();
        QVERIFY(client.waitForLogEntries(sub, 150));
        int batches = 0;
        for (const QJsonObject &m : client.messages()) {
            if (m.value(QLatin1StringView("type")).toString() != QLatin1StringView("batch"))
                continue;
            ++batches;
            const QJsonArray logs = m.value(QLatin1StringView("logs")).toArray();
            QCOMPARE(m.value(QLatin1StringView("count")).toInt(), logs.size());
            QVERIFY(logs.size() >= 1 && logs.size() <= 100);
            QCOMPARE(m.value(QLatin1StringView("topic")).toString(), QStringLiteral("logs"));
            QCOMPARE(m.value(QLatin1StringView("sub")).toString(), sub);
            for (const QJsonValue &value : logs) {
                const QJsonObject log = value.toObject();
                QCOMPARE(log.value(QLatin1StringView("type")).toString(), QStringLiteral("log"));
                QVERIFY(QDateTime::fromString(log.value(QLatin1StringView("timestamp")).toString(), Qt::ISODateWithMs).isValid());
                QCOMPARE(log.value(QLatin1StringView("stream")).toString(), QStringLiteral("stdout"));
                QVERIFY(log.value(QLatin1StringView("message")).toString().startsWith(u"bench "));
                QCOMPARE(log.value(QLatin1StringView("epoch")).toString(), m.value(QLatin1StringView("epoch")).toString());
            }
        }
        // 400 entries/s flushed every 100 ms: many entries per batch, not one frame per entry.
        QVERIFY2(batches < 150 / 2, qPrintable(QStringLiteral("%1 batches for 150 entries").arg(batches)));
    }

    void pauseHoldsTheStreamAndResumeLosesNothing()
    {
        TestClient client;
        QVERIFY(client.open(m_hub->url()));
        const QString sub = subscribeLogs(client, msg({{QStringLiteral("history"), 0}})).value(QLatin1StringView("sub")).toString();
        QVERIFY(client.waitForLogEntries(sub, 20));
        const auto paused = client.request(msg({{QStringLiteral("action"), QStringLiteral("pause")}}));
        QCOMPARE(resultOf(paused).value(QLatin1StringView("paused")).toBool(), true);
        QCOMPARE(resultOf(paused).value(QLatin1StringView("subs")).toArray(), QJsonArray{sub});
        const qsizetype atPause = client.logEntries(sub).size();
        const qint64 lastBefore = client.logEntries(sub).last().value(QLatin1StringView("seq")).toInteger();
        QVERIFY(waitForLogSeq(m_hub->url(), lastBefore + 200));
        QCOMPARE(client.logEntries(sub).size(), atPause);

        const qint64 headAtResume = headSeq(client);
        const auto resumed = client.request(msg({{QStringLiteral("action"), QStringLiteral("resume")}}));
        QCOMPARE(resultOf(resumed).value(QLatin1StringView("paused")).toBool(), false);
        QVERIFY(client.waitForLogEntries(sub, atPause + (headAtResume - lastBefore) + 20));
        QString problem;
        QVERIFY2(isContiguous(client.logEntries(sub), &problem), qPrintable(problem));
    }

    void resumeWithSinceRecoversExactlyTheMissedEntries()
    {
        auto first = std::make_unique<TestClient>();
        QVERIFY(first->open(m_hub->url()));
        const QJsonObject subscribed = subscribeLogs(*first, msg({{QStringLiteral("history"), 0}}));
        const QString sub = subscribed.value(QLatin1StringView("sub")).toString();
        QVERIFY(first->waitForLogEntries(sub, 30));
        const QJsonObject last = first->logEntries(sub).last();
        const qint64 lastSeq = last.value(QLatin1StringView("seq")).toInteger();
        first.reset(); // the connection drops

        TestClient second;
        QVERIFY(second.open(m_hub->url()));
        QVERIFY(waitForLogSeq(m_hub->url(), lastSeq + 150));
        const QJsonObject resumed = subscribeLogs(second, msg({{QStringLiteral("since"),
                                                               msg({{QStringLiteral("epoch"), last.value(QLatin1StringView("epoch"))},
                                                                    {QStringLiteral("seq"), lastSeq}})}}));
        QVERIFY(resumed.value(QLatin1StringView("recovered")).toBool());
        QVERIFY(resumed.value(QLatin1StringView("replayed")).toInt() >= 150);
        const QString sub2 = resumed.value(QLatin1StringView("sub")).toString();
        QVERIFY(second.waitForLogEntries(sub2, 200));
        const QList<QJsonObject> entries = second.logEntries(sub2);
        QCOMPARE(entries.first().value(QLatin1StringView("seq")).toInteger(), lastSeq + 1);
        QString problem;
        QVERIFY2(isContiguous(entries, &problem), qPrintable(problem));
        for (const QJsonObject &m : second.messages())
            QVERIFY(m.value(QLatin1StringView("type")).toString() != QLatin1StringView("gap"));
    }

    void sinceFromAnotherEpochIsAnExplicitGap()
    {
        TestClient client;
        QVERIFY(client.open(m_hub->url()));
        const QJsonObject result = subscribeLogs(client, msg({{QStringLiteral("since"), msg({{QStringLiteral("epoch"), QStringLiteral("e-old")},
                                                                                        {QStringLiteral("seq"), 5}})},
                                                             {QStringLiteral("history"), 10}}));
        QCOMPARE(result.value(QLatin1StringView("recovered")).toBool(), false);
        const auto gap = client.waitForType(QStringLiteral("gap"));
        QCOMPARE(str(gap, QStringLiteral("reason")), QStringLiteral("epoch_changed"));
        QCOMPARE(str(gap, QStringLiteral("previous_epoch")), QStringLiteral("e-old"));
        QCOMPARE(str(gap, QStringLiteral("sub")), result.value(QLatin1StringView("sub")).toString());
        QVERIFY(client.waitForLogEntries(result.value(QLatin1StringView("sub")).toString(), 10));
    }

    void sinceBeyondRetentionIsAGapThenEverythingRetained()
    {
        HubProcess small({QStringLiteral("--bench-logs"), QStringLiteral("1000"), QStringLiteral("--retention-logs"), QStringLiteral("50")});
        QVERIFY2(small.start(), qPrintable(small.errorString()));
        TestClient client;
        QVERIFY(client.open(small.url()));
        QVERIFY(waitForLogSeq(small.url(), 10));
        const qint64 seen = headSeq(client);
        QVERIFY(waitForLogSeq(small.url(), seen + 200));
        const QString epoch = client.subscribe(msg({{QStringLiteral("topic"), QStringLiteral("status")}}))
                                  .value(QLatin1StringView("epoch")).toString();
        const QJsonObject result = client.subscribe(msg({{QStringLiteral("topic"), QStringLiteral("logs")},
                                                         {QStringLiteral("since"), msg({{QStringLiteral("epoch"), epoch},
                                                                                        {QStringLiteral("seq"), seen}})}}));
        QCOMPARE(result.value(QLatin1StringView("recovered")).toBool(), false);
        const auto gap = client.waitForType(QStringLiteral("gap"));
        QCOMPARE(str(gap, QStringLiteral("reason")), QStringLiteral("retention_exceeded"));
        QCOMPARE(gap->value(QLatin1StringView("from_seq")).toInteger(), seen + 1);
        const qint64 toSeq = gap->value(QLatin1StringView("to_seq")).toInteger();
        QVERIFY(toSeq > seen);
        const QString sub = result.value(QLatin1StringView("sub")).toString();
        QVERIFY(client.waitForLogEntries(sub, 40));
        QCOMPARE(client.logEntries(sub).first().value(QLatin1StringView("seq")).toInteger(), toSeq + 1);
        QString problem;
        QVERIFY2(isContiguous(client.logEntries(sub), &problem), qPrintable(problem));
    }

    void historyQueryPagesBackwards()
    {
        TestClient client;
        QVERIFY(client.open(m_hub->url()));
        QVERIFY(waitForLogSeq(m_hub->url(), 100));
        const auto page = client.request(msg({{QStringLiteral("type"), QStringLiteral("query")}, {QStringLiteral("query"), QStringLiteral("history")},
                                              {QStringLiteral("topic"), QStringLiteral("logs")}, {QStringLiteral("limit"), 30}}));
        const QJsonArray entries = resultOf(page).value(QLatin1StringView("entries")).toArray();
        QCOMPARE(entries.size(), 30);
        QVERIFY(resultOf(page).value(QLatin1StringView("has_more")).toBool());
        const qint64 before = resultOf(page).value(QLatin1StringView("next_before_seq")).toInteger();
        QCOMPARE(entries.first().toObject().value(QLatin1StringView("seq")).toInteger(), before);
        const auto older = client.request(msg({{QStringLiteral("type"), QStringLiteral("query")}, {QStringLiteral("query"), QStringLiteral("history")},
                                               {QStringLiteral("topic"), QStringLiteral("logs")}, {QStringLiteral("limit"), 10},
                                               {QStringLiteral("before_seq"), before}}));
        const QJsonArray olderEntries = resultOf(older).value(QLatin1StringView("entries")).toArray();
        QCOMPARE(olderEntries.last().toObject().value(QLatin1StringView("seq")).toInteger(), before - 1);
        QCOMPARE(olderEntries.first().toObject().value(QLatin1StringView("seq")).toInteger(), before - 10);
    }

    void terminateDrainsClientsWith1001()
    {
        HubProcess hub({QStringLiteral("--bench-logs"), QStringLiteral("100")});
        QVERIFY2(hub.start(), qPrintable(hub.errorString()));
        TestClient client;
        QVERIFY(client.open(hub.url()));
        QVERIFY(client.waitForType(QStringLiteral("connection_established")));
        QCOMPARE(hub.terminate(), 0);
        QVERIFY(client.waitForClosed());
        QCOMPARE(client.closeCode(), 1001);
        const auto notice = client.waitForType(QStringLiteral("broadcast"));
        QCOMPARE(str(notice, QStringLiteral("event")), QStringLiteral("draining"));
    }
};

QTEST_GUILESS_MAIN(TestHubStreams)
#include "tst_hub_streams.moc"
