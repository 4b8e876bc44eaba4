#pragma once

// One simulated agent. It is an AgentLink like a remote agent's connection, registers and
// reports through AgentRegistry, and lives in simulated time: DemoFleet calls step() every
// simulation step and sampleMetrics()/heartbeat() every tick.

#include "agentregistry.h"
#include "demologs.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <memory>

namespace opsdeck::hub::demo {

struct DemoContext;
class FlowRunner;

// How an agent of one kind behaves: resource use, chattiness, background work.
struct AgentProfile
{
    QString kind;
    QString version;
    double idleCpu = 5; // percent
    double busyCpu = 40;
    double memoryMiB = 512; // typical working set
    double memoryLimitMiB = 2048;
    double rxBytesPerSec = 100e3;
    double txBytesPerSec = 50e3;
    double logsPerSec = 2; // routine lines per second at log rate 1
    double tasksPerSec = 0.02; // chance per second of starting a background task when idle
    int taskMinSec = 5;
    int taskMaxSec = 30;
    double taskSuccess = 0.85;

    static AgentProfile forKind(const QString &kind);
};

class DemoAgent final : public AgentLink
{
public:
    DemoAgent(DemoContext &context, AgentInfo info, AgentProfile profile);
    ~DemoAgent() override;

    const AgentInfo &info() const { return m_info; }
    bool isConnected() const { return m_connected; }
    bool isBusy() const;
    double cpu() const { return m_cpu; }
    double memoryMiB() const { return m_memoryMiB; }
    double rxBytesPerSec() const { return m_rx; }
    double txBytesPerSec() const { return m_tx; }

    // Registers with the registry (first start or return after a disconnect).
    void connectToHub();
    enum class OfflineReason
    {
        LinkLost,
        Crashed,
        Shutdown
    };
    // The link drops, the process died or it is shut down: in-flight commands end
    // AGENT_UNAVAILABLE, the registry marks the agent offline, and it comes back after
    // `offlineMs` (never if < 0).
    void goOffline(qint64 offlineMs, OfflineReason reason);
    // Logs a fatal line and goes offline as Crashed.
    void crash(qint64 offlineMs);

    void step(qint64 stepMs);
    void heartbeat();
    MetricsSample sampleMetrics(double tickSeconds);

    // AgentLink
    void startCommand(const CommandRequest &request) override;
    void cancelCommand(const QString &commandSyncId) override;

private:
    struct Running
    {
        QString syncId;
        QString command;
        qint64 startedMs = 0;
        qint64 dueMs = 0;
        bool statusReport = false; // `status`: the text is written when the command ends
        bool cancelled = false;
        CommandResult result;
    };

    void finishDueCommands();
    void completeCommand(Running &running);
    void stepBackgroundTask();
    void stepLogs(qint64 stepMs);
    void updateStatus();
    QString statusReport() const;
    void log(const LogLine &line) const;
    // Counts the background job as ended in the registry's queue metrics.
    void endJob(bool success);

    DemoContext &m_ctx;
    AgentInfo m_info;
    AgentProfile m_profile;
    std::unique_ptr<FlowRunner> m_flow;

    bool m_connected = false;
    qint64 m_returnAtMs = -1;
    qint64 m_offlineSinceMs = 0;
    bool m_crashed = false;
    qint64 m_connectedAtMs = 0;

    QList<Running> m_commands;
    qint64 m_commandsRun = 0;

    QString m_task; // background task, empty when none
    QString m_jobId; // its id in the queue metrics
    qint64 m_jobsRun = 0;
    qint64 m_taskStartMs = 0;
    qint64 m_taskEndsMs = 0;
    qint64 m_nextProgressMs = 0;
    bool m_taskSucceeds = true;

    qint64 m_errorUntilMs = -1;
    QString m_errorReason;

    QString m_lastStatus;
    QString m_lastTask;

    double m_cpu = 0;
    double m_memoryMiB = 0;
    double m_rx = 0;
    double m_tx = 0;
};

} // namespace opsdeck::hub::demo
