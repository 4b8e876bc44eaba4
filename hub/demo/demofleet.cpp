#include "demofleet.h"

#include "demoagent.h"
#include "democontext.h"

#include <algorithm>

Q_LOGGING_CATEGORY(lcDemo, "opsdeck.hub.demo")

namespace opsdeck::hub::demo {

namespace {

    struct AgentTemplate
    {
        const char *id;
        const char *kind;
        const char *host;
    };

    // Ordered so that the first few already cover every kind and, by nine, every host.
    constexpr AgentTemplate kAgents[] = {
        {"web-01", "web", "edge-1"},
        {"worker-01", "worker", "batch-1"},
        {"db-01", "db", "data-1"},
        {"cache-01", "cache", "edge-1"},
        {"flow-01", "flow", "plant-1"},
        {"web-02", "web", "edge-2"},
        {"worker-02", "worker", "batch-2"},
        {"cache-02", "cache", "edge-2"},
        {"worker-03", "worker", "batch-1"},
        {"flow-02", "flow", "plant-1"},
        {"web-03", "web", "edge-2"},
        {"db-02", "db", "data-1"},
    };

    constexpr const char *kKinds[] = {"web", "worker", "db", "cache", "flow"};

    QString hostForKind(const QString &kind, int n)
    {
        if (kind == QLatin1String("web") || kind == QLatin1String("cache"))
            return n % 2 ? QStringLiteral("edge-2") : QStringLiteral("edge-1");
        if (kind == QLatin1String("worker"))
            return n % 2 ? QStringLiteral("batch-2") : QStringLiteral("batch-1");
        if (kind == QLatin1String("db"))
            return QStringLiteral("data-1");
        return QStringLiteral("plant-1");
    }

