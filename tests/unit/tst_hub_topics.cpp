// Topic rings and subscription cursors: the machinery behind history, resume, gaps and batching.

#include "subscription.h"
#include "topic.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace opsdeck::hub;
using opsdeck::protocol::EntryFilter;
using TopicId = opsdeck::protocol::Topic;

namespace {
void publishLogs(Topic &topic, int count, const QString &level = QStringLiteral("info"))
{
    for (int i = 0; i < count; ++i)
        topic.publish(QJsonObject{{QStringLiteral("type"), QStringLiteral("log")},
                                  {QStringLiteral("message"), QStringLiteral("line %1").arg(topic.headSeq() + 1)}},
                      QStringLiteral("web-01"), level, QStringLiteral("stdout"),
                      QStringLiteral("line %1").arg(topic.headSeq() + 1));
}

QList<QJsonObject> frames(Subscription &sub, int batchMax = 100, int maxFrames = 1000)
{
    QList<QJsonObject> out;
    sub.drain(batchMax, maxFrames, [&](const QByteArray &frame) { out.append(QJsonDocument::fromJson(frame).object()); });
    return out;
}

QList<qint64> seqsOf(const QList<QJsonObject> &frames)
{
    QList<qint64> seqs;
    for (const QJsonObject &frame : frames) {
        if (frame.value(QLatin1StringView("type")).toString() == QLatin1StringView("batch")) {
            for (const QJsonValue &entry : frame.value(QLatin1StringView("logs")).toArray())
                seqs.append(entry.toObject().value(QLatin1StringView("seq")).toInteger());
        } else if (frame.contains(QLatin1StringView("seq"))) {
            seqs.append(frame.value(QLatin1StringView("seq")).toInteger());
        }
    }
    return seqs;
}
} // namespace

