// MetricsStore's reading side: window selection and chart feeding.

#include "metricsstore.h"

#include <QAreaSeries>
#include <QLineSeries>
#include <QXYSeries>

#include <algorithm>
#include <cmath>
#include <limits>

namespace opsdeck::metrics {

namespace {
QXYSeries *xySeries(QAbstractSeries *series)
{
    // An area series is drawn from its upper line: filling that line fills the area.
    if (auto *area = qobject_cast<QAreaSeries *>(series))
        return area->upperSeries();
    return qobject_cast<QXYSeries *>(series);
}

// 1, 2, 2.5, 5 × 10^n: axis steps people read without arithmetic.
double niceStep(double raw)
{
    if (!(raw > 0))
        return 1;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    for (double factor : {1.0, 2.0, 2.5, 5.0, 10.0}) {
        if (factor * magnitude >= raw)
            return factor * magnitude;
    }
    return 10 * magnitude;
}
} // namespace

double MetricsStore::value(const Sample &sample, const QString &metric, bool *ok)
{
    *ok = true;
    if (metric == QLatin1StringView("cpu"))
        return sample.cpu;
    if (metric == QLatin1StringView("memory"))
        return sample.memoryLimitMiB > 0 ? 100.0 * sample.memoryMiB / sample.memoryLimitMiB : (*ok = false, 0.0);
    if (metric == QLatin1StringView("memoryMiB"))
        return sample.memoryMiB;
    if (metric == QLatin1StringView("rx"))
        return sample.rx;
    if (metric == QLatin1StringView("tx"))
        return sample.tx;
    if (metric == QLatin1StringView("disk"))
        return sample.diskTotalGiB > 0 ? 100.0 * sample.diskUsedGiB / sample.diskTotalGiB : (*ok = false, 0.0);
    if (metric == QLatin1StringView("diskGiB"))
        return sample.diskTotalGiB > 0 ? sample.diskUsedGiB : (*ok = false, 0.0);
    *ok = false;
    return 0;
}

qint64 MetricsStore::windowStartMs(int windowSeconds) const
{
    return windowSeconds > 0 ? m_latestMs - qint64(windowSeconds) * 1000 : std::numeric_limits<qint64>::min();
}

size_t MetricsStore::windowStart(const Series &series, int windowSeconds) const
{
    const qint64 start = windowStartMs(windowSeconds);
    const auto it = std::lower_bound(series.samples.cbegin(), series.samples.cend(), start,
                                     [](const Sample &sample, qint64 ms) { return sample.timeMs < ms; });
    return size_t(it - series.samples.cbegin());
}

int MetricsStore::count(const QString &source, int windowSeconds) const
{
    const auto it = m_series.constFind(source);
    if (it == m_series.cend())
        return 0;
    return int(it->samples.size() - windowStart(*it, windowSeconds));
}

QList<QPointF> MetricsStore::points(const QString &source, const QString &metric, int windowSeconds,
                                    double scale) const
{
    QList<QPointF> result;
    const auto it = m_series.constFind(source);
    if (it == m_series.cend())
        return result;
    const size_t from = windowStart(*it, windowSeconds);
    result.reserve(qsizetype(it->samples.size() - from));
    for (size_t i = from; i < it->samples.size(); ++i) {
        bool ok = false;
        const double v = value(it->samples[i], metric, &ok);
        if (ok)
            result.append(QPointF(double(it->samples[i].timeMs), v * scale));
    }
    return result;
}

QList<MetricsBand> MetricsStore::gapBands(const QString &source, int windowSeconds) const
{
    QList<MetricsBand> result;
    const auto it = m_series.constFind(source);
    if (it == m_series.cend())
        return result;
    const qint64 start = windowStartMs(windowSeconds);
    for (const MetricsBand &gap : it->gaps) {
        // An open gap (endMs < 0) runs up to the newest data and stays open in the result.
        const qint64 end = gap.endMs < 0 ? m_latestMs : gap.endMs;
        if (end >= start)
            result.append(MetricsBand{std::max(gap.startMs, start), gap.endMs, gap.reason});
    }
    return result;
}

QList<MetricsBand> MetricsStore::silenceBands(const QString &source, int windowSeconds) const
{
    QList<MetricsBand> result;
    const auto it = m_series.constFind(source);
    if (it == m_series.cend() || it->samples.empty())
        return result;
    const qint64 start = windowStartMs(windowSeconds);
    const auto &samples = it->samples;
    // Start one sample before the window so a silence that began earlier still shows.
    size_t from = windowStart(*it, windowSeconds);
    from = from > 0 ? from - 1 : 0;
    for (size_t i = from + 1; i < samples.size(); ++i) {
        if (samples[i].timeMs - samples[i - 1].timeMs > m_silenceMs && samples[i].timeMs >= start)
            result.append(MetricsBand{std::max(samples[i - 1].timeMs, start), samples[i].timeMs,
                                      QStringLiteral("silence")});
    }
    // Other sources still report, this one does not (yet): the silence runs up to now.
    if (m_latestMs - samples.back().timeMs > m_silenceMs)
        result.append(MetricsBand{std::max(samples.back().timeMs, start), -1, QStringLiteral("silence")});
    return result;
}

QVariantMap MetricsStore::updateSeries(QAbstractSeries *series, const QString &source, const QString &metric,
                                       int windowSeconds, double scale) const
{
    const QList<QPointF> list = points(source, metric, windowSeconds, scale);
    if (QXYSeries *xy = xySeries(series))
        xy->replace(list);
    double lo = 0;
    double hi = 0;
    if (!list.isEmpty()) {
        const auto [mn, mx] = std::minmax_element(list.cbegin(), list.cend(),
                                                  [](const QPointF &a, const QPointF &b) { return a.y() < b.y(); });
        lo = mn->y();
        hi = mx->y();
    }
    return {{QStringLiteral("count"), list.size()},
            {QStringLiteral("min"), lo},
            {QStringLiteral("max"), hi},
            {QStringLiteral("last"), list.isEmpty() ? 0.0 : list.constLast().y()}};
}

int MetricsStore::updateBands(QAbstractSeries *series, const QString &source, int windowSeconds, double yMax,
                              const QString &kind) const
{
    const QList<MetricsBand> bands = kind == QLatin1StringView("silence") ? silenceBands(source, windowSeconds)
                                                                          : gapBands(source, windowSeconds);
    QList<QPointF> outline;
    outline.reserve(bands.size() * 4);
    for (const MetricsBand &band : bands) {
        const double from = double(band.startMs);
        const double to = double(band.endMs < 0 ? m_latestMs : band.endMs);
        outline << QPointF(from, 0) << QPointF(from, yMax) << QPointF(to, yMax) << QPointF(to, 0);
    }
    if (QXYSeries *xy = xySeries(series))
        xy->replace(outline);
    return int(bands.size());
}

QVariantMap MetricsStore::range(const QString &source, const QString &metric, int windowSeconds) const
{
    const auto it = m_series.constFind(source);
    double lo = 0;
    double hi = 0;
    double last = 0;
    int n = 0;
    if (it != m_series.cend()) {
        for (size_t i = windowStart(*it, windowSeconds); i < it->samples.size(); ++i) {
            bool ok = false;
            const double v = value(it->samples[i], metric, &ok);
            if (!ok)
                continue;
            lo = n == 0 ? v : std::min(lo, v);
            hi = n == 0 ? v : std::max(hi, v);
            last = v;
            ++n;
        }
    }
    return {{QStringLiteral("count"), n}, {QStringLiteral("min"), lo}, {QStringLiteral("max"), hi},
            {QStringLiteral("last"), last}};
}

QVariantList MetricsStore::gaps(const QString &source, int windowSeconds) const
{
    QVariantList result;
    for (const MetricsBand &band : gapBands(source, windowSeconds))
        result.append(QVariantMap{{QStringLiteral("start"), double(band.startMs)},
                                  {QStringLiteral("end"), double(band.endMs)},
                                  {QStringLiteral("reason"), band.reason}});
    return result;
}

QVariantMap MetricsStore::latest(const QString &source) const
{
    const auto it = m_series.constFind(source);
    if (it == m_series.cend() || it->samples.empty())
        return {};
    const Sample &s = it->samples.back();
    return {{QStringLiteral("cpu"), s.cpu},
            {QStringLiteral("memoryMiB"), s.memoryMiB},
            {QStringLiteral("memoryLimitMiB"), s.memoryLimitMiB},
            {QStringLiteral("memoryPercent"), s.memoryLimitMiB > 0 ? 100.0 * s.memoryMiB / s.memoryLimitMiB : 0.0},
            {QStringLiteral("rx"), s.rx},
            {QStringLiteral("tx"), s.tx},
            {QStringLiteral("hasDisk"), s.diskTotalGiB > 0},
            {QStringLiteral("diskUsedGiB"), s.diskUsedGiB},
            {QStringLiteral("diskTotalGiB"), s.diskTotalGiB},
            {QStringLiteral("diskPercent"), s.diskTotalGiB > 0 ? 100.0 * s.diskUsedGiB / s.diskTotalGiB : 0.0},
            {QStringLiteral("timeMs"), double(s.timeMs)},
            {QStringLiteral("kind"), it->kind},
            {QStringLiteral("host"), it->host}};
}

QVariantMap MetricsStore::rateScale(double maxBytesPerSecond) const
{
    constexpr int kTicks = 5; // four intervals
    const double peak = std::max(maxBytesPerSecond, 0.0);
    double divisor = 1024;
    QString unit = QStringLiteral("KiB/s");
    if (peak >= 1024.0 * 1024.0) {
        divisor = 1024.0 * 1024.0;
        unit = QStringLiteral("MiB/s");
    } else if (peak > 0 && peak < 1024) {
        divisor = 1;
        unit = QStringLiteral("B/s");
    }
    // Headroom above the peak, so the line never runs along the top edge.
    const double step = niceStep(std::max(peak / divisor * 1.1, 1e-9) / (kTicks - 1));
    return {{QStringLiteral("divisor"), divisor},
            {QStringLiteral("unit"), unit},
            {QStringLiteral("max"), peak > 0 ? step * (kTicks - 1) : 1.0},
            {QStringLiteral("tickCount"), kTicks}};
}

QString MetricsStore::formatRate(double bytesPerSecond) const
{
    if (bytesPerSecond >= 1024.0 * 1024.0)
        return QStringLiteral("%1 MiB/s").arg(bytesPerSecond / (1024.0 * 1024.0), 0, 'f', 2);
    if (bytesPerSecond >= 1024.0)
        return QStringLiteral("%1 KiB/s").arg(bytesPerSecond / 1024.0, 0, 'f', bytesPerSecond >= 100 * 1024.0 ? 0 : 1);
    return QStringLiteral("%1 B/s").arg(bytesPerSecond, 0, 'f', 0);
}

QString MetricsStore::formatMiB(double mebibytes) const
{
    if (mebibytes >= 1024.0)
        return QStringLiteral("%1 GiB").arg(mebibytes / 1024.0, 0, 'f', 1);
    return QStringLiteral("%1 MiB").arg(mebibytes, 0, 'f', 0);
}

} // namespace opsdeck::metrics
