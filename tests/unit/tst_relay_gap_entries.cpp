// Gap markers as topic entries (docs/protocol.md §15): a relayed hole takes its place in the
// stream, goes out alone as a `gap` message, and reaches every subscriber whatever its filter.

#include "entryfilter.h"
#include "subscription.h"
#include "topic.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace opsdeck::hub;
using opsdeck::protocol::EntryFilter;

namespace {
QJsonObject parse(const QByteArray &frame)
{
    return QJsonDocument::fromJson(frame).object();
}

void publishLog(Topic &topic, const QString &level, const QString &message)
{
    topic.publish(QJsonObject{{"type", "log"}, {"level", level}, {"source", "web-01@prod"}, {"message", message}},
                  QStringLiteral("web-01@prod"), level, QStringLiteral("stdout"), message);
}
} // namespace

class TestRelayGapEntries : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void gapGoesOutAloneInItsPlaceWhateverTheFilter()
    {
        Topic logs(opsdeck::protocol::Topic::Logs, QStringLiteral("e-local"), 100);
        const EntryFilter errorsOnly = std::get<EntryFilter>(
            EntryFilter::fromJson(QJsonObject{{"levels", QJsonArray{"error"}}}));
        Subscription sub(QStringLiteral("s1"), logs, errorsOnly, /*batch*/ true, [] {});
        publishLog(logs, QStringLiteral("error"), QStringLiteral("one"));
        publishLog(logs, QStringLiteral("error"), QStringLiteral("two"));
        const quint64 gapSeq = logs.publishGap(QJsonObject{{"reason", "upstream_gap"}, {"hub", "prod"}},
                                               QStringLiteral("prod"));
        publishLog(logs, QStringLiteral("info"), QStringLiteral("filtered out"));
        publishLog(logs, QStringLiteral("error"), QStringLiteral("three"));

        QList<QJsonObject> frames;
        QVERIFY(!sub.drain(100, 10, [&](const QByteArray &frame) { frames.append(parse(frame)); }));
        QCOMPARE(frames.size(), 3);
        QCOMPARE(frames[0].value("type").toString(), QStringLiteral("batch"));
        QCOMPARE(frames[0].value("count").toInt(), 2);
        QCOMPARE(frames[1].value("type").toString(), QStringLiteral("gap"));
        QCOMPARE(frames[1].value("sub").toString(), QStringLiteral("s1"));
        QCOMPARE(frames[1].value("reason").toString(), QStringLiteral("upstream_gap"));
        QCOMPARE(frames[1].value("hub").toString(), QStringLiteral("prod"));
        QCOMPARE(frames[1].value("epoch").toString(), QStringLiteral("e-local"));
        QCOMPARE(quint64(frames[1].value("seq").toInteger()), gapSeq);
        QCOMPARE(frames[2].value("type").toString(), QStringLiteral("batch"));
        const QJsonArray last = frames[2].value("logs").toArray();
        QCOMPARE(last.size(), 1);
        QCOMPARE(last[0].toObject().value("message").toString(), QStringLiteral("three"));
    }

    void unbatchedSubscriberGetsTheGapBetweenEntries()
    {
        Topic logs(opsdeck::protocol::Topic::Logs, QStringLiteral("e-2"), 100);
        Subscription sub(QStringLiteral("s9"), logs, EntryFilter{}, /*batch*/ false, [] {});
        publishLog(logs, QStringLiteral("info"), QStringLiteral("before"));
        logs.publishGap(QJsonObject{{"reason", "upstream_gap"}});
        publishLog(logs, QStringLiteral("info"), QStringLiteral("after"));
        QStringList types;
        sub.drain(100, 10, [&](const QByteArray &frame) { types.append(parse(frame).value("type").toString()); });
        QCOMPARE(types, (QStringList{"log", "gap", "log"}));
    }

    void lateMetricsSubscriberStillSeesEveryGap()
    {
        // A metrics subscription far behind skips to the newest point per source (§4.5); the
        // holes in between must still be shown on the charts.
        Topic metrics(opsdeck::protocol::Topic::Metrics, QStringLiteral("e-m"), 1000);
        Subscription sub(QStringLiteral("s2"), metrics, EntryFilter{}, false, [] {});
        for (int i = 0; i < 50; ++i) {
            for (const char *source : {"a@prod", "b@prod"})
                metrics.publish(QJsonObject{{"type", "metrics"}, {"source", source}, {"cpu", i}}, QString::fromLatin1(source));
            if (i == 20 || i == 30)
                metrics.publishGap(QJsonObject{{"reason", "upstream_gap"}}, QStringLiteral("prod"));
        }
        QList<QJsonObject> frames;
        sub.drain(10, 10, [&](const QByteArray &frame) { frames.append(parse(frame)); });
        int gaps = 0;
        QHash<QString, double> latest;
        for (const QJsonObject &frame : frames) {
            if (frame.value("type").toString() == QLatin1StringView("gap"))
                ++gaps;
            else
                latest.insert(frame.value("source").toString(), frame.value("cpu").toDouble());
        }
        QCOMPARE(gaps, 2);
        QCOMPARE(latest.value("a@prod"), 49.0);
        QCOMPARE(latest.value("b@prod"), 49.0);
        QVERIFY(!sub.hasPending());
    }
};

QTEST_GUILESS_MAIN(TestRelayGapEntries)
#include "tst_relay_gap_entries.moc"
