#include "processmetrics.h"

#include <QFile>
#include <QList>

#include <ctime>

#ifdef Q_OS_LINUX
#include <unistd.h>
#endif

namespace opsdeck::agent {

namespace {
QByteArray readAll(const char *path)
{
    QFile file(QString::fromLatin1(path));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}
} // namespace

ProcessMetrics::ProcessMetrics()
{
    m_wall.start();
    m_lastCpuSeconds = cpuSeconds();
}

qint64 ProcessMetrics::parseStatCpuTicks(const QByteArray &stat)
{
    // The command name (field 2) is in parentheses and may contain spaces: count from after it.
    const qsizetype close = stat.lastIndexOf(')');
    if (close < 0)
        return -1;
    const QList<QByteArray> fields = stat.mid(close + 2).simplified().split(' ');
    // After ")": state is field 3, so utime (14) and stime (15) are at 11 and 12.
    if (fields.size() < 13)
        return -1;
    bool okUser = false;
    bool okSystem = false;
    const qint64 user = fields.at(11).toLongLong(&okUser);
    const qint64 system = fields.at(12).toLongLong(&okSystem);
    return okUser && okSystem ? user + system : -1;
}

qint64 ProcessMetrics::parseKibField(const QByteArray &text, const QByteArray &field)
{
    for (const QByteArray &line : text.split('\n')) {
        if (!line.startsWith(field))
            continue;
        const QList<QByteArray> parts = line.mid(field.size()).simplified().split(' ');
        bool ok = false;
        const qint64 value = parts.value(0).toLongLong(&ok);
        return ok ? value : -1;
    }
    return -1;
}

double ProcessMetrics::cpuSeconds() const
{
#ifdef Q_OS_LINUX
    const qint64 ticks = parseStatCpuTicks(readAll("/proc/self/stat"));
    const long perSecond = sysconf(_SC_CLK_TCK);
    if (ticks >= 0 && perSecond > 0)
        return double(ticks) / double(perSecond);
#endif
    return double(std::clock()) / CLOCKS_PER_SEC;
}

ProcessSample ProcessMetrics::sample()
{
    ProcessSample out;
    const double cpu = cpuSeconds();
    const qint64 wallMs = m_wall.elapsed();
    const qint64 spanMs = wallMs - m_lastWallMs;
    if (spanMs > 0)
        out.cpuPercent = std::max(0.0, (cpu - m_lastCpuSeconds) * 1000.0 / double(spanMs) * 100.0);
    m_lastCpuSeconds = cpu;
    m_lastWallMs = wallMs;
#ifdef Q_OS_LINUX
    if (const qint64 rss = parseKibField(readAll("/proc/self/status"), "VmRSS:"); rss >= 0)
        out.rssMiB = double(rss) / 1024.0;
    if (const qint64 total = parseKibField(readAll("/proc/meminfo"), "MemTotal:"); total >= 0)
        out.memoryLimitMiB = double(total) / 1024.0;
#endif
    return out;
}

} // namespace opsdeck::agent
