#pragma once

// The demo backend (issue 2 §4): a fleet of in-process agents on a handful of simulated hosts
// that register, heartbeat, run commands and report logs, metrics, status and flow events
// through AgentRegistry — the same path a remote agent takes.
//
// Everything runs in simulated time. advance()/tick() step the simulation; start() in real-time
// mode only drives those from a QTimer. All randomness comes from one generator seeded by
// Config::seed, so the same seed stepped the same way makes the same decisions.
//
// Threading: the fleet lives in the thread of its registry (the hub thread) and the command
// router must call the agents' AgentLink methods from that thread. The registry must outlive
// the fleet's use of it; if it is destroyed first the fleet stops publishing.

#include <QElapsedTimer>
#include <QObject>
#include <QStringList>
#include <QTimer>
#include <memory>
#include <vector>

namespace opsdeck::hub {
class AgentRegistry;
}

namespace opsdeck::hub::demo {

struct DemoContext;
class DemoAgent;

struct DemoFleetConfig
{
    quint64 seed = 1;
    int agentCount = 9; // at least 1; 9 covers every kind and host
    int tickIntervalMs = 1000; // metrics and heartbeats, once per tick
    int stepMs = 100; // simulation granularity: logs, commands, tasks, flow blocks
    double logRate = 1.0; // multiplier on every agent's log rate
    bool disconnects = true; // occasional link drops and crashes, each followed by a return
    bool realTime = true; // start() runs a timer; false: the caller steps with tick()/advance()
};

class DemoFleet : public QObject
{
    Q_OBJECT
public:
    using Config = DemoFleetConfig;

    explicit DemoFleet(AgentRegistry &registry, const Config &config = {}, QObject *parent = nullptr);
    ~DemoFleet() override;

    // Registers every agent (idle) and, in real-time mode, starts the timer.
    void start();
    // Stops the timer; every agent shuts down (in-flight commands end AGENT_UNAVAILABLE) and is
    // left offline in the registry. start() brings them back.
    void stop();
    bool isRunning() const { return m_running; }

    // One tick: advance(tickIntervalMs).
    void tick();
    // Steps the simulation by `ms` (in whole steps; a remainder carries over to the next call).
    void advance(qint64 ms);

    const Config &config() const { return m_config; }
    qint64 simulatedMs() const;
    qint64 ticks() const { return m_ticks; }
    QStringList agentIds() const;
    QStringList hosts() const; // hosts that run at least one agent, in first-use order

private:
    struct Host
    {
        QString name;
        int cores = 8;
        double memoryTotalMiB = 16384;
        double baseMemoryMiB = 1200;
        double diskTotalGiB = 512;
        double diskUsedGiB = 100;
        double diskGrowthGiBPerSec = 0;
        double cpuNoise = 0;
    };

    void step();
    void publishMetrics();
    void scheduleDisconnect();
    void disconnectSomeone();
    void onTimer();

    Config m_config;
    std::unique_ptr<DemoContext> m_ctx;
    std::vector<std::unique_ptr<DemoAgent>> m_agents;
    std::vector<Host> m_hosts;
    bool m_running = false;
    qint64 m_pendingMs = 0;
    qint64 m_sinceTickMs = 0;
    qint64 m_ticks = 0;
    qint64 m_nextDisconnectMs = -1;
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_lastWallMs = 0;
};

} // namespace opsdeck::hub::demo
