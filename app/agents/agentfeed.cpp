#include "agentfeed.h"

#include <QJsonArray>

namespace opsdeck::agents {

using transport::ClientSubscription;
using transport::HubClient;
using transport::HubReply;
using transport::SubscribeOptions;

AgentFeed::AgentFeed(QObject *parent)
    : QObject(parent)
{ }

AgentFeed::~AgentFeed()
{
    unsubscribeAll();
}

void AgentFeed::setClient(HubClient *client)
{
    if (client == m_client)
        return;
    unsubscribeAll();
    m_client = client;
    Q_EMIT clientChanged();
    subscribeAll();
}

void AgentFeed::componentComplete()
{
    m_complete = true;
    subscribeAll();
}

ClientSubscription *AgentFeed::open(const QString &topic, int history)
{
    SubscribeOptions options;
    options.history = history;
    ClientSubscription *subscription = m_client->subscribe(topic, options);
    m_subscriptions.append(subscription);
    connect(subscription, &ClientSubscription::failed, this,
        [this, topic](const QString &code, const QString &message) {
            qCWarning(lcAgents) << "subscription to" << topic << "refused:" << code << message;
            setError(tr("The hub refused the %1 stream: %2").arg(topic, message.isEmpty() ? code : message));
        });
    return subscription;
}

void AgentFeed::subscribeAll()
{
    if (!m_complete || !m_client || !m_subscriptions.isEmpty())
        return;
    // Registry events carry whole agents, so no history is needed: the snapshot that follows
    // every `established` is the starting point, events after it are newer.
    ClientSubscription *agents = open(QStringLiteral("agents"), 0);
    connect(agents, &ClientSubscription::established, this, &AgentFeed::refresh);
    connect(agents, &ClientSubscription::gap, this, &AgentFeed::refresh);
    connect(agents, &ClientSubscription::entriesReceived, this, &AgentFeed::onAgentEntries);

    ClientSubscription *metrics = open(QStringLiteral("metrics"), kMetricsHistory);
    connect(metrics, &ClientSubscription::entriesReceived, this, &AgentFeed::onMetricsEntries);

    for (const QString &topic : {QStringLiteral("commands"), QStringLiteral("flow")}) {
        ClientSubscription *actions = open(topic, kActionHistory);
        connect(actions, &ClientSubscription::entriesReceived, this, &AgentFeed::onActionEntries);
    }
}

void AgentFeed::unsubscribeAll()
{
    // The client owns the subscriptions; deleting one tells the hub (when connected).
    for (const QPointer<ClientSubscription> &subscription : std::as_const(m_subscriptions)) {
        if (subscription) {
            disconnect(subscription, nullptr, this, nullptr);
            delete subscription.data();
        }
    }
    m_subscriptions.clear();
    if (m_snapshotReply)
        disconnect(m_snapshotReply, nullptr, this, nullptr);
    m_snapshotReply.clear();
}

void AgentFeed::refresh()
{
    if (!m_client)
        return;
    // One snapshot in flight is enough; a newer request makes an older answer stale, so it is
    // dropped rather than applied after the newer one.
    if (m_snapshotReply)
        disconnect(m_snapshotReply, nullptr, this, nullptr);
    HubReply *reply = m_client->request(QJsonObject {{QStringLiteral("type"), QStringLiteral("query")},
        {QStringLiteral("query"), QStringLiteral("agents")}});
    m_snapshotReply = reply;
    connect(reply, &HubReply::finished, this, [this, reply] { onSnapshotReply(reply); });
}

void AgentFeed::onSnapshotReply(HubReply *reply)
{
    if (reply != m_snapshotReply)
        return;
    m_snapshotReply.clear();
    if (!reply->errorCode().isEmpty()) {
        // CLOSED / EXPIRED while offline is normal: the next `established` asks again.
        qCInfo(lcAgents) << "agents snapshot failed:" << reply->errorCode() << reply->errorMessage();
        return;
    }
    QList<AgentRow> rows;
    const QJsonArray agents = reply->result().value(QLatin1StringView("agents")).toArray();
    rows.reserve(agents.size());
    for (const QJsonValue &agent : agents) {
        AgentRow row = AgentRow::fromJson(agent.toObject());
        if (!row.id.isEmpty())
            rows.append(std::move(row));
    }
    ++m_snapshots;
    setError(QString());
    Q_EMIT snapshot(rows);
    if (!m_loaded) {
        m_loaded = true;
        Q_EMIT loadedChanged();
    }
}

void AgentFeed::onAgentEntries(const QList<QJsonObject> &entries)
{
    for (const QJsonObject &entry : entries) {
        const QString event = entry.value(QLatin1StringView("event")).toString();
        const QJsonObject agent = entry.value(QLatin1StringView("agent")).toObject();
        const QString id = agent.value(QLatin1StringView("id")).toString();
        if (id.isEmpty())
            continue;
        if (event == QLatin1StringView("removed"))
            Q_EMIT agentRemoved(id);
        else
            Q_EMIT agentUpdated(AgentRow::fromJson(agent));
    }
}

void AgentFeed::onMetricsEntries(const QList<QJsonObject> &entries)
{
    for (const QJsonObject &entry : entries) {
        // Host points share the topic; the table shows agents only.
        const QString kind = entry.value(QLatin1StringView("kind")).toString();
        if (!kind.isEmpty() && kind != QLatin1StringView("agent"))
            continue;
        const QString source = entry.value(QLatin1StringView("source")).toString();
        if (source.isEmpty())
            continue;
        const double memory = entry.value(QLatin1StringView("memory")).toDouble();
        const double limit = entry.value(QLatin1StringView("memoryLimit")).toDouble();
        const double memPercent = limit > 0 ? 100.0 * memory / limit : -1.0;
        Q_EMIT metricsPoint(source, entry.value(QLatin1StringView("cpu")).toDouble(), memPercent,
            parseIsoMs(entry.value(QLatin1StringView("timestamp")).toString()));
    }
}

void AgentFeed::onActionEntries(const QList<QJsonObject> &entries)
{
    for (const QJsonObject &entry : entries) {
        const bool isCommand
            = entry.value(QLatin1StringView("topic")).toString() == QLatin1StringView("commands")
            || entry.contains(QLatin1StringView("command"));
        const std::optional<ActionRow> action
            = isCommand ? actionFromCommandEvent(entry) : actionFromFlowEvent(entry);
        if (action)
            Q_EMIT actionEvent(action->agentId, *action);
    }
}

void AgentFeed::setError(const QString &error)
{
    if (error == m_error)
        return;
    m_error = error;
    Q_EMIT errorChanged();
}

} // namespace opsdeck::agents