class TestHubTopics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void seqIncreasesByOneAndEntriesCarryPosition()
    {
        Topic topic(TopicId::Logs, QStringLiteral("e-1"), 10);
        publishLogs(topic, 3);
        QCOMPARE(topic.headSeq(), 3u);
        const QJsonObject entry = QJsonDocument::fromJson(topic.entry(2)->json).object();
        QCOMPARE(entry.value(QLatin1StringView("seq")).toInteger(), 2);
        QCOMPARE(entry.value(QLatin1StringView("epoch")).toString(), QStringLiteral("e-1"));
        QCOMPARE(entry.value(QLatin1StringView("topic")).toString(), QStringLiteral("logs"));
    }

    void retentionDropsTheOldest()
    {
        Topic topic(TopicId::Logs, QStringLiteral("e-1"), 5);
        publishLogs(topic, 12);
        QCOMPARE(topic.oldestSeq(), 8u);
        QVERIFY(!topic.entry(7));
        QVERIFY(topic.entry(8));
        QVERIFY(topic.entry(12));
        QVERIFY(!topic.entry(13));
    }

    void listenersHearEveryPublishUntilRemoved()
    {
        Topic topic(TopicId::Status, QStringLiteral("e-1"), 5);
        int heard = 0;
        const int token = topic.addListener([&] { ++heard; });
        publishLogs(topic, 2);
        topic.removeListener(token);
        publishLogs(topic, 2);
        QCOMPARE(heard, 2);
    }

    void drainBatchesAtBatchMaxWithCount()
    {
        Topic topic(TopicId::Logs, QStringLiteral("e-1"), 1000);
        Subscription sub(QStringLiteral("s1"), topic, EntryFilter{}, true, [] {});
        publishLogs(topic, 250);
        const QList<QJsonObject> out = frames(sub);
        QCOMPARE(out.size(), 3);
        for (const QJsonObject &batch : out) {
            QCOMPARE(batch.value(QLatin1StringView("type")).toString(), QStringLiteral("batch"));
            QCOMPARE(batch.value(QLatin1StringView("sub")).toString(), QStringLiteral("s1"));
            QCOMPARE(batch.value(QLatin1StringView("count")).toInt(),
                     batch.value(QLatin1StringView("logs")).toArray().size());
            QVERIFY(batch.value(QLatin1StringView("count")).toInt() <= 100);
        }
        const QList<qint64> seqs = seqsOf(out);
        QCOMPARE(seqs.size(), 250);
        QCOMPARE(seqs.first(), 1);
        QCOMPARE(seqs.last(), 250);
        QVERIFY(!sub.hasPending());
    }

    void drainStopsAtMaxFramesAndContinuesWhereItStopped()
    {
        Topic topic(TopicId::Logs, QStringLiteral("e-1"), 1000);
        Subscription sub(QStringLiteral("s1"), topic, EntryFilter{}, true, [] {});
        publishLogs(topic, 500);
        QList<QJsonObject> first;
        QVERIFY(sub.drain(100, 2, [&](const QByteArray &f) { first.append(QJsonDocument::fromJson(f).object()); }));
        QCOMPARE(seqsOf(first).last(), 200);
        QCOMPARE(seqsOf(frames(sub)).first(), 201);
    }

    void unbatchedDeliveryCarriesTheSubscription()
    {
        Topic topic(TopicId::Status, QStringLiteral("e-1"), 100);
        Subscription sub(QStringLiteral("s7"), topic, EntryFilter{}, false, [] {});
        publishLogs(topic, 2);
        const QList<QJsonObject> out = frames(sub);
        QCOMPARE(out.size(), 2);
        QCOMPARE(out.at(1).value(QLatin1StringView("sub")).toString(), QStringLiteral("s7"));
        QCOMPARE(out.at(1).value(QLatin1StringView("seq")).toInteger(), 2);
    }

    void historyRewindCountsOnlyMatchingEntries()
    {
        Topic topic(TopicId::Logs, QStringLiteral("e-1"), 1000);
        publishLogs(topic, 10, QStringLiteral("info"));
        publishLogs(topic, 3, QStringLiteral("error"));
        publishLogs(topic, 10, QStringLiteral("info"));
        const auto parsed = EntryFilter::fromJson(QJsonObject{{QStringLiteral("levels"), QJsonArray{QStringLiteral("error")}}});
        Subscription sub(QStringLiteral("s1"), topic, std::get<EntryFilter>(parsed), true, [] {});
        sub.rewindForHistory(2);
        QCOMPARE(sub.countMatchingPending(), 2);
        QCOMPARE(seqsOf(frames(sub)), (QList<qint64>{12, 13}));
    }

    void cursorBehindRetentionProducesAGapThenTheRest()
    {
        Topic topic(TopicId::Logs, QStringLiteral("e-1"), 10);
        Subscription sub(QStringLiteral("s1"), topic, EntryFilter{}, true, [] {});
        publishLogs(topic, 25);
        const QList<QJsonObject> out = frames(sub);
        QCOMPARE(out.first().value(QLatin1StringView("type")).toString(), QStringLiteral("gap"));
        QCOMPARE(out.first().value(QLatin1StringView("from_seq")).toInteger(), 1);
        QCOMPARE(out.first().value(QLatin1StringView("to_seq")).toInteger(), 15);
        QCOMPARE(out.first().value(QLatin1StringView("reason")).toString(), QStringLiteral("retention_exceeded"));
        const QList<qint64> seqs = seqsOf(out);
        QCOMPARE(seqs.first(), 16);
        QCOMPARE(seqs.last(), 25);
    }

    void laggingMetricsKeepOnlyTheLatestPointPerSource()
    {
        Topic topic(TopicId::Metrics, QStringLiteral("e-1"), 1000);
        Subscription sub(QStringLiteral("s2"), topic, EntryFilter{}, false, [] {});
        for (int tick = 0; tick < 60; ++tick) {
            for (const QString &source : {QStringLiteral("a"), QStringLiteral("b")})
                topic.publish(QJsonObject{{QStringLiteral("type"), QStringLiteral("metrics")},
                                          {QStringLiteral("source"), source}, {QStringLiteral("cpu"), tick}},
                              source);
        }
        const QList<QJsonObject> out = frames(sub, 100);
        QCOMPARE(out.size(), 2);
        for (const QJsonObject &point : out) {
            QCOMPARE(point.value(QLatin1StringView("cpu")).toInt(), 59);
            QVERIFY(point.value(QLatin1StringView("type")).toString() != QLatin1StringView("gap"));
        }
        QVERIFY(!sub.hasPending());
    }
};

QTEST_GUILESS_MAIN(TestHubTopics)
#include "tst_hub_topics.moc"
