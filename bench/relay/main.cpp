// bench_relay: what the relay hop costs (docs/performance.md "Relay hop").
//
// A real `opsdeck-hub --mode demo --fleet none --bench-logs RATE --secret-file F` process is the
// source: every entry's message carries its steady-clock publish time (hub/demo/benchlogsource.h),
// so receive time − publish time is the end-to-end latency on one machine. The same subscriber
// (bench/relay/subscriber.h) reads `logs` over three paths, in the same run:
//   direct   straight from the source hub;
//   opsdeck  through the Opsdeck relay — a HubServer + relay::UpstreamLink on their own thread,
//            configured as the console's embedded hub (docs/protocol.md §15);
//   node     through bench/node-peer/relay.js, the smallest relay a Node developer would write
//            on npm `ws` (forwards every frame, rewriting only `sub`).
// Per rate (and batch mode) one fresh source hub; the paths are measured in turn, repeated
// (--repeat, default 3) in interleaved rounds so a change in machine load touches every path,
// and the median of each figure is printed. Loss, repeats and gaps are summed over the rounds,
// never hidden in a median. One figure per line; `#` lines are context.

#include "procstats.h"
#include "relaypaths.h"
#include "relayrun.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <unistd.h>
#include <vector>

using namespace opsdeck::bench;

