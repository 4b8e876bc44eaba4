#include "linuxhostprobe.h"

#include <QFile>
#include <sys/statvfs.h>

namespace opsdeck::hub::sources {

LinuxHostProbe::LinuxHostProbe(QString procRoot, QStringList mountPoints)
    : m_procRoot(std::move(procRoot))
    , m_mountPoints(std::move(mountPoints))
{ }

QByteArray LinuxHostProbe::readProcFile(const char *relativePath)
{
    const QString path = m_procRoot + u'/' + QLatin1StringView(relativePath);
    QFile file(path);
    // /proc files report size 0: read until EOF rather than trusting size().
    if (!file.open(QIODevice::ReadOnly)) {
        if (!m_warned.contains(path)) {
            m_warned.append(path);
            qCWarning(lcHostMetrics) << "cannot read" << path << ":" << file.errorString();
        }
        return {};
    }
    return file.readAll();
}

std::optional<MountUsage> LinuxHostProbe::mountUsage(const QString &path)
{
    struct statvfs fs = {};
    if (::statvfs(QFile::encodeName(path).constData(), &fs) != 0)
        return std::nullopt;
    const quint64 unit = fs.f_frsize ? fs.f_frsize : fs.f_bsize;
    const quint64 total = quint64(fs.f_blocks) * unit;
    // Like df: used = blocks - free; root's reserved blocks count as free here.
    const quint64 used = (quint64(fs.f_blocks) - quint64(fs.f_bfree)) * unit;
    return MountUsage {path, used, total};
}

HostSnapshot LinuxHostProbe::sample()
{
    HostSnapshot snapshot;
    snapshot.monotonicMs = m_clock.elapsed();
    snapshot.cpu = parseProcStat(readProcFile("stat"));
    snapshot.memory = parseMemInfo(readProcFile("meminfo"));
    snapshot.load = parseLoadAvg(readProcFile("loadavg"));
    snapshot.network = parseNetDev(readProcFile("net/dev"));
    snapshot.disks = parseDiskStats(readProcFile("diskstats"));
    snapshot.uptimeSeconds = parseUptime(readProcFile("uptime"));
    snapshot.mounts = collectMountUsage(m_mountPoints, m_warned, &LinuxHostProbe::mountUsage);
    return snapshot;
}

} // namespace opsdeck::hub::sources
