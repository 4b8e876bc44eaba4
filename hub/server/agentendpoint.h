#pragma once

// The hub's agent endpoint, /api/v1/ws/agent (docs/protocol.md §14). HubServer hands it every
// upgrade on that path (after its draining check; the Origin check happened at the handshake).
// It authenticates the bearer token through HubConfig::authenticator (Audience::Agent), applies
// the hub's connection caps counting clients and agents together, runs the `register` handshake
// (name = token subject, newest connection of a name wins with 4409 for the old one) and
// feeds each registered agent's messages to its RemoteAgent. Framing, size, garbage and rate
// accounting reuse HubSession, configured with the agent limits below.

#include "agentregistry.h"
#include "hubconfig.h"
#include "hubstats.h"
#include "message.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QTimer>

#include <functional>

class QWebSocket;

namespace opsdeck::hub {

class HubSession;
class RemoteAgent;

struct AgentLimits
{
    // Agents stream logs (up to ~10 batches/s), metrics, heartbeats and results: a larger
    // budget than a client's 600/1m. Over it: RATE_LIMIT_EXCEEDED, then 4429, as for clients.
    int rateLimit = 3000;
    int rateWindowSeconds = 60;
    int maxBatchEntries = 100; // log entries per `batch`, like the hub's own batches
};

class AgentEndpoint : public QObject
{
    Q_OBJECT
public:
    // What the endpoint needs to know about the server that owns it.
    struct Host
    {
        std::function<int()> clientConnections;
        std::function<int(const QString &ip)> clientConnectionsFromIp;
        std::function<QJsonObject()> hubJson; // connection_established.hub
    };

    AgentEndpoint(const HubConfig &config, HubStats &stats, AgentRegistry &registry, Host host,
                  QObject *parent = nullptr);
    ~AgentEndpoint() override;

    // Takes the socket of an upgrade on the agent path; refuses it (4401, 4429) or serves it.
    void accept(QWebSocket *socket);
    // Graceful drain: a `broadcast` draining notice and close 1001 to every agent.
    void shutdown(const QString &reason);

    const AgentLimits &limits() const { return m_limits; }
    // Applies to connections accepted afterwards.
    void setLimits(const AgentLimits &limits);

    int connectionCount() const { return int(m_connections.size()); }
    int connectionsFromIp(const QString &ip) const { return m_connectionsPerIp.value(ip); }
    // The registered connection of an agent name, nullptr when none.
    RemoteAgent *agent(const QString &name) const { return m_byName.value(name); }

private:
    void reject(QWebSocket *socket, protocol::CloseCode code, const QString &reason, const QJsonObject &error = {});
    void onTextMessage(HubSession *session, const QString &text);
    void onSessionClosed(HubSession *session);
    void handleRegister(RemoteAgent &agent, const protocol::InboundMessage &message);
    bool checkRate(HubSession &session, const QString &id);
    void heartbeatTick();

    const HubConfig &m_config;
    HubConfig m_sessionConfig; // m_config with the agent rate limit: what each HubSession reads
    HubStats &m_stats;
    AgentRegistry &m_registry;
    Host m_host;
    AgentLimits m_limits;
    QHash<quint64, RemoteAgent *> m_connections; // by session serial; children of this object
    QHash<QString, RemoteAgent *> m_byName;      // registered connections
    QHash<QString, int> m_connectionsPerIp;
    QTimer m_heartbeat;
    QElapsedTimer m_clock;
    quint64 m_nextSerial = 1;
    bool m_shuttingDown = false;
};

} // namespace opsdeck::hub
