// bench_fanout: one server fanning a log stream out to N subscriber connections.
//
// For each N (default 1, 10, 100, 1000) and each server (opsdeck-hub with --bench-logs, and the
// minimal Node.js peer on npm's `ws` in bench/node-peer), the driver starts a fresh server,
// opens N QWebSocket connections from this process, subscribes each to `logs` with history 0
// and measures for a fixed time:
//   delivered_per_s   log entries received per second, summed over all connections
//   p50_ms / p99_ms   receipt time minus the entry's publish time (both CLOCK_MONOTONIC, which
//                     is what std::chrono::steady_clock and Node's process.hrtime use on Linux)
//   rss_per_conn_kib  (server VmRSS with N connections - VmRSS before connecting) / N
//   cpu_percent       server CPU time during the measurement / wall time (100 = one core)
// One figure per line; `fanout.ratio.*` lines are hub/peer from the same run.
//
// Both servers run at the same publish rate for a given N (see rateFor()), with the same entry
// shape and the same batching (100 entries / 100 ms), so the only variable is the server.

#include "childserver.h"
#include "procstats.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <sys/resource.h>
#include <unistd.h>
#include <vector>

namespace {

using namespace opsdeck::bench;

struct ServerSpec
{
    QString name; // "hub" or "peer"
    QString program;
    QStringList args; // everything except the rate
    QStringList rateArgs; // e.g. {"--bench-logs"} — the rate is appended
    // Extra arguments that depend on the rate (the hub's retention, see main()).
    std::function<QStringList(qint64)> rateDependentArgs;
    QString workDir;
};

// The server's arguments for one run: the spec's plus the rate (and what depends on it).
QStringList serverArgs(const ServerSpec &spec, qint64 rate)
{
    QStringList args = spec.args + spec.rateArgs + QStringList{QString::number(rate)};
    if (spec.rateDependentArgs)
        args += spec.rateDependentArgs(rate);
    return args;
}

struct Stats
{
    bool measuring = false;
    qint64 entries = 0;
    qint64 bytes = 0; // UTF-16 code units of entry-carrying frames; all ASCII here, so bytes
    qint64 frames = 0;
    qint64 gaps = 0;
    qint64 errors = 0;
    qint64 disconnects = 0;
    std::vector<qint64> latencyNs;
};

// Counts entries in one frame and records their latency. A full JSON parse of every frame
// would make the driver, not the server, the bottleneck at high N; every entry's message
// starts with `"bench <publish_ns>`, and nothing else in a frame contains `"bench ` (the
// source field is `"bench"`, followed by a quote, not a space).
void scanFrame(QStringView frame, qint64 receivedNs, Stats &stats)
{
    static constexpr QLatin1StringView needle("\"bench ");
    qsizetype pos = frame.indexOf(needle);
    if (pos < 0) {
        // Control traffic: responses, errors, gap markers. Rare, so parse properly.
        const QJsonObject obj = QJsonDocument::fromJson(frame.toUtf8()).object();
        const QString type = obj.value(QLatin1StringView("type")).toString();
        if (type == QLatin1StringView("gap"))
            ++stats.gaps;
        else if (type == QLatin1StringView("error"))
            ++stats.errors;
        return;
    }
    qint64 count = 0;
    while (pos >= 0) {
        qsizetype i = pos + needle.size();
        qint64 publishNs = 0;
        while (i < frame.size() && frame[i].isDigit()) {
            publishNs = publishNs * 10 + (frame[i].unicode() - '0');
            ++i;
        }
        ++count;
        if (stats.measuring)
            stats.latencyNs.push_back(receivedNs - publishNs);
        pos = frame.indexOf(needle, i);
    }
    if (stats.measuring) {
        stats.entries += count;
        stats.bytes += frame.size();
        ++stats.frames;
    }
}

void probeConnection(const QUrl &url)
{
    QWebSocket ws;
    bool answered = false;
    QObject::connect(&ws, &QWebSocket::connected, &ws, [&ws] {
        ws.sendTextMessage(QStringLiteral(R"({"type":"subscribe","id":"p1","topic":"logs","history":0})"));
    });
    QObject::connect(&ws, &QWebSocket::textMessageReceived, &ws, [&answered](const QString &msg) {
        if (msg.contains(QLatin1StringView("\"response\"")))
            answered = true;
    });
    ws.open(url);
    waitUntil([&] { return answered; }, 5000);
    ws.close();
    waitUntil([&] { return ws.state() == QAbstractSocket::UnconnectedState; }, 2000);
}

struct Result
{
    bool ok = false;
    QString error;
    qint64 rate = 0;
    int connected = 0;
    double deliveredPerS = 0;
    double p50Ms = 0;
    double p99Ms = 0;
    double rssPerConnKiB = 0;
    double cpuPercent = 0;
    double driverCpuPercent = 0;
    double bytesPerEntry = 0;
    qint64 gaps = 0;
    qint64 errors = 0;
    qint64 disconnects = 0;
};

double percentileMs(std::vector<qint64> &v, double p)
{
    if (v.empty())
        return 0;
    const auto k = std::min(v.size() - 1, size_t(p * double(v.size())));
    std::nth_element(v.begin(), v.begin() + qsizetype(k), v.end());
    return double(v[k]) / 1e6;
}

struct Options
{
    int settleMs = 3000;
    int warmupMs = 1500;
    int measureMs = 6000;
    int maxInFlight = 64;
};

Result runOne(const ServerSpec &spec, int n, qint64 rate, const Options &opt)
{
    Result r;
    r.rate = rate;
    ChildServer server(QStringLiteral("fanout-") + spec.name, spec.program, serverArgs(spec, rate), spec.workDir);
    if (!server.start()) {
        r.error = server.errorString();
        return r;
    }
    // One connection opened and closed before the baseline: the first connection pays one-time
    // costs (handshake machinery, lazily built tables) that are no connection's own memory.
    probeConnection(server.url());
    // Let the server finish start-up allocations and fill its log ring (see main()) so the
    // baseline is its steady footprint and the difference is the connections' cost.
    // The baseline is the mean over the last second of the settle time, and the loaded figure
    // the mean over the measurement: a garbage-collected peer's RSS is a sawtooth, and a single
    // sample on either side would measure where its GC happened to be.
    const int sampleFromMs = std::max(0, opt.settleMs - 1000);
    sleepMs(sampleFromMs);
    const qint64 rssBefore = meanRssKiB(server.pid(), opt.settleMs - sampleFromMs);

    Stats stats;
    stats.latencyNs.reserve(size_t(std::min<qint64>(rate * n * (opt.measureMs / 1000 + 1), 20'000'000)));
    int opened = 0;
    int inFlight = 0;
    int subscribed = 0;
    int failed = 0;
    QWebSocketHandshakeOptions handshake;
    handshake.setSubprotocols({QStringLiteral("opsdeck.v1.json")});
    const QByteArray subscribeMsg = R"({"type":"subscribe","id":"r1","topic":"logs","history":0})";
    // Declared after everything its slots capture, and emptied by `closeAll` on every exit with
    // the slots disconnected first: a socket torn down later must not call into dead locals.
    std::vector<std::unique_ptr<QWebSocket>> sockets;
    sockets.reserve(size_t(n));
    struct CloseAll
    {
        std::vector<std::unique_ptr<QWebSocket>> &sockets;
        ~CloseAll()
        {
            for (auto &ws : sockets) {
                QObject::disconnect(ws.get(), nullptr, nullptr, nullptr);
                ws->abort();
            }
            sockets.clear();
        }
    } closeAll {sockets};

    // Opens connections with a bounded number of handshakes in flight: a burst of 1000 SYNs
    // overflows the listen backlog and turns into 1 s retransmits that measure nothing useful.
    auto openMore = [&] {
        while (opened < n && inFlight < opt.maxInFlight) {
            auto ws = std::make_unique<QWebSocket>();
            QWebSocket *raw = ws.get();
            ++opened;
            ++inFlight;
            // 0 connecting, 1 waiting for the subscribe response, 2 subscribed, 3 failed or gone
            auto state = std::make_shared<int>(0);
            QObject::connect(raw, &QWebSocket::connected, raw, [raw, state, &subscribeMsg] {
                *state = 1;
                raw->sendTextMessage(QString::fromLatin1(subscribeMsg));
            });
            QObject::connect(raw, &QWebSocket::textMessageReceived, raw,
                [state, &stats, &inFlight, &subscribed, &failed](const QString &msg) {
                    const qint64 t = steadyNowNs();
                    if (*state == 1) {
                        const QJsonObject obj = QJsonDocument::fromJson(msg.toUtf8()).object();
                        const QString type = obj.value(QLatin1StringView("type")).toString();
                        if (type == QLatin1StringView("response")) {
                            *state = 2;
                            --inFlight;
                            if (obj.value(QLatin1StringView("ok")).toBool())
                                ++subscribed;
                            else
                                ++failed;
                        } else if (type == QLatin1StringView("error")) {
                            *state = 3;
                            --inFlight;
                            ++failed;
                        }
                        return;
                    }
                    if (*state == 2)
                        scanFrame(msg, t, stats);
                });
            QObject::connect(raw, &QWebSocket::disconnected, raw, [state, &stats, &inFlight, &failed] {
                if (*state == 3)
                    return; // already counted as failed
                if (*state < 2) {
                    --inFlight;
                    ++failed;
                } else {
                    ++stats.disconnects;
                }
                *state = 3;
            });
            raw->open(QNetworkRequest(server.url()), handshake);
            sockets.push_back(std::move(ws));
        }
    };
    const bool allUp = waitUntil(
        [&] {
            openMore();
            return subscribed + failed == n || !server.running();
        },
        60000);
    r.connected = subscribed;
    if (!allUp || subscribed == 0 || !server.running()) {
        r.error = QStringLiteral("only %1 of %2 connections subscribed (%3 failed)%4")
                      .arg(subscribed)
                      .arg(n)
                      .arg(failed)
                      .arg(server.running() ? QString() : QStringLiteral("; server exited"));
        return r;
    }

    sleepMs(opt.warmupMs);
    const double cpuStart = processCpuSeconds(server.pid());
    const double selfStart = selfCpuSeconds();
    const qint64 t0 = steadyNowNs();
    stats.measuring = true;
    const qint64 rssAfter = meanRssKiB(server.pid(), opt.measureMs);
    stats.measuring = false;
    const qint64 t1 = steadyNowNs();
    const double wall = double(t1 - t0) / 1e9;
    r.cpuPercent = 100.0 * (processCpuSeconds(server.pid()) - cpuStart) / wall;
    r.driverCpuPercent = 100.0 * (selfCpuSeconds() - selfStart) / wall;

    if (stats.entries == 0) {
        // Figures of zero would read as "infinitely slow"; say what is wrong instead.
        r.error = QStringLiteral("%1 connections subscribed but no entries arrived in %2 ms (does the server "
                                 "publish with its rate flag?)")
                      .arg(subscribed)
                      .arg(opt.measureMs);
        return r;
    }
    r.deliveredPerS = double(stats.entries) / wall;
    r.p50Ms = percentileMs(stats.latencyNs, 0.50);
    r.p99Ms = percentileMs(stats.latencyNs, 0.99);
    r.rssPerConnKiB = rssBefore > 0 && rssAfter > 0 ? double(rssAfter - rssBefore) / double(n) : 0;
    r.bytesPerEntry = stats.entries ? double(stats.bytes) / double(stats.entries) : 0;
    r.gaps = stats.gaps;
    r.errors = stats.errors;
    r.disconnects = stats.disconnects;
    r.ok = true;

    return r; // closeAll drops the connections, then ~ChildServer stops the server
}

// One figure per line, flushed at once so a pipe (tee, CI log) sees progress during the run.
template<typename... Args> void print(const char *fmt, Args... args)
{
    if constexpr (sizeof...(Args) == 0)
        std::fputs(fmt, stdout);
    else
        std::printf(fmt, args...);
    std::fflush(stdout);
}

void printResult(const QString &side, int n, const Result &r)
{
    const QByteArray p = QStringLiteral("fanout.%1.n%2.").arg(side).arg(n).toLatin1();
    if (!r.ok) {
        print("# %sskipped: %s\n", p.constData(), qPrintable(r.error));
        return;
    }
    print("%soffered_per_s %lld\n", p.constData(), static_cast<long long>(r.rate) * n);
    print("%sconnected %d\n", p.constData(), r.connected);
    print("%sdelivered_per_s %.0f\n", p.constData(), r.deliveredPerS);
    print("%sp50_ms %.2f\n", p.constData(), r.p50Ms);
    print("%sp99_ms %.2f\n", p.constData(), r.p99Ms);
    print("%srss_per_conn_kib %.1f\n", p.constData(), r.rssPerConnKiB);
    print("%scpu_percent %.0f\n", p.constData(), r.cpuPercent);
    print("%sdriver_cpu_percent %.0f\n", p.constData(), r.driverCpuPercent);
    print("%sbytes_per_entry %.0f\n", p.constData(), r.bytesPerEntry);
    print("%sgaps %lld\n", p.constData(), static_cast<long long>(r.gaps));
    print("%sdisconnects %lld\n", p.constData(), static_cast<long long>(r.disconnects));
}

void printRatio(int n, const char *name, double ours, double peer)
{
    if (peer > 0)
        print("fanout.ratio.n%d.%s %.2f\n", n, name, ours / peer);
}

// Each connection's share of the publish rate: the total offered load (rate x N) is capped so
// that N=1000 does not ask for millions of entries per second from a 2-core machine, and the
// per-connection rate is capped so that small N still exercises full 100-entry batches.
qint64 rateFor(int n, qint64 totalRate, qint64 maxRate)
{
    return std::max<qint64>(1, std::min<qint64>(maxRate, totalRate / n));
}

void raiseFdLimit()
{
    // 1000 connections need more than the common 1024 soft limit, here and in the servers
    // (children inherit it).
    rlimit rl {};
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = std::min<rlim_t>(rl.rlim_max, 65536);
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Fan-out benchmark: opsdeck-hub vs a Node.js ws peer"));
    parser.addHelpOption();
    const QCommandLineOption connsOpt(QStringLiteral("conns"), QStringLiteral("Connection counts."),
        QStringLiteral("list"), QStringLiteral("1,10,100,1000"));
    const QCommandLineOption totalOpt(QStringLiteral("total-rate"),
        QStringLiteral("Cap on offered entries/s summed over connections."), QStringLiteral("n"),
        QStringLiteral("500000"));
    const QCommandLineOption maxOpt(QStringLiteral("max-rate"),
        QStringLiteral("Cap on the publish rate (entries/s)."), QStringLiteral("n"), QStringLiteral("20000"));
    const QCommandLineOption measureOpt(QStringLiteral("measure-ms"),
        QStringLiteral("Measurement time per run."), QStringLiteral("ms"), QStringLiteral("6000"));
    const QCommandLineOption settleOpt(QStringLiteral("settle-ms"),
        QStringLiteral("Time between server start and the RSS baseline."), QStringLiteral("ms"),
        QStringLiteral("3000"));
    const QCommandLineOption warmupOpt(QStringLiteral("warmup-ms"), QStringLiteral("Warm-up time per run."),
        QStringLiteral("ms"), QStringLiteral("1500"));
    const QCommandLineOption hubOpt(
        QStringLiteral("hub"), QStringLiteral("opsdeck-hub binary."), QStringLiteral("path"),
#ifdef OPSDECK_HUB_BINARY
        QStringLiteral(OPSDECK_HUB_BINARY)
#else
        QString()
#endif
    );
    const QCommandLineOption peerOpt(QStringLiteral("peer-dir"),
        QStringLiteral("Directory of the Node peer."), QStringLiteral("dir"),
        QStringLiteral(OPSDECK_NODE_PEER_DIR));
    const QCommandLineOption onlyOpt(
        QStringLiteral("only"), QStringLiteral("Run only 'hub' or 'peer'."), QStringLiteral("side"));
    parser.addOptions(
        {connsOpt, totalOpt, maxOpt, measureOpt, settleOpt, warmupOpt, hubOpt, peerOpt, onlyOpt});
    parser.process(app);

    raiseFdLimit();
    Options opt;
    opt.measureMs = parser.value(measureOpt).toInt();
    opt.warmupMs = parser.value(warmupOpt).toInt();
    opt.settleMs = parser.value(settleOpt).toInt();
    const qint64 totalRate = parser.value(totalOpt).toLongLong();
    const qint64 maxRate = parser.value(maxOpt).toLongLong();
    std::vector<int> conns;
    for (const QString &s : parser.value(connsOpt).split(QLatin1Char(','), Qt::SkipEmptyParts))
        conns.push_back(s.toInt());
    const QString only = parser.value(onlyOpt);

    std::optional<ServerSpec> hub;
    const QString hubPath = parser.value(hubOpt);
    if (only != QLatin1StringView("peer")) {
        if (!hubPath.isEmpty() && QFileInfo(hubPath).isExecutable()) {
            hub = ServerSpec {QStringLiteral("hub"), hubPath,
                {QStringLiteral("--mode"), QStringLiteral("demo"), QStringLiteral("--listen"),
                    QStringLiteral("127.0.0.1:0"), QStringLiteral("--max-connections"),
                    QStringLiteral("2000"), QStringLiteral("--max-connections-per-ip"),
                    QStringLiteral("2000"), QStringLiteral("--rate-limit"), QStringLiteral("100000/1m"),
                    // Per-connection info lines for 1000 connects are noise here.
                    QStringLiteral("--log-level"), QStringLiteral("warning")},
                {QStringLiteral("--bench-logs")},
                // The hub keeps a log ring (100,000 entries by default) that grows
                // while it fills; at 200 entries/s that takes minutes and would be
                // billed to the connections. Two seconds of entries fill during the
                // settle time (the RSS baseline is sampled in its last second), and a
                // subscriber lagging that far gets a counted gap.
                [](qint64 rate) {
                    return QStringList {QStringLiteral("--retention-logs"),
                        QString::number(std::max<qint64>(1000, 2 * rate))};
                },
                {}};
        } else {
            print("# fanout.hub skipped: no opsdeck-hub binary (%s)\n", qPrintable(hubPath));
        }
    }
    std::optional<ServerSpec> peer;
    const QString peerDir = parser.value(peerOpt);
    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    if (only != QLatin1StringView("hub")) {
        if (node.isEmpty())
            print("# fanout.peer skipped: node not found in PATH\n");
        else if (!QFileInfo::exists(peerDir + QStringLiteral("/node_modules/ws")))
            print("# fanout.peer skipped: run `npm ci` in %s (bench/run-fanout.sh does)\n",
                qPrintable(peerDir));
        else
            peer = ServerSpec {QStringLiteral("peer"), node, {peerDir + QStringLiteral("/server.js")},
                {QStringLiteral("--rate")}, {}, peerDir};
    }

    print("# fanout: conns=%s measure_ms=%d warmup_ms=%d total_rate=%lld max_rate=%lld cpus=%d loadavg %s\n",
        qPrintable(parser.value(connsOpt)), opt.measureMs, opt.warmupMs, static_cast<long long>(totalRate),
        static_cast<long long>(maxRate), int(sysconf(_SC_NPROCESSORS_ONLN)), loadAverage().constData());
    int failures = 0;
    for (const int n : conns) {
        if (n <= 0)
            continue;
        const qint64 rate = rateFor(n, totalRate, maxRate);
        Result ours;
        Result theirs;
        print("# n=%d rate=%lld/s per server; loadavg %s\n", n, static_cast<long long>(rate),
            loadAverage().constData());
        if (hub) {
            ours = runOne(*hub, n, rate, opt);
            printResult(QStringLiteral("hub"), n, ours);
            failures += ours.ok ? 0 : 1;
        }
        if (peer) {
            theirs = runOne(*peer, n, rate, opt);
            printResult(QStringLiteral("peer"), n, theirs);
            failures += theirs.ok ? 0 : 1;
        }
        if (ours.ok && theirs.ok) {
            printRatio(n, "delivered", ours.deliveredPerS, theirs.deliveredPerS);
            printRatio(n, "p50", ours.p50Ms, theirs.p50Ms);
            printRatio(n, "p99", ours.p99Ms, theirs.p99Ms);
            printRatio(n, "rss_per_conn", ours.rssPerConnKiB, theirs.rssPerConnKiB);
            printRatio(n, "cpu", ours.cpuPercent, theirs.cpuPercent);
        }
    }
    // A benchmark reports; it only fails when a run could not be measured at all.
    return failures ? 1 : 0;
}
