#include "hostmetricssource.h"

#include "agentregistry.h"

#include <QSysInfo>
#include <cmath>

namespace opsdeck::hub::sources {

HostMetricsSource::HostMetricsSource(
    AgentRegistry &registry, HostMetricsConfig config, std::unique_ptr<HostProbe> probe, QObject *parent)
    : QObject(parent)
    , m_registry(registry)
    , m_config(std::move(config))
    , m_probe(probe ? std::move(probe) : createHostProbe(m_config.mountPoints))
    , m_hostName(m_config.hostName.isEmpty() ? QSysInfo::machineHostName() : m_config.hostName)
{
    if (m_hostName.isEmpty())
        m_hostName = QStringLiteral("localhost");
    m_timer.setInterval(m_config.intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &HostMetricsSource::tick);
}

HostMetricsSource::~HostMetricsSource() = default;

bool HostMetricsSource::start()
{
    if (!m_probe) {
        qCWarning(lcHostMetrics) << "no host metrics probe for" << QSysInfo::kernelType()
                                 << "yet; host metrics are not published";
        return false;
    }
    // CPU and rates are deltas: the first snapshot only primes them, the first point follows
    // one interval later.
    m_previous = m_probe->sample();
    m_timer.start();
    qCInfo(lcHostMetrics) << "publishing host metrics of" << m_hostName << "every" << m_config.intervalMs
                          << "ms; disk usage of" << m_config.mountPoints;
    return true;
}

void HostMetricsSource::stop()
{
    m_timer.stop();
}

void HostMetricsSource::tick()
{
    if (!m_probe)
        return;
    HostSnapshot now = m_probe->sample();
    if (!m_previous) {
        m_previous = std::move(now);
        return;
    }
    const HostMetrics metrics = computeHostMetrics(*m_previous, now);
    m_previous = std::move(now);

    MetricsSample sample;
    sample.source = m_hostName;
    sample.host = m_hostName;
    sample.kind = QStringLiteral("host");
    sample.cpu = std::round(metrics.cpuPercent * 100.0) / 100.0;
    sample.memoryMiB = std::round(metrics.memoryUsedMiB);
    sample.memoryLimitMiB = std::round(metrics.memoryTotalMiB);
    sample.rxBytesPerSec = std::round(metrics.rxBytesPerSec);
    sample.txBytesPerSec = std::round(metrics.txBytesPerSec);
    if (!metrics.mounts.empty()) {
        // The first configured mount point is the host's "disk" of seed 001's shape.
        constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
        sample.diskUsedGiB = std::round(double(metrics.mounts.front().usedBytes) / kGiB * 100.0) / 100.0;
        sample.diskTotalGiB = std::round(double(metrics.mounts.front().totalBytes) / kGiB * 100.0) / 100.0;
    }
    sample.extra = hostMetricsExtraJson(metrics);
    m_registry.publishMetrics(sample);
    m_latest = metrics;
    Q_EMIT published();
}

} // namespace opsdeck::hub::sources
