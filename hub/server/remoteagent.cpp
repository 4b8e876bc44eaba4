#include "remoteagent.h"

#include "hubsession.h"

#include <QJsonArray>

Q_LOGGING_CATEGORY(lcRemoteAgent, "opsdeck.hub.agents")

namespace opsdeck::hub {

using protocol::ErrorCode;
using protocol::ProtocolError;

namespace {
QLatin1StringView L(const char *text)
{
    return QLatin1StringView(text);
}

template<typename T>
const ProtocolError *errorOf(const agentproto::Parsed<T> &parsed)
{
    return std::get_if<ProtocolError>(&parsed);
}
} // namespace

RemoteAgent::RemoteAgent(HubSession *session, Principal principal, AgentRegistry &registry, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_principal(std::move(principal))
    , m_registry(registry)
{
    m_session->setParent(this);
}

RemoteAgent::~RemoteAgent() = default;

void RemoteAgent::setRegistered(const agentproto::Registration &registration)
{
    m_registration = registration;
    m_registered = true;
}

void RemoteAgent::acknowledge(const protocol::InboundMessage &message, const QJsonObject &result)
{
    if (!message.id.isEmpty())
        m_session->sendMessage(protocol::makeResponse(message.id, result));
}

void RemoteAgent::fail(const protocol::InboundMessage &message, const ProtocolError &error)
{
    m_session->sendError(error, message.id);
}

void RemoteAgent::publish(const agentproto::LogEntry &entry)
{
    m_registry.publishLog(name(), entry.level, entry.stream, entry.message, entry.timeMs);
}

void RemoteAgent::handle(const protocol::InboundMessage &message, int maxBatchEntries)
{
    const QString &type = message.type;
    if (type == L("heartbeat") || type == L("status")) {
        const auto parsed = agentproto::parseStatus(message.body, type == L("status"));
        if (const ProtocolError *error = errorOf(parsed))
            return fail(message, *error);
        const agentproto::StatusReport &report = std::get<agentproto::StatusReport>(parsed);
        if (type == L("heartbeat"))
            m_registry.heartbeat(name());
        if (report.status)
            m_registry.setStatus(name(), *report.status, report.task);
        return acknowledge(message);
    }
    if (type == L("metrics")) {
        auto parsed = agentproto::parseMetrics(message.body);
        if (const ProtocolError *error = errorOf(parsed))
            return fail(message, *error);
        MetricsSample sample = std::get<MetricsSample>(std::move(parsed));
        sample.source = name();
        sample.host = m_registration.info.host;
        m_registry.publishMetrics(sample);
        return acknowledge(message);
    }
    if (type == L("log")) {
        const auto parsed = agentproto::parseLogEntry(message.body);
        if (const ProtocolError *error = errorOf(parsed))
            return fail(message, *error);
        publish(std::get<agentproto::LogEntry>(parsed));
        return acknowledge(message);
    }
    if (type == L("batch")) {
        const auto parsed = agentproto::parseLogBatch(message.body, maxBatchEntries);
        if (const ProtocolError *error = errorOf(parsed))
            return fail(message, *error);
        const auto &entries = std::get<QList<agentproto::LogEntry>>(parsed);
        for (const agentproto::LogEntry &entry : entries)
            publish(entry);
        return acknowledge(message, QJsonObject{{QStringLiteral("count"), entries.size()}});
    }
    if (type == L("queue_metrics")) {
        const auto parsed = agentproto::parseQueueMetrics(message.body);
        if (const ProtocolError *error = errorOf(parsed))
            return fail(message, *error);
        m_registry.setQueueMetrics(name(), std::get<QueueMetrics>(parsed));
        return acknowledge(message);
    }
    if (type == L("command_result"))
        return handleCommandResult(message);
    if (type == L("ping")) {
        QJsonObject pong{{QStringLiteral("type"), QStringLiteral("pong")}};
        if (!message.id.isEmpty())
            pong.insert(QStringLiteral("id"), message.id);
        m_session->sendMessage(pong);
        return;
    }
    // The endpoint only passes the types of agentproto::isAgentMessageType.
    fail(message, ProtocolError{ErrorCode::UnknownType, QStringLiteral("Unknown message type '%1'").arg(type),
                                QJsonObject{{QStringLiteral("type"), type}}});
}

void RemoteAgent::handleCommandResult(const protocol::InboundMessage &message)
{
    auto parsed = agentproto::parseCommandResult(message.body);
    if (const ProtocolError *error = errorOf(parsed))
        return fail(message, *error);
    CommandResult result = std::get<CommandResult>(std::move(parsed));
    if (!m_inFlight.remove(result.commandSyncId)) {
        // Never sent to this connection (or answered already): nothing to complete.
        return fail(message, ProtocolError{ErrorCode::NotFound,
                                           QStringLiteral("No command '%1' is waiting for a result from this agent")
                                               .arg(result.commandSyncId),
                                           QJsonObject{{QStringLiteral("what"), QStringLiteral("command")},
                                                       {QStringLiteral("name"), result.commandSyncId}}});
    }
    acknowledge(message);
    qCDebug(lcRemoteAgent) << name() << "finished" << result.commandSyncId << "success" << result.isSuccess;
    // Last: the router sends the result to the client, and may start the next command here.
    m_registry.completeCommand(name(), result);
}

void RemoteAgent::startCommand(const CommandRequest &request)
{
    if (m_session->isClosing()) {
        // Closed, and the registry not told yet (that happens when the socket is gone).
        CommandResult result;
        result.commandSyncId = request.commandSyncId;
        result.commandName = request.command.section(QLatin1Char(' '), 0, 0);
        result.errorCode = ErrorCode::AgentUnavailable;
        result.errorMessage = QStringLiteral("Agent '%1' is disconnecting").arg(name());
        m_registry.completeCommand(name(), result);
        return;
    }
    m_inFlight.insert(request.commandSyncId);
    m_session->sendMessage(agentproto::commandMessage(request));
}

void RemoteAgent::cancelCommand(const QString &commandSyncId)
{
    // Still in flight: the agent answers CANCELLED (or its result crossed the cancel), and that
    // late answer is accepted quietly — the router has already finished the command.
    if (m_inFlight.contains(commandSyncId))
        m_session->sendMessage(agentproto::cancelMessage(commandSyncId));
}

} // namespace opsdeck::hub
