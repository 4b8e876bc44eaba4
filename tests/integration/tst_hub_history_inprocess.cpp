// A HubServer in the test process with a small ring and a history store: `since` replay, `history`
// subscriptions and the paged `history` query cross from the ring into the store without holes
// or duplicates, a restarted server continues its epochs, and what left the store is a gap.

#include "historystore.h"
#include "hubserver.h"
#include "testclient.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace opsdeck::hub;
using opsdeck::testing::TestClient;

namespace {
constexpr int kRing = 10;

QJsonObject resultOf(const std::optional<QJsonObject> &reply)
{
    return reply ? reply->value(QLatin1StringView("result")).toObject() : QJsonObject();
}

QList<qint64> seqsOf(const QList<QJsonObject> &entries)
{
    QList<qint64> seqs;
    for (const QJsonObject &entry : entries)
        seqs.append(entry.value(QLatin1StringView("seq")).toInteger());
    return seqs;
}

QList<qint64> range(qint64 first, qint64 last)
{
    QList<qint64> seqs;
    for (qint64 seq = first; seq <= last; ++seq)
        seqs.append(seq);
    return seqs;
}
} // namespace

class TestHubHistoryInProcess : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<HubServer> m_hub;
    int m_run = 0;

    void startHub(qint64 storeMaxEntries = 1000000)
    {
        HubConfig config;
        config.port = 0;
        config.retention = TopicSet::Capacities {kRing, kRing, kRing};
        config.historyDb = m_dir.filePath(QStringLiteral("history-%1.sqlite").arg(m_run));
        config.historyMaxEntries = storeMaxEntries;
        m_hub = std::make_unique<HubServer>(config);
        QVERIFY2(m_hub->listen(), qPrintable(m_hub->errorString()));
        QVERIFY(m_hub->history());
    }

    void publish(int count)
    {
        for (int i = 0; i < count; ++i) {
            const qint64 seq = qint64(m_hub->topics().topic(opsdeck::protocol::Topic::Logs).publishedSeq()) + 1;
            m_hub->registry().publishLog(QStringLiteral("web-0%1").arg(seq % 2),
                seq % 3 == 0 ? QStringLiteral("error") : QStringLiteral("info"), QStringLiteral("stdout"),
                QStringLiteral("line %1").arg(seq));
        }
        // Clients see entries once committed (committed delivery); commit now instead of
        // waiting for the store's timer, so the test's expectations hold at once.
        QVERIFY(m_hub->history()->flush());
    }

    QString epoch() const { return m_hub->topics().topic(opsdeck::protocol::Topic::Logs).epoch(); }

    QJsonObject subscribeSince(TestClient &client, qint64 seq, const QJsonObject &filter = {})
    {
        QJsonObject message {{QStringLiteral("topic"), QStringLiteral("logs")},
            {QStringLiteral("since"),
                QJsonObject {{QStringLiteral("epoch"), epoch()}, {QStringLiteral("seq"), seq}}}};
        if (!filter.isEmpty())
            message.insert(QStringLiteral("filter"), filter);
        return client.subscribe(message);
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }
    void init()
    {
        ++m_run;
        startHub();
    }
    void cleanup() { m_hub.reset(); }

    void sinceReplaysFromTheStoreThenTheRing()
    {
        publish(100);
        TestClient client;
        QVERIFY(client.open(m_hub->url()));
        const QJsonObject result = subscribeSince(client, 5);
        QCOMPARE(result.value(QLatin1StringView("recovered")).toBool(), true);
        QCOMPARE(result.value(QLatin1StringView("replayed")).toInteger(), 95);
        const QString sub = result.value(QLatin1StringView("sub")).toString();
        QVERIFY(client.waitForLogEntries(sub, 95));
        publish(5); // live ones follow the replay without a duplicate
        QVERIFY(client.waitForLogEntries(sub, 100));
        QCOMPARE(seqsOf(client.logEntries(sub)), range(6, 105));
        QVERIFY(!client.waitForType(QStringLiteral("gap"), 100));
    }

    void sinceWithAFilter()
    {
        publish(100);
        TestClient client;
        QVERIFY(client.open(m_hub->url()));
        const QJsonObject result = subscribeSince(
            client, 20, QJsonObject {{QStringLiteral("levels"), QJsonArray {QStringLiteral("error")}}});
        QCOMPARE(result.value(QLatin1StringView("recovered")).toBool(), true);
        QList<qint64> expected;
        for (qint64 seq = 21; seq <= 100; ++seq) {
            if (seq % 3 == 0)
                expected.append(seq);
        }
        QCOMPARE(result.value(QLatin1StringView("replayed")).toInteger(), expected.size());
        const QString sub = result.value(QLatin1StringView("sub")).toString();
        QVERIFY(client.waitForLogEntries(sub, expected.size()));
        QCOMPARE(seqsOf(client.logEntries(sub)), expected);
    }

    void restartedServerContinuesItsEpoch()
    {
        publish(50);
        const QString before = epoch();
        m_hub.reset(); // a clean stop: the store is flushed and marked closed
        startHub();
        QCOMPARE(epoch(), before);
        QCOMPARE(m_hub->topics().topic(opsdeck::protocol::Topic::Logs).headSeq(), quint64(50));

        TestClient client;
        QVERIFY(client.open(m_hub->url()));
        // The ring is empty after the restart: history comes from the store.
        const QJsonObject history = client.subscribe(QJsonObject {
            {QStringLiteral("topic"), QStringLiteral("logs")}, {QStringLiteral("history"), kRing}});
        const QString historySub = history.value(QLatin1StringView("sub")).toString();
        QVERIFY(client.waitForLogEntries(historySub, kRing));
        QCOMPARE(seqsOf(client.logEntries(historySub)), range(41, 50));

        const QJsonObject since = subscribeSince(client, 30);
        QCOMPARE(since.value(QLatin1StringView("recovered")).toBool(), true);
        const QString sinceSub = since.value(QLatin1StringView("sub")).toString();
        QVERIFY(client.waitForLogEntries(sinceSub, 20));
        publish(3);
        QVERIFY(client.waitForLogEntries(sinceSub, 23));
        QCOMPARE(seqsOf(client.logEntries(sinceSub)), range(31, 53));

        // A position of another epoch still means epoch_changed.
        const QJsonObject other
            = client.subscribe(QJsonObject {{QStringLiteral("topic"), QStringLiteral("logs")},
                {QStringLiteral("since"),
                    QJsonObject {
                        {QStringLiteral("epoch"), QStringLiteral("e-other")}, {QStringLiteral("seq"), 3}}}});
        QCOMPARE(other.value(QLatin1StringView("recovered")).toBool(), false);
        const auto gap = client.waitForType(QStringLiteral("gap"));
        QVERIFY(gap);
        QCOMPARE(gap->value(QLatin1StringView("reason")).toString(), QStringLiteral("epoch_changed"));
    }

    void historyQueryPagesIntoTheStore_data()
    {
        QTest::addColumn<bool>("filtered");
        QTest::newRow("all") << false;
        QTest::newRow("errors") << true;
    }

    void historyQueryPagesIntoTheStore()
    {
        QFETCH(bool, filtered);
        publish(100);
        TestClient client;
        QVERIFY(client.open(m_hub->url()));
        QList<qint64> expected;
        for (qint64 seq = 100; seq >= 1; --seq) {
            if (!filtered || seq % 3 == 0)
                expected.append(seq);
        }
        QList<qint64> paged;
        std::optional<qint64> before;
        for (int page = 0; page < 20; ++page) {
            QJsonObject query {{QStringLiteral("type"), QStringLiteral("query")},
                {QStringLiteral("query"), QStringLiteral("history")},
                {QStringLiteral("topic"), QStringLiteral("logs")}, {QStringLiteral("limit"), 15}};
            if (filtered)
                query.insert(QStringLiteral("filter"),
                    QJsonObject {{QStringLiteral("levels"), QJsonArray {QStringLiteral("error")}}});
            if (before)
                query.insert(QStringLiteral("before_seq"), *before);
            const QJsonObject result = resultOf(client.request(query));
            QCOMPARE(result.value(QLatin1StringView("epoch")).toString(), epoch());
            QList<qint64> seqs;
            for (const QJsonValue &entry : result.value(QLatin1StringView("entries")).toArray())
                seqs.append(entry.toObject().value(QLatin1StringView("seq")).toInteger());
            QVERIFY(seqs.size() <= 15);
            for (auto it = seqs.crbegin(); it != seqs.crend(); ++it) // oldest first on the wire
                paged.append(*it);
            if (!result.value(QLatin1StringView("has_more")).toBool())
                break;
            before = result.value(QLatin1StringView("next_before_seq")).toInteger();
        }
        QCOMPARE(paged, expected);
    }

    void sinceOlderThanTheStoreIsAGap()
    {
        m_hub.reset();
        startHub(20); // the store keeps 20 entries, the ring 10
        publish(100);
        m_hub->history()->prune(QDateTime::currentMSecsSinceEpoch());
        QCOMPARE(m_hub->history()->oldestSeq(QStringLiteral("logs")), quint64(81));
        TestClient client;
        QVERIFY(client.open(m_hub->url()));
        const QJsonObject result = subscribeSince(client, 5);
        QCOMPARE(result.value(QLatin1StringView("recovered")).toBool(), false);
        const auto gap = client.waitForType(QStringLiteral("gap"));
        QVERIFY(gap);
        QCOMPARE(gap->value(QLatin1StringView("reason")).toString(), QStringLiteral("retention_exceeded"));
        QCOMPARE(gap->value(QLatin1StringView("from_seq")).toInteger(), 6);
        QCOMPARE(gap->value(QLatin1StringView("to_seq")).toInteger(), 80);
        const QString sub = result.value(QLatin1StringView("sub")).toString();
        QVERIFY(client.waitForLogEntries(sub, 20));
        QCOMPARE(seqsOf(client.logEntries(sub)), range(81, 100));
    }
};

QTEST_GUILESS_MAIN(TestHubHistoryInProcess)
#include "tst_hub_history_inprocess.moc"
