#include "agenttypes.h"

#include <QDateTime>
#include <QObject>
#include <QJsonArray>

Q_LOGGING_CATEGORY(lcAgents, "opsdeck.app.agents")

namespace opsdeck::agents {

namespace {

    QString str(const QJsonObject &object, const char *key)
    {
        return object.value(QLatin1StringView(key)).toString();
    }

    // A block's result in a few words: "1.42 mS/cm", "branch then", "done". Seed 004's UI shows
    // the result next to the block; the full object would not fit a list row.
    QString describeResult(const QJsonObject &result)
    {
        const QJsonValue value = result.value(QLatin1StringView("value"));
        const QString unit = str(result, "unit");
        if (value.isDouble())
            return unit.isEmpty() ? QString::number(value.toDouble())
                                  : QString::number(value.toDouble()) + u' ' + unit;
        const QString branch = str(result, "branch");
        if (!branch.isEmpty())
            return QStringLiteral("branch %1").arg(branch);
        const QString state = str(result, "state");
        if (!state.isEmpty())
            return state;
        if (result.contains(QLatin1StringView("waitedMs")))
            return QStringLiteral("waited %1 s")
                .arg(result.value(QLatin1StringView("waitedMs")).toDouble() / 1000.0, 0, 'f', 1);
        return QString();
    }

} // namespace

qint64 parseIsoMs(const QString &text)
{
    if (text.isEmpty())
        return 0;
    const QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    return time.isValid() ? time.toMSecsSinceEpoch() : 0;
}

AgentRow AgentRow::fromJson(const QJsonObject &agent)
{
    AgentRow row;
    row.id = str(agent, "id");
    if (row.id.isEmpty())
        row.id = str(agent, "name");
    row.kind = str(agent, "kind");
    row.host = str(agent, "host");
    row.version = str(agent, "version");
    for (const QJsonValue &capability : agent.value(QLatin1StringView("capabilities")).toArray())
        row.capabilities.append(capability.toString());
    row.status = str(agent, "status");
    row.task = str(agent, "task");
    row.connected = agent.value(QLatin1StringView("connected")).toBool();
    row.lastHeartbeatMs = parseIsoMs(str(agent, "last_heartbeat"));
    const QJsonObject queue = agent.value(QLatin1StringView("queue")).toObject();
    for (const QJsonValue &id : queue.value(QLatin1StringView("active_ids")).toArray())
        row.activeIds.append(id.toString());
    // A hub that reports only the count still gets the count right.
    for (qint64 i = row.activeIds.size(); i < queue.value(QLatin1StringView("active")).toInteger(); ++i)
        row.activeIds.append(QString());
    row.processed = queue.value(QLatin1StringView("processed")).toInteger();
    row.succeeded = queue.value(QLatin1StringView("succeeded")).toInteger();
    row.failed = queue.value(QLatin1StringView("failed")).toInteger();
    return row;
}

void ActionRow::merge(const ActionRow &later)
{
    if (text.isEmpty())
        text = later.text;
    if (!later.detail.isEmpty())
        detail = later.detail;
    // A late "started" (replayed after the result) must not turn a finished action back on.
    if (later.isFinished() || !isFinished())
        state = later.state;
    if (timestampMs == 0)
        timestampMs = later.timestampMs;
    if (later.finishedMs > 0)
        finishedMs = later.finishedMs;
    if (later.durationMs >= 0)
        durationMs = later.durationMs;
    else if (durationMs < 0 && finishedMs > 0 && timestampMs > 0 && finishedMs >= timestampMs)
        durationMs = finishedMs - timestampMs; // seed 004's executed event only has the end time
}

std::optional<ActionRow> actionFromCommandEvent(const QJsonObject &entry)
{
    const QJsonObject command = entry.value(QLatin1StringView("command")).toObject();
    const QString id = str(command, "id");
    const QString agentId = str(command, "instanceId");
    const QString event = str(entry, "event");
    if (id.isEmpty() || agentId.isEmpty() || event.isEmpty())
        return std::nullopt;
    ActionRow row;
    row.key = QStringLiteral("command:") + id;
    row.agentId = agentId;
    row.kind = QStringLiteral("command");
    row.text = str(command, "command");
    // Who sent it, when the hub knows (an operator of a dev/prod hub; relayed commands of others).
    if (const QString by = str(command, "by"); !by.isEmpty())
        row.detail = QObject::tr("by %1").arg(by);
    row.timestampMs = parseIsoMs(str(entry, "timestamp"));
    if (event == QLatin1StringView("accepted") || event == QLatin1StringView("started")) {
        row.state = QStringLiteral("running");
    } else if (event == QLatin1StringView("completed")) {
        row.state = command.value(QLatin1StringView("isSuccess")).toBool(true) ? QStringLiteral("succeeded")
                                                                               : QStringLiteral("failed");
    } else if (event == QLatin1StringView("failed") || event == QLatin1StringView("cancelled")
        || event == QLatin1StringView("timeout")) {
        row.state = event;
    } else {
        return std::nullopt;
    }
    if (row.isFinished()) {
        // The finishing event's time is the end, not the start; merge() keeps the start time
        // when the start was seen.
        row.finishedMs = row.timestampMs;
        row.durationMs = command.value(QLatin1StringView("duration_ms")).toInteger(-1);
        if (row.durationMs >= 0 && row.timestampMs > 0)
            row.timestampMs -= row.durationMs;
    }
    return row;
}

std::optional<ActionRow> actionFromFlowEvent(const QJsonObject &entry)
{
    const QString type = str(entry, "type");
    const QJsonObject data = entry.value(QLatin1StringView("data")).toObject();
    const QString blockId = str(data, "blockId");
    const QString agentId = str(entry, "source");
    if (blockId.isEmpty() || agentId.isEmpty())
        return std::nullopt;
    const QJsonObject timing = data.value(QLatin1StringView("timing")).toObject();
    ActionRow row;
    row.key = QStringLiteral("block:") + blockId;
    row.agentId = agentId;
    row.kind = QStringLiteral("block");
    if (type == QLatin1StringView("block_started_enhanced")) {
        // Seed 004: text = displayText || formatBlockText(data); success null = in progress.
        row.text = str(data, "displayText");
        if (row.text.isEmpty())
            row.text = str(data, "blockName");
        row.detail = str(data, "blockType");
        row.state = QStringLiteral("running");
        row.timestampMs = parseIsoMs(str(timing, "startTime"));
    } else if (type == QLatin1StringView("block_executed_enhanced")) {
        const QString status = str(data, "status");
        row.state = status == QLatin1StringView("completed") ? QStringLiteral("succeeded")
                                                             : QStringLiteral("failed");
        row.detail = describeResult(data.value(QLatin1StringView("result")).toObject());
        const qint64 start = parseIsoMs(str(timing, "startTime"));
        row.finishedMs = parseIsoMs(str(timing, "endTime"));
        row.timestampMs = start;
        if (start > 0 && row.finishedMs >= start)
            row.durationMs = row.finishedMs - start;
    } else {
        return std::nullopt;
    }
    if (row.timestampMs == 0)
        row.timestampMs = parseIsoMs(str(entry, "timestamp"));
    return row;
}

} // namespace opsdeck::agents
