#pragma once

// One agent connected over /api/v1/ws/agent (docs/protocol.md §14). It is the registry's
// AgentLink for that agent, exactly as a DemoAgent is for a simulated one: commands go out as
// `command`/`cancel` messages, and what the agent reports (heartbeats, status, metrics, logs,
// queue metrics, command results) goes into the same registry calls the demo fleet uses.

#include "agentmessages.h"
#include "agentregistry.h"
#include "authenticator.h"
#include "message.h"

#include <QObject>
#include <QSet>

namespace opsdeck::hub {

class HubSession;

class RemoteAgent final : public QObject, public AgentLink
{
    Q_OBJECT
public:
    // Takes `session` as a child: the connection lives as long as this object.
    RemoteAgent(HubSession *session, Principal principal, AgentRegistry &registry, QObject *parent = nullptr);
    ~RemoteAgent() override;

    HubSession &session() const { return *m_session; }
    const Principal &principal() const { return m_principal; }
    // The token's subject; a `register` must carry the same name.
    const QString &name() const { return m_principal.subject; }
    bool isRegistered() const { return m_registered; }
    const agentproto::Registration &registration() const { return m_registration; }
    void setRegistered(const agentproto::Registration &registration);

    // One message of a registered agent (everything but `register`, which the endpoint handles).
    void handle(const protocol::InboundMessage &message, int maxBatchEntries);

    // Commands this connection was given and has not answered.
    qsizetype commandsInFlight() const { return m_inFlight.size(); }

    // AgentLink
    void startCommand(const CommandRequest &request) override;
    void cancelCommand(const QString &commandSyncId) override;

private:
    // Answers a message that carried an `id`; others are answered only when they fail.
    void acknowledge(const protocol::InboundMessage &message, const QJsonObject &result = {});
    void fail(const protocol::InboundMessage &message, const protocol::ProtocolError &error);
    void publish(const agentproto::LogEntry &entry);
    void handleCommandResult(const protocol::InboundMessage &message);

    HubSession *m_session;
    Principal m_principal;
    AgentRegistry &m_registry;
    agentproto::Registration m_registration;
    QSet<QString> m_inFlight; // commandSyncIds sent and not yet answered
    bool m_registered = false;
};

} // namespace opsdeck::hub
