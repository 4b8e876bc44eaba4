#pragma once

// Command line of opsdeck-hub: turns arguments into a HubConfig plus what main() needs.
// Kept out of main.cpp so the parsing is unit-tested.

#include "hubconfig.h"

#include <QPair>
#include <QStringList>

#include <optional>

namespace opsdeck::hub {

struct HubCliOptions
{
    HubConfig config;
    quint32 seed = 0;        // demo fleet seed; 0: random
    bool seedGiven = false;
    bool fleet = true;       // serve the simulated fleet (--fleet; default: demo mode only)
    // prod without TLS, allowed only on a loopback --listen (tests, a hub behind a local proxy).
    bool insecureLoopback = false;
    // Where dev/prod keep their state (history.sqlite; the auth store, hub/cli/hubauthsetup.h).
    QString dataDir;
    int benchLogsRate = 0;   // >0: publish synthetic bench logs at this rate instead of the fleet
    QString logLevel = QStringLiteral("info");
    bool jsonLogs = false; // --log-format json: one JSON object per line on stderr (jsonlog.h)
    // Log sources (hub/logsource): files to follow, "PATH" or "PATH=NAME" each; the hub's own log.
    QStringList logFiles;
    bool logFromStart = false;
    bool selfLog = false;
    // Host metrics (hub/sources): nullopt = the mode's default (on in dev/prod, off in demo).
    std::optional<bool> hostMetrics;
    int hostMetricsIntervalMs = 1000;
    QStringList hostMetricsMounts; // empty: "/"
    // Observability HTTP (hub/observability): /metrics and /healthz; port 0 = any free port.
    std::optional<QPair<QHostAddress, quint16>> httpListen;
    // Operator sign-in over HTTP(S) in dev/prod (hub/auth, docs/protocol.md §12): where it listens
    // (default: the WebSocket address, port + 1; any free port when --listen's port is 0), the
    // token issuer and lifetimes.
    std::optional<QPair<QHostAddress, quint16>> authListen;
    QString issuer = QStringLiteral("opsdeck-hub");
    qint64 accessTtlSeconds = 15 * 60;
    qint64 refreshTtlSeconds = 30 * 24 * 3600;
    bool showHelp = false;
    bool showVersion = false;
};

struct HubCliResult
{
    std::optional<HubCliOptions> options;
    QString error; // set when options is empty
};

// `arguments` excludes the program name.
HubCliResult parseHubArguments(const QStringList &arguments);
QString hubUsage();
// Whether the hub publishes its host's metrics: the flag if given, else on outside demo mode.
bool hostMetricsEnabled(const HubCliOptions &options);
// Logging filter rules for --log-level (trace|debug|info|warning|error).
std::optional<QString> loggingRulesFor(const QString &level);

} // namespace opsdeck::hub
