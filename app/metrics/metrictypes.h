#pragma once

// The Metrics pane's value types: one metrics point as the hub sends it (docs/protocol.md
// §4.3) and one gap marker (§4.4) on the metrics topic, both parsed in metricsfeed.cpp. They
// travel in MetricsFeed's typed signals, so the store never parses JSON and the feed never
// knows about charts.

#include <QJsonObject>
#include <QList>
#include <QLoggingCategory>
#include <QMetaType>
#include <QString>

#include <cmath>
#include <optional>

Q_DECLARE_LOGGING_CATEGORY(lcMetrics)

namespace opsdeck::metrics {

struct MetricPoint
{
    QString source;
    QString kind;   // "agent" or "host"
    QString host;
    QString hub;    // the linked hub it was relayed from (docs/protocol.md §15); "" for local
    // (epoch, seq) identifies the point. For a relayed point it is its position at the remote hub
    // (`origin`, the epoch prefixed with the hub): the same whether it came live or in a page
    // asked of that hub, whose entries have no local seq.
    QString epoch;
    qint64 seq = 0;
    qint64 timeMs = 0; // the point's `timestamp`, ms since the epoch (UTC)
    double cpu = 0;             // percent
    double memoryMiB = 0;
    double memoryLimitMiB = 0;
    double rxBytesPerSec = 0;
    double txBytesPerSec = 0;
    double diskUsedGiB = NAN;   // hosts only; NaN when the point has no disk
    double diskTotalGiB = NAN;

    bool hasDisk() const { return !std::isnan(diskUsedGiB) && !std::isnan(diskTotalGiB) && diskTotalGiB > 0; }

    // Reads a `metrics` entry (live or from a history page). Nothing when it is not one: a
    // missing source or an unreadable timestamp would put the point nowhere on a chart.
    static std::optional<MetricPoint> fromJson(const QJsonObject &entry, const QString &fallbackEpoch = {});
};

struct MetricsGap
{
    QString reason;      // "retention_exceeded", "epoch_changed", …
    QString epoch;
    QString previousEpoch;
    qint64 fromSeq = 0;  // 0 when the marker names no positions (epoch_changed)
    qint64 toSeq = 0;
    qint64 receivedMs = 0; // when the client learned of it

    static MetricsGap fromJson(const QJsonObject &marker, qint64 receivedMs);
};

} // namespace opsdeck::metrics

Q_DECLARE_METATYPE(opsdeck::metrics::MetricPoint)
Q_DECLARE_METATYPE(opsdeck::metrics::MetricsGap)