namespace {

template<typename... Args> void print(const char *fmt, Args... args)
{
    std::printf(fmt, args...);
    std::fflush(stdout); // a pipe (tee, CI log) sees progress during the run
}

std::vector<qint64> parseList(const QString &text)
{
    std::vector<qint64> values;
    for (const QString &item : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const qint64 value = item.trimmed().toLongLong();
        if (value > 0)
            values.push_back(value);
    }
    return values;
}

double median(std::vector<double> values)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

struct Summary
{
    int runs = 0;
    double deliveredPerS = 0, p50Ms = 0, p99Ms = 0, maxMs = 0;
    double sourceCpu = 0, relayCpu = 0, clientCpu = 0;
    qint64 lost = 0, lostUnannounced = 0, duplicates = 0, gaps = 0, errors = 0, scanMismatches = 0;
};

Summary summarize(const std::vector<RunResult> &results)
{
    Summary s;
    const auto med = [&](const std::function<double(const RunResult &)> &field) {
        std::vector<double> values;
        for (const RunResult &r : results)
            if (r.ok)
                values.push_back(field(r));
        return median(values);
    };
    for (const RunResult &r : results) {
        if (!r.ok)
            continue;
        ++s.runs;
        s.lost += r.lost;
        s.lostUnannounced += r.lostUnannounced;
        s.duplicates += r.duplicates;
        s.gaps += r.gaps;
        s.errors += r.errors;
        s.scanMismatches += r.scanMismatches;
    }
    s.deliveredPerS = med([](const RunResult &r) { return r.deliveredPerS; });
    s.p50Ms = med([](const RunResult &r) { return r.p50Ms; });
    s.p99Ms = med([](const RunResult &r) { return r.p99Ms; });
    s.maxMs = med([](const RunResult &r) { return r.maxMs; });
    s.sourceCpu = med([](const RunResult &r) { return r.sourceCpuPercent; });
    s.relayCpu = med([](const RunResult &r) { return r.relayCpuPercent; });
    s.clientCpu = med([](const RunResult &r) { return r.clientCpuPercent; });
    return s;
}

void printSummary(const QByteArray &prefix, Path path, qint64 rate, const Summary &s)
{
    const char *p = prefix.constData();
    print("%soffered_per_s %lld\n", p, static_cast<long long>(rate));
    print("%sdelivered_per_s %.0f\n", p, s.deliveredPerS);
    print("%sp50_ms %.2f\n", p, s.p50Ms);
    print("%sp99_ms %.2f\n", p, s.p99Ms);
    print("%smax_ms %.2f\n", p, s.maxMs);
    print("%slost %lld\n", p, static_cast<long long>(s.lost));
    print("%slost_unannounced %lld\n", p, static_cast<long long>(s.lostUnannounced));
    print("%sduplicates %lld\n", p, static_cast<long long>(s.duplicates));
    print("%sgaps %lld\n", p, static_cast<long long>(s.gaps));
    print("%ssource_cpu_percent %.0f\n", p, s.sourceCpu);
    if (path != Path::Direct)
        print("%srelay_cpu_percent %.0f\n", p, s.relayCpu);
    print("%sclient_cpu_percent %.0f\n", p, s.clientCpu);
    print("%sruns %d\n", p, s.runs);
    if (s.errors || s.scanMismatches)
        print("# %serrors %lld scan_mismatches %lld\n", p, static_cast<long long>(s.errors),
              static_cast<long long>(s.scanMismatches));
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Relay hop benchmark: direct to opsdeck-hub vs through the Opsdeck relay vs a Node ws relay"));
    parser.addHelpOption();
    const QCommandLineOption ratesOpt(QStringLiteral("rates"), QStringLiteral("Source rates (entries/s), batched client."),
                                      QStringLiteral("list"), QStringLiteral("100,1000,10000,50000"));
    const QCommandLineOption unbatchedOpt(QStringLiteral("unbatched-rates"),
                                          QStringLiteral("Source rates for a client subscribing batch:false (empty: none)."),
                                          QStringLiteral("list"), QStringLiteral("1000,10000"));
    const QCommandLineOption repeatOpt(QStringLiteral("repeat"), QStringLiteral("Rounds per case; medians are printed."),
                                       QStringLiteral("n"), QStringLiteral("3"));
    const QCommandLineOption measureOpt(QStringLiteral("measure-ms"), QStringLiteral("Measurement window per run."),
                                        QStringLiteral("ms"), QStringLiteral("5000"));
    const QCommandLineOption warmupOpt(QStringLiteral("warmup-ms"), QStringLiteral("Warm-up after the first entry."),
                                       QStringLiteral("ms"), QStringLiteral("1500"));
    const QCommandLineOption pathsOpt(QStringLiteral("paths"), QStringLiteral("Paths to measure."), QStringLiteral("list"),
                                      QStringLiteral("direct,opsdeck,opsdeck-unbatched-link,node"));
    const QCommandLineOption hubOpt(QStringLiteral("hub"), QStringLiteral("opsdeck-hub binary."), QStringLiteral("path"),
                                    QStringLiteral(OPSDECK_HUB_BINARY));
    const QCommandLineOption peerOpt(QStringLiteral("peer-dir"), QStringLiteral("Directory of the Node relay."),
                                     QStringLiteral("dir"), QStringLiteral(OPSDECK_NODE_PEER_DIR));
    const QCommandLineOption traceOpt(QStringLiteral("trace"),
                                      QStringLiteral("Write one line per received frame of every run into this directory."),
                                      QStringLiteral("dir"));
    parser.addOptions({ratesOpt, unbatchedOpt, repeatOpt, measureOpt, warmupOpt, pathsOpt, hubOpt, peerOpt, traceOpt});
    parser.process(app);
    // The relay's client and hub log every state change at debug/info level; warnings still show.
    if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(QStringLiteral("opsdeck.*.debug=false\nopsdeck.*.info=false"));
    const QString traceDir = parser.value(traceOpt);
    if (!traceDir.isEmpty())
        QDir().mkpath(traceDir);

    const QString hubPath = parser.value(hubOpt);
    if (!QFileInfo(hubPath).isExecutable()) {
        std::fprintf(stderr, "bench_relay: no opsdeck-hub binary at %s (build the opsdeck-hub target or pass --hub)\n",
                     qPrintable(hubPath));
        return 2;
    }
    std::vector<Path> paths;
    for (const QString &name : parser.value(pathsOpt).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        for (const Path path : {Path::Direct, Path::Opsdeck, Path::OpsdeckUnbatchedLink, Path::Node})
            if (pathName(path) == name.trimmed())
                paths.push_back(path);
    }
    RunSettings base;
    base.measureMs = parser.value(measureOpt).toInt();
    base.warmupMs = parser.value(warmupOpt).toInt();
    base.nodeProgram = QStandardPaths::findExecutable(QStringLiteral("node"));
    base.nodeRelayScript = parser.value(peerOpt) + QStringLiteral("/relay.js");
    if (std::find(paths.begin(), paths.end(), Path::Node) != paths.end()
        && (base.nodeProgram.isEmpty() || !QFileInfo::exists(parser.value(peerOpt) + QStringLiteral("/node_modules/ws")))) {
        print("# relay.node skipped: %s\n", base.nodeProgram.isEmpty()
                                                ? "node not found in PATH"
                                                : "run `npm ci` in bench/node-peer (bench/run-relay.sh does)");
        paths.erase(std::remove(paths.begin(), paths.end(), Path::Node), paths.end());
    }
    const int repeat = std::max(1, parser.value(repeatOpt).toInt());

    // The source hub's secret: in a private temporary file, never on a command line.
    QTemporaryDir dir;
    if (!dir.isValid()) {
        std::fprintf(stderr, "bench_relay: no temporary directory: %s\n", qPrintable(dir.errorString()));
        return 2;
    }
    base.secretFile = dir.filePath(QStringLiteral("source-secret"));
    {
        QByteArray bytes(16, Qt::Uninitialized);
        QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), bytes.size() / 4);
        base.secret = bytes.toHex();
        QFile file(base.secretFile);
        if (!file.open(QIODevice::WriteOnly) || file.write(base.secret) != base.secret.size()) {
            std::fprintf(stderr, "bench_relay: cannot write %s\n", qPrintable(base.secretFile));
            return 2;
        }
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }

    struct Case
    {
        qint64 rate;
        bool batch;
    };
    std::vector<Case> cases;
    for (const qint64 rate : parseList(parser.value(ratesOpt)))
        cases.push_back({rate, true});
    for (const qint64 rate : parseList(parser.value(unbatchedOpt)))
        cases.push_back({rate, false});

    print("# relay: rates=%s unbatched_rates=%s repeat=%d measure_ms=%d warmup_ms=%d cpus=%d loadavg %s\n",
          qPrintable(parser.value(ratesOpt)), qPrintable(parser.value(unbatchedOpt)), repeat, base.measureMs,
          base.warmupMs, int(sysconf(_SC_NPROCESSORS_ONLN)), loadAverage().constData());
    int failures = 0;
    for (const Case &c : cases) {
        const QString label = QStringLiteral("r%1%2").arg(c.rate).arg(c.batch ? QString() : QStringLiteral(".unbatched"));
        ChildServer source(QStringLiteral("relay-source"), hubPath,
                           {QStringLiteral("--mode"), QStringLiteral("demo"), QStringLiteral("--fleet"), QStringLiteral("none"),
                            QStringLiteral("--bench-logs"), QString::number(c.rate), QStringLiteral("--secret-file"),
                            base.secretFile, QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                            QStringLiteral("--log-level"), QStringLiteral("warning")});
        if (!source.start()) {
            print("# relay.%s skipped: source hub did not start: %s\n", qPrintable(label), qPrintable(source.errorString()));
            ++failures;
            continue;
        }
        RunSettings settings = base;
        settings.rate = c.rate;
        settings.batch = c.batch;
        print("# case %s: rate %lld/s, client batch:%s, source %s; loadavg %s\n", qPrintable(label),
              static_cast<long long>(c.rate), c.batch ? "true" : "false", qPrintable(source.url().toString()),
              loadAverage().constData());
        std::map<Path, std::vector<RunResult>> results;
        for (int round = 1; round <= repeat; ++round) {
            for (const Path path : paths) {
                if (!traceDir.isEmpty())
                    settings.tracePath = QStringLiteral("%1/%2-%3-run%4.tsv").arg(traceDir, label, pathName(path)).arg(round);
                const RunResult r = runPath(path, source, settings);
                results[path].push_back(r);
                if (!r.ok) {
                    print("# run %d %s %s failed: %s\n", round, qPrintable(label), qPrintable(pathName(path)),
                          qPrintable(r.error));
                    continue;
                }
                print("# run %d %s %-7s delivered/s %.0f p50 %.2f p99 %.2f max %.2f lost %lld (unannounced %lld) dup %lld gaps %lld "
                      "cpu source/relay/client %.0f/%.0f/%.0f%s%s; loadavg %s\n",
                      round, qPrintable(label), qPrintable(pathName(path)), r.deliveredPerS, r.p50Ms, r.p99Ms,
                      r.maxMs, static_cast<long long>(r.lost), static_cast<long long>(r.lostUnannounced),
                      static_cast<long long>(r.duplicates),
                      static_cast<long long>(r.gaps), r.sourceCpuPercent, r.relayCpuPercent, r.clientCpuPercent,
                      r.relayRssKiB > 0 ? qPrintable(QStringLiteral(" node_rss_mib %1").arg(double(r.relayRssKiB) / 1024, 0, 'f', 1))
                      : r.benchRssKiB > 0 ? qPrintable(QStringLiteral(" bench_rss_mib %1").arg(double(r.benchRssKiB) / 1024, 0, 'f', 1))
                                          : "",
                      r.relayState.isEmpty() ? "" : qPrintable(QStringLiteral("; ") + r.relayState),
                      loadAverage().constData());
            }
        }
        std::map<Path, Summary> summaries;
        for (const Path path : paths) {
            summaries[path] = summarize(results[path]);
            if (summaries[path].runs == 0) {
                print("# relay.%s.%s: no successful run\n", qPrintable(pathName(path)), qPrintable(label));
                ++failures;
                continue;
            }
            printSummary(QStringLiteral("relay.%1.%2.").arg(pathName(path), label).toLatin1(), path, c.rate,
                         summaries[path]);
        }
        // The hop: what a relay adds to the direct path, from the medians of the same case.
        const auto direct = summaries.find(Path::Direct);
        for (const Path path : {Path::Opsdeck, Path::OpsdeckUnbatchedLink, Path::Node}) {
            const auto relayed = summaries.find(path);
            if (direct == summaries.end() || relayed == summaries.end() || !direct->second.runs || !relayed->second.runs)
                continue;
            const QByteArray p = QStringLiteral("relay.hop.%1.%2.").arg(pathName(path), label).toLatin1();
            print("%sp50_ms %.2f\n", p.constData(), relayed->second.p50Ms - direct->second.p50Ms);
            print("%sp99_ms %.2f\n", p.constData(), relayed->second.p99Ms - direct->second.p99Ms);
        }
    }
    // A benchmark reports; it fails only when a case could not be measured at all.
    return failures ? 1 : 0;
}
