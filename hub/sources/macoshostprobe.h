#pragma once

// The macOS host probe (compiled only when APPLE; never built by the Linux CI): CPU ticks per
// core from host_processor_info, memory from host_statistics64 and hw.memsize, swap from
// vm.swapusage, getloadavg, interface byte counts from getifaddrs (AF_LINK if_data), statfs of
// the configured mount points and kern.boottime. Disk I/O is not measured (it needs IOKit):
// `disks` stays empty and the published point has no `diskIo`.

#include "hostprobe.h"

#include <QElapsedTimer>
#include <array>
#include <map>

#include <mach/mach_types.h>

namespace opsdeck::hub::sources {

class MacosHostProbe : public HostProbe
{
public:
    explicit MacosHostProbe(QStringList mountPoints);
    ~MacosHostProbe() override;
    MacosHostProbe(const MacosHostProbe &) = delete;
    MacosHostProbe &operator=(const MacosHostProbe &) = delete;

    HostSnapshot sample() override;
    QString platformName() const override { return QStringLiteral("macos"); }

    // statfs of one path; nullopt when it cannot be read.
    static std::optional<MountUsage> mountUsage(const QString &path);

private:
    std::optional<ProcStat> cpuTicks();
    std::optional<MemInfo> memory();
    std::optional<LoadAvg> loadAverage();
    std::optional<std::vector<NetDevCounters>> interfaces();
    std::optional<double> uptime();

    // Mach's tick counters and if_data's byte counters are 32 bits wide: carried on in 64.
    struct CoreTicks
    {
        WrappingCounter32 user, system, idle, nice;
    };
    struct InterfaceBytes
    {
        WrappingCounter32 rx, tx;
    };

    host_t m_host; // one send right for the probe's life, not one per call
    QStringList m_mountPoints;
    QElapsedTimer m_clock; // monotonic: rates must not jump with the wall clock
    std::vector<CoreTicks> m_cores;
    std::map<QString, InterfaceBytes> m_interfaces;
    QStringList m_warned; // calls and mounts already reported failing (once each)
};

} // namespace opsdeck::hub::sources
