#pragma once

// MetricsStore: per-source time series of the Metrics pane. Each source keeps a bounded ring
// (by default 20 minutes at one point per second — the 15-minute window plus slack), merged
// from live points and history pages without duplicates, the gap intervals the hub reported,
// and a row in the picker's SourceListModel. Charts are fed from C++ in one
// QXYSeries::replace() per refresh: QML never appends point by point.

#include "metricsfeed.h"
#include "metrictypes.h"
#include "sourcelistmodel.h"

#include <QAbstractSeries>
#include <QHash>
#include <QObject>
#include <QPointF>
#include <QPointer>
#include <QVariantMap>
#include <QtQml/qqml.h>

#include <deque>

namespace opsdeck::metrics {

// One interval the charts must mark: a hub gap (entries that cannot be delivered) or a
// silence (the source sent nothing, e.g. an agent that lost its link). endMs < 0: still open.
struct MetricsBand
{
    qint64 startMs = 0;
    qint64 endMs = -1;
    QString reason;
};

class MetricsStore : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(opsdeck::metrics::MetricsFeed *feed READ feed WRITE setFeed NOTIFY feedChanged)
    Q_PROPERTY(opsdeck::metrics::SourceListModel *sources READ sources CONSTANT)
    Q_PROPERTY(int capacity READ capacity WRITE setCapacity NOTIFY capacityChanged)
    Q_PROPERTY(qint64 pointCount READ pointCount NOTIFY pointCountChanged)
    Q_PROPERTY(int gapCount READ gapCount NOTIFY gapsChanged)
    // The newest point time of any source (ms since 1970, as a QML number): every chart's
    // window ends here, so charts scroll with the data, not with this machine's clock.
    Q_PROPERTY(double latestTimeMs READ latestTimeMs NOTIFY latestTimeChanged)
    // No point for longer than this means the source fell silent (shaded in charts).
    Q_PROPERTY(int silenceMs READ silenceMs WRITE setSilenceMs NOTIFY silenceMsChanged)

public:
    static constexpr int kDefaultCapacity = 1200;
    static constexpr int kTrendLength = 60;
    static constexpr int kMaxGapsPerSource = 64;

    explicit MetricsStore(QObject *parent = nullptr);
    ~MetricsStore() override;

    MetricsFeed *feed() const { return m_feed; }
    void setFeed(MetricsFeed *feed);
    SourceListModel *sources() { return &m_sources; }
    int capacity() const { return m_capacity; }
    void setCapacity(int capacity);
    qint64 pointCount() const { return m_pointCount; }
    int gapCount() const { return m_gapCount; }
    double latestTimeMs() const { return double(m_latestMs); }
    int silenceMs() const { return m_silenceMs; }
    void setSilenceMs(int ms);

    // Ingest (connected to the feed; tests call them directly too).
    void addPoints(const QString &source, const QList<MetricPoint> &points);
    void addGap(const MetricsGap &gap);
    Q_INVOKABLE void clear();

    // Reading. `metric`: cpu, memory (% of limit), memoryMiB, rx, tx (bytes/s), disk (% used),
    // diskGiB. The window ends at latestTimeMs and reaches `windowSeconds` back.
    Q_INVOKABLE int count(const QString &source, int windowSeconds = 0) const;
    QList<QPointF> points(const QString &source, const QString &metric, int windowSeconds, double scale = 1) const;
    QList<MetricsBand> gapBands(const QString &source, int windowSeconds) const;
    QList<MetricsBand> silenceBands(const QString &source, int windowSeconds) const;

    // Chart feeding: fills an XY series (or an area series' upper line) in one replace().
    // Returns {count, min, max, last} of the scaled values.
    Q_INVOKABLE QVariantMap updateSeries(QAbstractSeries *series, const QString &source, const QString &metric,
                                         int windowSeconds, double scale = 1) const;
    // Fills an area series' upper line with one rectangle (0..yMax) per band in the window.
    // `kind`: "gap" (hub gap markers) or "silence". Returns the number of bands drawn.
    Q_INVOKABLE int updateBands(QAbstractSeries *series, const QString &source, int windowSeconds, double yMax,
                                const QString &kind = QStringLiteral("gap")) const;
    Q_INVOKABLE QVariantMap range(const QString &source, const QString &metric, int windowSeconds) const;
    Q_INVOKABLE QVariantList gaps(const QString &source, int windowSeconds = 0) const;
    // Latest values of a source for chart headings: cpu, memoryMiB, memoryLimitMiB,
    // memoryPercent, rx, tx, diskUsedGiB, diskTotalGiB, hasDisk, timeMs, kind, host.
    Q_INVOKABLE QVariantMap latest(const QString &source) const;
    // A readable axis for a rate in bytes/s: {divisor, unit ("B/s", "KiB/s", "MiB/s"), max, tickCount}.
    Q_INVOKABLE QVariantMap rateScale(double maxBytesPerSecond) const;
    Q_INVOKABLE QString formatRate(double bytesPerSecond) const;
    Q_INVOKABLE QString formatMiB(double mebibytes) const;

Q_SIGNALS:
    void feedChanged();
    void capacityChanged();
    void pointCountChanged();
    void gapsChanged(const QString &source);
    void latestTimeChanged();
    void silenceMsChanged();
    // New points for `source` (live or history): charts showing it refresh.
    void sourceUpdated(const QString &source);

private:
    struct Sample
    {
        qint64 timeMs = 0;
        qint64 seq = 0;
        int epochId = 0;
        double cpu = 0;
        double memoryMiB = 0;
        double memoryLimitMiB = 0;
        double rx = 0;
        double tx = 0;
        double diskUsedGiB = 0;
        double diskTotalGiB = 0; // 0: no disk in this point
    };
    struct Series
    {
        QString kind;
        QString host;
        std::deque<Sample> samples; // ordered by (timeMs, epochId, seq), no duplicates
        QList<MetricsBand> gaps;
        bool gapOpen = false;
    };

    static bool earlier(const Sample &a, const Sample &b);
    static double value(const Sample &sample, const QString &metric, bool *ok);
    int epochId(const QString &epoch);
    Sample toSample(const MetricPoint &point);
    void merge(Series &series, std::vector<Sample> incoming);
    void trim(Series &series);
    void publishSummary(const QString &source, const Series &series);
    // Index of the first sample inside the window (samples.size() when none is).
    size_t windowStart(const Series &series, int windowSeconds) const;
    qint64 windowStartMs(int windowSeconds) const;

    QPointer<MetricsFeed> m_feed;
    SourceListModel m_sources;
    QHash<QString, Series> m_series;
    QHash<QString, int> m_epochIds;
    int m_capacity = kDefaultCapacity;
    int m_silenceMs = 5000;
    qint64 m_pointCount = 0;
    qint64 m_latestMs = 0;
    int m_gapCount = 0;
};

} // namespace opsdeck::metrics
