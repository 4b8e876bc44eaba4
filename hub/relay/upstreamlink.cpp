#include "upstreamlink.h"

#include "clientsubscription.h"
#include "hubserver.h"
#include "relayentries.h"
#include "requesttracker.h"

#include <QJsonArray>

Q_LOGGING_CATEGORY(lcRelay, "opsdeck.hub.relay")

namespace opsdeck::hub::relay {

using protocol::Topic;
using transport::ClientSubscription;
using transport::HubClient;
using transport::HubReply;

namespace {
QString stateName(HubClient::State state)
{
    switch (state) {
    case HubClient::State::Disconnected: return QStringLiteral("disconnected");
    case HubClient::State::Connecting: return QStringLiteral("connecting");
    case HubClient::State::Connected: return QStringLiteral("connected");
    case HubClient::State::Reconnecting: return QStringLiteral("reconnecting");
    case HubClient::State::Failed: return QStringLiteral("failed");
    case HubClient::State::Disconnecting: return QStringLiteral("disconnecting");
    }
    return {};
}
} // namespace

UpstreamLink::UpstreamLink(HubServer &hub, UpstreamConfig config, QObject *parent)
    : QObject(parent)
    , m_hub(hub)
    , m_config(std::move(config))
    , m_client(m_config.client)
    , m_terminals(hub, m_client, m_config.label)
    , m_history(hub, m_client, m_config.label)
{
    m_client.setTokenProvider([this] { return m_token; });
    connect(&m_client, &HubClient::connected, this, &UpstreamLink::onConnected);
    connect(&m_client, &HubClient::stateChanged, this, &UpstreamLink::stateChanged);
    connect(&m_client, &HubClient::latencyChanged, this, &UpstreamLink::stateChanged);
    connect(&m_client, &HubClient::loginRequired, this, [this](const QString &message) {
        m_loginRequired = true;
        qCWarning(lcRelay) << "hub" << m_config.label << "refused the link's token:" << message;
        Q_EMIT loginRequiredChanged(message);
        Q_EMIT stateChanged();
    });
}

UpstreamLink::~UpstreamLink()
{
    m_terminals.linkClosed();
    dropAgents();
}

void UpstreamLink::start()
{
    if (m_started)
        return;
    m_started = true;
    subscribeTopics();
    qCInfo(lcRelay) << "linking hub" << m_config.label << "at" << m_config.url.adjusted(QUrl::RemoveQuery).toString();
    m_client.open(m_config.url);
}

void UpstreamLink::stop()
{
    if (!m_started)
        return;
    m_started = false;
    m_terminals.linkClosed(); // before the close: its consoles hear "closed", not "down"
    m_client.close();
    // A later start() continues where this link stopped.
    for (const auto &[topic, position] : positions())
        m_config.resumeFrom[topic] = position;
    qDeleteAll(m_subscriptions);
    m_subscriptions.clear();
    dropAgents();
}

void UpstreamLink::setToken(const QString &token)
{
    const bool changed = token != m_token;
    m_token = token;
    if (m_loginRequired && !token.isEmpty()) {
        m_loginRequired = false;
        Q_EMIT stateChanged();
        if (m_started)
            m_client.open(m_config.url); // a 4401 stopped the client; a new token starts it again
        return;
    }
    if (m_started && !token.isEmpty() && m_client.state() == HubClient::State::Failed) {
        // Closed for good (4409: another session took over; 4403…): the operator asking again
        // — re-activating the profile — is what reopens it.
        m_client.open(m_config.url);
        return;
    }
    if (changed && !token.isEmpty() && m_client.state() == HubClient::State::Connected) {
        HubReply *reply = m_client.request(QJsonObject{{QStringLiteral("type"), QStringLiteral("auth")},
                                                      {QStringLiteral("token"), token}});
        connect(reply, &HubReply::failed, this, [this](const QString &code, const QString &message) {
            qCWarning(lcRelay) << "hub" << m_config.label << "did not take the refreshed token:" << code << message;
        });
    }
}

void UpstreamLink::reconnectNow()
{
    if (!m_started || m_loginRequired || m_token.isEmpty())
        return;
    if (m_client.state() == HubClient::State::Failed || m_client.state() == HubClient::State::Disconnected)
        m_client.open(m_config.url);
    else if (m_client.state() == HubClient::State::Reconnecting)
        m_client.reconnectNow();
}

void UpstreamLink::subscribeTopics()
{
    const auto add = [this](Topic topic, transport::SubscribeOptions options) {
        if (const auto from = m_config.resumeFrom.find(topic); from != m_config.resumeFrom.end()) {
            options.sinceEpoch = from->second.epoch;
            options.sinceSeq = from->second.seq;
        }
        ClientSubscription *subscription = m_client.subscribe(protocol::topicName(topic), options);
        connect(subscription, &ClientSubscription::entriesReceived, this,
                [this, topic](const QList<QJsonObject> &entries) {
                    if (topic == Topic::Agents) {
                        for (const QJsonObject &entry : entries)
                            onAgentEvent(entry);
                    } else {
                        relayEntries(topic, entries);
                    }
                });
        connect(subscription, &ClientSubscription::gap, this,
                [this, topic](const QJsonObject &marker) { relayGap(topic, marker); });
        connect(subscription, &ClientSubscription::failed, this, [this, topic](const QString &code, const QString &message) {
            qCWarning(lcRelay) << "hub" << m_config.label << "refused the" << protocol::topicName(topic)
                               << "subscription:" << code << message;
        });
        m_subscriptions.append(subscription);
    };
    // Agents and their status arrive as registry calls, which publish the local agents and
    // status topics themselves. The remote commands topic is mirrored for what others do there
    // (other operators, other consoles); the console's own commands are published by the local
    // router, so their remote events are skipped (relayEntries).
    add(Topic::Agents, {});
    transport::SubscribeOptions logs;
    logs.history = m_config.logHistory;
    logs.batch = m_config.logBatch;
    add(Topic::Logs, logs);
    transport::SubscribeOptions metrics;
    metrics.history = m_config.metricsHistory;
    add(Topic::Metrics, metrics);
    add(Topic::Flow, {});
    transport::SubscribeOptions commands;
    commands.history = m_config.commandHistory;
    add(Topic::Commands, commands);
}

RelayPositions UpstreamLink::positions() const
{
    RelayPositions positions;
    for (const ClientSubscription *subscription : m_subscriptions) {
        const auto topic = protocol::topicFromName(subscription->topic());
        if (topic && *topic != Topic::Agents && !subscription->epoch().isEmpty())
            positions[*topic] = RelayPosition{subscription->epoch(), subscription->lastSeq()};
    }
    return positions;
}

void UpstreamLink::onConnected()
{
    if (m_loginRequired) {
        m_loginRequired = false;
        Q_EMIT stateChanged();
    }
    // Every connection starts with the remote hub's full agent list: events the link missed
    // while down (or that the remote hub could not replay) are then of no consequence.
    HubReply *reply = m_client.request(QJsonObject{{QStringLiteral("type"), QStringLiteral("query")},
                                                  {QStringLiteral("query"), QStringLiteral("agents")}});
    connect(reply, &HubReply::finished, this, [this, reply] {
        if (reply->errorCode().isEmpty())
            syncAgents(reply->result());
        else
            qCWarning(lcRelay) << "hub" << m_config.label << "agents query failed:" << reply->errorCode();
    });
}

void UpstreamLink::syncAgents(const QJsonObject &queryResult)
{
    QSet<QString> seen;
    for (const QJsonValue &value : queryResult.value(QLatin1StringView("agents")).toArray()) {
        const QJsonObject agent = value.toObject();
        applyAgent(agent, QStringLiteral("sync"));
        if (const auto remote = remoteAgentFromJson(agent, m_config.label))
            seen.insert(remote->info.id);
    }
    const QSet<QString> gone = m_agents - seen;
    for (const QString &id : gone) {
        m_hub.registry().removeAgent(id);
        m_agents.remove(id);
    }
}

void UpstreamLink::onAgentEvent(const QJsonObject &entry)
{
    applyAgent(entry.value(QLatin1StringView("agent")).toObject(), entry.value(QLatin1StringView("event")).toString());
}

void UpstreamLink::applyAgent(const QJsonObject &agentJson, const QString &event)
{
    const std::optional<RemoteAgent> remote = remoteAgentFromJson(agentJson, m_config.label);
    if (!remote)
        return;
    AgentRegistry &registry = m_hub.registry();
    const QString &id = remote->info.id;
    if (event == QLatin1StringView("removed")) {
        registry.removeAgent(id);
        m_agents.remove(id);
        return;
    }
    const AgentRecord *record = registry.find(id);
    if (!remote->connected) {
        if (!record) {
            registry.registerAgent(remote->info, this);
            m_agents.insert(id);
        }
        registry.disconnectAgent(id);
        return;
    }
    if (!record || !record->connected) {
        registry.registerAgent(remote->info, this);
        m_agents.insert(id);
    }
    registry.setStatus(id, remote->status, remote->task);
    registry.setQueueMetrics(id, remote->queue);
    if (event == QLatin1StringView("heartbeat"))
        registry.heartbeat(id);
}

void UpstreamLink::relayEntries(Topic topic, const QList<QJsonObject> &entries)
{
    hub::Topic &local = m_hub.topics().topic(topic);
    for (const QJsonObject &upstream : entries) {
        if (topic == Topic::Commands) {
            const QJsonObject command = upstream.value(QLatin1StringView("command")).toObject();
            // The console's own commands: the local router publishes their lifecycle already
            // (also after a profile switch made this link anew).
            if (m_hub.commands().tookCommand(command.value(QLatin1StringView("id")).toString()))
                continue;
            QJsonObject entry = relayedCommandEvent(upstream, m_config.label);
            local.publish(std::move(entry), qualify(command.value(QLatin1StringView("instanceId")).toString(),
                                                    m_config.label));
            ++m_entriesRelayed;
            continue;
        }
        QJsonObject entry = relayedEntry(upstream, m_config.label);
        const QString source = entry.value(QLatin1StringView("source")).toString();
        if (topic == Topic::Logs) {
            const QString level = entry.value(QLatin1StringView("level")).toString();
            const QString stream = entry.value(QLatin1StringView("stream")).toString();
            const QString message = entry.value(QLatin1StringView("message")).toString();
            local.publish(std::move(entry), source, level, stream, message);
        } else {
            local.publish(std::move(entry), source);
        }
        ++m_entriesRelayed;
    }
    // A batch from the remote hub has already waited out its batch window there; holding it for
    // a second window here would double the latency of every relayed log line at low rates
    // (docs/performance.md "Relay hop"). Unbatched upstream entries still batch here.
    if (topic == Topic::Logs && m_config.logBatch && !entries.isEmpty())
        m_hub.flushBatchesNow();
}

void UpstreamLink::relayGap(Topic topic, const QJsonObject &marker)
{
    // Agents are re-read in full on every connection (onConnected), so a hole in their events
    // loses nothing.
    if (topic == Topic::Agents)
        return;
    ++m_gapsRelayed;
    QJsonObject upstream = marker;
    for (const char *field : {"type", "topic", "sub", "ts"})
        upstream.remove(QLatin1StringView(field));
    const QString reason = marker.value(QLatin1StringView("reason")).toString();
    qCWarning(lcRelay) << "hub" << m_config.label << "could not replay" << protocol::topicName(topic) << ":" << reason;
    // retention_exceeded also comes from a live link that fell behind the remote hub's ring
    // (the remote hub's slow-consumer path, §4.5), not only from a long outage.
    const QString message = reason == QLatin1StringView("retention_exceeded")
        ? QStringLiteral("Entries from %1 were lost: the link was down or fell behind for longer than %1 retains (%2)")
        : QStringLiteral("Entries from %1 were lost while the link was down (%2)");
    m_hub.topics().topic(topic).publishGap(
        QJsonObject{{QStringLiteral("reason"), QStringLiteral("upstream_gap")},
                    {QStringLiteral("hub"), m_config.label},
                    {QStringLiteral("upstream"), upstream},
                    {QStringLiteral("message"), message.arg(m_config.label, reason)},
                    {QStringLiteral("timestamp"), protocol::isoNow()}},
        m_config.label);
}

void UpstreamLink::startCommand(const CommandRequest &request)
{
    const std::optional<QString> remoteId = unqualify(request.instanceId, m_config.label);
    if (!remoteId) {
        m_hub.registry().completeCommand(request.instanceId,
                                         commandFailure(request.commandSyncId, request.command,
                                                        QStringLiteral("NOT_FOUND"),
                                                        QStringLiteral("no such agent on hub %1").arg(m_config.label)));
        return;
    }
    // The local id goes upstream unchanged: it is the idempotency key at both hubs, so a resend
    // after either link drops runs the command once.
    QJsonObject message{{QStringLiteral("type"), QStringLiteral("command")},
                        {QStringLiteral("id"), request.id},
                        {QStringLiteral("instanceId"), *remoteId},
                        {QStringLiteral("command"), request.command},
                        {QStringLiteral("commandSyncId"), request.commandSyncId},
                        {QStringLiteral("timeout_ms"), request.timeoutMs}};
    if (!request.sessionId.isEmpty())
        message.insert(QStringLiteral("sessionId"), request.sessionId);
    if (!request.parameters.isEmpty())
        message.insert(QStringLiteral("parameters"), request.parameters);
    HubReply *reply = m_client.request(message);
    m_commandsBySync.insert(request.commandSyncId, reply);
    const QString agentId = request.instanceId;
    const CommandRequest copy = request;
    connect(reply, &HubReply::finished, this, [this, reply, agentId, copy] {
        m_commandsBySync.remove(copy.commandSyncId);
        const QJsonObject final = reply->finalMessage();
        if (final.value(QLatin1StringView("type")).toString() == QLatin1StringView("command_result")) {
            CommandResult result = commandResultFromJson(final);
            if (result.commandSyncId.isEmpty())
                result.commandSyncId = copy.commandSyncId;
            m_hub.registry().completeCommand(agentId, result);
            return;
        }
        m_hub.registry().completeCommand(
            agentId, commandFailure(copy.commandSyncId, copy.command, reply->errorCode(), reply->errorMessage()));
    });
}

void UpstreamLink::cancelCommand(const QString &commandSyncId)
{
    if (const QPointer<HubReply> reply = m_commandsBySync.value(commandSyncId))
        m_client.cancel(reply->id());
}

void UpstreamLink::dropAgents()
{
    for (const QString &id : std::as_const(m_agents))
        m_hub.registry().disconnectAgent(id);
    m_agents.clear();
}

QJsonObject UpstreamLink::stateJson() const
{
    return QJsonObject{{QStringLiteral("label"), m_config.label},
                       {QStringLiteral("url"), m_config.url.adjusted(QUrl::RemoveQuery).toString()},
                       {QStringLiteral("state"), stateName(m_client.state())},
                       {QStringLiteral("latency_ms"), m_client.latencyMs()},
                       {QStringLiteral("reconnect_attempt"), m_client.reconnectAttempt()},
                       {QStringLiteral("last_close_code"), m_client.lastCloseCode()},
                       {QStringLiteral("last_close_reason"), m_client.lastCloseReason()},
                       {QStringLiteral("login_required"), m_loginRequired},
                       {QStringLiteral("failure"), m_client.failureMessage()},
                       {QStringLiteral("entries_relayed"), m_entriesRelayed},
                       {QStringLiteral("gaps"), m_gapsRelayed}};
}

} // namespace opsdeck::hub::relay
