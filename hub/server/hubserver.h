#pragma once

// The opsdeck.v1 hub: a QWebSocketServer that authenticates connections, validates and
// dispatches every inbound message, and serves topics, queries and commands. The same class
// runs headless in opsdeck-hub and embedded (on its own thread) in the desktop app.

#include "agentregistry.h"
#include "commandrouter.h"
#include "historyroute.h"
#include "hubconfig.h"
#include "hubsession.h"
#include "hubstats.h"
#include "terminalmanager.h"
#include "terminalroute.h"
#include "topic.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QTimer>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>

class QWebSocketServer;
class QWebSocketCorsAuthenticator;

namespace opsdeck::hub::storage {
class HistoryStore;
class HistoryArchive;
} // namespace opsdeck::hub::storage

namespace opsdeck::hub {

class AgentEndpoint;

class HubServer : public QObject
{
    Q_OBJECT
public:
    using Handler = std::function<void(HubSession &session, const protocol::InboundMessage &message)>;

    explicit HubServer(HubConfig config, QObject *parent = nullptr);
    ~HubServer() override;

    // Starts listening; false (see errorString()) when the address cannot be bound.
    bool listen();
    QString errorString() const { return m_error; }
    quint16 port() const;
    // ws:// or, with TLS (HubConfig::tlsCertificateFile), wss://.
    QUrl url() const;
    bool isSecure() const { return m_secure; }

    const HubConfig &config() const { return m_config; }
    TopicSet &topics() { return m_topics; }
    // The history store, nullptr when memory-only (HubConfig::historyDb empty or not opened).
    storage::HistoryStore *history() const { return m_history.get(); }
    AgentRegistry &registry() { return m_registry; }
    CommandRouter &commands() { return m_commands; }
    // Remote agents on /api/v1/ws/agent (agentendpoint.h).
    AgentEndpoint &agents() { return *m_agents; }
    terminal::TerminalManager &terminals() { return *m_terminals; }
    // Terminals are served to this connection (docs/protocol.md §11, §13): enabled, and either
    // loopback + the secret, or (dev/prod) an operator who may command over TLS or loopback.
    bool terminalsAllowed(const HubSession &session) const;
    int connectionCount() const { return int(m_sessions.size()); }
    // The open connection with this serial, or nullptr once it is gone.
    HubSession *session(quint64 serial) const { return m_sessions.value(serial); }

    // Terminals on a linked remote hub's host (docs/protocol.md §15): messages naming `label`
    // go to `route` (not owned; remove it before it goes).
    void addTerminalRoute(const QString &label, TerminalRoute *route);
    void removeTerminalRoute(const QString &label, const TerminalRoute *route);
    // Relayed terminals are served to this connection: the holder of the secret of a loopback
    // hub (the console of the embedded hub); the remote hub checks the operator's own rights.
    bool relayedTerminalsAllowed(const HubSession &session) const;
    // `history` queries naming `label` go to `route` (not owned; remove it before it goes).
    void addHistoryRoute(const QString &label, HistoryRoute *route);
    void removeHistoryRoute(const QString &label, const HistoryRoute *route);
    QJsonObject statsJson() const;
    // `stats.terminals`: this host's sessions, plus per linked hub the ones relayed to it.
    QJsonObject terminalStats() const;
    // For the HTTP /metrics and /healthz endpoints (hub/observability).
    const HubStats &stats() const { return m_stats; }
    bool isDraining() const { return m_shuttingDown; }
    qint64 uptimeMs() const { return m_uptime.elapsed(); }
    const QString &hubId() const { return m_hubId; }
    qint64 unsentBytes() const;     // queued on every connection's socket, not yet written
    int subscriptionCount() const;  // over every connection
    qint64 commandsRunning() const { return qint64(m_commands.runningCount()); }

    // Every connection sends its partial batches now: for entries that already waited out a
    // batch window elsewhere (relayed from a remote hub's batches, docs/protocol.md §15).
    void flushBatchesNow();

    // Adds or replaces the handler of a message type. The built-in types are installed by the
    // constructor; tests use this to reach the exception containment of dispatch.
    void registerHandler(const QString &type, Handler handler);

    // Graceful drain: a `broadcast` draining notice, close 1001 to every client, stop
    // listening; stopped() follows once every connection is gone (or after a short grace).
    void shutdown(const QString &reason = QStringLiteral("hub shutting down"));

Q_SIGNALS:
    void connectionCountChanged(int count);
    void stopped();

private:
    void onNewConnection();
    void onOriginCheck(QWebSocketCorsAuthenticator *authenticator);
    void onTextMessage(HubSession *session, const QString &text);
    void onSessionClosed(HubSession *session);
    void onCommandResult(quint64 owner, const QJsonObject &result);
    void heartbeatTick();
    void sampleStats();
    bool checkRate(HubSession &session, const QString &id);
    bool checkTerminalRate(HubSession &session, const QString &id);
    void rejectConnection(QWebSocket *socket, protocol::CloseCode code, const QString &reason,
                          const QJsonObject &error = {});
    void installHandlers();

