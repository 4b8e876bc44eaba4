// bench_ingest: lines/s from a log file through the parser into the hub's store, against lnav
// indexing the same file in the same run (docs/performance.md "Log ingest").
//
//   bench_ingest [--lines N] [--file PATH] [--repeat R] [--seed S] [--dir DIR]
//   bench_ingest --generate PATH [--lines N] [--seed S]   (only writes the mixed file)
//
// Without --file a mixed log of N lines (default 1,000,000; see mixedcorpus.h) is generated in
// DIR (default: a temporary directory). Each repetition measures, on the same file:
//   parse        LogFileParser alone
//   hub_memory   LogSources/LogFileTailer → logs topic, memory only (no history store)
//   hub_store    the same with the history store attached as the hub attaches it, committed
//   lnav         `lnav -n -c ';SELECT count(*) FROM all_logs' FILE`
// and prints one figure per line: the median of R repetitions (3 by default), each repetition's
// times as comments. Ratios are throughputs, ours / lnav (above 1: we are faster).

#include "ingestruns.h"
#include "lnavpeer.h"
#include "mixedcorpus.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QTemporaryDir>
#include <algorithm>
#include <cstdio>
#include <vector>

using namespace opsdeck::bench;

namespace {
double median(std::vector<double> values)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const std::size_t mid = values.size() / 2;
    return values.size() % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

void figure(const QByteArray &name, double value, int decimals = 0)
{
    std::printf("%s %.*f\n", name.constData(), decimals, value);
    std::fflush(stdout);
}

// Wall-clock rates, and per CPU second: on a machine shared with other work the wall time
// includes waiting for a core, the CPU time does not.
void rates(const char *prefix, double ms, double cpuMs, qint64 lines, qint64 entries)
{
    const QByteArray name(prefix);
    figure(name + QByteArray(".ms"), ms, 1);
    figure(name + QByteArray(".cpu_ms"), cpuMs, 1);
    figure(name + QByteArray(".lines_per_s"), double(lines) / (ms / 1000.0));
    figure(name + QByteArray(".entries_per_s"), double(entries) / (ms / 1000.0));
    figure(name + QByteArray(".lines_per_cpu_s"), double(lines) / (cpuMs / 1000.0));
    figure(name + QByteArray(".entries"), double(entries));
}

void removeDatabase(const QString &path)
{
    for (const char *suffix : {"", "-wal", "-shm"})
        QFile::remove(path + QLatin1StringView(suffix));
}

int fail(const QString &message)
{
    std::fprintf(stderr, "bench_ingest: %s\n", qPrintable(message));
    return 1;
}
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    // The hub's info lines ("following …", "history store … opened") would interleave with the
    // figures; warnings stay on.
    QLoggingCategory::setFilterRules(QStringLiteral("opsdeck.*.info=false"));
    qint64 lineTarget = 1000000;
    int repeat = 3;
    quint64 seed = 20261201;
    QString file, dirPath, generateOnly;
    const QStringList args = app.arguments();
    for (qsizetype i = 1; i < args.size(); ++i) {
        const QString &arg = args[i];
        const QString value = i + 1 < args.size() ? args[i + 1] : QString();
        if (arg == QLatin1StringView("--lines") && value.toLongLong() > 0)
            lineTarget = value.toLongLong();
        else if (arg == QLatin1StringView("--file") && !value.isEmpty())
            file = value;
        else if (arg == QLatin1StringView("--repeat") && value.toInt() > 0)
            repeat = value.toInt();
        else if (arg == QLatin1StringView("--seed") && !value.isEmpty())
            seed = value.toULongLong();
        else if (arg == QLatin1StringView("--dir") && !value.isEmpty())
            dirPath = value;
        else if (arg == QLatin1StringView("--generate") && !value.isEmpty())
            generateOnly = value;
        else
            return fail(QStringLiteral("unknown or incomplete argument %1\nusage: bench_ingest [--lines N] "
                                       "[--file PATH] [--repeat R] [--seed S] [--dir DIR] | --generate PATH [--lines N] [--seed S]")
                            .arg(arg));
        ++i;
    }
    CorpusStats corpus;
    QString error;
    if (!generateOnly.isEmpty()) {
        if (!writeMixedCorpus(generateOnly, lineTarget, seed, corpus, &error))
            return fail(error);
        std::printf("%s: %lld lines, %lld bytes\n", qPrintable(generateOnly), corpus.lines, corpus.bytes);
        return 0;
    }
    QTemporaryDir temporary(dirPath.isEmpty() ? QString() : dirPath + QStringLiteral("/bench-ingest-XXXXXX"));
    if (!temporary.isValid())
        return fail(QStringLiteral("cannot create a working directory: %1").arg(temporary.errorString()));

    if (file.isEmpty()) {
        file = temporary.filePath(QStringLiteral("mixed.log"));
        if (!writeMixedCorpus(file, lineTarget, seed, corpus, &error))
            return fail(error);
        std::printf("# generated %s: %lld app, %lld syslog, %lld nginx access, %lld JSON lines; %lld stack traces "
                    "(%lld lines)\n",
            qPrintable(file), corpus.appLines, corpus.syslogLines, corpus.nginxLines, corpus.jsonLines,
            corpus.traces, corpus.traceLines);
        figure("ingest.file.events", double(corpus.events));
    } else {
        file = QFileInfo(file).absoluteFilePath();
        if (!countLines(file, corpus, &error))
            return fail(error);
    }
    figure("ingest.file.lines", double(corpus.lines));
    figure("ingest.file.bytes", double(corpus.bytes));

