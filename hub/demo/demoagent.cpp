#include "demoagent.h"

#include "democontext.h"
#include "demoflow.h"

#include <algorithm>

namespace opsdeck::hub::demo {

using protocol::ErrorCode;

AgentProfile AgentProfile::forKind(const QString &kind)
{
    AgentProfile p;
    p.kind = kind;
    if (kind == QLatin1String("web")) {
        p = {kind, QStringLiteral("2.4.1"), 6, 55, 380, 1024, 1.8e6, 6.5e6, 4.0, 0.015, 8, 40, 0.9};
    } else if (kind == QLatin1String("worker")) {
        p = {kind, QStringLiteral("1.19.3"), 3, 85, 1800, 4096, 150e3, 400e3, 2.0, 0.06, 10, 60, 0.8};
    } else if (kind == QLatin1String("db")) {
        p = {kind, QStringLiteral("16.4"), 10, 60, 6200, 8192, 2.5e6, 4.0e6, 1.5, 0.015, 15, 90, 0.9};
    } else if (kind == QLatin1String("cache")) {
        p = {kind, QStringLiteral("7.2.4"), 4, 25, 900, 2048, 3.0e6, 3.5e6, 1.2, 0.02, 4, 20, 0.93};
    } else { // flow: busy while a program runs, driven by FlowRunner, not background tasks
        p = {kind, QStringLiteral("0.9.2"), 2, 18, 140, 512, 4e3, 6e3, 1.5, 0, 0, 0, 1};
    }
    return p;
}

DemoAgent::DemoAgent(DemoContext &context, AgentInfo info, AgentProfile profile)
    : m_ctx(context)
    , m_info(std::move(info))
    , m_profile(std::move(profile))
{
    if (m_info.capabilities.contains(QLatin1String("flow")))
        m_flow = std::make_unique<FlowRunner>(m_ctx, m_info.id);
    // Start each agent somewhere different so the charts don't move in lockstep.
    m_cpu = m_profile.idleCpu * m_ctx.rng.uniform(0.6, 1.4);
    m_memoryMiB = m_profile.memoryMiB * m_ctx.rng.uniform(0.85, 1.1);
    m_rx = m_profile.rxBytesPerSec * m_ctx.rng.uniform(0.5, 1.2);
    m_tx = m_profile.txBytesPerSec * m_ctx.rng.uniform(0.5, 1.2);
}

DemoAgent::~DemoAgent() = default;

bool DemoAgent::isBusy() const
{
    return !m_commands.isEmpty() || !m_task.isEmpty() || (m_flow && m_flow->running());
}

void DemoAgent::log(const LogLine &line) const
{
    m_ctx.log(m_info.id, line);
}

void DemoAgent::connectToHub()
{
    if (m_connected || !m_ctx.registry)
        return;
    const bool restart = m_crashed || m_returnAtMs < 0; // not a link coming back
    m_connected = true;
    m_crashed = false;
    m_returnAtMs = -1;
    m_connectedAtMs = m_ctx.nowMs;
    m_errorUntilMs = -1;
    m_ctx.registry->registerAgent(m_info, this);
    // After registering, so the registry can stamp the line with the agent's host.
    if (restart)
        log(startupLog(m_profile.kind, m_profile.version, m_ctx.rng));
    else
        log({QStringLiteral("info"), QStringLiteral("stdout"),
            QStringLiteral("reconnected to hub after %1 s, resuming")
                .arg(double(m_ctx.nowMs - m_offlineSinceMs) / 1000.0, 0, 'f', 1)});
    // The registry resets a (re-)registered agent to idle.
    m_lastStatus = QStringLiteral("idle");
    m_lastTask.clear();
    updateStatus();
}

void DemoAgent::crash(qint64 offlineMs)
{
    if (!m_connected)
        return;
    log(fatalLog(m_profile.kind, m_ctx.rng));
    goOffline(offlineMs, OfflineReason::Crashed);
}

void DemoAgent::goOffline(qint64 offlineMs, OfflineReason reason)
{
    if (!m_connected)
        return;
    if (reason == OfflineReason::LinkLost) {
        log({QStringLiteral("warn"), QStringLiteral("stderr"),
            QStringLiteral("connection to hub lost (%1); reconnecting with backoff")
                .arg(m_ctx.rng.pickStr(
                    {"read: ECONNRESET", "ping timeout after 60 s", "TLS alert: close_notify"}))});
    } else if (reason == OfflineReason::Shutdown) {
        log({QStringLiteral("info"), QStringLiteral("stdout"),
            QStringLiteral("received SIGTERM, shutting down")});
    }
    // Commands in flight cannot finish once the link is gone: answer them first, while the
    // registry still knows the agent as connected.
    const QList<Running> inFlight = std::exchange(m_commands, {});
    for (const Running &running : inFlight) {
        CommandResult result = running.result;
        result.isSuccess = false;
        result.errorCode = ErrorCode::AgentUnavailable;
        result.errorMessage = QStringLiteral("agent %1 disconnected").arg(m_info.id);
        result.text = result.errorMessage;
        if (m_ctx.registry)
            m_ctx.registry->completeCommand(m_info.id, result);
    }
    if (m_flow)
        m_flow->abort(QStringLiteral("agent disconnected"));
    if (!m_task.isEmpty())
        endJob(false);
    m_task.clear();
    m_connected = false;
    m_crashed = reason == OfflineReason::Crashed;
    m_offlineSinceMs = m_ctx.nowMs;
    m_returnAtMs = offlineMs >= 0 ? m_ctx.nowMs + offlineMs : -1;
    if (m_ctx.registry)
        m_ctx.registry->disconnectAgent(m_info.id);
}

void DemoAgent::step(qint64 stepMs)
{
    if (!m_connected) {
        finishDueCommands(); // only commands given through a stale link; they fail AGENT_UNAVAILABLE
        if (m_returnAtMs >= 0 && m_ctx.nowMs >= m_returnAtMs)
            connectToHub();
        return;
    }
    finishDueCommands();
    stepBackgroundTask();
    if (m_flow)
        m_flow->step();
    stepLogs(stepMs);
    if (m_connected)
        updateStatus();
}

void DemoAgent::heartbeat()
{
    if (m_connected && m_ctx.registry)
        m_ctx.registry->heartbeat(m_info.id);
}

void DemoAgent::stepBackgroundTask()
{
    Rng &rng = m_ctx.rng;
    const qint64 now = m_ctx.nowMs;
    if (m_errorUntilMs >= 0 && now >= m_errorUntilMs) {
        m_errorUntilMs = -1;
        log({QStringLiteral("info"), QStringLiteral("stdout"),
            QStringLiteral("recovered: health checks passing again (%1)").arg(m_errorReason)});
    }
    if (m_task.isEmpty()) {
        if (m_errorUntilMs < 0 && m_commands.isEmpty() && m_profile.tasksPerSec > 0
            && rng.chance(m_profile.tasksPerSec * 0.1)) {
            m_task = backgroundTaskName(m_profile.kind, rng);
            m_taskStartMs = now;
            m_taskEndsMs = now + qint64(rng.range(m_profile.taskMinSec, m_profile.taskMaxSec)) * 1000;
            m_nextProgressMs = now + rng.range(1500, 4000);
            m_taskSucceeds = rng.chance(m_profile.taskSuccess);
            // A background job is work off the agent's own queue, like an operator's command:
            // seed 000's queue metrics count it (ids "job-N"), so the fleet's numbers move.
            m_jobId = QStringLiteral("job-%1").arg(++m_jobsRun);
            if (m_ctx.registry)
                m_ctx.registry->commandStarted(m_info.id, m_jobId);
            log({QStringLiteral("info"), QStringLiteral("stdout"),
                QStringLiteral("starting %1").arg(m_task)});
        }
        return;
    }
    if (now >= m_taskEndsMs) {
        log(taskFinishedLog(m_profile.kind, m_task, m_taskSucceeds, now - m_taskStartMs, rng));
        endJob(m_taskSucceeds);
        if (!m_taskSucceeds && rng.chance(0.4)) {
            // A failed job sometimes leaves the agent unhealthy for a while: the `error` status.
            m_errorReason = QStringLiteral("%1 failed").arg(m_task);
            m_errorUntilMs = now + rng.range(5000, 20000);
            log({QStringLiteral("warn"), QStringLiteral("stderr"),
                QStringLiteral("health check failing after %1; marking agent degraded").arg(m_errorReason)});
        }
        m_task.clear();
        return;
    }
    if (now >= m_nextProgressMs) {
        const int percent
            = int(100 * (now - m_taskStartMs) / std::max<qint64>(1, m_taskEndsMs - m_taskStartMs));
        log(taskProgressLog(m_profile.kind, m_task, std::clamp(percent, 1, 99), rng));
        m_nextProgressMs = now + rng.range(2000, 5000);
    }
}

void DemoAgent::endJob(bool success)
{
    if (m_ctx.registry && !m_jobId.isEmpty())
        m_ctx.registry->commandEnded(m_info.id, m_jobId, success);
    m_jobId.clear();
}

void DemoAgent::stepLogs(qint64 stepMs)
{
    const double busyFactor = isBusy() ? 1.6 : 1.0;
    const int lines
        = m_ctx.rng.poisson(m_profile.logsPerSec * busyFactor * m_ctx.logRate * double(stepMs) / 1000.0);
    for (int i = 0; i < lines && m_connected; ++i) {
        const LogLine line = routineLog(m_profile.kind, m_ctx.rng);
        log(line);
        // A fatal line means the process died; with disconnects enabled it really goes away
        // and restarts a few seconds later.
        if (line.level == QLatin1String("fatal") && m_ctx.disconnects)
            goOffline(m_ctx.rng.range(3000, 8000), OfflineReason::Crashed);
    }
}

void DemoAgent::updateStatus()
{
    QString status = QStringLiteral("idle");
    QString task;
    if (!m_commands.isEmpty()) {
        status = QStringLiteral("busy");
        task = m_commands.constLast().command;
    } else if (m_errorUntilMs >= 0) {
        status = QStringLiteral("error");
        task = m_errorReason;
    } else if (!m_task.isEmpty()) {
        status = QStringLiteral("busy");
        task = m_task;
    } else if (m_flow && m_flow->running()) {
        status = QStringLiteral("busy");
        task = m_flow->task();
    }
    if (status == m_lastStatus && task == m_lastTask)
        return;
    m_lastStatus = status;
    m_lastTask = task;
    if (m_ctx.registry)
        m_ctx.registry->setStatus(m_info.id, status, task);
}

MetricsSample DemoAgent::sampleMetrics(double tickSeconds)
{
    Rng &rng = m_ctx.rng;
    const bool busy = isBusy();
    const bool degraded = m_errorUntilMs >= 0;
    // Random walks pulled towards a target that depends on what the agent is doing.
    const double cpuTarget = degraded ? m_profile.idleCpu * 0.5
        : busy                        ? m_profile.busyCpu
                                      : m_profile.idleCpu;
    const double pull = std::min(1.0, 0.35 * tickSeconds);
    m_cpu = std::clamp(m_cpu + pull * (cpuTarget - m_cpu) + rng.gauss(0, 1.5 + cpuTarget * 0.06), 0.1, 100.0);

    const double memTarget = m_profile.memoryMiB * (busy ? 1.25 : 1.0);
    m_memoryMiB += 0.1 * tickSeconds * (memTarget - m_memoryMiB) + rng.gauss(0, m_profile.memoryMiB * 0.008);
    if (m_profile.kind == QLatin1String("worker")) {
        // JVM heap: a sawtooth of allocation and collection.
        m_memoryMiB += (busy ? 40.0 : 8.0) * tickSeconds;
        if (rng.chance(0.06 * tickSeconds))
            m_memoryMiB *= rng.uniform(0.65, 0.8);
    }
    m_memoryMiB = std::clamp(m_memoryMiB, m_profile.memoryMiB * 0.5, m_profile.memoryLimitMiB * 0.97);

    const double netFactor = degraded ? 0.3 : busy ? 2.2 : 1.0;
    const double smooth = std::min(1.0, 0.4 * tickSeconds);
    m_rx += smooth * (m_profile.rxBytesPerSec * netFactor * std::exp(rng.gauss(0, 0.3)) - m_rx);
    m_tx += smooth * (m_profile.txBytesPerSec * netFactor * std::exp(rng.gauss(0, 0.3)) - m_tx);

    MetricsSample sample;
    sample.source = m_info.id;
    sample.host = m_info.host;
    sample.kind = QStringLiteral("agent");
    sample.cpu = std::round(m_cpu * 10) / 10;
    sample.memoryMiB = std::round(m_memoryMiB);
    sample.memoryLimitMiB = m_profile.memoryLimitMiB;
    sample.rxBytesPerSec = std::round(m_rx);
    sample.txBytesPerSec = std::round(m_tx);
    return sample;
}

} // namespace opsdeck::hub::demo
