// DemoAgent's AgentLink side: the commands of docs/protocol.md §6 (status, echo, sleep, fail,
// chat). Every result is delivered on a later simulation step, never from inside
// startCommand/cancelCommand, so the command router is not re-entered while it dispatches.

#include "demoagent.h"
#include "democontext.h"
#include "demoflow.h"

#include <QRegularExpression>

namespace opsdeck::hub::demo {

using protocol::ErrorCode;

namespace {

    void setFailure(CommandResult &result, ErrorCode code, const QString &message)
    {
        result.isSuccess = false;
        result.errorCode = code;
        result.errorMessage = message;
        result.text = message;
    }

    QString formatDuration(qint64 ms)
    {
        const qint64 s = ms / 1000;
        if (s >= 3600)
            return QStringLiteral("%1h %2m").arg(s / 3600).arg((s / 60) % 60, 2, 10, QLatin1Char('0'));
        if (s >= 60)
            return QStringLiteral("%1m %2s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
        return QStringLiteral("%1s").arg(s);
    }

} // namespace

void DemoAgent::startCommand(const CommandRequest &request)
{
    static const QRegularExpression kSpace(QStringLiteral("\\s"));
    Running running;
    running.syncId = request.commandSyncId.isEmpty() ? request.id : request.commandSyncId;
    running.command = request.command.trimmed();
    running.startedMs = m_ctx.nowMs;
    running.dueMs = m_ctx.nowMs;
    const qsizetype space = running.command.indexOf(kSpace);
    const QString name = space < 0 ? running.command : running.command.left(space);
    const QString args = space < 0 ? QString() : running.command.mid(space + 1).trimmed();

    CommandResult &result = running.result;
    result.commandSyncId = running.syncId;
    result.commandName = name;
    result.commandType = QStringLiteral("text");
    result.isSuccess = true;

    if (!m_connected) {
        // The registry nulls the link of an offline agent, so this is a caller holding a stale
        // pointer; answer the way a vanished remote agent would be answered.
        setFailure(result, ErrorCode::AgentUnavailable, QStringLiteral("agent %1 is offline").arg(m_info.id));
    } else if (name == QLatin1String("status")) {
        running.statusReport = true;
    } else if (name == QLatin1String("echo")) {
        result.text = args;
    } else if (name == QLatin1String("sleep")) {
        bool ok = false;
        const double seconds = args.toDouble(&ok);
        if (!ok || seconds < 0 || seconds > 600) {
            setFailure(result, ErrorCode::CommandFailed,
                QStringLiteral("sleep: expected a number of seconds from 0 to 600, got \"%1\"").arg(args));
        } else {
            running.dueMs = m_ctx.nowMs + qint64(seconds * 1000);
            result.text = QStringLiteral("slept %1 s").arg(args);
        }
    } else if (name == QLatin1String("fail")) {
        setFailure(
            result, ErrorCode::CommandFailed, args.isEmpty() ? QStringLiteral("failed on request") : args);
    } else if (name == QLatin1String("chat")) {
        // An assistant takes a moment to "think".
        running.dueMs = m_ctx.nowMs + m_ctx.rng.range(400, 1600);
        result.text = chatReply(m_info.id, args, m_ctx.rng);
    } else {
        setFailure(result, ErrorCode::CommandFailed, QStringLiteral("unknown command: %1").arg(name));
    }

    log({QStringLiteral("info"), QStringLiteral("stdout"),
        QStringLiteral("command received: %1").arg(running.command)});
    m_commands.append(running);
    if (m_connected)
        updateStatus();
}

void DemoAgent::cancelCommand(const QString &commandSyncId)
{
    for (Running &running : m_commands) {
        if (running.syncId != commandSyncId || running.cancelled)
            continue;
        running.cancelled = true;
        running.statusReport = false;
        running.dueMs = m_ctx.nowMs;
        setFailure(running.result, ErrorCode::Cancelled,
            QStringLiteral("cancelled after %1 s")
                .arg(double(m_ctx.nowMs - running.startedMs) / 1000.0, 0, 'f', 1));
        log({QStringLiteral("warn"), QStringLiteral("stdout"),
            QStringLiteral("command cancelled: %1").arg(running.command)});
        return;
    }
}

void DemoAgent::finishDueCommands()
{
    // Completing may lead the router to start another command on this agent, which appends to
    // m_commands; take the due ones out first.
    QList<Running> due;
    for (qsizetype i = 0; i < m_commands.size();) {
        if (m_commands[i].dueMs <= m_ctx.nowMs)
            due.append(m_commands.takeAt(i));
        else
            ++i;
    }
    for (Running &running : due)
        completeCommand(running);
}

void DemoAgent::completeCommand(Running &running)
{
    if (running.statusReport)
        running.result.text = statusReport();
    ++m_commandsRun;
    log({running.result.isSuccess ? QStringLiteral("debug") : QStringLiteral("warn"),
        QStringLiteral("stdout"),
        QStringLiteral("command %1 %2 in %3 ms")
            .arg(running.result.commandName,
                running.result.isSuccess ? QStringLiteral("completed") : QStringLiteral("failed"))
            .arg(m_ctx.nowMs - running.startedMs)});
    if (m_ctx.registry)
        m_ctx.registry->completeCommand(m_info.id, running.result);
}

QString DemoAgent::statusReport() const
{
    QString activity = QStringLiteral("idle");
    if (m_errorUntilMs >= 0)
        activity = QStringLiteral("degraded (%1)").arg(m_errorReason);
    else if (!m_task.isEmpty())
        activity = QStringLiteral("running %1 (%2 s left)")
                       .arg(m_task)
                       .arg((m_taskEndsMs - m_ctx.nowMs + 999) / 1000);
    else if (m_flow && m_flow->running())
        activity = QStringLiteral("running %1").arg(m_flow->task());
    return QStringLiteral("%1 (%2 v%3) on %4: %5; uptime %6; cpu %7%, memory %8/%9 MiB, "
                          "net rx %10 KB/s tx %11 KB/s; %12 commands run, %13 in progress")
        .arg(m_info.id, m_info.kind, m_profile.version, m_info.host, activity,
            formatDuration(m_ctx.nowMs - m_connectedAtMs))
        .arg(m_cpu, 0, 'f', 1)
        .arg(m_memoryMiB, 0, 'f', 0)
        .arg(m_profile.memoryLimitMiB, 0, 'f', 0)
        .arg(m_rx / 1000, 0, 'f', 0)
        .arg(m_tx / 1000, 0, 'f', 0)
        .arg(m_commandsRun)
        .arg(m_commands.size());
}

} // namespace opsdeck::hub::demo
