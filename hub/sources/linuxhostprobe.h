#pragma once

// The Linux host probe: /proc/{stat,meminfo,loadavg,net/dev,diskstats,uptime} and statvfs of
// the configured mount points. The /proc root is a parameter so tests can point it at fixtures.

#include "hostprobe.h"

#include <QElapsedTimer>

namespace opsdeck::hub::sources {

class LinuxHostProbe : public HostProbe
{
public:
    LinuxHostProbe(QString procRoot, QStringList mountPoints);

    HostSnapshot sample() override;
    QString platformName() const override { return QStringLiteral("linux"); }

    // statvfs of one path; nullopt when it cannot be read.
    static std::optional<MountUsage> mountUsage(const QString &path);

private:
    QByteArray readProcFile(const char *relativePath);

    QString m_procRoot;
    QStringList m_mountPoints;
    QElapsedTimer m_clock; // monotonic: rates must not jump with the wall clock
    QStringList m_warned; // files and mounts already reported unreadable (once each, not every second)
};

} // namespace opsdeck::hub::sources
