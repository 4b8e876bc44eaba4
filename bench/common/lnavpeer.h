#pragma once

// lnav as a peer in the log benchmarks (bench_logmodel, bench_ingest): `lnav -n -c ';SELECT
// count(*) FROM all_logs' FILE` makes lnav index every line of FILE and print how many log
// messages it found. A peer that failed fast would make a flattering ratio, so its exit code and
// the row count it reports are checked before its time may be used.

#include <QString>

namespace opsdeck::bench {

struct LnavRun
{
    bool ok = false;
    qint64 rows = -1; // what lnav's count(*) printed
    double ms = 0; // wall time from start to exit
    double cpuMs = 0; // user + system CPU time lnav used (its rusage once reaped)
    QString error; // why `ok` is false: "did not finish", "failed (exit 1, rows -1)", …
};

// lnav on PATH, or an empty string when it is not installed.
QString findLnav();
// Runs lnav over `file` and waits for it (at most `timeoutMs`).
LnavRun runLnavCount(const QString &lnav, const QString &file, int timeoutMs = 600000);

} // namespace opsdeck::bench
