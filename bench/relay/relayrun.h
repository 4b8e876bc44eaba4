#pragma once

// One measurement of bench_relay: a subscriber of `logs` on one path for a fixed time, and
// the figures it yields. main.cpp repeats it per path, rate and batch mode and prints medians.

#include <QByteArray>
#include <QString>
#include <QUrl>

namespace opsdeck::bench {

class ChildServer;

// OpsdeckUnbatchedLink: the Opsdeck relay with UpstreamConfig::logBatch = false.
enum class Path { Direct, Opsdeck, OpsdeckUnbatchedLink, Node };
QString pathName(Path path);

struct RunSettings
{
    qint64 rate = 0;        // entries/s the source hub publishes
    bool batch = true;      // the measuring client's `batch` subscribe option
    int warmupMs = 1500;
    int measureMs = 5000;
    QString nodeProgram;    // node, for Path::Node
    QString nodeRelayScript; // bench/node-peer/relay.js
    QString secretFile;     // the source hub's --secret-file (the Node relay reads it too)
    QByteArray secret;      // its contents
    QString tracePath;      // non-empty: write one line per received frame here (see --trace)
};

struct RunResult
{
    bool ok = false;
    QString error;
    double deliveredPerS = 0;
    double p50Ms = 0;
    double p99Ms = 0;
    double maxMs = 0;
    qint64 entries = 0;
    qint64 lost = 0;
    qint64 lostUnannounced = 0;
    qint64 duplicates = 0;
    qint64 gaps = 0;
    qint64 errors = 0;
    qint64 scanMismatches = 0;
    double sourceCpuPercent = 0; // the source opsdeck-hub process
    double relayCpuPercent = 0;  // the Opsdeck relay's thread, or the Node relay process
    double clientCpuPercent = 0; // the measuring client (this process's main thread)
    qint64 relayRssKiB = -1;     // the Node relay process at the end of the window
    qint64 benchRssKiB = -1;     // this process (client + Opsdeck relay) at the end of the window
    QString relayState;          // the Opsdeck relay's link state after the window
};

// Measures `path` against the running source hub.
RunResult runPath(Path path, const ChildServer &source, const RunSettings &settings);

} // namespace opsdeck::bench
