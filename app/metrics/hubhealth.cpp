#include "hubhealth.h"

#include "metrictypes.h"

#include <QJsonObject>

#include <algorithm>

namespace opsdeck::metrics {

using transport::HubClient;
using transport::HubReply;

namespace {
QVariantList countsByCode(const QJsonObject &object, qint64 *total)
{
    QList<QPair<QString, qint64>> counts;
    for (auto it = object.begin(); it != object.end(); ++it)
        counts.append({it.key(), it.value().toInteger()});
    std::stable_sort(counts.begin(), counts.end(), [](const auto &a, const auto &b) { return a.second > b.second; });
    QVariantList list;
    for (const auto &[code, count] : counts) {
        list.append(QVariantMap{{QStringLiteral("code"), code}, {QStringLiteral("count"), count}});
        if (total)
            *total += count;
    }
    return list;
}

QVariantList toVariantList(const QList<double> &values)
{
    QVariantList list;
    list.reserve(values.size());
    for (double value : values)
        list.append(value);
    return list;
}

void pushBounded(QList<double> &list, double value, int bound)
{
    list.append(value);
    while (list.size() > bound)
        list.removeFirst();
}
} // namespace

HubHealth::HubHealth(QObject *parent)
    : QObject(parent)
{
    m_timer.setInterval(2000);
    connect(&m_timer, &QTimer::timeout, this, &HubHealth::refresh);
}

HubHealth::~HubHealth() = default;

void HubHealth::setClient(HubClient *client)
{
    if (client == m_client)
        return;
    if (m_client)
        disconnect(m_client, nullptr, this, nullptr);
    m_client = client;
    ++m_generation;
    m_inFlight = false;
    m_everConnected = false;
    if (m_client) {
        connect(m_client, &HubClient::latencyChanged, this, &HubHealth::latencyChanged);
        connect(m_client, &HubClient::stateChanged, this, &HubHealth::onStateChanged);
        m_everConnected = m_client->state() == HubClient::State::Connected;
    }
    Q_EMIT clientChanged();
    Q_EMIT latencyChanged();
    updateTimer();
}

void HubHealth::setIntervalMs(int ms)
{
    ms = std::max(ms, 100);
    if (ms == m_timer.interval())
        return;
    m_timer.setInterval(ms);
    Q_EMIT intervalMsChanged();
}

void HubHealth::setActive(bool active)
{
    if (active == m_active)
        return;
    m_active = active;
    Q_EMIT activeChanged();
    updateTimer();
}

void HubHealth::componentComplete()
{
    m_complete = true;
    updateTimer();
}

void HubHealth::updateTimer()
{
    const bool run = m_complete && m_active && m_client;
    if (run && !m_timer.isActive()) {
        m_timer.start();
        // The panel should not sit empty for a whole interval.
        if (m_client->state() == HubClient::State::Connected)
            QTimer::singleShot(0, this, &HubHealth::refresh);
    } else if (!run) {
        m_timer.stop();
    }
}

void HubHealth::onStateChanged(HubClient::State state)
{
    if (state == HubClient::State::Connected) {
        if (m_everConnected) {
            ++m_reconnects;
            Q_EMIT reconnectsChanged();
        }
        m_everConnected = true;
        if (m_active && m_complete)
            refresh();
    } else if (state == HubClient::State::Reconnecting && m_everConnected) {
        ++m_disconnects;
        Q_EMIT reconnectsChanged();
    }
}

void HubHealth::refresh()
{
    // Queries made while offline would only wait in the client's queue and arrive stale.
    if (!m_client || m_inFlight || m_client->state() != HubClient::State::Connected)
        return;
    m_inFlight = true;
    transport::RequestOptions options;
    options.timeoutMs = std::max(5000, 2 * m_timer.interval());
    HubReply *reply = m_client->request(QJsonObject{{QStringLiteral("type"), QStringLiteral("query")},
                                                    {QStringLiteral("query"), QStringLiteral("stats")}},
                                        options);
    const quint64 generation = m_generation;
    m_sentAt.start();
    connect(reply, &HubReply::finished, this, [this, reply, generation] {
        if (generation != m_generation)
            return;
        m_inFlight = false;
        m_roundTripMs = int(m_sentAt.elapsed());
        if (!reply->errorCode().isEmpty()) {
            qCDebug(lcMetrics) << "stats query failed:" << reply->errorCode() << reply->errorMessage();
            setError(reply->errorMessage().isEmpty() ? reply->errorCode() : reply->errorMessage());
            return;
        }
        setError(QString());
        applyStats(reply->result());
    });
}

void HubHealth::applyStats(const QJsonObject &stats)
{
    m_valid = true;
    m_connections = stats.value(QLatin1StringView("connections")).toInt();
    m_connectionsAccepted = stats.value(QLatin1StringView("connections_accepted")).toInteger();
    m_messagesPerSecond = stats.value(QLatin1StringView("messages_per_s_out")).toDouble();
    m_messagesIn = stats.value(QLatin1StringView("messages_in")).toInteger();
    m_messagesOut = stats.value(QLatin1StringView("messages_out")).toInteger();
    m_backlogPauses = stats.value(QLatin1StringView("backlog_pauses")).toInteger();
    m_commandsRunning = stats.value(QLatin1StringView("commands_running")).toInt();
    m_uptimeSeconds = stats.value(QLatin1StringView("uptime_s")).toInteger();
    m_errorTotal = 0;
    m_errorsByCode = countsByCode(stats.value(QLatin1StringView("errors_by_code")).toObject(), &m_errorTotal);
    m_closesByCode = countsByCode(stats.value(QLatin1StringView("closes_by_code")).toObject(), nullptr);
    pushBounded(m_rateHistory, m_messagesPerSecond, kHistoryLength);
    const int latency = latencyMs() >= 0 ? latencyMs() : m_roundTripMs;
    if (latency >= 0)
        pushBounded(m_latencyHistory, latency, kHistoryLength);
    Q_EMIT statsChanged();
}

QVariantList HubHealth::rateHistory() const
{
    return toVariantList(m_rateHistory);
}

QVariantList HubHealth::latencyHistory() const
{
    return toVariantList(m_latencyHistory);
}

void HubHealth::setError(const QString &error)
{
    if (error == m_error)
        return;
    m_error = error;
    Q_EMIT errorStringChanged();
}

} // namespace opsdeck::metrics
