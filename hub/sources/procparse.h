#pragma once

// Pure parsers for the Linux /proc files the host probe reads, and the delta math on top of
// them. No I/O here: tests feed fixture text (tests/fixtures/proc/), the probe feeds the files.

#include <QByteArrayView>
#include <QString>
#include <optional>
#include <vector>

namespace opsdeck::hub::sources {

// One "cpu" line of /proc/stat, in clock ticks since boot.
struct CpuTimes
{
    quint64 user = 0;
    quint64 nice = 0;
    quint64 system = 0;
    quint64 idle = 0;
    quint64 iowait = 0;
    quint64 irq = 0;
    quint64 softirq = 0;
    quint64 steal = 0;

    // guest/guest_nice are already included in user/nice, so they are not added again.
    quint64 total() const { return user + nice + system + idle + iowait + irq + softirq + steal; }
    // Waiting for I/O is idle time: the CPU could have run something else.
    quint64 idleAll() const { return idle + iowait; }
};

struct ProcStat
{
    CpuTimes total; // the aggregate "cpu" line
    std::vector<CpuTimes> cores; // "cpu0", "cpu1", … in index order
};

// Values in KiB, as /proc/meminfo reports them.
struct MemInfo
{
    qint64 totalKiB = 0;
    qint64 freeKiB = 0;
    qint64 availableKiB = -1; // -1: no MemAvailable (kernels before 3.14)
    qint64 buffersKiB = 0;
    qint64 cachedKiB = 0;
    qint64 swapTotalKiB = 0;
    qint64 swapFreeKiB = 0;

    // What programs hold: total minus what could be handed out without swapping.
    qint64 usedKiB() const;
    qint64 swapUsedKiB() const { return swapTotalKiB - swapFreeKiB; }
};

struct LoadAvg
{
    double one = 0;
    double five = 0;
    double fifteen = 0;
    int running = 0;
    int total = 0;
};

struct NetDevCounters
{
    QString name;
    quint64 rxBytes = 0;
    quint64 txBytes = 0;
    // Set by probes that learn it from the system (macOS IFF_LOOPBACK, Windows
    // IF_TYPE_SOFTWARE_LOOPBACK), whose loopback is not called "lo"; /proc/net/dev has no such flag.
    bool loopback = false;
};

struct DiskCounters
{
    QString name;
    quint64 bytesRead = 0; // sectors × 512 (the kernel's unit here, whatever the device's)
    quint64 bytesWritten = 0;
};

std::optional<ProcStat> parseProcStat(QByteArrayView text);
std::optional<MemInfo> parseMemInfo(QByteArrayView text);
std::optional<LoadAvg> parseLoadAvg(QByteArrayView text);
std::optional<std::vector<NetDevCounters>> parseNetDev(QByteArrayView text);
std::optional<std::vector<DiskCounters>> parseDiskStats(QByteArrayView text);
// Seconds since boot (the first number of /proc/uptime).
std::optional<double> parseUptime(QByteArrayView text);

// Busy share of the time between two samples, 0–100; 0 when no time passed.
double cpuPercent(const CpuTimes &before, const CpuTimes &after);
// Per second between two counter readings; 0 when the counter went backwards (a reset, an
// interface that came back) or no time passed.
double ratePerSecond(quint64 before, quint64 after, double seconds);

// Interfaces whose traffic counts towards the host's network total: not loopback.
bool countsAsHostInterface(const QString &name);
// Devices whose I/O counts towards the host's disk total: whole physical disks only.
// Partitions (sda1 of sda, nvme0n1p2 of nvme0n1), device-mapper and md (stacked on disks
// already counted), loop, ram and zram devices would count the same bytes twice or none.
bool countsAsHostDisk(const QString &name, const std::vector<DiskCounters> &all);

} // namespace opsdeck::hub::sources
