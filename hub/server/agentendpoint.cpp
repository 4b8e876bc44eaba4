#include "agentendpoint.h"

#include "framedispatch.h"
#include "hubsession.h"
#include "remoteagent.h"

#include <QWebSocket>

Q_DECLARE_LOGGING_CATEGORY(lcRemoteAgent)

namespace opsdeck::hub {

using protocol::CloseCode;
using protocol::ErrorCode;
using protocol::ProtocolError;

namespace {
QLatin1StringView L(const char *text)
{
    return QLatin1StringView(text);
}

QByteArray bearerToken(const QWebSocket &socket)
{
    const QByteArray header = socket.request().rawHeader("Authorization").trimmed();
    static constexpr QByteArrayView kScheme = "Bearer ";
    if (header.size() <= kScheme.size() || !header.startsWith(kScheme))
        return {};
    return header.mid(kScheme.size()).trimmed();
}
} // namespace

AgentEndpoint::AgentEndpoint(const HubConfig &config, HubStats &stats, AgentRegistry &registry, Host host,
                             QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_sessionConfig(config)
    , m_stats(stats)
    , m_registry(registry)
    , m_host(std::move(host))
{
    setLimits(AgentLimits{});
    m_heartbeat.setInterval(m_config.pingIntervalMs);
    connect(&m_heartbeat, &QTimer::timeout, this, &AgentEndpoint::heartbeatTick);
    m_clock.start();
}

AgentEndpoint::~AgentEndpoint()
{
    // The registry outlives this endpoint: it must not keep links into connections that go now.
    const auto agents = m_connections.values();
    for (RemoteAgent *agent : agents) {
        agent->session().disconnect(this);
        if (agent->isRegistered() && m_byName.value(agent->name()) == agent)
            m_registry.disconnectAgent(agent->name());
    }
    m_byName.clear();
    m_connections.clear();
    qDeleteAll(agents);
}

void AgentEndpoint::setLimits(const AgentLimits &limits)
{
    m_limits = limits;
    m_sessionConfig.rateLimit = limits.rateLimit;
    m_sessionConfig.rateWindowSeconds = limits.rateWindowSeconds;
}

void AgentEndpoint::reject(QWebSocket *socket, CloseCode code, const QString &reason, const QJsonObject &error)
{
    connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
    if (!error.isEmpty())
        socket->sendTextMessage(QString::fromUtf8(protocol::toFrame(error)));
    socket->close(QWebSocketProtocol::CloseCode(int(code)), reason);
    m_stats.closesByCode[int(code)] += 1;
}

void AgentEndpoint::accept(QWebSocket *socket)
{
    const QString ip = socket->peerAddress().toString();
    if (m_shuttingDown) {
        reject(socket, CloseCode::GoingAway, QStringLiteral("hub shutting down"));
        return;
    }
    // Authentication first, like the secret on the client endpoints: an unauthenticated peer
    // learns nothing, not even whether the hub is full. The reason never contains the token.
    const QByteArray token = bearerToken(*socket);
    QString refusal;
    std::optional<Principal> principal;
    if (!m_config.authenticator) {
        refusal = QStringLiteral("this hub accepts no agent tokens (no authenticator configured)");
    } else if (token.isEmpty()) {
        refusal = QStringLiteral("missing agent token (Authorization: Bearer)");
    } else {
        auto verdict = m_config.authenticator->authenticate(token, Audience::Agent);
        if (const auto *failure = std::get_if<AuthFailure>(&verdict))
            refusal = failure->reason.isEmpty() ? QStringLiteral("agent token refused") : failure->reason;
        else if (std::get<Principal>(verdict).kind != Principal::Kind::Agent)
            refusal = QStringLiteral("not an agent token");
        else if (std::get<Principal>(verdict).subject.isEmpty())
            refusal = QStringLiteral("agent token without a subject");
        else
            principal = std::get<Principal>(std::move(verdict));
    }
    if (!principal) {
        qCWarning(lcRemoteAgent) << "refused agent connection from" << ip << ":" << refusal;
        ++m_stats.authFailures;
        reject(socket, CloseCode::Unauthenticated, refusal);
        return;
    }

    const int total = m_host.clientConnections() + connectionCount();
    const int fromIp = m_host.clientConnectionsFromIp(ip) + connectionsFromIp(ip);
    const bool hubFull = total >= m_config.maxConnections;
    if (hubFull || fromIp >= m_config.maxConnectionsPerIp) {
        const ProtocolError error =
            protocol::connectionLimit(hubFull ? m_config.maxConnections : m_config.maxConnectionsPerIp, hubFull);
        m_stats.errorsByCode[QStringLiteral("CONNECTION_LIMIT")] += 1;
        reject(socket, CloseCode::RateLimited, QStringLiteral("connection limit reached"), protocol::makeError(error));
        return;
    }

    auto *session = new HubSession(m_nextSerial++, socket, m_sessionConfig, m_stats);
    auto *agent = new RemoteAgent(session, *principal, m_registry, this);
    m_connections.insert(session->serial(), agent);
    m_connectionsPerIp[ip] += 1;
    ++m_stats.agentConnectionsAccepted;
    m_stats.agentConnections = connectionCount();
    connect(session, &HubSession::textMessageReceived, this, &AgentEndpoint::onTextMessage);
    connect(session, &HubSession::closed, this, &AgentEndpoint::onSessionClosed);
    if (!m_heartbeat.isActive())
        m_heartbeat.start();
    qCInfo(lcRemoteAgent) << "agent" << agent->name() << "connected from" << ip << "as" << session->clientId();
    session->sendMessage(QJsonObject{{QStringLiteral("type"), QStringLiteral("connection_established")},
                                     {QStringLiteral("client_id"), session->clientId()},
                                     {QStringLiteral("protocol"), QString(protocol::kProtocolName)},
                                     {QStringLiteral("mode"), protocol::modeName(m_config.mode)},
                                     {QStringLiteral("hub"), m_host.hubJson()}});
}

bool AgentEndpoint::checkRate(HubSession &session, const QString &id)
{
    return session.admitByRate(m_clock.elapsed(), id, QStringLiteral("Too many messages"));
}

void AgentEndpoint::onTextMessage(HubSession *session, const QString &text)
{
    RemoteAgent *agent = m_connections.value(session->serial());
    if (!agent || session->isClosing())
        return;
    dispatchFrame(
        *session, m_stats, text, QStringLiteral("agent.invalid"),
        // Labelled "agent.<type>" for /metrics: only the known types, so the label set stays bounded.
        [](const protocol::InboundMessage &message) -> QString {
            return QStringLiteral("agent.")
                   + (agentproto::isAgentMessageType(message.type) ? message.type : QStringLiteral("unknown"));
        },
        [this, session](const protocol::ParsedFrame &frame) { return checkRate(*session, frame.id); },
        [this, session, agent](const protocol::InboundMessage &message) {
            if (!agentproto::isAgentMessageType(message.type)) {
                session->sendError(ProtocolError{ErrorCode::UnknownType,
                                                 QStringLiteral("Unknown message type '%1' on the agent endpoint")
                                                     .arg(message.type),
                                                 QJsonObject{{QStringLiteral("type"), message.type}}},
                                   message.id);
                return;
            }
            if (message.type == L("register")) {
                handleRegister(*agent, message);
                return;
            }
            if (!agent->isRegistered() && message.type != L("ping")) {
                session->sendError(
                    protocol::badMessage(QStringLiteral("type"), QStringLiteral("register before anything else")),
                    message.id);
                return;
            }
            agent->handle(message, m_limits.maxBatchEntries);
        },
        lcRemoteAgent());
}

void AgentEndpoint::handleRegister(RemoteAgent &agent, const protocol::InboundMessage &message)
{
    HubSession &session = agent.session();
    if (agent.isRegistered()) {
        session.sendError(protocol::badMessage(QStringLiteral("type"), QStringLiteral("one register per connection")),
                          message.id);
        return;
    }
    auto parsed = agentproto::parseRegister(message.body);
    if (const auto *error = std::get_if<ProtocolError>(&parsed)) {
        session.sendError(*error, message.id);
        return;
    }
    const agentproto::Registration registration = std::get<agentproto::Registration>(std::move(parsed));
    const QString &name = registration.info.id;
    if (name != agent.name()) {
        qCWarning(lcRemoteAgent) << "agent token for" << agent.name() << "tried to register as" << name;
        session.sendError(ProtocolError{ErrorCode::Forbidden,
                                        QStringLiteral("This token is for agent '%1', not '%2'").arg(agent.name(), name),
                                        QJsonObject{{QStringLiteral("action"), QStringLiteral("register")}}},
                          message.id);
        session.close(CloseCode::Forbidden, QStringLiteral("agent name does not match its token"));
        return;
    }
    RemoteAgent *previous = m_byName.value(name);
    const AgentRecord *record = m_registry.find(name);
    if (!previous && record && record->connected && record->link) {
        // An in-process agent (the demo fleet) has this name; a remote one must not take its record.
        session.sendError(ProtocolError{ErrorCode::Forbidden,
                                        QStringLiteral("Agent name '%1' belongs to an in-process agent of this hub")
                                            .arg(name),
                                        QJsonObject{{QStringLiteral("action"), QStringLiteral("register")}}},
                          message.id);
        session.close(CloseCode::Forbidden, QStringLiteral("agent name in use by an in-process agent"));
        return;
    }
    if (previous) {
        // The newest connection wins (a restarted agent whose old TCP connection is not dead yet).
        // Commands given to the old one fail AGENT_UNAVAILABLE: it will never answer them.
        qCInfo(lcRemoteAgent) << "agent" << name << "replaced by a new connection";
        m_byName.remove(name);
        m_registry.disconnectAgent(name);
        previous->session().close(CloseCode::SessionReplaced, QStringLiteral("agent replaced"));
    }
    agent.setRegistered(registration);
    m_byName.insert(name, &agent);
    m_registry.registerAgent(registration.info, &agent);
    session.sendMessage(protocol::makeResponse(message.id, QJsonObject{{QStringLiteral("agent_id"), name}}));
}

void AgentEndpoint::onSessionClosed(HubSession *session)
{
    RemoteAgent *agent = m_connections.take(session->serial());
    if (!agent)
        return;
    const QString ip = session->peerAddress().toString();
    if (--m_connectionsPerIp[ip] <= 0)
        m_connectionsPerIp.remove(ip);
    m_stats.agentConnections = connectionCount();
    qCInfo(lcRemoteAgent) << "agent" << agent->name() << "disconnected, code" << int(session->socket()->closeCode());
    if (agent->isRegistered() && m_byName.value(agent->name()) == agent) {
        m_byName.remove(agent->name());
        // Status offline; its running commands fail AGENT_UNAVAILABLE (the router's rule).
        m_registry.disconnectAgent(agent->name());
    }
    agent->deleteLater();
    if (m_connections.isEmpty())
        m_heartbeat.stop();
}

void AgentEndpoint::heartbeatTick()
{
    for (RemoteAgent *agent : std::as_const(m_connections)) {
        HubSession &session = agent->session();
        if (session.millisSinceLastPong() > m_config.pingTimeoutMs)
            session.close(CloseCode::Normal, QStringLiteral("ping timeout"));
        else
            session.socket()->ping();
    }
}

void AgentEndpoint::shutdown(const QString &reason)
{
    m_shuttingDown = true;
    m_heartbeat.stop();
    const QJsonObject notice{{QStringLiteral("type"), QStringLiteral("broadcast")},
                             {QStringLiteral("event"), QStringLiteral("draining")},
                             {QStringLiteral("message"), reason}};
    for (RemoteAgent *agent : std::as_const(m_connections)) {
        agent->session().sendMessage(notice);
        agent->session().close(CloseCode::GoingAway, reason);
    }
}

} // namespace opsdeck::hub