    AgentInfo agentInfo(int index, const QString &version)
    {
        AgentInfo info;
        if (index < int(std::size(kAgents))) {
            info.id = QString::fromLatin1(kAgents[index].id);
            info.kind = QString::fromLatin1(kAgents[index].kind);
            info.host = QString::fromLatin1(kAgents[index].host);
        } else {
            info.kind = QString::fromLatin1(kKinds[index % std::size(kKinds)]);
            info.id = QStringLiteral("%1-%2").arg(info.kind).arg(index + 1, 2, 10, QLatin1Char('0'));
            info.host = hostForKind(info.kind, index);
        }
        info.version = version;
        info.capabilities = {QStringLiteral("status"), QStringLiteral("echo"), QStringLiteral("sleep"),
            QStringLiteral("fail"), QStringLiteral("chat")};
        if (info.kind == QLatin1String("flow"))
            info.capabilities.append(QStringLiteral("flow"));
        return info;
    }

} // namespace

DemoFleet::DemoFleet(AgentRegistry &registry, const Config &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_ctx(std::make_unique<DemoContext>(registry, config.seed))
    , m_timer(this) // a child, so moveToThread() takes the timer along to the hub thread
{
    m_config.agentCount = std::max(1, m_config.agentCount);
    m_config.tickIntervalMs = std::max(1, m_config.tickIntervalMs);
    m_config.stepMs = std::clamp(m_config.stepMs, 1, m_config.tickIntervalMs);
    m_ctx->logRate = std::max(0.0, m_config.logRate);
    m_ctx->disconnects = m_config.disconnects;

    for (int i = 0; i < m_config.agentCount; ++i) {
        const QString kind = i < int(std::size(kAgents)) ? QString::fromLatin1(kAgents[i].kind)
                                                         : QString::fromLatin1(kKinds[i % std::size(kKinds)]);
        const AgentProfile profile = AgentProfile::forKind(kind);
        auto agent = std::make_unique<DemoAgent>(*m_ctx, agentInfo(i, profile.version), profile);
        const QString host = agent->info().host;
        if (std::none_of(m_hosts.begin(), m_hosts.end(), [&](const Host &h) { return h.name == host; })) {
            Host h;
            h.name = host;
            Rng &rng = m_ctx->rng;
            if (host.startsWith(QLatin1String("batch"))) {
                h = {host, 16, 32768, 1800, 512, rng.uniform(120, 260), 0.00005, 0};
            } else if (host.startsWith(QLatin1String("data"))) {
                // The database host's disk fills visibly (WAL, tables) and is trimmed now and then.
                h = {host, 16, 65536, 2400, 2048, rng.uniform(1100, 1500), 0.0008, 0};
            } else if (host.startsWith(QLatin1String("plant"))) {
                h = {host, 4, 8192, 600, 64, rng.uniform(18, 30), 0.00001, 0};
            } else {
                h = {host, 8, 16384, 1100, 256, rng.uniform(60, 120), 0.00002, 0};
            }
            m_hosts.push_back(h);
        }
        m_agents.push_back(std::move(agent));
    }
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &DemoFleet::onTimer);
}

DemoFleet::~DemoFleet()
{
    // Shut the agents down so the registry holds no link to them once they are gone.
    if (m_running)
        stop();
}

qint64 DemoFleet::simulatedMs() const
{
    return m_ctx->nowMs;
}

QStringList DemoFleet::agentIds() const
{
    QStringList ids;
    for (const auto &agent : m_agents)
        ids.append(agent->info().id);
    return ids;
}

QStringList DemoFleet::hosts() const
{
    QStringList names;
    for (const Host &host : m_hosts)
        names.append(host.name);
    return names;
}

void DemoFleet::start()
{
    if (m_running)
        return;
    m_running = true;
    qCInfo(lcDemo) << "demo fleet starting:" << m_agents.size() << "agents on" << m_hosts.size()
                   << "hosts, seed" << m_config.seed;
    for (const auto &agent : m_agents)
        agent->connectToHub();
    if (m_config.disconnects && m_nextDisconnectMs < 0)
        scheduleDisconnect();
    if (m_config.realTime) {
        m_clock.start();
        m_lastWallMs = 0;
        m_timer.start(m_config.stepMs);
    }
}

void DemoFleet::stop()
{
    if (!m_running)
        return;
    m_timer.stop();
    for (const auto &agent : m_agents) {
        agent->goOffline(-1, DemoAgent::OfflineReason::Shutdown);
    }
    m_running = false;
    qCInfo(lcDemo) << "demo fleet stopped after" << m_ticks << "ticks";
}

void DemoFleet::tick()
{
    advance(m_config.tickIntervalMs);
}

void DemoFleet::advance(qint64 ms)
{
    if (!m_running || ms <= 0)
        return;
    m_pendingMs += ms;
    while (m_pendingMs >= m_config.stepMs && m_running) {
        m_pendingMs -= m_config.stepMs;
        step();
    }
}

void DemoFleet::onTimer()
{
    const qint64 wall = m_clock.elapsed();
    // After a suspend or a long stall, catch up at most a few seconds instead of replaying it all.
    const qint64 delta = std::min<qint64>(wall - m_lastWallMs, 5000);
    m_lastWallMs = wall;
    advance(delta);
}

void DemoFleet::step()
{
    m_ctx->nowMs += m_config.stepMs;
    if (m_config.disconnects && m_nextDisconnectMs >= 0 && m_ctx->nowMs >= m_nextDisconnectMs)
        disconnectSomeone();
    for (const auto &agent : m_agents)
        agent->step(m_config.stepMs);
    m_sinceTickMs += m_config.stepMs;
    if (m_sinceTickMs >= m_config.tickIntervalMs) {
        m_sinceTickMs -= m_config.tickIntervalMs;
        ++m_ticks;
        for (const auto &agent : m_agents)
            agent->heartbeat();
        publishMetrics();
    }
}

void DemoFleet::scheduleDisconnect()
{
    m_nextDisconnectMs = m_ctx->nowMs + qint64(m_ctx->rng.range(20, 75)) * 1000;
}

void DemoFleet::disconnectSomeone()
{
    std::vector<DemoAgent *> candidates;
    for (const auto &agent : m_agents) {
        if (agent->isConnected())
            candidates.push_back(agent.get());
    }
    if (!candidates.empty()) {
        Rng &rng = m_ctx->rng;
        DemoAgent *victim = candidates[size_t(rng.range(0, int(candidates.size()) - 1))];
        if (rng.chance(0.3)) {
            qCDebug(lcDemo) << "demo agent crashes:" << victim->info().id;
            victim->crash(rng.range(3000, 8000));
        } else {
            qCDebug(lcDemo) << "demo agent loses its link:" << victim->info().id;
            victim->goOffline(rng.range(4000, 15000), DemoAgent::OfflineReason::LinkLost);
        }
    }
    scheduleDisconnect();
}

void DemoFleet::publishMetrics()
{
    if (!m_ctx->registry)
        return;
    Rng &rng = m_ctx->rng;
    const double tickSeconds = double(m_config.tickIntervalMs) / 1000.0;
    std::vector<MetricsSample> agentSamples;
    for (const auto &agent : m_agents) {
        if (!agent->isConnected())
            continue; // an offline agent reports nothing, like a remote one
        agentSamples.push_back(agent->sampleMetrics(tickSeconds));
        m_ctx->registry->publishMetrics(agentSamples.back());
    }
    for (Host &host : m_hosts) {
        MetricsSample sample;
        sample.source = host.name;
        sample.host = host.name;
        sample.kind = QStringLiteral("host");
        double cpu = 0;
        double memory = host.baseMemoryMiB;
        double rx = 0;
        double tx = 0;
        for (const MetricsSample &s : agentSamples) {
            if (s.host != host.name)
                continue;
            // Each agent is limited to two cores; its cpu % is of that limit.
            cpu += s.cpu * 2.0 / host.cores;
            memory += s.memoryMiB;
            rx += s.rxBytesPerSec;
            tx += s.txBytesPerSec;
        }
        host.cpuNoise = std::clamp(host.cpuNoise + rng.gauss(0, 0.6), 1.0, 6.0); // OS, monitoring
        sample.cpu = std::round(std::clamp(cpu + host.cpuNoise, 0.1, 100.0) * 10) / 10;
        sample.memoryMiB = std::round(std::min(memory + rng.uniform(0, 80), host.memoryTotalMiB));
        sample.memoryLimitMiB = host.memoryTotalMiB;
        sample.rxBytesPerSec = std::round(rx + rng.uniform(4e3, 20e3)); // ssh, scrapes, NTP
        sample.txBytesPerSec = std::round(tx + rng.uniform(2e3, 12e3));
        host.diskUsedGiB += host.diskGrowthGiBPerSec * tickSeconds * rng.uniform(0.2, 1.8);
        if (host.diskUsedGiB > host.diskTotalGiB * 0.85 || rng.chance(0.002 * tickSeconds))
            host.diskUsedGiB *= rng.uniform(0.9, 0.97); // log rotation, WAL recycling
        sample.diskUsedGiB = std::round(host.diskUsedGiB * 100) / 100;
        sample.diskTotalGiB = host.diskTotalGiB;
        m_ctx->registry->publishMetrics(sample);
    }
}

} // namespace opsdeck::hub::demo
