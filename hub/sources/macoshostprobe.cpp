#include "macoshostprobe.h"

#include <QFile>

#include <ifaddrs.h>
#include <mach/mach.h>
#include <mach/machine.h>
#include <mach/processor_info.h>
#include <mach/vm_page_size.h>
#include <net/if.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/param.h>
#include <sys/socket.h>
#include <sys/sysctl.h>
#include <sys/time.h>

// Written against the macOS SDK headers' documented declarations but, like the rest of this file,
// never compiled on the Linux machines this project is built and tested on (docs/operations.md §12).

namespace opsdeck::hub::sources {

namespace {
    template<typename T> bool sysctlValue(const char *name, T &out)
    {
        size_t size = sizeof(T);
        return ::sysctlbyname(name, &out, &size, nullptr, 0) == 0 && size == sizeof(T);
    }
} // namespace

MacosHostProbe::MacosHostProbe(QStringList mountPoints)
    : m_host(::mach_host_self())
    , m_mountPoints(std::move(mountPoints))
{
    m_clock.start();
}

MacosHostProbe::~MacosHostProbe()
{
    ::mach_port_deallocate(::mach_task_self(), m_host);
}

std::optional<ProcStat> MacosHostProbe::cpuTicks()
{
    natural_t cpuCount = 0;
    processor_info_array_t info = nullptr;
    mach_msg_type_number_t infoCount = 0;
    const kern_return_t kr
        = ::host_processor_info(m_host, PROCESSOR_CPU_LOAD_INFO, &cpuCount, &info, &infoCount);
    if (kr != KERN_SUCCESS || !info) {
        warnOnce(m_warned, QStringLiteral("host_processor_info"),
            QStringLiteral("host_processor_info(PROCESSOR_CPU_LOAD_INFO) failed (%1); CPU is left out")
                .arg(kr));
        return std::nullopt;
    }
    const auto *loads = reinterpret_cast<const processor_cpu_load_info *>(info);
    // A core count that changed (it does not on a Mac, but cheaply safe): start the counters anew.
    if (m_cores.size() != cpuCount)
        m_cores.assign(cpuCount, CoreTicks {});
    ProcStat stat;
    stat.cores.resize(cpuCount);
    for (natural_t i = 0; i < cpuCount; ++i) {
        const unsigned int *ticks = loads[i].cpu_ticks;
        CoreTicks &core = m_cores[i];
        CpuTimes &times = stat.cores[i];
        // Mach has no iowait, irq or steal: user, nice, system, idle map one to one.
        times.user = core.user.update(ticks[CPU_STATE_USER]);
        times.system = core.system.update(ticks[CPU_STATE_SYSTEM]);
        times.idle = core.idle.update(ticks[CPU_STATE_IDLE]);
        times.nice = core.nice.update(ticks[CPU_STATE_NICE]);
        stat.total.user += times.user;
        stat.total.system += times.system;
        stat.total.idle += times.idle;
        stat.total.nice += times.nice;
    }
    // The array was allocated in our address space by the kernel for this call.
    ::vm_deallocate(::mach_task_self(), reinterpret_cast<vm_address_t>(info),
        vm_size_t(infoCount) * sizeof(integer_t));
    return stat;
}

std::optional<MemInfo> MacosHostProbe::memory()
{
    quint64 totalBytes = 0;
    vm_statistics64_data_t vm = {};
    mach_msg_type_number_t count = HOST_VM_INFO64_COUNT;
    if (!sysctlValue("hw.memsize", totalBytes) || totalBytes == 0
        || ::host_statistics64(m_host, HOST_VM_INFO64, reinterpret_cast<host_info64_t>(&vm), &count)
            != KERN_SUCCESS) {
        warnOnce(m_warned, QStringLiteral("memory"),
            QStringLiteral("cannot read hw.memsize or host_statistics64(HOST_VM_INFO64); memory is left out"));
        return std::nullopt;
    }
    // The counts are in kernel pages (16 KiB on Apple silicon, also for a process under Rosetta),
    // the unit vm_stat reports in.
    const quint64 page = quint64(vm_kernel_page_size);
    MemInfo info;
    info.totalKiB = qint64(totalBytes / 1024);
    info.freeKiB = qint64(quint64(vm.free_count) * page / 1024);
    // Available = free + inactive + speculative pages: what could be handed out without paging
    // (used = total − available, the MemAvailable counterpart on Linux; Activity Monitor's
    // "Memory Used" is counted differently and reads lower).
    info.availableKiB
        = qint64((quint64(vm.free_count) + vm.inactive_count + vm.speculative_count) * page / 1024);
    xsw_usage swap = {};
    if (sysctlValue("vm.swapusage", swap)) {
        info.swapTotalKiB = qint64(swap.xsu_total / 1024);
        info.swapFreeKiB = qint64(swap.xsu_avail / 1024);
    } else {
        warnOnce(m_warned, QStringLiteral("vm.swapusage"),
            QStringLiteral("cannot read vm.swapusage; swap reads 0"));
    }
    return info;
}

std::optional<LoadAvg> MacosHostProbe::loadAverage()
{
    double averages[3] = {};
    if (::getloadavg(averages, 3) != 3) {
        warnOnce(m_warned, QStringLiteral("getloadavg"),
            QStringLiteral("getloadavg failed; the load average is left out"));
        return std::nullopt;
    }
    LoadAvg load; // running/total tasks: not available here (and not published)
    load.one = averages[0];
    load.five = averages[1];
    load.fifteen = averages[2];
    return load;
}

std::optional<std::vector<NetDevCounters>> MacosHostProbe::interfaces()
{
    ifaddrs *list = nullptr;
    if (::getifaddrs(&list) != 0) {
        warnOnce(m_warned, QStringLiteral("getifaddrs"),
            QStringLiteral("getifaddrs failed; network rates are left out"));
        return std::nullopt;
    }
    std::vector<NetDevCounters> out;
    std::map<QString, InterfaceBytes> seen;
    for (const ifaddrs *ifa = list; ifa; ifa = ifa->ifa_next) {
        // One AF_LINK entry per interface carries its counters; the address entries do not.
        if (!ifa->ifa_addr || ifa->ifa_addr->sa_family != AF_LINK || !ifa->ifa_data || !ifa->ifa_name)
            continue;
        const QString name = QString::fromUtf8(ifa->ifa_name);
        if (seen.count(name))
            continue;
        const auto *data = static_cast<const if_data *>(ifa->ifa_data);
        InterfaceBytes bytes = m_interfaces[name]; // the running 64-bit totals so far
        NetDevCounters counters;
        counters.name = name;
        counters.rxBytes = bytes.rx.update(data->ifi_ibytes);
        counters.txBytes = bytes.tx.update(data->ifi_obytes);
        counters.loopback = (ifa->ifa_flags & IFF_LOOPBACK) != 0;
        out.push_back(counters);
        seen.emplace(name, bytes);
    }
    ::freeifaddrs(list);
    m_interfaces = std::move(seen); // interfaces that went away are forgotten
    return out;
}

std::optional<double> MacosHostProbe::uptime()
{
    timeval boot = {};
    if (!sysctlValue("kern.boottime", boot) || boot.tv_sec <= 0) {
        warnOnce(m_warned, QStringLiteral("kern.boottime"),
            QStringLiteral("cannot read kern.boottime; uptime is left out"));
        return std::nullopt;
    }
    timeval now = {};
    ::gettimeofday(&now, nullptr);
    const double seconds = double(now.tv_sec - boot.tv_sec) + double(now.tv_usec - boot.tv_usec) / 1e6;
    return seconds >= 0 ? std::optional<double>(seconds) : std::nullopt;
}

std::optional<MountUsage> MacosHostProbe::mountUsage(const QString &path)
{
    // statfs, not statvfs: macOS's statvfs has 32-bit block counts and misreports large volumes.
    struct statfs fs = {};
    if (::statfs(QFile::encodeName(path).constData(), &fs) != 0)
        return std::nullopt;
    const quint64 unit = fs.f_bsize;
    const quint64 total = quint64(fs.f_blocks) * unit;
    // Like df (and the Linux probe): used = blocks − free.
    const quint64 used = (quint64(fs.f_blocks) - quint64(fs.f_bfree)) * unit;
    return MountUsage {path, used, total};
}

HostSnapshot MacosHostProbe::sample()
{
    HostSnapshot snapshot;
    snapshot.monotonicMs = m_clock.elapsed();
    snapshot.cpu = cpuTicks();
    snapshot.memory = memory();
    snapshot.load = loadAverage();
    snapshot.network = interfaces();
    // snapshot.disks stays empty: per-disk byte counters need IOKit (IOBlockStorageDriver
    // statistics), which this probe does not link; `diskIo` is left out rather than sent as 0.
    snapshot.uptimeSeconds = uptime();
    snapshot.mounts = collectMountUsage(m_mountPoints, m_warned, &MacosHostProbe::mountUsage);
    return snapshot;
}

} // namespace opsdeck::hub::sources