    // Operator connections (huboperators.cpp, docs/protocol.md §13).
    // The upgrade's credential for `audience` (dev/prod: a token whose Principal kind matches);
    // nullopt after closing the socket 4401 with the reason.
    std::optional<Principal> authenticateUpgrade(QWebSocket *socket, Audience audience = Audience::Operator);
    bool admitOperator(QWebSocket *socket, const Principal &principal);
    void replaceOlderSessions(const HubSession &newest);
    bool authorize(HubSession &session, const protocol::InboundMessage &message);
    void sendForbidden(HubSession &session, const protocol::InboundMessage &message, const QString &action,
                       const QString &why);
    QJsonObject userJson(const Principal &principal) const;
    void handleAuth(HubSession &session, const protocol::InboundMessage &message);
    void handleKillSession(HubSession &session, const protocol::InboundMessage &message);
    void replySessions(HubSession &session, const protocol::InboundMessage &message);

    // Handlers (hubhandlers.cpp).
    void handleHello(HubSession &session, const protocol::InboundMessage &message);
    void handleIdentify(HubSession &session, const protocol::InboundMessage &message);
    void handlePing(HubSession &session, const protocol::InboundMessage &message);
    void handleSubscribe(HubSession &session, const protocol::InboundMessage &message);
    void handleUnsubscribe(HubSession &session, const protocol::InboundMessage &message);
    void handleControl(HubSession &session, const protocol::InboundMessage &message);
    void handleQuery(HubSession &session, const protocol::InboundMessage &message);
    void handleInitialState(HubSession &session, const protocol::InboundMessage &message);
    void handleCommand(HubSession &session, const protocol::InboundMessage &message);
    void handleCancel(HubSession &session, const protocol::InboundMessage &message);
    void replyHistory(HubSession &session, const protocol::InboundMessage &message);

    // Terminal handlers (hubterminals.cpp, docs/protocol.md §11).
    void handleTerminalOpen(HubSession &session, const protocol::InboundMessage &message);
    void handleTerminalInput(HubSession &session, const protocol::InboundMessage &message);
    void handleTerminalResize(HubSession &session, const protocol::InboundMessage &message);
    void handleTerminalAck(HubSession &session, const protocol::InboundMessage &message);
    void handleTerminalDetach(HubSession &session, const protocol::InboundMessage &message);
    void handleTerminalAttach(HubSession &session, const protocol::InboundMessage &message);
    void handleTerminalClose(HubSession &session, const protocol::InboundMessage &message);
    void installTerminalHandlers();
    bool checkTerminalAccess(HubSession &session, const protocol::InboundMessage &message);
    QString terminalIdentity(const HubSession &session) const;
    terminal::TerminalSession *findTerminal(HubSession &session, const protocol::InboundMessage &message,
                                            bool attachedHere);
    // A terminal message for a linked remote hub: routed (or refused) here; false when the
    // message is for this hub's own terminals.
    bool routeTerminal(HubSession &session, const protocol::InboundMessage &message);
    QJsonObject hubJson() const;

    HubConfig m_config;
    std::unique_ptr<QWebSocketServer> m_server;
    TopicSet m_topics;
    // Declared after the topics and before everything that publishes: it closes (flushes
    // everything queued) after the last publish and before the topics go.
    std::unique_ptr<storage::HistoryStore> m_history;
    std::unique_ptr<storage::HistoryArchive> m_historyArchive;
    AgentRegistry m_registry;
    CommandRouter m_commands;
    std::unique_ptr<terminal::TerminalManager> m_terminals;
    QHash<QString, TerminalRoute *> m_terminalRoutes; // by link label
    QHash<QString, HistoryRoute *> m_historyRoutes;   // by link label
    HubStats m_stats;
    QHash<quint64, HubSession *> m_sessions;
    QHash<QString, int> m_connectionsPerIp;
    QHash<QString, Handler> m_handlers;
    QTimer m_heartbeat;
    QTimer m_statsTimer;
    QElapsedTimer m_uptime;
    QString m_hubId;
    QString m_error;
    quint64 m_nextSerial = 1;
    bool m_shuttingDown = false;
    bool m_secure = false; // listening with TLS
    // Last: its connections go first, while the registry, router and sessions still exist.
    std::unique_ptr<AgentEndpoint> m_agents;
};

} // namespace opsdeck::hub
