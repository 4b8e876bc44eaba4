#pragma once

// What the host metrics source asks of a platform: raw counters now (HostProbe::sample), turned
// into rates between two samples by computeHostMetrics (pure, so it is tested without a host).
// Linux: LinuxHostProbe (/proc, statvfs). macOS and Windows have no probe yet: createHostProbe()
// returns nullptr there and the hub says so instead of publishing made-up numbers.

#include "procparse.h"

#include <QJsonObject>
#include <QLoggingCategory>
#include <QString>
#include <QStringList>
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
    double diskReadBytesPerSec = 0; // whole physical disks (countsAsHostDisk)
    double diskWriteBytesPerSec = 0;
    std::vector<MountUsage> mounts;
    std::optional<double> uptimeSeconds;
};

HostMetrics computeHostMetrics(const HostSnapshot &before, const HostSnapshot &after);
// The fields a `metrics` entry gets beyond seed 001's (docs/protocol.md §4.3, kind "host").
QJsonObject hostMetricsExtraJson(const HostMetrics &metrics);

class HostProbe
{
public:
    virtual ~HostProbe() = default;
    virtual HostSnapshot sample() = 0;
    virtual QString platformName() const = 0;
};

// The probe of the platform this was built for; nullptr where there is none yet.
// `mountPoints` are the file systems whose usage is reported (e.g. "/").
std::unique_ptr<HostProbe> createHostProbe(const QStringList &mountPoints);

} // namespace opsdeck::hub::sources
