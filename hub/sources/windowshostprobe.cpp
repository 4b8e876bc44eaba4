#include "windowshostprobe.h"

#include <QDir>
#include <algorithm>
#include <set>

#ifndef NOMINMAX
#define NOMINMAX // std::min/std::max, not the macros
#endif
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
// Winsock 2 before windows.h, and ws2ipdef.h before iphlpapi.h (netioapi.h needs its types).
#include <winsock2.h>
#include <ws2ipdef.h>
#include <windows.h>
#include <iphlpapi.h>
#include <winternl.h>

// Written against the Windows SDK's documented declarations and syntax-checked with the
// mingw-w64 headers, but never built or run on Windows by this project (docs/operations.md §12).

namespace opsdeck::hub::sources {

namespace {
    quint64 ticksOf(const FILETIME &time)
    {
        return (quint64(time.dwHighDateTime) << 32) | time.dwLowDateTime; // 100 ns units
    }

    // Kernel time includes idle time, on both calls: system = kernel − idle.
    CpuTimes cpuTimesOf(quint64 idle, quint64 kernel, quint64 user)
    {
        CpuTimes times;
        times.user = user;
        times.system = kernel >= idle ? kernel - idle : 0;
        times.idle = idle;
        return times;
    }

    using NtQuerySystemInformationFn = NTSTATUS(NTAPI *)(SYSTEM_INFORMATION_CLASS, PVOID, ULONG, PULONG);

