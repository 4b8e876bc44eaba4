#include "hostprobe.h"

#include <QJsonArray>
#include <algorithm>
#include <cmath>

#if defined(Q_OS_LINUX)
#include "linuxhostprobe.h"
#elif defined(Q_OS_MACOS)
#include "macoshostprobe.h"
#elif defined(Q_OS_WIN)
#include "windowshostprobe.h"
#endif

Q_LOGGING_CATEGORY(lcHostMetrics, "opsdeck.hub.hostmetrics")

namespace opsdeck::hub::sources {

namespace {
    constexpr double kMiB = 1024.0 * 1024.0;
    constexpr double kGiB = kMiB * 1024.0;

    double round2(double value)
    {
        // Two decimals are plenty on a chart and keep every entry (retained 50,000 times) short.
        return std::round(value * 100.0) / 100.0;
    }
} // namespace

HostMetrics computeHostMetrics(const HostSnapshot &before, const HostSnapshot &after)
{
    HostMetrics m;
    const double seconds = double(after.monotonicMs - before.monotonicMs) / 1000.0;
    if (before.cpu && after.cpu) {
        m.cpuPercent = cpuPercent(before.cpu->total, after.cpu->total);
        // A core that went offline (or came online) between samples has no delta: 0.
        const size_t cores = after.cpu->cores.size();
        m.corePercent.resize(cores);
        for (size_t i = 0; i < cores && i < before.cpu->cores.size(); ++i)
            m.corePercent[i] = cpuPercent(before.cpu->cores[i], after.cpu->cores[i]);
    }
    if (after.memory) {
        m.memoryUsedMiB = double(after.memory->usedKiB()) / 1024.0;
        m.memoryTotalMiB = double(after.memory->totalKiB) / 1024.0;
        m.swapUsedMiB = double(after.memory->swapUsedKiB()) / 1024.0;
        m.swapTotalMiB = double(after.memory->swapTotalKiB) / 1024.0;
    }
    m.load = after.load;
    if (before.network && after.network) {
        for (const NetDevCounters &now : *after.network) {
            const auto then = std::find_if(before.network->begin(), before.network->end(),
                [&](const NetDevCounters &c) { return c.name == now.name; });
            if (then == before.network->end())
                continue; // appeared since the last sample: a rate next time
            InterfaceRate rate {now.name, ratePerSecond(then->rxBytes, now.rxBytes, seconds),
                ratePerSecond(then->txBytes, now.txBytes, seconds)};
            if (!now.loopback && countsAsHostInterface(now.name)) {
                m.rxBytesPerSec += rate.rxBytesPerSec;
                m.txBytesPerSec += rate.txBytesPerSec;
            }
            m.interfaces.push_back(rate);
        }
    }
    if (before.disks && after.disks) {
        m.diskIoMeasured = true;
        for (const DiskCounters &now : *after.disks) {
            if (!countsAsHostDisk(now.name, *after.disks))
                continue;
            const auto then = std::find_if(before.disks->begin(), before.disks->end(),
                [&](const DiskCounters &c) { return c.name == now.name; });
            if (then == before.disks->end())
                continue;
            m.diskReadBytesPerSec += ratePerSecond(then->bytesRead, now.bytesRead, seconds);
            m.diskWriteBytesPerSec += ratePerSecond(then->bytesWritten, now.bytesWritten, seconds);
        }
    }
    m.mounts = after.mounts;
    m.uptimeSeconds = after.uptimeSeconds;
    return m;
}

QJsonObject hostMetricsExtraJson(const HostMetrics &m)
{
    QJsonObject extra;
    QJsonArray cores;
    for (double percent : m.corePercent)
        cores.append(round2(percent));
    extra.insert(QStringLiteral("cpuCores"), cores);
    extra.insert(QStringLiteral("swap"),
        QJsonObject {{QStringLiteral("used"), round2(m.swapUsedMiB)},
            {QStringLiteral("total"), round2(m.swapTotalMiB)}});
    if (m.load)
        extra.insert(QStringLiteral("load"),
            QJsonObject {{QStringLiteral("1m"), m.load->one}, {QStringLiteral("5m"), m.load->five},
                {QStringLiteral("15m"), m.load->fifteen}});
    QJsonObject interfaces;
    for (const InterfaceRate &rate : m.interfaces)
        interfaces.insert(rate.name,
            QJsonObject {{QStringLiteral("rx"), round2(rate.rxBytesPerSec)},
                {QStringLiteral("tx"), round2(rate.txBytesPerSec)}});
    extra.insert(QStringLiteral("interfaces"), interfaces);
    // Absent, not 0, where it is not measured (macOS, Windows, an unreadable /proc/diskstats).
    if (m.diskIoMeasured)
        extra.insert(QStringLiteral("diskIo"),
            QJsonObject {{QStringLiteral("read"), round2(m.diskReadBytesPerSec)},
                {QStringLiteral("write"), round2(m.diskWriteBytesPerSec)}});
    QJsonArray mounts;
    for (const MountUsage &mount : m.mounts)
        mounts.append(QJsonObject {{QStringLiteral("path"), mount.path},
            {QStringLiteral("used"), round2(double(mount.usedBytes) / kGiB)},
            {QStringLiteral("total"), round2(double(mount.totalBytes) / kGiB)}});
    extra.insert(QStringLiteral("mounts"), mounts);
    if (m.uptimeSeconds)
        extra.insert(QStringLiteral("uptime"), std::floor(*m.uptimeSeconds));
    return extra;
}

quint64 WrappingCounter32::update(quint32 raw)
{
    if (!m_primed) {
        m_total = raw;
        m_primed = true;
    } else {
        const quint32 step = raw - m_last; // modulo 2^32: right across one wrap
        if (step < (quint32(1) << 31))
            m_total += step;
    }
    m_last = raw;
    return m_total;
}

std::vector<MountUsage> collectMountUsage(const QStringList &mountPoints, QStringList &warned,
    const std::function<std::optional<MountUsage>(const QString &)> &usageOf)
{
    std::vector<MountUsage> mounts;
    for (const QString &mount : mountPoints) {
        if (const auto usage = usageOf(mount)) {
            mounts.push_back(*usage);
        } else if (!warned.contains(mount)) {
            warned.append(mount);
            qCWarning(lcHostMetrics) << "cannot stat mount point" << mount << "; its disk usage is left out";
        }
    }
    return mounts;
}

void warnOnce(QStringList &warned, const QString &key, const QString &message)
{
    if (warned.contains(key))
        return;
    warned.append(key);
    qCWarning(lcHostMetrics).noquote() << message;
}

std::unique_ptr<HostProbe> createHostProbe(const QStringList &mountPoints)
{
#if defined(Q_OS_LINUX)
    return std::make_unique<LinuxHostProbe>(QStringLiteral("/proc"), mountPoints);
#elif defined(Q_OS_MACOS)
    return std::make_unique<MacosHostProbe>(mountPoints);
#elif defined(Q_OS_WIN)
    return std::make_unique<WindowsHostProbe>(mountPoints);
#else
    Q_UNUSED(mountPoints);
    return nullptr;
#endif
}

} // namespace opsdeck::hub::sources
