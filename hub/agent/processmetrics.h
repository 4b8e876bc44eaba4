#pragma once

// The agent's own resource use, reported as `metrics` (docs/protocol.md §14): CPU percent over
// the last interval and resident memory, from /proc/self on Linux; elsewhere the process CPU
// time std::clock() gives and no memory figures.

#include <QElapsedTimer>

namespace opsdeck::agent {

struct ProcessSample
{
    double cpuPercent = 0;     // of one CPU, over the time since the previous sample
    double rssMiB = 0;         // 0 where unknown
    double memoryLimitMiB = 0; // physical memory of the host; 0 where unknown
};

class ProcessMetrics
{
public:
    ProcessMetrics();
    ProcessSample sample();

    // Parsers of /proc files, exposed for the unit tests.
    // utime + stime of /proc/self/stat in clock ticks; -1 when unreadable.
    static qint64 parseStatCpuTicks(const QByteArray &stat);
    // "VmRSS:  12345 kB" of /proc/self/status (or "MemTotal:" of /proc/meminfo), in KiB; -1 if absent.
    static qint64 parseKibField(const QByteArray &text, const QByteArray &field);

private:
    double cpuSeconds() const;

    QElapsedTimer m_wall;
    double m_lastCpuSeconds = 0;
    qint64 m_lastWallMs = 0;
};

} // namespace opsdeck::agent
