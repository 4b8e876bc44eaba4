#pragma once

// The Agents pane's plain data: one agent as the registry describes it (docs/protocol.md §4.3
// `agents`) and one entry of an agent's recent actions (a command or a seed 004 flow block).
// The network side (AgentFeed) turns hub JSON into these; the models only ever see these, so
// they can be tested without a hub.

#include <QJsonObject>
#include <QList>
#include <QLoggingCategory>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <optional>

Q_DECLARE_LOGGING_CATEGORY(lcAgents)

namespace opsdeck::agents {

// One agent with seed 000's ICommandQueueMonitor figures.
struct AgentRow
{
    QString id;
    QString kind;
    QString host;
    QString version;
    QStringList capabilities;
    QString status; // idle, busy, error, offline
    QString task;
    bool connected = false;
    qint64 lastHeartbeatMs = 0; // wall clock (ms since epoch); 0 = never seen
    QStringList activeIds;
    qint64 processed = 0;
    qint64 succeeded = 0;
    qint64 failed = 0;

    int active() const { return int(activeIds.size()); }
    // succeeded / processed like seed 000's SuccessRate, in percent; -1 while nothing has run
    // (seed 000 divides by zero there — the pane shows a dash instead).
    double successRate() const
    {
        return processed > 0 ? 100.0 * double(succeeded) / double(processed) : -1.0;
    }

    // The `agent` object of an agents event or of the `agents` query.
    static AgentRow fromJson(const QJsonObject &agent);
    bool operator==(const AgentRow &other) const = default;
};

// One line of an agent's recent actions: seed 004's actionHistory entry (type, text, timestamp,
// success — null while in progress) generalised to commands as well as flow blocks.
struct ActionRow
{
    QString key; // "command:<id>" or "block:<blockId>": start and finish events meet here
    QString agentId;
    QString kind; // "command" or "block"
    QString text; // the command line, or the block's displayText / name
    QString detail; // block type and result, or the command's outcome
    QString state; // running, succeeded, failed, cancelled, timeout
    qint64 timestampMs = 0; // when it started (or when first seen)
    qint64 finishedMs = 0; // when it ended, if known
    qint64 durationMs = -1; // -1 while running or unknown

    bool isFinished() const { return state != QLatin1StringView("running"); }
    // Folds a later event of the same action into this one: the outcome changes, what the
    // start event said (text, start time) stays when the later event does not know it.
    void merge(const ActionRow &later);
    bool operator==(const ActionRow &other) const = default;
};

// An entry of the `commands` topic: {"event":"completed","command":{…}}.
std::optional<ActionRow> actionFromCommandEvent(const QJsonObject &entry);
// An entry of the `flow` topic: block_started_enhanced / block_executed_enhanced (seed 004).
std::optional<ActionRow> actionFromFlowEvent(const QJsonObject &entry);
// Milliseconds since the epoch of an ISO 8601 timestamp; 0 when it is missing or malformed.
qint64 parseIsoMs(const QString &text);

} // namespace opsdeck::agents

Q_DECLARE_METATYPE(opsdeck::agents::AgentRow)
Q_DECLARE_METATYPE(opsdeck::agents::ActionRow)
