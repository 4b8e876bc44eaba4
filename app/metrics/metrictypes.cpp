#include "metrictypes.h"

#include <QDateTime>

Q_LOGGING_CATEGORY(lcMetrics, "opsdeck.app.metrics")

namespace opsdeck::metrics {

namespace {
double number(const QJsonObject &object, QLatin1StringView key, double fallback = 0)
{
    const QJsonValue value = object.value(key);
    return value.isDouble() ? value.toDouble() : fallback;
}
} // namespace

std::optional<MetricPoint> MetricPoint::fromJson(const QJsonObject &entry, const QString &fallbackEpoch)
{
    const QString type = entry.value(QLatin1StringView("type")).toString();
    if (!type.isEmpty() && type != QLatin1StringView("metrics"))
        return std::nullopt;
    MetricPoint point;
    point.source = entry.value(QLatin1StringView("source")).toString();
    if (point.source.isEmpty())
        return std::nullopt;
    const QDateTime time = QDateTime::fromString(entry.value(QLatin1StringView("timestamp")).toString(), Qt::ISODateWithMs);
    if (!time.isValid())
        return std::nullopt;
    point.timeMs = time.toMSecsSinceEpoch();
    point.kind = entry.value(QLatin1StringView("kind")).toString(QStringLiteral("agent"));
    point.host = entry.value(QLatin1StringView("host")).toString();
    point.epoch = entry.value(QLatin1StringView("epoch")).toString(fallbackEpoch);
    point.seq = entry.value(QLatin1StringView("seq")).toInteger();
    point.cpu = number(entry, QLatin1StringView("cpu"));
    point.memoryMiB = number(entry, QLatin1StringView("memory"));
    point.memoryLimitMiB = number(entry, QLatin1StringView("memoryLimit"));
    const QJsonObject network = entry.value(QLatin1StringView("network")).toObject();
    point.rxBytesPerSec = number(network, QLatin1StringView("rx"));
    point.txBytesPerSec = number(network, QLatin1StringView("tx"));
    const QJsonValue disk = entry.value(QLatin1StringView("disk"));
    if (disk.isObject()) {
        point.diskUsedGiB = number(disk.toObject(), QLatin1StringView("used"), NAN);
        point.diskTotalGiB = number(disk.toObject(), QLatin1StringView("total"), NAN);
    }
    return point;
}

MetricsGap MetricsGap::fromJson(const QJsonObject &marker, qint64 receivedMs)
{
    MetricsGap gap;
    gap.reason = marker.value(QLatin1StringView("reason")).toString();
    gap.epoch = marker.value(QLatin1StringView("epoch")).toString();
    gap.previousEpoch = marker.value(QLatin1StringView("previous_epoch")).toString();
    gap.fromSeq = marker.value(QLatin1StringView("from_seq")).toInteger();
    gap.toSeq = marker.value(QLatin1StringView("to_seq")).toInteger();
    gap.receivedMs = receivedMs;
    return gap;
}

} // namespace opsdeck::metrics