    const QString lnav = findLnav();
    if (lnav.isEmpty())
        std::printf("# peer lnav: not installed (scripts/install-deps.sh installs it)\n");
    std::vector<double> parseMs, memoryMs, storeMs, finalFlushMs, closeMs, lnavMs;
    std::vector<double> parseCpu, memoryCpu, storeCpu, lnavCpu;
    ParseRun parse;
    HubRun memory, stored;
    qint64 lnavRows = 0;
    for (int rep = 1; rep <= repeat; ++rep) {
        // Interleaved, so a change in the machine's load hits every path alike.
        parse = runParseOnly(file);
        if (parse.lines == 0)
            return fail(QStringLiteral("cannot read %1").arg(file));
        parseMs.push_back(parse.ms);
        parseCpu.push_back(parse.cpuMs);
        memory = runHubPath(file, corpus.bytes, QString());
        if (!memory.ok)
            return fail(memory.error);
        memoryMs.push_back(memory.ms);
        memoryCpu.push_back(memory.cpuMs);
        const QString db = temporary.filePath(QStringLiteral("history-%1.sqlite").arg(rep));
        stored = runHubPath(file, corpus.bytes, db);
        removeDatabase(db);
        if (!stored.ok)
            return fail(QStringLiteral("history store: %1").arg(stored.error));
        storeMs.push_back(stored.ms);
        storeCpu.push_back(stored.cpuMs);
        finalFlushMs.push_back(stored.finalFlushMs);
        closeMs.push_back(stored.closeMs);
        std::printf("# run %d (wall/CPU ms): parse %.0f/%.0f, hub_memory %.0f/%.0f, hub_store %.0f/%.0f", rep,
            parse.ms, parse.cpuMs, memory.ms, memory.cpuMs, stored.ms, stored.cpuMs);
        if (!lnav.isEmpty()) {
            const LnavRun peer = runLnavCount(lnav, file);
            if (!peer.ok)
                return fail(QStringLiteral("peer lnav: %1").arg(peer.error));
            lnavMs.push_back(peer.ms);
            lnavCpu.push_back(peer.cpuMs);
            lnavRows = peer.rows;
            std::printf(", lnav %.0f/%.0f", peer.ms, peer.cpuMs);
        }
        std::printf("\n");
        std::fflush(stdout);
        // Every path must have produced the same entries, or its rate means nothing.
        if (memory.entries != parse.entries || stored.entries != parse.entries
            || stored.storedEntries != parse.entries)
            return fail(QStringLiteral("entry counts differ: parser %1, hub %2, hub with store %3, stored rows %4")
                            .arg(parse.entries)
                            .arg(memory.entries)
                            .arg(stored.entries)
                            .arg(stored.storedEntries));
    }

    std::printf("# medians of %d runs\n", repeat);
    const qint64 lines = corpus.lines;
    rates("ingest.parse", median(parseMs), median(parseCpu), lines, parse.entries);
    rates("ingest.hub_memory", median(memoryMs), median(memoryCpu), lines, memory.entries);
    rates("ingest.hub_store", median(storeMs), median(storeCpu), lines, stored.entries);
    figure("ingest.hub_store.stored_entries", double(stored.storedEntries));
    figure("ingest.hub_store.bytes_per_entry", double(stored.dbBytes) / double(std::max<qint64>(1, stored.storedEntries)), 1);
    figure("ingest.hub_store.commits", double(stored.commits));
    figure("ingest.hub_store.final_flush_ms", median(finalFlushMs), 1);
    figure("ingest.hub_store.close_ms", median(closeMs), 1);
    // Where the CPU goes on the whole path: the parser, the tailer and topic (decoding, the
    // entry's JSON, the ring), and what the history store adds (rows, SQLite commits).
    const double storeCpuMedian = median(storeCpu);
    figure("ingest.share.parser_of_hub_store", median(parseCpu) / storeCpuMedian, 2);
    figure("ingest.share.tailer_topic_of_hub_store", (median(memoryCpu) - median(parseCpu)) / storeCpuMedian, 2);
    figure("ingest.share.store_of_hub_store", (storeCpuMedian - median(memoryCpu)) / storeCpuMedian, 2);
    if (lnavMs.empty())
        return 0;
    const double lnavMedian = median(lnavMs), lnavCpuMedian = median(lnavCpu);
    rates("peer.lnav", lnavMedian, lnavCpuMedian, lines, lnavRows);
    // Lines/s ours over lines/s lnav on the same file, by wall clock and by CPU time.
    figure("ratio.parse_over_lnav", lnavMedian / median(parseMs), 2);
    figure("ratio.hub_memory_over_lnav", lnavMedian / median(memoryMs), 2);
    figure("ratio.hub_store_over_lnav", lnavMedian / median(storeMs), 2);
    figure("ratio.cpu.parse_over_lnav", lnavCpuMedian / median(parseCpu), 2);
    figure("ratio.cpu.hub_memory_over_lnav", lnavCpuMedian / median(memoryCpu), 2);
    figure("ratio.cpu.hub_store_over_lnav", lnavCpuMedian / storeCpuMedian, 2);
    return 0;
}
