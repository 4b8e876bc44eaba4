#include "metricsfeed.h"

#include <QDateTime>
#include <QJsonArray>

#include <limits>

Q_LOGGING_CATEGORY(lcMetrics, "opsdeck.app.metrics")

namespace opsdeck::metrics {

using transport::HubClient;
using transport::HubReply;
using transport::SubscribeOptions;

namespace {
// Once the hub has nothing older, every window is covered.
constexpr int kEverything = std::numeric_limits<int>::max();

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
    const QJsonObject origin = entry.value(QLatin1StringView("origin")).toObject();
    point.hub = origin.value(QLatin1StringView("hub")).toString();
    if (!point.hub.isEmpty()) {
        point.epoch = point.hub + QLatin1Char('/') + origin.value(QLatin1StringView("epoch")).toString();
        point.seq = origin.value(QLatin1StringView("seq")).toInteger();
    } else {
        point.epoch = entry.value(QLatin1StringView("epoch")).toString(fallbackEpoch);
        point.seq = entry.value(QLatin1StringView("seq")).toInteger();
    }
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

MetricsFeed::MetricsFeed(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<MetricPoint>();
    qRegisterMetaType<QList<MetricPoint>>();
    qRegisterMetaType<MetricsGap>();
    connect(&m_feed, &transport::FeedSubscription::entriesReceived, this, &MetricsFeed::onEntries);
    connect(&m_feed, &transport::FeedSubscription::gap, this, &MetricsFeed::onGap);
    connect(&m_feed, &transport::FeedSubscription::stateChanged, this, &MetricsFeed::stateChanged);
    connect(&m_feed, &transport::FeedSubscription::refused, this, [](const QString &code, const QString &message) {
        qCWarning(lcMetrics) << "metrics subscription refused:" << code << message;
    });
}

MetricsFeed::~MetricsFeed()
{
    unsubscribe();
}

void MetricsFeed::setClient(HubClient *client)
{
    if (client == m_client)
        return;
    unsubscribe();
    if (m_client)
        disconnect(m_client, nullptr, this, nullptr);
    m_client = client;
    // Pages in flight belong to the old link; their answers are ignored (see requestPage).
    const bool wasLoading = isLoading();
    m_loads.clear();
    m_covered.clear();
    m_hubs.clear();
    if (wasLoading)
        Q_EMIT loadingChanged();
    Q_EMIT clientChanged();
    resubscribe();
}

void MetricsFeed::setHistory(int history)
{
    history = std::max(history, 0);
    if (history == m_history)
        return;
    m_history = history;
    Q_EMIT historyChanged();
}

void MetricsFeed::setEnabled(bool enabled)
{
    if (enabled == m_enabled)
        return;
    m_enabled = enabled;
    Q_EMIT enabledChanged();
    if (enabled)
        resubscribe();
    else
        unsubscribe();
}

void MetricsFeed::componentComplete()
{
    m_complete = true;
    resubscribe();
}

void MetricsFeed::resubscribe()
{
    if (!m_complete || !m_enabled || !m_client)
        return;
    SubscribeOptions options;
    options.history = m_history;
    m_feed.open(*m_client, options);
}

void MetricsFeed::unsubscribe()
{
    m_feed.close();
}

void MetricsFeed::onEntries(const QList<QJsonObject> &entries)
{
    QList<MetricPoint> points;
    points.reserve(entries.size());
    for (const QJsonObject &entry : entries) {
        if (auto point = MetricPoint::fromJson(entry))
            points.append(std::move(*point));
    }
    emitGrouped(points);
}

void MetricsFeed::onGap(const QJsonObject &marker)
{
    const MetricsGap gap = MetricsGap::fromJson(marker, QDateTime::currentMSecsSinceEpoch());
    qCInfo(lcMetrics) << "metrics gap:" << gap.reason << gap.fromSeq << gap.toSeq;
    // A new epoch means the hub's history restarted: what was loaded says nothing about it.
    if (gap.reason == QLatin1StringView("epoch_changed"))
        m_covered.clear();
    Q_EMIT gapReceived(gap);
}

void MetricsFeed::emitGrouped(const QList<MetricPoint> &points)
{
    // One batch holds every source's point of a tick; the store works per source.
    QList<QString> order;
    QHash<QString, QList<MetricPoint>> bySource;
    for (const MetricPoint &point : points) {
        auto it = bySource.find(point.source);
        if (it == bySource.end()) {
            order.append(point.source);
            it = bySource.insert(point.source, {});
            if (!point.hub.isEmpty())
                m_hubs.insert(point.source, point.hub);
        }
        it->append(point);
    }
    for (const QString &source : order) {
        const QList<MetricPoint> &list = bySource[source];
        m_delivered += list.size();
        Q_EMIT pointsReceived(source, list);
    }
}

void MetricsFeed::loadHistory(const QString &source, int windowSeconds)
{
    if (!m_client || source.isEmpty() || windowSeconds <= 0)
        return;
    if (m_covered.value(source, 0) >= windowSeconds)
        return;
    auto it = m_loads.find(source);
    if (it != m_loads.end()) {
        // Already paging back: just go as far as the larger window needs.
        it->windowSeconds = std::max(it->windowSeconds, windowSeconds);
        return;
    }
    const bool wasLoading = isLoading();
    // A relayed source's history reaches back further at its own hub than here, where it starts
    // when the link did.
    m_loads.insert(source, Load{windowSeconds, 0, 0, m_hubs.value(source), false});
    if (!wasLoading)
        Q_EMIT loadingChanged();
    requestPage(source, 0);
}

void MetricsFeed::requestPage(const QString &source, qint64 beforeSeq)
{
    QJsonObject query{{QStringLiteral("type"), QStringLiteral("query")},
                      {QStringLiteral("query"), QStringLiteral("history")},
                      {QStringLiteral("topic"), QStringLiteral("metrics")},
                      {QStringLiteral("filter"), QJsonObject{{QStringLiteral("sources"), QJsonArray{source}}}},
                      {QStringLiteral("limit"), kPageLimit}};
    if (beforeSeq > 0)
        query.insert(QStringLiteral("before_seq"), beforeSeq);
    Load &load = m_loads[source];
    if (!load.hub.isEmpty())
        query.insert(QStringLiteral("hub"), load.hub);
    ++load.pages;
    HubReply *reply = m_client->request(query);
    const QPointer<HubClient> askedOn = m_client;
    connect(reply, &HubReply::finished, this, [this, reply, source, askedOn] {
        if (askedOn != m_client || !m_loads.contains(source))
            return; // the feed moved to another client meanwhile
        Load &load = m_loads[source];
        if (reply->errorCode() == QLatin1StringView("HUB_UNAVAILABLE") && !load.hub.isEmpty()) {
            // The link is down: what the embedded hub relayed is still worth showing; the window
            // is loaded again from the linked hub next time it is asked for.
            qCInfo(lcMetrics) << "history of" << source << "from" << load.hub << "unavailable; using the local part";
            load = Load{load.windowSeconds, 0, 0, QString(), true};
            requestPage(source, 0);
            return;
        }
        if (!reply->errorCode().isEmpty()) {
            qCWarning(lcMetrics) << "history of" << source << "failed:" << reply->errorCode() << reply->errorMessage();
            m_loads.remove(source);
            if (m_loads.isEmpty())
                Q_EMIT loadingChanged();
            Q_EMIT historyFailed(source, reply->errorMessage().isEmpty() ? reply->errorCode() : reply->errorMessage());
            return;
        }
        onPage(source, reply->result());
    });
}

void MetricsFeed::onPage(const QString &source, const QJsonObject &result)
{
    Load &load = m_loads[source];
    const QString epoch = result.value(QLatin1StringView("epoch")).toString();
    const QJsonArray entries = result.value(QLatin1StringView("entries")).toArray();
    QList<MetricPoint> points;
    points.reserve(entries.size());
    for (const QJsonValue &value : entries) {
        if (auto point = MetricPoint::fromJson(value.toObject(), epoch); point && point->source == source)
            points.append(std::move(*point));
    }
    if (points.isEmpty()) {
        finishLoad(source, kEverything);
        return;
    }
    if (load.newestMs == 0)
        load.newestMs = points.constLast().timeMs;
    m_delivered += points.size();
    Q_EMIT pointsReceived(source, points);

    const qint64 coveredMs = load.newestMs - points.constFirst().timeMs;
    const bool hasMore = result.value(QLatin1StringView("has_more")).toBool();
    const qint64 next = result.value(QLatin1StringView("next_before_seq")).toInteger();
    if (!hasMore || next <= 0) {
        finishLoad(source, kEverything);
    } else if (coveredMs >= qint64(load.windowSeconds) * 1000 || load.pages >= kMaxPages) {
        finishLoad(source, int(std::min<qint64>(coveredMs / 1000, kEverything - 1)));
    } else {
        requestPage(source, next);
    }
}

void MetricsFeed::finishLoad(const QString &source, int coveredSeconds)
{
    const int window = m_loads.value(source).windowSeconds;
    const bool partial = m_loads.value(source).partial;
    m_loads.remove(source);
    if (!partial)
        m_covered[source] = std::max({m_covered.value(source, 0), coveredSeconds, coveredSeconds == kEverything ? kEverything : window});
    if (m_loads.isEmpty())
        Q_EMIT loadingChanged();
    Q_EMIT historyLoaded(source, window);
}

} // namespace opsdeck::metrics
