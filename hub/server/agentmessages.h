#pragma once

// Reading what agents send on /api/v1/ws/agent and building what the hub sends them
// (docs/protocol.md §14). Every message is checked completely before anything of it reaches the
// registry, so a bad field costs one BAD_MESSAGE naming it and nothing is half-applied.
// Pure functions: the unit tests feed them JSON without a socket.

#include "agentregistry.h"
#include "message.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <variant>

namespace opsdeck::hub::agentproto {

template<typename T>
using Parsed = std::variant<T, protocol::ProtocolError>;

// Message types an agent may send (anything else is UNKNOWN_TYPE).
bool isAgentMessageType(const QString &type);

struct Registration
{
    AgentInfo info;    // info.id is the agent's name
    QStringList allow; // programs the agent runs (also appended to info.capabilities)
};

struct StatusReport
{
    std::optional<QString> status; // idle, busy, error
    QString task;
};

struct LogEntry
{
    qint64 timeMs = 0;
    QString stream; // stdout, stderr, file
    QString level;  // trace … fatal; "info" when the agent sent none
    QString message;
};

// Agent names: 1–64 characters of letters, digits, '.', '_', '-', starting with a letter or digit.
bool isValidAgentName(QStringView name);

Parsed<Registration> parseRegister(const QJsonObject &body);
// `heartbeat` (status optional) and `status` (status required).
Parsed<StatusReport> parseStatus(const QJsonObject &body, bool statusRequired);
// source, host and kind are the caller's (the registered agent), never the message's.
Parsed<MetricsSample> parseMetrics(const QJsonObject &body);
// One seed 001 log message; `field` names it in errors (e.g. "logs[3]").
Parsed<LogEntry> parseLogEntry(const QJsonObject &entry, const QString &field = {});
// Seed 001's batch {logs:[…], count}: all entries valid, or none taken.
Parsed<QList<LogEntry>> parseLogBatch(const QJsonObject &body, int maxEntries);
// Seed 000's ICommandQueueMonitor.
Parsed<QueueMetrics> parseQueueMetrics(const QJsonObject &body);
// Seed 000's ClientMessage.
Parsed<CommandResult> parseCommandResult(const QJsonObject &body);

// hub → agent
QJsonObject commandMessage(const CommandRequest &request);
QJsonObject cancelMessage(const QString &commandSyncId);

} // namespace opsdeck::hub::agentproto
