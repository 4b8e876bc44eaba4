#pragma once

// Publishes this host's metrics on the `metrics` topic, one entry per interval (default 1 s),
// through AgentRegistry::publishMetrics — the path the demo fleet's hosts take, so the
// console shows the real host like any other (source = host name, kind "host").

#include "hostprobe.h"

#include <QObject>
#include <QTimer>
#include <memory>

namespace opsdeck::hub {
class AgentRegistry;
}

namespace opsdeck::hub::sources {

struct HostMetricsConfig
{
    int intervalMs = 1000;
    QStringList mountPoints {QStringLiteral("/")};
    QString hostName; // empty: QSysInfo::machineHostName()
};

class HostMetricsSource : public QObject
{
    Q_OBJECT
public:
    // `probe` nullptr: the platform's (createHostProbe).
    HostMetricsSource(AgentRegistry &registry, HostMetricsConfig config,
        std::unique_ptr<HostProbe> probe = {}, QObject *parent = nullptr);
    ~HostMetricsSource() override;

    // False when this platform has no probe (nothing is published then).
    bool start();
    void stop();
    bool isRunning() const { return m_timer.isActive(); }
    const QString &hostName() const { return m_hostName; }
    // The newest published point, for /metrics gauges; empty before the first.
    const std::optional<HostMetrics> &latest() const { return m_latest; }

    // One sample and publish, as the timer does (exposed for tests).
    void tick();

Q_SIGNALS:
    void published();

private:
    AgentRegistry &m_registry;
    HostMetricsConfig m_config;
    std::unique_ptr<HostProbe> m_probe;
    QString m_hostName;
    QTimer m_timer;
    std::optional<HostSnapshot> m_previous;
    std::optional<HostMetrics> m_latest;
};

} // namespace opsdeck::hub::sources
