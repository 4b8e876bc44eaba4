#include "hubcli.h"

#include "authconfig.h"

#include <QFile>
#include <QFileDevice>
#include <QFileInfo>
#include <QHash>
#include <QStandardPaths>

namespace opsdeck::hub {

namespace {
struct IntFlag
{
    QLatin1StringView name;
    int min;
    int max;
    int HubConfig::*field;
};

const IntFlag kIntFlags[] = {
    {QLatin1StringView("--max-connections"), 1, 1000000, &HubConfig::maxConnections},
    {QLatin1StringView("--max-connections-per-ip"), 1, 1000000, &HubConfig::maxConnectionsPerIp},
    {QLatin1StringView("--batch-max"), 1, 10000, &HubConfig::batchMaxEntries},
    {QLatin1StringView("--batch-interval-ms"), 1, 60000, &HubConfig::batchIntervalMs},
    {QLatin1StringView("--ping-interval-ms"), 50, 3600000, &HubConfig::pingIntervalMs},
    {QLatin1StringView("--ping-timeout-ms"), 100, 3600000, &HubConfig::pingTimeoutMs},
    {QLatin1StringView("--handshake-timeout-ms"), 100, 600000, &HubConfig::handshakeTimeoutMs},
};

std::optional<qint64> toInt(const QString &text, qint64 min, qint64 max)
{
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    if (!ok || value < min || value > max)
        return std::nullopt;
    return value;
}

// ADDRESS:PORT (IPv6 in brackets); nullopt when either part is not valid.
std::optional<QPair<QHostAddress, quint16>> parseAddressPort(const QString &text)
{
    const qsizetype colon = text.lastIndexOf(u':');
    const auto port = colon > 0 ? toInt(text.mid(colon + 1), 0, 65535) : std::nullopt;
    QHostAddress address;
    if (!port || !address.setAddress(text.left(colon).remove(u'[').remove(u']')))
        return std::nullopt;
    return qMakePair(address, quint16(*port));
}

std::optional<QByteArray> readSecret(const QString &path, QString &error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        error = QStringLiteral("cannot read --secret-file %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    const QByteArray secret = file.read(4096).trimmed();
    if (secret.size() < 16) {
        error = QStringLiteral("--secret-file %1 holds no secret of at least 16 characters").arg(path);
        return std::nullopt;
    }
    return secret;
}
// "7d", "12h", "30m", "90s" or plain seconds; 0 means no limit. Milliseconds, nullopt when invalid.
std::optional<qint64> parseAge(const QString &text)
{
    static const QHash<QChar, qint64> units{{u's', 1000}, {u'm', 60000}, {u'h', 3600000}, {u'd', 86400000}};
    const QChar unit = text.isEmpty() ? QChar() : text.back();
    const qint64 scale = units.value(unit, 0);
    const auto number = toInt(scale > 0 ? text.chopped(1) : text, 0, 100LL * 365 * 86400);
    if (!number)
        return std::nullopt;
    return *number * (scale > 0 ? scale : 1000);
}
// TLS and --insecure-loopback against --mode and --listen (docs/operations.md §5).
QString exposureProblem(const HubCliOptions &options)
{
    const HubConfig &config = options.config;
    if (config.tlsCertificateFile.isEmpty() != config.tlsKeyFile.isEmpty())
        return QStringLiteral("--tls-cert and --tls-key go together: give both (PEM certificate and its private key)");
    if (options.insecureLoopback && !config.address.isLoopback())
        return QStringLiteral("--insecure-loopback needs a loopback --listen address (127.0.0.1 or ::1), not %1; "
                              "anywhere else use --tls-cert and --tls-key")
            .arg(config.address.toString());
    if (config.mode == protocol::Mode::Prod && config.tlsCertificateFile.isEmpty() && !options.insecureLoopback)
        return QStringLiteral("--mode prod needs --tls-cert FILE and --tls-key FILE (wss://), so tokens never cross "
                              "a network in clear text; for a test on this machine only, add --insecure-loopback "
                              "with a loopback --listen");
    return {};
}
} // namespace

HubCliResult parseHubArguments(const QStringList &arguments)
{
    HubCliOptions options;
    HubConfig &config = options.config;
    config.port = 8765;
    auto fail = [](const QString &message) { return HubCliResult{std::nullopt, message}; };
    std::optional<QString> historyDb; // --history-db; "off" = memory only
    std::optional<bool> fleet;        // --fleet; unset: the mode's default
    QString &dataDir = options.dataDir;

    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString &arg = arguments.at(i);
        auto value = [&]() -> std::optional<QString> {
            if (i + 1 >= arguments.size())
                return std::nullopt;
            return arguments.at(++i);
        };
        if (arg == QLatin1StringView("--help") || arg == QLatin1StringView("-h")) {
            options.showHelp = true;
            continue;
        }
        if (arg == QLatin1StringView("--version")) {
            options.showVersion = true;
            continue;
        }
        if (arg == QLatin1StringView("--log-from-start") || arg == QLatin1StringView("--self-log")) {
            (arg == QLatin1StringView("--self-log") ? options.selfLog : options.logFromStart) = true;
            continue;
        }
        if (arg == QLatin1StringView("--insecure-loopback")) {
            options.insecureLoopback = true;
            continue;
        }
        if (arg == QLatin1StringView("--terminals")) {
            config.terminalsEnabled = true;
            continue;
        }
        if (arg == QLatin1StringView("--host-metrics") || arg == QLatin1StringView("--no-host-metrics")) {
            options.hostMetrics = arg == QLatin1StringView("--host-metrics");
            continue;
        }
        const std::optional<QString> v = value();
        if (!v)
            return fail(QStringLiteral("%1 needs a value (or is unknown); see --help").arg(arg));
        if (arg == QLatin1StringView("--mode")) {
            const auto mode = protocol::modeFromName(*v);
            if (!mode)
                return fail(QStringLiteral("--mode must be demo, dev or prod, not '%1'").arg(*v));
            config.mode = *mode;
        } else if (arg == QLatin1StringView("--listen")) {
            const qsizetype colon = v->lastIndexOf(u':');
            const auto port = colon > 0 ? toInt(v->mid(colon + 1), 0, 65535) : std::nullopt;
            QHostAddress address;
            if (!port || !address.setAddress(v->left(colon).remove(u'[').remove(u']')))
                return fail(QStringLiteral("--listen takes ADDRESS:PORT, e.g. 127.0.0.1:0, not '%1'").arg(*v));
            config.address = address;
            config.port = quint16(*port);
        } else if (arg == QLatin1StringView("--http-listen")) {
            options.httpListen = parseAddressPort(*v);
            if (!options.httpListen)
                return fail(QStringLiteral("--http-listen takes ADDRESS:PORT, e.g. 127.0.0.1:9765, not '%1'").arg(*v));
        } else if (arg == QLatin1StringView("--auth-listen")) {
            options.authListen = parseAddressPort(*v);
            if (!options.authListen)
                return fail(QStringLiteral("--auth-listen takes ADDRESS:PORT, e.g. 127.0.0.1:8766, not '%1'").arg(*v));
        } else if (arg == QLatin1StringView("--issuer")) {
            if (v->trimmed().isEmpty())
                return fail(QStringLiteral("--issuer takes a name, e.g. opsdeck-prod-eu"));
            options.issuer = v->trimmed();
        } else if (arg == QLatin1StringView("--access-ttl") || arg == QLatin1StringView("--refresh-ttl")) {
            const auto ttl = auth::parseDuration(*v);
            if (!ttl || ttl->count() < 60)
                return fail(QStringLiteral("%1 takes a duration of at least a minute (90s, 15m, 1h, 30d), not '%2'")
                                .arg(arg, *v));
            (arg == QLatin1StringView("--access-ttl") ? options.accessTtlSeconds : options.refreshTtlSeconds)
                = qint64(ttl->count());
        } else if (arg == QLatin1StringView("--host-metrics-interval-ms")) {
            const auto ms = toInt(*v, 100, 3600000);
            if (!ms)
                return fail(QStringLiteral("--host-metrics-interval-ms takes milliseconds from 100 to 3600000"));
            options.hostMetricsIntervalMs = int(*ms);
        } else if (arg == QLatin1StringView("--host-metrics-mount")) {
            if (!QFileInfo(*v).isAbsolute())
                return fail(QStringLiteral("--host-metrics-mount takes an absolute path, not '%1'").arg(*v));
            options.hostMetricsMounts.append(*v);
        } else if (arg == QLatin1StringView("--secret-file")) {
            QString error;
            const auto secret = readSecret(*v, error);
            if (!secret)
                return fail(error);
            config.secret = *secret;
        } else if (arg == QLatin1StringView("--tls-cert") || arg == QLatin1StringView("--tls-key")) {
            if (v->isEmpty())
                return fail(QStringLiteral("%1 takes the path of a PEM file").arg(arg));
            (arg == QLatin1StringView("--tls-cert") ? config.tlsCertificateFile : config.tlsKeyFile) = *v;
        } else if (arg == QLatin1StringView("--sessions")) {
            static const QHash<QString, HubConfig::SessionPolicy> policies{
                {QStringLiteral("replace"), HubConfig::SessionPolicy::Replace},
                {QStringLiteral("reject"), HubConfig::SessionPolicy::Reject},
                {QStringLiteral("multiple"), HubConfig::SessionPolicy::Multiple}};
            if (!policies.contains(*v))
                return fail(QStringLiteral("--sessions must be replace, reject or multiple, not '%1'").arg(*v));
            config.sessionPolicy = policies.value(*v);
        } else if (arg == QLatin1StringView("--terminal-shell")) {
            if (!QFileInfo(*v).isAbsolute() || !QFileInfo(*v).isExecutable())
                return fail(QStringLiteral("--terminal-shell takes the absolute path of an executable, not '%1'").arg(*v));
            config.terminalShell = *v;
        } else if (arg == QLatin1StringView("--terminal-grace-s")) {
            const auto seconds = toInt(*v, 0, 24 * 3600);
            if (!seconds)
                return fail(QStringLiteral("--terminal-grace-s takes seconds from 0 to 86400"));
            config.terminalGraceMs = int(*seconds * 1000);
        } else if (arg == QLatin1StringView("--history-db")) {
            if (v->isEmpty())
                return fail(QStringLiteral("--history-db takes a file path, or off"));
            historyDb = *v;
        } else if (arg == QLatin1StringView("--data-dir")) {
            if (v->isEmpty())
                return fail(QStringLiteral("--data-dir takes a directory"));
            dataDir = *v;
        } else if (arg == QLatin1StringView("--history-max-entries")) {
            const auto entries = toInt(*v, 1, 1000000000);
            if (!entries)
                return fail(QStringLiteral("--history-max-entries takes a number of entries per topic (1-1000000000)"));
            config.historyMaxEntries = *entries;
        } else if (arg == QLatin1StringView("--history-max-age")) {
            const auto age = parseAge(*v);
            if (!age)
                return fail(QStringLiteral("--history-max-age takes a duration like 7d, 12h, 30m or 90s (0: no limit)"));
            config.historyMaxAgeMs = *age;
        } else if (arg == QLatin1StringView("--log-file")) {
            if (v->isEmpty() || v->startsWith(u'='))
                return fail(QStringLiteral("--log-file takes PATH or PATH=NAME, not '%1'").arg(*v));
            options.logFiles.append(*v);
        } else if (arg == QLatin1StringView("--allow-origin")) {
            config.allowedOrigins.append(*v);
        } else if (arg == QLatin1StringView("--seed")) {
            const auto seed = toInt(*v, 0, 0xffffffffLL);
            if (!seed)
                return fail(QStringLiteral("--seed takes a number from 0 to 4294967295"));
            options.seed = quint32(*seed);
            options.seedGiven = true;
        } else if (arg == QLatin1StringView("--fleet")) {
            if (*v != QLatin1StringView("demo") && *v != QLatin1StringView("none"))
                return fail(QStringLiteral("--fleet must be demo or none"));
            fleet = *v == QLatin1StringView("demo");
        } else if (arg == QLatin1StringView("--bench-logs")) {
            const auto rate = toInt(*v, 1, 10000000);
            if (!rate)
                return fail(QStringLiteral("--bench-logs takes entries per second (1-10000000)"));
            options.benchLogsRate = int(*rate);
            fleet = false;
        } else if (arg == QLatin1StringView("--log-format")) {
            if (*v != QLatin1StringView("text") && *v != QLatin1StringView("json"))
                return fail(QStringLiteral("--log-format must be text or json"));
            options.jsonLogs = *v == QLatin1StringView("json");
        } else if (arg == QLatin1StringView("--log-level")) {
            if (!loggingRulesFor(*v))
                return fail(QStringLiteral("--log-level must be trace, debug, info, warning or error"));
            options.logLevel = *v;
        } else if (arg == QLatin1StringView("--rate-limit")) {
            const auto rate = protocol::parseRateLimit(*v);
            if (!rate)
                return fail(QStringLiteral("--rate-limit takes COUNT/WINDOW, e.g. 600/1m"));
            config.rateLimit = rate->first;
            config.rateWindowSeconds = rate->second;
        } else if (arg == QLatin1StringView("--backlog-high-bytes")) {
            const auto bytes = toInt(*v, 4096, qint64(1) << 32);
            if (!bytes)
                return fail(QStringLiteral("--backlog-high-bytes takes a byte count of at least 4096"));
            config.backlogHighBytes = *bytes;
            config.backlogLowBytes = *bytes / 4;
        } else if (arg == QLatin1StringView("--retention-logs") || arg == QLatin1StringView("--retention-metrics")
                   || arg == QLatin1StringView("--retention-other")) {
            const auto size = toInt(*v, 1, 100000000);
            if (!size)
                return fail(QStringLiteral("%1 takes a number of entries").arg(arg));
            (arg.endsWith(QLatin1StringView("logs"))      ? config.retention.logs
             : arg.endsWith(QLatin1StringView("metrics")) ? config.retention.metrics
                                                          : config.retention.other) = *size;
        } else {
            bool known = false;
            for (const IntFlag &flag : kIntFlags) {
                if (arg != flag.name)
                    continue;
                const auto number = toInt(*v, flag.min, flag.max);
                if (!number)
                    return fail(QStringLiteral("%1 takes a number from %2 to %3").arg(arg).arg(flag.min).arg(flag.max));
                config.*flag.field = int(*number);
                known = true;
            }
            if (!known)
                return fail(QStringLiteral("unknown option %1; see --help").arg(arg));
        }
    }
    // History store: dev and prod keep one in the data directory unless told "off"; demo only
    // when asked for, so a demo hub stays as disposable as its simulated fleet.
    if (dataDir.isEmpty())
        dataDir = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QStringLiteral("/opsdeck-hub");
    if (historyDb && *historyDb != QLatin1StringView("off"))
        config.historyDb = *historyDb;
    else if (!historyDb && config.mode != protocol::Mode::Demo)
        config.historyDb = dataDir + QStringLiteral("/history.sqlite");
    // The simulated fleet is the demo; behind dev/prod authentication only when asked for.
    options.fleet = fleet.value_or(config.mode == protocol::Mode::Demo);
    if (const QString problem = exposureProblem(options); !problem.isEmpty())
        return fail(problem);
    if (config.pingTimeoutMs <= config.pingIntervalMs)
        return fail(QStringLiteral("--ping-timeout-ms must be longer than --ping-interval-ms"));
    return HubCliResult{options, {}};
}

bool hostMetricsEnabled(const HubCliOptions &options)
{
    return options.hostMetrics.value_or(options.config.mode != protocol::Mode::Demo);
}

std::optional<QString> loggingRulesFor(const QString &level)
{
    if (level == QLatin1StringView("trace") || level == QLatin1StringView("debug"))
        return QStringLiteral("opsdeck.*.debug=true");
    if (level == QLatin1StringView("info"))
        return QStringLiteral("*.debug=false");
    if (level == QLatin1StringView("warning"))
        return QStringLiteral("*.debug=false\n*.info=false");
    if (level == QLatin1StringView("error"))
        return QStringLiteral("*.debug=false\n*.info=false\n*.warning=false");
    return std::nullopt;
}

QString hubUsage()
{
    return QStringLiteral(
        "Usage: opsdeck-hub [options]\n"
        "The Opsdeck hub: serves the opsdeck.v1 WebSocket protocol (docs/protocol.md).\n\n"
        "  --mode demo|dev|prod         endpoint and policy (default demo). dev (/api/v1/ws/dev) and prod\n"
        "                               (/api/v1/ws) admit operators with a bearer token only\n"
        "  --listen ADDR:PORT           where to listen (default 127.0.0.1:8765; port 0 = any free port)\n"
        "  --tls-cert FILE              PEM certificate (chain) for wss://; required in prod\n"
        "  --tls-key FILE               its PEM private key (unencrypted; keep it 0600)\n"
        "  --insecure-loopback          let prod run without TLS on a loopback --listen (tests only)\n"
        "  --sessions replace|reject|multiple\n"
        "                               a second connection of the same operator replaces the first\n"
        "                               (default; the first is closed 4409), is refused (4409), or both stay\n"
        "  --secret-file PATH           require 'Authorization: Bearer <secret>' from every client (demo);\n"
        "                               in dev/prod the secret is accepted beside operator tokens\n"
        "  --allow-origin ORIGIN        let a browser page from ORIGIN connect (repeatable; default none)\n"
        "  --fleet demo|none            serve the simulated fleet (default demo in demo mode, none in dev/prod)\n"
        "  --seed N                     make the simulated fleet reproducible\n"
        "  --bench-logs RATE            publish synthetic log entries per second instead of the fleet\n"
        "  --log-level LEVEL            trace, debug, info, warning or error (default info)\n"
        "  --log-format text|json       stderr as text lines (default) or one JSON object per line\n"
        "  --log-file PATH[=NAME]       follow a log file on this host like tail -F (rotation, truncation)\n"
        "                               and publish its lines to the logs topic as source NAME (default:\n"
        "                               the file's base name); repeatable\n"
        "  --log-from-start             read --log-file files that already exist from their start\n"
        "                               (default: only lines appended after the hub starts)\n"
        "  --self-log                   also publish the hub's own log to the logs topic (source opsdeck-hub)\n"
        "  --max-connections N          default 1000\n"
        "  --max-connections-per-ip N   default 200\n"
        "  --rate-limit COUNT/WINDOW    messages per connection, default 600/1m\n"
        "  --batch-max N                log batch size, default 100\n"
        "  --batch-interval-ms N        log batch interval, default 100\n"
        "  --ping-interval-ms N         default 30000\n"
        "  --ping-timeout-ms N          default 60000\n"
        "  --handshake-timeout-ms N     default 10000\n"
        "  --retention-logs N           retained log entries, default 100000\n"
        "  --retention-metrics N        retained metric points, default 50000\n"
        "  --retention-other N          retained entries of other topics, default 10000\n"
        "  --backlog-high-bytes N       unsent bytes per connection before pushing pauses, default 4194304\n"
        "  --terminals                  serve terminals (a shell on this host, docs/protocol.md section 11):\n"
        "                               with a loopback --listen and --secret-file, or in dev/prod to\n"
        "                               operators and admins over TLS or loopback\n"
        "  --terminal-shell PATH        the terminals' shell (default $SHELL, else /bin/sh)\n"
        "  --terminal-grace-s N         seconds a detached terminal keeps running, default 300\n"
        "  --host-metrics               publish this host's CPU, memory, network and disk on the metrics\n"
        "                               topic (default on in dev/prod, off in demo)\n"
        "  --no-host-metrics            do not\n"
        "  --host-metrics-interval-ms N default 1000\n"
        "  --host-metrics-mount PATH    report disk usage of PATH (repeatable; default /)\n"
        "  --auth-listen ADDR:PORT      dev/prod: operator sign-in (POST /api/v1/auth/login|refresh|logout),\n"
        "                               HTTPS with --tls-cert (default: the --listen address, port + 1)\n"
        "  --issuer NAME                dev/prod: the tokens' iss claim (default opsdeck-hub)\n"
        "  --access-ttl D, --refresh-ttl D  token lifetimes (default 15m and 30d)\n"
        "  --http-listen ADDR:PORT      serve GET /metrics (Prometheus) and /healthz over HTTP (default off;\n"
        "                               port 0 = any free port, printed on the second stdout line)\n"
        "  --history-db PATH|off        keep every topic entry in this SQLite file: a restarted hub continues\n"
        "                               its epochs and replays what clients missed (default: DATA_DIR/\n"
        "                               history.sqlite in dev/prod, none in demo; docs/operations.md)\n"
        "  --data-dir DIR               where dev/prod keep their state: history.sqlite, users and keys\n"
        "                               (default $XDG_DATA_HOME/opsdeck-hub)\n"
        "  --history-max-entries N      stored entries per topic, default 1000000\n"
        "  --history-max-age AGE        drop stored entries older than AGE (7d, 12h, 30m; 0 = never), default 7d\n"
        "  --version                    print the version\n"
        "  --help                       print this help\n\n"
        "The first line on stdout is 'listening on <url>'; then 'http listening on <url>' (--http-listen)\n"
        "and 'auth listening on <url>' (dev/prod). SIGINT/SIGTERM drain every client with 1001.\n"
        "Operators and tokens: opsdeck-hub user|token … (opsdeck-hub user --help).\n");
}

} // namespace opsdeck::hub
