#pragma once

// The Windows host probe (compiled only when WIN32; never built by the Linux CI): CPU from
// GetSystemTimes (total) and NtQuerySystemInformation(SystemProcessorPerformanceInformation)
// (per core), memory and swap from GlobalMemoryStatusEx, interface byte counts from GetIfTable2,
// GetDiskFreeSpaceExW of the configured mount points and GetTickCount64. Windows has no load
// average and this probe reads no disk I/O: both stay absent and are not published.

#include "hostprobe.h"

#include <QElapsedTimer>

namespace opsdeck::hub::sources {

class WindowsHostProbe : public HostProbe
{
public:
    explicit WindowsHostProbe(QStringList mountPoints);

    HostSnapshot sample() override;
    QString platformName() const override { return QStringLiteral("windows"); }

    // GetDiskFreeSpaceExW of one path; nullopt when it cannot be read.
    static std::optional<MountUsage> mountUsage(const QString &path);

private:
    std::optional<ProcStat> cpuTimes();
    std::vector<CpuTimes> coreTimes();
    std::optional<MemInfo> memory();
    std::optional<std::vector<NetDevCounters>> interfaces();

    QStringList m_mountPoints;
    QElapsedTimer m_clock; // monotonic: rates must not jump with the wall clock
    QStringList m_warned; // calls and mounts already reported failing (once each)
};

} // namespace opsdeck::hub::sources