    NtQuerySystemInformationFn ntQuerySystemInformation()
    {
        // Looked up at run time, as Microsoft advises for this call, rather than linked from ntdll.
        static const NtQuerySystemInformationFn fn = [] {
            const HMODULE ntdll = ::GetModuleHandleW(L"ntdll.dll");
            const FARPROC proc = ntdll ? ::GetProcAddress(ntdll, "NtQuerySystemInformation") : nullptr;
            // Through void(*)(), the one function pointer type a cast from FARPROC does not warn about.
            return reinterpret_cast<NtQuerySystemInformationFn>(reinterpret_cast<void (*)()>(proc));
        }();
        return fn;
    }
} // namespace

WindowsHostProbe::WindowsHostProbe(QStringList mountPoints)
    : m_mountPoints(std::move(mountPoints))
{
    m_clock.start();
}

std::vector<CpuTimes> WindowsHostProbe::coreTimes()
{
    const NtQuerySystemInformationFn query = ntQuerySystemInformation();
    // Every processor of every group bounds what the call returns (the calling thread's group).
    const DWORD processors = ::GetActiveProcessorCount(ALL_PROCESSOR_GROUPS);
    if (!query || processors == 0) {
        warnOnce(m_warned, QStringLiteral("NtQuerySystemInformation"),
            QStringLiteral("NtQuerySystemInformation is not available; per-core CPU is left out"));
        return {};
    }
    std::vector<SYSTEM_PROCESSOR_PERFORMANCE_INFORMATION> info(processors);
    ULONG returned = 0;
    const NTSTATUS status = query(SystemProcessorPerformanceInformation, info.data(),
        ULONG(info.size() * sizeof(SYSTEM_PROCESSOR_PERFORMANCE_INFORMATION)), &returned);
    if (status < 0) { // !NT_SUCCESS
        warnOnce(m_warned, QStringLiteral("SystemProcessorPerformanceInformation"),
            QStringLiteral("NtQuerySystemInformation(SystemProcessorPerformanceInformation) failed "
                           "(0x%1); per-core CPU is left out")
                .arg(quint32(status), 8, 16, QLatin1Char('0')));
        return {};
    }
    const size_t count
        = std::min(info.size(), size_t(returned) / sizeof(SYSTEM_PROCESSOR_PERFORMANCE_INFORMATION));
    std::vector<CpuTimes> cores;
    cores.reserve(count);
    for (size_t i = 0; i < count; ++i)
        cores.push_back(cpuTimesOf(quint64(info[i].IdleTime.QuadPart), quint64(info[i].KernelTime.QuadPart),
            quint64(info[i].UserTime.QuadPart)));
    return cores;
}

std::optional<ProcStat> WindowsHostProbe::cpuTimes()
{
    FILETIME idle = {}, kernel = {}, user = {};
    if (!::GetSystemTimes(&idle, &kernel, &user)) {
        warnOnce(m_warned, QStringLiteral("GetSystemTimes"),
            QStringLiteral("GetSystemTimes failed (error %1); CPU is left out").arg(::GetLastError()));
        return std::nullopt;
    }
    ProcStat stat;
    stat.total = cpuTimesOf(ticksOf(idle), ticksOf(kernel), ticksOf(user));
    stat.cores = coreTimes();
    return stat;
}

std::optional<MemInfo> WindowsHostProbe::memory()
{
    MEMORYSTATUSEX status = {};
    status.dwLength = sizeof(status);
    if (!::GlobalMemoryStatusEx(&status)) {
        warnOnce(m_warned, QStringLiteral("GlobalMemoryStatusEx"),
            QStringLiteral("GlobalMemoryStatusEx failed (error %1); memory is left out").arg(::GetLastError()));
        return std::nullopt;
    }
    MemInfo info;
    info.totalKiB = qint64(status.ullTotalPhys / 1024);
    info.freeKiB = qint64(status.ullAvailPhys / 1024);
    info.availableKiB = qint64(status.ullAvailPhys / 1024); // standby + free + zeroed pages
    // The commit limit (ullTotalPageFile) is RAM plus the page files: its excess over RAM is the
    // page files' size. Their use is not reported here; the commit charge that RAM does not hold
    // is taken as an estimate of it (an upper one: committed memory never touched counts too).
    const quint64 swapTotal = status.ullTotalPageFile > status.ullTotalPhys
        ? status.ullTotalPageFile - status.ullTotalPhys
        : 0;
    const quint64 committed = status.ullTotalPageFile - std::min(status.ullAvailPageFile, status.ullTotalPageFile);
    const quint64 physUsed = status.ullTotalPhys - std::min(status.ullAvailPhys, status.ullTotalPhys);
    const quint64 swapUsed = std::min(committed > physUsed ? committed - physUsed : 0, swapTotal);
    info.swapTotalKiB = qint64(swapTotal / 1024);
    info.swapFreeKiB = qint64((swapTotal - swapUsed) / 1024);
    return info;
}

std::optional<std::vector<NetDevCounters>> WindowsHostProbe::interfaces()
{
    MIB_IF_TABLE2 *table = nullptr;
    const DWORD result = ::GetIfTable2(&table);
    if (result != NO_ERROR || !table) {
        warnOnce(m_warned, QStringLiteral("GetIfTable2"),
            QStringLiteral("GetIfTable2 failed (error %1); network rates are left out").arg(result));
        return std::nullopt;
    }
    std::vector<NetDevCounters> out;
    std::set<QString> names;
    for (ULONG i = 0; i < table->NumEntries; ++i) {
        const MIB_IF_ROW2 &row = table->Table[i];
        // Filter drivers (WFP, QoS packet scheduler…) are listed as interfaces of their own with
        // the same traffic as the adapter below them: counting them would count bytes twice.
        if (row.InterfaceAndOperStatusFlags.FilterInterface)
            continue;
        const QString name = QString::fromWCharArray(row.Alias); // "Ethernet", "Wi-Fi"
        if (name.isEmpty() || !names.insert(name).second)
            continue;
        NetDevCounters counters;
        counters.name = name;
        counters.rxBytes = row.InOctets; // 64-bit: no wrap to handle
        counters.txBytes = row.OutOctets;
        counters.loopback = row.Type == IF_TYPE_SOFTWARE_LOOPBACK;
        out.push_back(counters);
    }
    ::FreeMibTable(table);
    return out;
}

std::optional<MountUsage> WindowsHostProbe::mountUsage(const QString &path)
{
    // A directory on the volume, with a trailing backslash (required for UNC roots); "/" becomes
    // "\", the root of the current drive.
    QString native = QDir::toNativeSeparators(path);
    if (!native.endsWith(u'\\'))
        native.append(u'\\');
    ULARGE_INTEGER freeToCaller = {}, total = {}, totalFree = {};
    if (!::GetDiskFreeSpaceExW(reinterpret_cast<LPCWSTR>(native.utf16()), &freeToCaller, &total, &totalFree))
        return std::nullopt;
    // Like df and the other probes: used = size − free. With per-user quotas on, the size is what
    // the quota allows this account, so free is capped at it.
    const quint64 size = total.QuadPart;
    const quint64 free = std::min<quint64>(totalFree.QuadPart, size);
    return MountUsage {path, size - free, size};
}

HostSnapshot WindowsHostProbe::sample()
{
    HostSnapshot snapshot;
    snapshot.monotonicMs = m_clock.elapsed();
    snapshot.cpu = cpuTimes();
    snapshot.memory = memory();
    // snapshot.load stays empty: Windows keeps no load average.
    snapshot.network = interfaces();
    // snapshot.disks stays empty: per-disk byte counters (IOCTL_DISK_PERFORMANCE or PDH) are not
    // read; `diskIo` is left out rather than sent as 0.
    snapshot.uptimeSeconds = double(::GetTickCount64()) / 1000.0; // milliseconds since boot
    snapshot.mounts = collectMountUsage(m_mountPoints, m_warned, &WindowsHostProbe::mountUsage);
    return snapshot;
}

} // namespace opsdeck::hub::sources
