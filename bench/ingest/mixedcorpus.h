#pragma once

// A realistic mixed log file for bench_ingest: what one host's aggregated log looks like when
// several programs write into it. Deterministic for a given seed, so runs compare. Of the events:
//
//   ~40 % application lines   2025-10-01T12:00:00.123+02:00 INFO  [thread] logger - message
//   ~20 % syslog lines        Oct  1 12:00:00 edge-3 sshd[2231]: Accepted publickey for …
//   ~22 % nginx access lines  10.0.3.21 - - [01/Oct/2025:12:00:00 +0200] "GET /api/… HTTP/1.1" 200 …
//   ~18 % JSON lines          {"ts":"2025-10-01T10:00:00.123Z","level":"info","logger":…,"msg":…}
// and 2 % of all events are application errors followed by a Java or Python stack trace of
// 3–9 continuation lines (~9 % of the lines).

#include <QString>
#include <cstdint>

namespace opsdeck::bench {

struct CorpusStats
{
    qint64 lines = 0;
    qint64 bytes = 0;
    qint64 events = 0; // lines that start an event (every line but stack-trace continuations)
    qint64 appLines = 0;
    qint64 syslogLines = 0;
    qint64 nginxLines = 0;
    qint64 jsonLines = 0;
    qint64 traces = 0; // events followed by a stack trace
    qint64 traceLines = 0; // the continuation lines of those traces
};

// Writes about `lines` lines (the last event's trace may add a few) to `path`. False with
// `error` set when the file cannot be written.
bool writeMixedCorpus(const QString &path, qint64 lines, quint64 seed, CorpusStats &stats, QString *error);

// Counts the lines and bytes of an existing file (for --file): a last line without '\n' counts.
bool countLines(const QString &path, CorpusStats &stats, QString *error);

} // namespace opsdeck::bench
