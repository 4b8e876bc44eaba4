#include "commandrouter.h"

#include "topic.h"

#include <QDateTime>


#include "hublog.h"

namespace opsdeck::hub {

using protocol::ErrorCode;
using protocol::ProtocolError;

namespace {
QString syncKey(const QString &agentId, const QString &commandSyncId)
{
    return agentId + QChar(0x1f) + commandSyncId;
}

CommandResult failure(const CommandRequest &request, ErrorCode code, const QString &message)
{
    CommandResult result;
    result.commandSyncId = request.commandSyncId;
    result.commandName = request.command.section(QLatin1Char(' '), 0, 0);
    result.isSuccess = false;
    result.errorCode = code;
    result.errorMessage = message;
    return result;
}
} // namespace

QJsonObject commandResultJson(const CommandRequest &request, const CommandResult &result, qint64 durationMs)
{
    QJsonObject message{{QStringLiteral("type"), QStringLiteral("command_result")},
                        {QStringLiteral("id"), request.id},
                        {QStringLiteral("commandName"), result.commandName},
                        {QStringLiteral("commandType"), result.commandType},
                        {QStringLiteral("isSuccess"), result.isSuccess},
                        {QStringLiteral("commandSyncId"), request.commandSyncId},
                        {QStringLiteral("instanceId"), request.instanceId},
                        {QStringLiteral("duration_ms"), durationMs}};
    if (!request.sessionId.isEmpty())
        message.insert(QStringLiteral("sessionId"), request.sessionId);
    if (result.commandType == QLatin1StringView("graph"))
        message.insert(QStringLiteral("graphResult"), result.graph);
    else
        message.insert(QStringLiteral("textResult"), QJsonObject{{QStringLiteral("response"), result.text}});
    if (result.errorCode)
        message.insert(QStringLiteral("error"),
                       QJsonObject{{QStringLiteral("code"), protocol::errorCodeName(*result.errorCode)},
                                   {QStringLiteral("message"), result.errorMessage}});
    return message;
}

CommandRouter::CommandRouter(AgentRegistry &registry, TopicSet &topics, int memoryMinutes, QObject *parent)
    : QObject(parent)
    , m_registry(registry)
    , m_topics(topics)
    , m_memoryMinutes(memoryMinutes)
{
    connect(&m_registry, &AgentRegistry::commandFinished, this, &CommandRouter::onAgentResult);
    connect(&m_registry, &AgentRegistry::agentDisconnected, this, &CommandRouter::onAgentDisconnected);
    m_purgeTimer.setInterval(60 * 1000);
    connect(&m_purgeTimer, &QTimer::timeout, this, &CommandRouter::purgeExpired);
    m_purgeTimer.start();
}

CommandRouter::~CommandRouter() = default;

CommandRouter::Submission CommandRouter::submit(const CommandRequest &request, const QString &scope, quint64 owner)
{
    Submission out;
    const QString recordKey = key(scope, request.id);
    if (const auto existing = m_records.value(recordKey)) {
        if (existing->request.instanceId != request.instanceId || existing->request.command != request.command) {
            out.error = ProtocolError{ErrorCode::IdempotencyConflict,
                                      QStringLiteral("Command id '%1' was already used for a different command")
                                          .arg(request.id),
                                      QJsonObject{{QStringLiteral("id"), request.id}}};
            return out;
        }
        existing->owner = owner; // the result goes to whoever asked last
        if (existing->finished) {
            out.state = Submission::State::DuplicateCompleted;
            out.storedResult = existing->result;
        } else {
            out.state = Submission::State::DuplicateRunning;
        }
        return out;
    }

    const AgentRecord *agent = m_registry.find(request.instanceId);
    if (!agent) {
        out.error = ProtocolError{ErrorCode::NotFound, QStringLiteral("No agent '%1'").arg(request.instanceId),
                                  QJsonObject{{QStringLiteral("what"), QStringLiteral("agent")},
                                              {QStringLiteral("name"), request.instanceId}}};
        return out;
    }
    if (!agent->connected || !agent->link) {
        out.error = ProtocolError{ErrorCode::AgentUnavailable,
                                  QStringLiteral("Agent '%1' is offline").arg(request.instanceId),
                                  QJsonObject{{QStringLiteral("instanceId"), request.instanceId}}};
        return out;
    }
    const QString runKey = syncKey(request.instanceId, request.commandSyncId);
    if (m_runningBySync.contains(runKey)) {
        out.error = protocol::badMessage(QStringLiteral("commandSyncId"),
                                         QStringLiteral("a commandSyncId not already running on this agent"));
        return out;
    }

    auto record = std::make_shared<Record>();
    record->request = request;
    record->scope = scope;
    record->owner = owner;
    record->startedMs = QDateTime::currentMSecsSinceEpoch();
    record->timeout = std::make_unique<QTimer>();
    record->timeout->setSingleShot(true);
    record->timeout->setInterval(request.timeoutMs);
    std::weak_ptr<Record> weak = record;
    connect(record->timeout.get(), &QTimer::timeout, this, [this, weak] {
        const auto rec = weak.lock();
        if (!rec || rec->finished)
            return;
        if (const AgentRecord *target = m_registry.find(rec->request.instanceId); target && target->link)
            target->link->cancelCommand(rec->request.commandSyncId);
        finish(*rec,
               failure(rec->request, ErrorCode::CommandTimeout,
                       QStringLiteral("No result within %1 ms").arg(rec->request.timeoutMs)),
               QStringLiteral("timeout"));
    });
    m_records.insert(recordKey, record);
    m_runningBySync.insert(runKey, record);
    record->timeout->start();

    rememberTaken(request.id);
    m_registry.commandStarted(request.instanceId, request.commandSyncId);
    publishEvent(QStringLiteral("accepted"), *record);
    out.state = Submission::State::Accepted;
    // The agent may answer synchronously; everything above must be in place first.
    agent->link->startCommand(request);
    return out;
}

void CommandRouter::rememberTaken(const QString &commandId)
{
    // Far more than can be in flight, or still be in a linked hub's replay, at once.
    constexpr std::size_t kRemembered = 4096;
    if (m_takenIds.contains(commandId))
        return;
    m_takenIds.insert(commandId);
    m_takenOrder.push_back(commandId);
    if (m_takenOrder.size() > kRemembered) {
        m_takenIds.remove(m_takenOrder.front());
        m_takenOrder.pop_front();
    }
}

bool CommandRouter::cancel(const QString &scope, const QString &commandId)
{
    const auto record = m_records.value(key(scope, commandId));
    if (!record || record->finished)
        return false;
    if (const AgentRecord *agent = m_registry.find(record->request.instanceId); agent && agent->link)
        agent->link->cancelCommand(record->request.commandSyncId);
    if (!record->finished)
        finish(*record, failure(record->request, ErrorCode::Cancelled, QStringLiteral("Cancelled by the operator")),
               QStringLiteral("cancelled"));
    return true;
}

bool CommandRouter::isRunning(const QString &scope, const QString &commandId) const
{
    const auto record = m_records.value(key(scope, commandId));
    return record && !record->finished;
}

qsizetype CommandRouter::runningCount() const
{
    return m_runningBySync.size();
}

void CommandRouter::onAgentResult(const QString &agentId, const CommandResult &result)
{
    const auto record = m_runningBySync.value(syncKey(agentId, result.commandSyncId));
    if (!record || record->finished)
        return; // late result of a command that timed out or was cancelled
    finish(*record, result, result.isSuccess ? QStringLiteral("completed") : QStringLiteral("failed"));
}

void CommandRouter::onAgentDisconnected(const QString &agentId)
{
    QList<std::shared_ptr<Record>> affected;
    for (const auto &record : std::as_const(m_runningBySync)) {
        if (record->request.instanceId == agentId)
            affected.append(record);
    }
    for (const auto &record : affected)
        finish(*record,
               failure(record->request, ErrorCode::AgentUnavailable,
                       QStringLiteral("Agent '%1' went offline").arg(agentId)),
               QStringLiteral("failed"));
}

void CommandRouter::finish(Record &record, const CommandResult &result, const QString &event)
{
    record.finished = true;
    record.finishedAt = QDateTime::currentDateTimeUtc();
    record.timeout->stop();
    const qint64 duration = QDateTime::currentMSecsSinceEpoch() - record.startedMs;
    record.result = commandResultJson(record.request, result, duration);
    m_runningBySync.remove(syncKey(record.request.instanceId, record.request.commandSyncId));
    m_registry.commandEnded(record.request.instanceId, record.request.commandSyncId, result.isSuccess);
    publishEvent(event, record,
                 QJsonObject{{QStringLiteral("isSuccess"), result.isSuccess}, {QStringLiteral("duration_ms"), duration}});
    qCDebug(lcHub) << "command" << record.request.id << event << "in" << duration << "ms";
    Q_EMIT resultReady(record.owner, record.result);
}

void CommandRouter::publishEvent(const QString &event, const Record &record, const QJsonObject &extra)
{
    QJsonObject command{{QStringLiteral("id"), record.request.id},
                        {QStringLiteral("commandSyncId"), record.request.commandSyncId},
                        {QStringLiteral("instanceId"), record.request.instanceId},
                        {QStringLiteral("command"), record.request.command}};
    if (!record.request.requestedBy.isEmpty())
        command.insert(QStringLiteral("by"), record.request.requestedBy);
    for (auto it = extra.begin(); it != extra.end(); ++it)
        command.insert(it.key(), it.value());
    QJsonObject entry{{QStringLiteral("type"), QStringLiteral("event")},
                      {QStringLiteral("event"), event},
                      {QStringLiteral("command"), command},
                      {QStringLiteral("timestamp"), protocol::isoNow()}};
    m_topics.topic(protocol::Topic::Commands).publish(std::move(entry), record.request.instanceId);
}

void CommandRouter::purgeExpired()
{
    const QDateTime cutoff = QDateTime::currentDateTimeUtc().addSecs(-qint64(m_memoryMinutes) * 60);
    for (auto it = m_records.begin(); it != m_records.end();) {
        if ((*it)->finished && (*it)->finishedAt < cutoff)
            it = m_records.erase(it);
        else
            ++it;
    }
}

} // namespace opsdeck::hub
