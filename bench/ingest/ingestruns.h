#pragma once

// The measured paths of bench_ingest. Each takes the log file and returns its wall time and what
// it produced; the caller repeats them and takes medians.

#include <QString>

namespace opsdeck::bench {

// CPU time (user + system) this process has used so far, in ms.
double processCpuMs();

// (a) LogFileParser over the file in 1 MiB blocks, batches taken as the Logs pane's loader and
// the hub's tailer take them. Nothing is kept.
struct ParseRun
{
    double ms = 0;
    double cpuMs = 0; // CPU time of this process meanwhile (the machine may be busy)
    qint64 lines = 0;
    qint64 entries = 0; // multi-line entries grouped
};
ParseRun runParseOnly(const QString &logPath);

// (b) What `opsdeck-hub --log-file FILE --log-from-start [--history-db DB]` does, minus the
// network: a HubServer built from the default HubConfig (not listening; its constructor opens
// the history store and attaches it to the topics), LogSources with a LogFileTailer reading the
// file from its start, every entry published into the logs topic. Timed from start() until the
// tailer has read to the end of the file, stop() has handed over the last open entry, and (with
// a store) the final flush has committed everything.
struct HubRun
{
    bool ok = false;
    QString error;
    double ms = 0;
    double cpuMs = 0;
    qint64 entries = 0; // published into the logs topic
    qint64 storedEntries = 0; // rows in the store's logs table after close
    qint64 dbBytes = 0; // database file (+ WAL, if any is left) after close
    qint64 commits = 0; // store transactions during the run
    double finalFlushMs = 0; // the last commit, inside `ms`
    double closeMs = 0; // the hub's teardown (store close), outside `ms`
};
// `dbPath` empty: memory only (topics without a history store). The file must not change.
HubRun runHubPath(const QString &logPath, qint64 fileBytes, const QString &dbPath);

} // namespace opsdeck::bench
