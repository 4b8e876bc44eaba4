#pragma once

// The hub's registry of agents. Demo agents (in-process) and remote agents (over the agent
// endpoint) register through the same calls, and everything they report reaches clients through
// the same topics — there is no separate fake path for the demo.

#include "protocol.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QLoggingCategory>
#include <QObject>
#include <QStringList>

#include <optional>

Q_DECLARE_LOGGING_CATEGORY(lcRegistry)

namespace opsdeck::hub {

class TopicSet;

struct AgentInfo
{
    QString id; // unique; also the name shown and the `instanceId` of commands
    QString kind;
    QString host;
    QString version;
    QStringList capabilities;
};

// Seed 000's ICommandQueueMonitor.
struct QueueMetrics
{
    QStringList activeIds;
    qint64 processed = 0;
    qint64 succeeded = 0;
    qint64 failed = 0;

    bool operator==(const QueueMetrics &) const = default;
};

struct CommandRequest
{
    QString id;            // the client's request id, the idempotency key
    QString commandSyncId; // seed 000; defaults to id
    QString instanceId;    // the agent
    QString command;       // e.g. "echo hello"
    QString sessionId;
    QJsonObject parameters;
    int timeoutMs = 30000;
    // The operator who sent it (dev/prod: the token's subject); empty for the holder of a local
    // hub's secret. Said in the commands topic's events (`command.by`), never to the agent.
    QString requestedBy;
};

struct CommandResult
{
    QString commandSyncId;
    bool isSuccess = false;
    QString commandName;                   // first word of the command
    QString commandType = QStringLiteral("text"); // "text" or "graph"
    QString text;                          // textResult.response
    QJsonObject graph;                     // graphResult when commandType == "graph"
    std::optional<protocol::ErrorCode> errorCode; // COMMAND_FAILED, COMMAND_TIMEOUT, CANCELLED, AGENT_UNAVAILABLE
    QString errorMessage;
};

struct MetricsSample
{
    QString source;
    QString host;
    QString kind = QStringLiteral("agent"); // "agent" or "host"
    double cpu = 0;             // percent
    double memoryMiB = 0;
    double memoryLimitMiB = 0;
    double rxBytesPerSec = 0;
    double txBytesPerSec = 0;
    std::optional<double> diskUsedGiB;
    std::optional<double> diskTotalGiB;
    qint64 timeMs = 0;          // 0: now
    // Further top-level fields of the entry (a host probe's load, swap, per-core CPU…);
    // the fields above win over a key of the same name.
    QJsonObject extra;
};

// How the hub reaches one agent. Results come back through AgentRegistry::completeCommand.
class AgentLink
{
public:
    virtual ~AgentLink() = default;
    virtual void startCommand(const CommandRequest &request) = 0;
    virtual void cancelCommand(const QString &commandSyncId) = 0;
};

struct AgentRecord
{
    AgentInfo info;
    AgentLink *link = nullptr; // not owned; nullptr while disconnected
    QString status = QStringLiteral("idle");
    QString task;
    QDateTime lastHeartbeat;
    QueueMetrics queue;
    bool connected = false;
};

class AgentRegistry : public QObject
{
    Q_OBJECT
public:
    AgentRegistry(TopicSet &topics, QObject *parent = nullptr);

    // Registers a new agent, or brings a disconnected one back (same id): publishes
    // agents/registered and status.
    void registerAgent(const AgentInfo &info, AgentLink *link);
    // The agent went away but is expected back: status offline, agents/disconnected.
    void disconnectAgent(const QString &id);
    void removeAgent(const QString &id);
    void heartbeat(const QString &id);
    void setStatus(const QString &id, const QString &status, const QString &task = {});

    void publishLog(const QString &source, const QString &level, const QString &stream, const QString &message,
                    qint64 timeMs = 0);
    void publishMetrics(const MetricsSample &sample);
    // Seed 004: type is block_started_enhanced or block_executed_enhanced.
    void publishFlowEvent(const QString &source, const QString &type, const QJsonObject &data);

    // Called by an agent when a command it was given has finished (success or not).
    void completeCommand(const QString &agentId, const CommandResult &result);

    const AgentRecord *find(const QString &id) const;
    QList<const AgentRecord *> agents() const; // sorted by id
    QJsonObject agentJson(const AgentRecord &record) const;

    // Queue bookkeeping, done by the command router as commands start and end.
    void commandStarted(const QString &agentId, const QString &commandSyncId);
    void commandEnded(const QString &agentId, const QString &commandSyncId, bool success);
    // A remote agent's own report of its queue (seed 000's ICommandQueueMonitor, sent after
    // every change), or a relayed agent's queue as its own hub counts it (docs/protocol.md §15):
    // it replaces the hub's bookkeeping; agents/updated when it changed.
    void setQueueMetrics(const QString &agentId, const QueueMetrics &queue);

    // Seed 004's initial_execution_state.data.
    QJsonObject initialExecutionState() const;

Q_SIGNALS:
    void commandFinished(const QString &agentId, const opsdeck::hub::CommandResult &result);
    void agentDisconnected(const QString &agentId);

private:
    void publishAgentEvent(const QString &event, const AgentRecord &record);
    void publishStatus(const AgentRecord &record);
    AgentRecord *findMutable(const QString &id);

    TopicSet &m_topics;
    QHash<QString, AgentRecord> m_agents;
    QList<QJsonObject> m_activeBlocks;
    QList<QJsonObject> m_recentBlocks; // newest first
};

} // namespace opsdeck::hub
