#pragma once

// What the host metrics source asks of a platform: raw counters now (HostProbe::sample), turned
// into rates between two samples by computeHostMetrics (pure, so it is tested without a host).
// Linux: LinuxHostProbe (/proc, statvfs). macOS: MacosHostProbe (Mach host statistics, sysctl,
// getifaddrs, statfs; no disk I/O). Windows: WindowsHostProbe (GetSystemTimes,
// GlobalMemoryStatusEx, GetIfTable2, GetDiskFreeSpaceExW; no load average, no disk I/O). Each is
// compiled only on its own platform — the macOS and Windows probes are not built by the Linux CI.
// What a probe cannot measure stays absent in its snapshot and is left out of what is published
// (docs/operations.md §12); elsewhere createHostProbe() returns nullptr and the hub says so.

#include "procparse.h"

#include <QJsonObject>
#include <QLoggingCategory>
#include <QString>
#include <QStringList>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

Q_DECLARE_LOGGING_CATEGORY(lcHostMetrics)

namespace opsdeck::hub::sources {

struct MountUsage
{
    QString path;
    quint64 usedBytes = 0; // what is not free for unprivileged users, like df's "Used"
    quint64 totalBytes = 0;
};

// Counters at one instant; absent parts (a file that could not be read) stay empty.
struct HostSnapshot
{
    qint64 monotonicMs = 0; // when it was taken, for the rates
    std::optional<ProcStat> cpu;
    std::optional<MemInfo> memory;
    std::optional<LoadAvg> load;
    std::optional<std::vector<NetDevCounters>> network;
    std::optional<std::vector<DiskCounters>> disks;
    std::vector<MountUsage> mounts;
    std::optional<double> uptimeSeconds;
};

struct InterfaceRate
{
    QString name;
    double rxBytesPerSec = 0;
    double txBytesPerSec = 0;
};

// One published point: rates between two snapshots plus the newer one's levels.
struct HostMetrics
{
    double cpuPercent = 0;
    std::vector<double> corePercent;
    double memoryUsedMiB = 0;
    double memoryTotalMiB = 0;
    double swapUsedMiB = 0;
    double swapTotalMiB = 0;
    std::optional<LoadAvg> load;
    double rxBytesPerSec = 0; // every interface but loopback
    double txBytesPerSec = 0;
    std::vector<InterfaceRate> interfaces; // loopback included, for whoever wants it
    bool diskIoMeasured = false; // both snapshots had disk counters (never on macOS or Windows)
    double diskReadBytesPerSec = 0; // whole physical disks (countsAsHostDisk)
    double diskWriteBytesPerSec = 0;
    std::vector<MountUsage> mounts;
    std::optional<double> uptimeSeconds;
};

HostMetrics computeHostMetrics(const HostSnapshot &before, const HostSnapshot &after);
// The fields a `metrics` entry gets beyond seed 001's (docs/protocol.md §4.3, kind "host").
QJsonObject hostMetricsExtraJson(const HostMetrics &metrics);

// A 32-bit counter that wraps (macOS if_data byte counts, Mach CPU ticks) carried on in 64 bits,
// so the rate code sees a counter that only goes up. A forward step of less than 2^31 is counted
// whether or not it crossed the wrap; a larger "step" is the counter having dropped back (an
// interface re-created): that reading adds nothing and counting resumes from it, so the rate
// reads 0 once, as a counter that went backwards does on Linux (ratePerSecond).
class WrappingCounter32
{
public:
    quint64 update(quint32 raw);

private:
    quint64 m_total = 0;
    quint32 m_last = 0;
    bool m_primed = false;
};

// Usage of each configured mount point through the platform's `usageOf`; one that cannot be read
// is reported once (remembered in `warned`) and left out rather than published as zero.
std::vector<MountUsage> collectMountUsage(const QStringList &mountPoints, QStringList &warned,
    const std::function<std::optional<MountUsage>(const QString &)> &usageOf);

// Logs `message` the first time `key` (a file, an API call) fails, not every second after.
void warnOnce(QStringList &warned, const QString &key, const QString &message);

class HostProbe
{
public:
    virtual ~HostProbe() = default;
    virtual HostSnapshot sample() = 0;
    virtual QString platformName() const = 0;
};

// The probe of the platform this was built for (Linux, macOS, Windows); nullptr elsewhere.
// `mountPoints` are the file systems whose usage is reported (e.g. "/").
std::unique_ptr<HostProbe> createHostProbe(const QStringList &mountPoints);

} // namespace opsdeck::hub::sources
