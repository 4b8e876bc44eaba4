#pragma once

// Small helpers of the benchmark drivers (bench_fanout, bench_relay): a polled wait that keeps
// the event loop running (a driver is a linear script), and CPU/RSS readings from /proc for the
// processes and threads it measures.

#include <QByteArray>

#include <functional>

namespace opsdeck::bench {

// Runs the event loop until `done()` is true or `timeoutMs` passed; false on timeout.
bool waitUntil(const std::function<bool()> &done, int timeoutMs);
void sleepMs(int ms);

qint64 steadyNowNs();

// utime + stime in seconds of a process, or of one thread of this process (its kernel tid);
// -1 when unreadable.
double processCpuSeconds(qint64 pid);
double threadCpuSeconds(qint64 tid);
// This thread's kernel id (for threadCpuSeconds from another thread).
qint64 currentThreadTid();
// utime + stime of this process in seconds (getrusage).
double selfCpuSeconds();
// VmRSS of a process in KiB, or -1.
qint64 rssKiB(qint64 pid);
// Mean VmRSS over `durationMs`, sampled every 100 ms while the event loop keeps running.
qint64 meanRssKiB(qint64 pid, int durationMs);
// "1.23 0.98 0.75": the benchmark shares its cores, so every run says how busy they were.
QByteArray loadAverage();

} // namespace opsdeck::bench
