#include "metricsstore.h"

#include "metricsfeed.h"

#include <algorithm>

namespace opsdeck::metrics {

MetricsStore::MetricsStore(QObject *parent)
    : QObject(parent)
{
}

MetricsStore::~MetricsStore() = default;

void MetricsStore::setFeed(MetricsFeed *feed)
{
    if (feed == m_feed)
        return;
    if (m_feed)
        disconnect(m_feed, nullptr, this, nullptr);
    m_feed = feed;
    if (m_feed) {
        connect(m_feed, &MetricsFeed::pointsReceived, this, &MetricsStore::addPoints);
        connect(m_feed, &MetricsFeed::gapReceived, this, &MetricsStore::addGap);
    }
    Q_EMIT feedChanged();
}

void MetricsStore::setCapacity(int capacity)
{
    capacity = std::max(capacity, 2);
    if (capacity == m_capacity)
        return;
    m_capacity = capacity;
    const qint64 before = m_pointCount;
    for (auto it = m_series.begin(); it != m_series.end(); ++it)
        trim(*it);
    Q_EMIT capacityChanged();
    if (before != m_pointCount)
        Q_EMIT pointCountChanged();
}

void MetricsStore::setSilenceMs(int ms)
{
    ms = std::max(ms, 1);
    if (ms == m_silenceMs)
        return;
    m_silenceMs = ms;
    Q_EMIT silenceMsChanged();
}

bool MetricsStore::earlier(const Sample &a, const Sample &b)
{
    if (a.timeMs != b.timeMs)
        return a.timeMs < b.timeMs;
    if (a.epochId != b.epochId)
        return a.epochId < b.epochId;
    return a.seq < b.seq;
}

int MetricsStore::epochId(const QString &epoch)
{
    auto it = m_epochIds.find(epoch);
    if (it == m_epochIds.end())
        it = m_epochIds.insert(epoch, int(m_epochIds.size()));
    return *it;
}

MetricsStore::Sample MetricsStore::toSample(const MetricPoint &point)
{
    Sample sample;
    sample.timeMs = point.timeMs;
    sample.seq = point.seq;
    sample.epochId = epochId(point.epoch);
    sample.cpu = point.cpu;
    sample.memoryMiB = point.memoryMiB;
    sample.memoryLimitMiB = point.memoryLimitMiB;
    sample.rx = point.rxBytesPerSec;
    sample.tx = point.txBytesPerSec;
    if (point.hasDisk()) {
        sample.diskUsedGiB = point.diskUsedGiB;
        sample.diskTotalGiB = point.diskTotalGiB;
    }
    return sample;
}

void MetricsStore::addPoints(const QString &source, const QList<MetricPoint> &points)
{
    if (source.isEmpty() || points.isEmpty())
        return;
    std::vector<Sample> incoming;
    incoming.reserve(size_t(points.size()));
    for (const MetricPoint &point : points)
        incoming.push_back(toSample(point));
    std::sort(incoming.begin(), incoming.end(), &MetricsStore::earlier);

    Series &series = m_series[source];
    series.kind = points.constLast().kind;
    series.host = points.constLast().host;
    const qint64 before = m_pointCount;
    const qint64 newest = series.samples.empty() ? 0 : series.samples.back().timeMs;

    // An open gap ends at the first point after it: the interval in between is what was lost.
    if (series.gapOpen && !series.gaps.isEmpty()) {
        MetricsBand &gap = series.gaps.last();
        for (const Sample &sample : incoming) {
            if (sample.timeMs > gap.startMs) {
                gap.endMs = sample.timeMs;
                series.gapOpen = false;
                break;
            }
        }
    }

    merge(series, std::move(incoming));
    trim(series);
    publishSummary(source, series);

    if (!series.samples.empty() && series.samples.back().timeMs > m_latestMs) {
        m_latestMs = series.samples.back().timeMs;
        Q_EMIT latestTimeChanged();
    }
    if (m_pointCount != before)
        Q_EMIT pointCountChanged();
    if (m_pointCount != before || newest != (series.samples.empty() ? 0 : series.samples.back().timeMs))
        Q_EMIT sourceUpdated(source);
}

void MetricsStore::merge(Series &series, std::vector<Sample> incoming)
{
    auto &samples = series.samples;
    const size_t before = samples.size();
    // Live points come after everything stored; history pages come before it. Only an
    // overlapping page (history that reaches into what already arrived live) needs a real merge.
    if (samples.empty() || earlier(samples.back(), incoming.front())) {
        samples.insert(samples.end(), incoming.begin(), incoming.end());
    } else if (earlier(incoming.back(), samples.front())) {
        samples.insert(samples.begin(), incoming.begin(), incoming.end());
    } else {
        std::vector<Sample> merged;
        merged.reserve(samples.size() + incoming.size());
        std::merge(samples.begin(), samples.end(), incoming.begin(), incoming.end(), std::back_inserter(merged),
                   &MetricsStore::earlier);
        samples.assign(merged.begin(), merged.end());
    }
    // The same entry twice (live and again in a history page): (epoch, seq) is its identity.
    const auto last = std::unique(samples.begin(), samples.end(), [](const Sample &a, const Sample &b) {
        return a.epochId == b.epochId && a.seq == b.seq && a.timeMs == b.timeMs;
    });
    samples.erase(last, samples.end());
    m_pointCount += qint64(samples.size()) - qint64(before);
}

void MetricsStore::trim(Series &series)
{
    auto &samples = series.samples;
    const qint64 excess = qint64(samples.size()) - m_capacity;
    if (excess > 0) {
        samples.erase(samples.begin(), samples.begin() + excess);
        m_pointCount -= excess;
    }
    // Gaps that ended before the oldest point kept can no longer be drawn.
    const qint64 oldest = samples.empty() ? 0 : samples.front().timeMs;
    series.gaps.removeIf([oldest](const MetricsBand &gap) { return gap.endMs >= 0 && gap.endMs < oldest; });
    while (series.gaps.size() > kMaxGapsPerSource)
        series.gaps.removeFirst();
}

void MetricsStore::publishSummary(const QString &source, const Series &series)
{
    if (series.samples.empty())
        return;
    const Sample &last = series.samples.back();
    SourceSummary summary;
    summary.source = source;
    summary.kind = series.kind;
    summary.host = series.host;
    summary.cpu = last.cpu;
    summary.memoryMiB = last.memoryMiB;
    summary.memoryPercent = last.memoryLimitMiB > 0 ? 100.0 * last.memoryMiB / last.memoryLimitMiB : 0;
    summary.lastSeenMs = last.timeMs;
    const size_t from = series.samples.size() > size_t(kTrendLength) ? series.samples.size() - kTrendLength : 0;
    summary.cpuTrend.reserve(qsizetype(series.samples.size() - from));
    for (size_t i = from; i < series.samples.size(); ++i)
        summary.cpuTrend.append(series.samples[i].cpu);
    m_sources.upsert(summary);
}

void MetricsStore::addGap(const MetricsGap &gap)
{
    // The marker is for the whole topic: every source may have lost points from its last
    // known one until its next one arrives.
    ++m_gapCount;
    for (auto it = m_series.begin(); it != m_series.end(); ++it) {
        Series &series = *it;
        if (series.samples.empty() || series.gapOpen)
            continue;
        series.gaps.append(MetricsBand{series.samples.back().timeMs, -1, gap.reason});
        series.gapOpen = true;
        while (series.gaps.size() > kMaxGapsPerSource)
            series.gaps.removeFirst();
        Q_EMIT gapsChanged(it.key());
    }
    if (m_series.isEmpty())
        Q_EMIT gapsChanged(QString());
}

void MetricsStore::clear()
{
    const bool hadPoints = m_pointCount > 0;
    m_series.clear();
    m_sources.clear();
    m_pointCount = 0;
    m_latestMs = 0;
    m_gapCount = 0;
    if (hadPoints)
        Q_EMIT pointCountChanged();
    Q_EMIT latestTimeChanged();
    Q_EMIT gapsChanged(QString());
}

} // namespace opsdeck::metrics
