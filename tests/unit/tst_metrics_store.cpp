// MetricsStore and its SourceListModel, driven through MetricsFeed's signals the way the pane
// drives them: ring bounds, window selection, history merged without duplicates, gaps and
// silences recorded, and chart series filled from C++.

#include "hubhealth.h"
#include "metricsfeed.h"
#include "metricsstore.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QAreaSeries>
#include <QJsonArray>
#include <QLineSeries>
#include <QSignalSpy>
#include <QTest>
#include <QTimeZone>

using namespace opsdeck::metrics;

namespace {
constexpr qint64 kT0 = 1'763'700'000'000; // 2025-11-21, a whole second

MetricPoint point(const QString &source, qint64 seq, qint64 timeMs, double cpu, const QString &kind = QStringLiteral("agent"))
{
    MetricPoint p;
    p.source = source;
    p.kind = kind;
    p.host = kind == QLatin1StringView("host") ? source : QStringLiteral("edge-1");
    p.epoch = QStringLiteral("e-1");
    p.seq = seq;
    p.timeMs = timeMs;
    p.cpu = cpu;
    p.memoryMiB = 512;
    p.memoryLimitMiB = 2048;
    p.rxBytesPerSec = 1000.0 * double(seq);
    p.txBytesPerSec = 500;
    if (kind == QLatin1StringView("host")) {
        p.diskUsedGiB = 128;
        p.diskTotalGiB = 512;
    }
    return p;
}

// `count` points one second apart, seq first..first+count-1.
QList<MetricPoint> run(const QString &source, qint64 firstSeq, int count, qint64 startMs = kT0)
{
    QList<MetricPoint> points;
    for (int i = 0; i < count; ++i)
        points.append(point(source, firstSeq + i, startMs + qint64(firstSeq + i) * 1000, double(i % 100)));
    return points;
}
} // namespace

class TestMetricsStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesTheProtocolShape()
    {
        const QJsonObject entry{{"type", "metrics"}, {"topic", "metrics"}, {"epoch", "e-0d17"}, {"seq", 9001},
                                {"source", "web-01"}, {"host", "edge-1"}, {"kind", "host"}, {"cpu", 45.2},
                                {"memory", 2048}, {"memoryLimit", 4096},
                                {"network", QJsonObject{{"rx", 1024000}, {"tx", 512000}}},
                                {"disk", QJsonObject{{"used", 120.5}, {"total", 512.0}}},
                                {"timestamp", "2026-11-21T12:00:00Z"}};
        const auto p = MetricPoint::fromJson(entry);
        QVERIFY(p);
        QCOMPARE(p->seq, 9001);
        QCOMPARE(p->epoch, QStringLiteral("e-0d17"));
        QCOMPARE(p->cpu, 45.2);
        QCOMPARE(p->rxBytesPerSec, 1024000.0);
        QVERIFY(p->hasDisk());
        QCOMPARE(p->timeMs, QDateTime(QDate(2026, 11, 21), QTime(12, 0), QTimeZone::utc()).toMSecsSinceEpoch());
        QVERIFY(!MetricPoint::fromJson(QJsonObject{{"type", "log"}, {"source", "x"}, {"timestamp", "2026-11-21T12:00:00Z"}}));
        QVERIFY(!MetricPoint::fromJson(QJsonObject{{"type", "metrics"}, {"source", "x"}, {"timestamp", "yesterday"}}));
    }

    void sourceListIsGroupedAndSorted()
    {
        MetricsFeed feed;
        MetricsStore store;
        store.setFeed(&feed);
        QAbstractItemModelTester tester(store.sources(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        Q_EMIT feed.pointsReceived(QStringLiteral("web-02"), {point(QStringLiteral("web-02"), 1, kT0, 10)});
        Q_EMIT feed.pointsReceived(QStringLiteral("edge-2"), {point(QStringLiteral("edge-2"), 2, kT0, 20, QStringLiteral("host"))});
        Q_EMIT feed.pointsReceived(QStringLiteral("api-01"), {point(QStringLiteral("api-01"), 3, kT0, 30)});
        Q_EMIT feed.pointsReceived(QStringLiteral("edge-1"), {point(QStringLiteral("edge-1"), 4, kT0, 40, QStringLiteral("host"))});
        SourceListModel *model = store.sources();
        QCOMPARE(model->rowCount(), 4);
        QCOMPARE(model->sourceAt(0), QStringLiteral("edge-1"));
        QCOMPARE(model->sourceAt(1), QStringLiteral("edge-2"));
        QCOMPARE(model->sourceAt(2), QStringLiteral("api-01"));
        QCOMPARE(model->sourceAt(3), QStringLiteral("web-02"));
        QCOMPARE(model->roleNames().value(SourceListModel::SourceRole), QByteArray("source"));
        QCOMPARE(int(SourceListModel::SourceRole), Qt::UserRole + 1);

        // A new point updates the row in place (dataChanged), never reorders or duplicates it.
        QSignalSpy changed(model, &QAbstractItemModel::dataChanged);
        Q_EMIT feed.pointsReceived(QStringLiteral("api-01"), {point(QStringLiteral("api-01"), 5, kT0 + 1000, 77)});
        QCOMPARE(model->rowCount(), 4);
        QCOMPARE(changed.count(), 1);
        const QModelIndex api = model->index(2);
        QCOMPARE(api.data(SourceListModel::CpuRole).toDouble(), 77.0);
        QCOMPARE(api.data(SourceListModel::KindRole).toString(), QStringLiteral("agent"));
        QCOMPARE(api.data(SourceListModel::MemoryPercentRole).toDouble(), 25.0);
        QCOMPARE(api.data(SourceListModel::CpuTrendRole).toList().size(), 2);
        QCOMPARE(api.data(SourceListModel::LastSeenRole).toDouble(), double(kT0 + 1000));

        store.clear();
        QCOMPARE(model->rowCount(), 0);
        QCOMPARE(store.pointCount(), 0);
    }

    void ringIsBounded()
    {
        MetricsFeed feed;
        MetricsStore store;
        store.setFeed(&feed);
        QVERIFY(store.capacity() >= 15 * 60); // 15 minutes at 1 Hz
        QAbstractItemModelTester tester(store.sources(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        store.setCapacity(100);
        for (int batch = 0; batch < 5; ++batch)
            Q_EMIT feed.pointsReceived(QStringLiteral("web-01"), run(QStringLiteral("web-01"), 1 + batch * 50, 50));
        QCOMPARE(store.pointCount(), 100);
        QCOMPARE(store.count(QStringLiteral("web-01")), 100);
        const QList<QPointF> kept = store.points(QStringLiteral("web-01"), QStringLiteral("cpu"), 0);
        QCOMPARE(kept.first().x(), double(kT0 + 151 * 1000)); // the newest 100 of 250
        QCOMPARE(kept.last().x(), double(kT0 + 250 * 1000));
        QCOMPARE(store.latestTimeMs(), double(kT0 + 250 * 1000));

        // Shrinking trims at once.
        store.setCapacity(10);
        QCOMPARE(store.pointCount(), 10);
    }

    void windowSelectsTheNewestSeconds()
    {
        MetricsFeed feed;
        MetricsStore store;
        store.setFeed(&feed);
        Q_EMIT feed.pointsReceived(QStringLiteral("edge-1"), run(QStringLiteral("edge-1"), 1, 20 * 60));
        QCOMPARE(store.count(QStringLiteral("edge-1"), 0), 1200);
        QCOMPARE(store.count(QStringLiteral("edge-1"), 60), 61); // both ends inclusive
        QCOMPARE(store.count(QStringLiteral("edge-1"), 300), 301);
        QCOMPARE(store.count(QStringLiteral("edge-1"), 900), 901);
        QCOMPARE(store.count(QStringLiteral("nobody"), 60), 0);
        // Another source's newer point moves every window: windows end at the newest data.
        Q_EMIT feed.pointsReceived(QStringLiteral("web-01"), {point(QStringLiteral("web-01"), 5000, kT0 + 1230 * 1000, 1)});
        QCOMPARE(store.count(QStringLiteral("edge-1"), 60), 31);
    }

    void historyMergesWithoutDuplicates()
    {
        MetricsFeed feed;
        MetricsStore store;
        store.setFeed(&feed);
        QSignalSpy updated(&store, &MetricsStore::sourceUpdated);
        Q_EMIT feed.pointsReceived(QStringLiteral("web-01"), run(QStringLiteral("web-01"), 100, 11)); // live 100..110
        Q_EMIT feed.pointsReceived(QStringLiteral("web-01"), run(QStringLiteral("web-01"), 50, 56));  // history 50..105
        QCOMPARE(store.pointCount(), 61);
        Q_EMIT feed.pointsReceived(QStringLiteral("web-01"), run(QStringLiteral("web-01"), 10, 40));  // older page 10..49
        QCOMPARE(store.pointCount(), 101);
        // The same live batch again (a resend) changes nothing and is not an update.
        const int updates = updated.count();
        Q_EMIT feed.pointsReceived(QStringLiteral("web-01"), run(QStringLiteral("web-01"), 100, 11));
        QCOMPARE(store.pointCount(), 101);
        QCOMPARE(updated.count(), updates);
        const QList<QPointF> all = store.points(QStringLiteral("web-01"), QStringLiteral("rx"), 0);
        QCOMPARE(all.size(), 101);
        for (int i = 1; i < all.size(); ++i)
            QVERIFY(all[i].x() > all[i - 1].x());
        QCOMPARE(all.first().y(), 10000.0);
    }

    void gapsAreRecordedAndDrawn()
    {
        MetricsFeed feed;
        MetricsStore store;
        store.setFeed(&feed);
        Q_EMIT feed.pointsReceived(QStringLiteral("web-01"), run(QStringLiteral("web-01"), 1, 10));
        QSignalSpy gapsChanged(&store, &MetricsStore::gapsChanged);
        MetricsGap gap;
        gap.reason = QStringLiteral("retention_exceeded");
        gap.fromSeq = 11;
        gap.toSeq = 40;
        Q_EMIT feed.gapReceived(gap);
        QCOMPARE(gapsChanged.count(), 1);
        QCOMPARE(store.gapCount(), 1);
        // Open until the next point: it runs to the newest data meanwhile.
        QVariantList gaps = store.gaps(QStringLiteral("web-01"));
        QCOMPARE(gaps.size(), 1);
        QCOMPARE(gaps.first().toMap().value("end").toDouble(), -1.0);

        Q_EMIT feed.pointsReceived(QStringLiteral("web-01"), run(QStringLiteral("web-01"), 41, 10));
        gaps = store.gaps(QStringLiteral("web-01"));
        QCOMPARE(gaps.size(), 1);
        const QVariantMap g = gaps.first().toMap();
        QCOMPARE(g.value("start").toDouble(), double(kT0 + 10 * 1000));
        QCOMPARE(g.value("end").toDouble(), double(kT0 + 41 * 1000));
        QCOMPARE(g.value("reason").toString(), QStringLiteral("retention_exceeded"));

        // The chart's band: one rectangle from the last point before to the first after.
        QAreaSeries band;
        band.setUpperSeries(new QLineSeries(&band));
        QCOMPARE(store.updateBands(&band, QStringLiteral("web-01"), 0, 100), 1);
        const QList<QPointF> outline = band.upperSeries()->points();
        QCOMPARE(outline.size(), 4);
        QCOMPARE(outline[0], QPointF(double(kT0 + 10 * 1000), 0));
        QCOMPARE(outline[1], QPointF(double(kT0 + 10 * 1000), 100));
        QCOMPARE(outline[2], QPointF(double(kT0 + 41 * 1000), 100));
        QCOMPARE(outline[3], QPointF(double(kT0 + 41 * 1000), 0));
        // Out of a 5-second window it is not drawn.
        QCOMPARE(store.updateBands(&band, QStringLiteral("web-01"), 5, 100), 0);
        QCOMPARE(band.upperSeries()->count(), 0);
        // The same 30 s hole is also a silence of the source.
        QCOMPARE(store.updateBands(&band, QStringLiteral("web-01"), 0, 100, QStringLiteral("silence")), 1);
    }

    void silencesAreShown()
    {
        MetricsStore store;
        store.addPoints(QStringLiteral("web-01"), run(QStringLiteral("web-01"), 1, 10));
        store.addPoints(QStringLiteral("web-01"), run(QStringLiteral("web-01"), 30, 10));
        QCOMPARE(store.silenceBands(QStringLiteral("web-01"), 0).size(), 1);
        // Others keep reporting, web-01 does not: a silence that is still open.
        store.addPoints(QStringLiteral("web-02"), {point(QStringLiteral("web-02"), 100, kT0 + 60 * 1000, 1)});
        const QList<MetricsBand> bands = store.silenceBands(QStringLiteral("web-01"), 0);
        QCOMPARE(bands.size(), 2);
        QCOMPARE(bands.last().startMs, kT0 + 39 * 1000);
        QCOMPARE(bands.last().endMs, -1);
        QCOMPARE(store.silenceBands(QStringLiteral("web-02"), 0).size(), 0);
    }

    void updateSeriesFillsALineSeries()
    {
        MetricsFeed feed;
        MetricsStore store;
        store.setFeed(&feed);
        Q_EMIT feed.pointsReceived(QStringLiteral("edge-1"), run(QStringLiteral("edge-1"), 1, 120));
        Q_EMIT feed.pointsReceived(QStringLiteral("edge-1"), {point(QStringLiteral("edge-1"), 121, kT0 + 121 * 1000, 50, QStringLiteral("host"))});

        QLineSeries line;
        QSignalSpy replaced(&line, &QXYSeries::pointsReplaced);
        const QVariantMap r = store.updateSeries(&line, QStringLiteral("edge-1"), QStringLiteral("cpu"), 60);
        QCOMPARE(replaced.count(), 1); // one replace(), not 61 appends
        QCOMPARE(line.count(), 61);
        QCOMPARE(r.value("count").toInt(), 61);
        QCOMPARE(line.at(0), QPointF(double(kT0 + 61 * 1000), 60.0));
        QCOMPARE(line.at(60), QPointF(double(kT0 + 121 * 1000), 50.0));
        QCOMPARE(r.value("last").toDouble(), 50.0);
        QCOMPARE(r.value("max").toDouble(), 99.0);

        // Scaled rates, memory as a percentage of the limit, disk only where reported.
        store.updateSeries(&line, QStringLiteral("edge-1"), QStringLiteral("rx"), 60, 1.0 / 1024);
        QCOMPARE(line.at(60).y(), 121000.0 / 1024);
        store.updateSeries(&line, QStringLiteral("edge-1"), QStringLiteral("memory"), 60);
        QCOMPARE(line.at(0).y(), 25.0);
        store.updateSeries(&line, QStringLiteral("edge-1"), QStringLiteral("disk"), 60);
        QCOMPARE(line.count(), 1);
        QCOMPARE(line.at(0).y(), 25.0);

        // An area series is filled through its upper line.
        QAreaSeries area;
        area.setUpperSeries(new QLineSeries(&area));
        store.updateSeries(&area, QStringLiteral("edge-1"), QStringLiteral("cpu"), 300);
        QCOMPARE(area.upperSeries()->count(), 121);
        const QVariantMap latest = store.latest(QStringLiteral("edge-1"));
        QCOMPARE(latest.value("kind").toString(), QStringLiteral("host"));
        QCOMPARE(latest.value("hasDisk").toBool(), true);
    }

    void rateScaleIsReadable()
    {
        MetricsStore store;
        QVariantMap s = store.rateScale(300 * 1024);
        QCOMPARE(s.value("unit").toString(), QStringLiteral("KiB/s"));
        QVERIFY(s.value("max").toDouble() >= 300 * 1.1);
        QVERIFY(s.value("max").toDouble() <= 400);
        s = store.rateScale(3.2 * 1024 * 1024);
        QCOMPARE(s.value("unit").toString(), QStringLiteral("MiB/s"));
        QCOMPARE(s.value("max").toDouble(), 4.0);
        s = store.rateScale(0);
        QCOMPARE(s.value("max").toDouble(), 1.0);
        QCOMPARE(store.formatRate(1536), QStringLiteral("1.5 KiB/s"));
        QCOMPARE(store.formatMiB(2048), QStringLiteral("2.0 GiB"));
    }

    void healthReadsStats()
    {
        HubHealth health;
        QSignalSpy changed(&health, &HubHealth::statsChanged);
        health.applyStats(QJsonObject{{"connections", 3}, {"messages_per_s_out", 42.5}, {"uptime_s", 90},
                                      {"errors_by_code", QJsonObject{{"BAD_MESSAGE", 2}, {"RATE_LIMIT_EXCEEDED", 5}}},
                                      {"closes_by_code", QJsonObject{{"1000", 1}}}});
        QCOMPARE(changed.count(), 1);
        QVERIFY(health.isValid());
        QCOMPARE(health.connections(), 3);
        QCOMPARE(health.messagesPerSecond(), 42.5);
        QCOMPARE(health.errorTotal(), 7);
        QCOMPARE(health.errorsByCode().first().toMap().value("code").toString(), QStringLiteral("RATE_LIMIT_EXCEEDED"));
        QCOMPARE(health.closesByCode().size(), 1);
        QCOMPARE(health.rateHistory().size(), 1);
        QCOMPARE(health.latencyMs(), -1); // no client
    }
};

int main(int argc, char *argv[])
{
    // Qt Charts' series belong to QtWidgets' world (DESIGN.md §8).
    QApplication app(argc, argv);
    TestMetricsStore test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_metrics_store.moc"
