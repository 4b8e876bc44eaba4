// bench_logmodel: LogModel/LogStore/LogFileParser at one million entries.
//
//   logmodel.ingest_entries_per_s     appendEntries() of protocol entries in batches of 100
//                                     (as the hub sends them); JSON building is not timed
//   logmodel.store_bytes_per_entry    the store's own accounting (records + text + tables)
//   logmodel.rss_bytes_per_entry      VmRSS growth over the ingest / entries
//   logmodel.filter_*_ms              one full re-filter over all entries
//   logparser.lines_per_s             LogFileLoader::parseFile over a generated file
//   logparser.load_lines_per_s        the same, plus appending every batch to a LogModel
//   peer.lnav.rows / index_ms / ratio `lnav -n -c ';SELECT count(*) FROM all_logs' FILE` on the
//                                     same file (indexes every line), and lnav_ms / ours_ms
// Usage: bench_logmodel [entries]   (default 1000000)

#include "lnavpeer.h"
#include "logfileloader.h"
#include "logmodel.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <cstdio>
#include <unistd.h>

using namespace opsdeck::logs;

namespace {

long rssBytes()
{
    QFile file(QStringLiteral("/proc/self/statm"));
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = file.readAll().split(' ');
    return fields.size() > 1 ? fields[1].toLong() * sysconf(_SC_PAGESIZE) : 0;
}

const char *levelFor(int i)
{
    const int r = int((int64_t(i) * 7919) % 100);
    return r < 1 ? "fatal" : r < 5 ? "error" : r < 15 ? "warn" : r < 30 ? "debug" : "info";
}

QString messageFor(int i)
{
    switch (i % 4) {
    case 0:
        return QStringLiteral("GET /api/orders/%1 200 in %2ms user=u%3").arg(i).arg(i % 97).arg(i % 1000);
    case 1:
        return QStringLiteral("worker job %1 finished: %2 rows reindexed").arg(i).arg(i % 5000);
    case 2:
        return QStringLiteral("upstream timeout after %1 ms talking to db-%2")
            .arg(1000 + i % 3000)
            .arg(i % 7);
    default:
        return QStringLiteral("cache hit ratio 0.%1 for shard %2")
            .arg(i % 100, 2, 10, QLatin1Char('0'))
            .arg(i % 64);
    }
}

void print(const char *name, double value)
{
    std::printf("%s %.0f\n", name, value);
    std::fflush(stdout);
}

void printFine(const char *name, double value)
{
    std::printf("%s %.2f\n", name, value);
    std::fflush(stdout);
}

double timeFilter(const std::function<void()> &apply)
{
    QElapsedTimer timer;
    timer.start();
    apply();
    return double(timer.nsecsElapsed()) / 1e6;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int total = argc > 1 ? std::atoi(argv[1]) : 1'000'000;

    // --- ingest -------------------------------------------------------------------------------
    {
        LogModel model;
        const long rssBefore = rssBytes();
        qint64 ingestNs = 0;
        QElapsedTimer timer;
        QList<QJsonObject> batch;
        batch.reserve(100);
        const QString epoch = QStringLiteral("e-bench");
        const QString timestamp = QStringLiteral("2026-11-21T12:00:00.123Z");
        for (int i = 0; i < total; i += 100) {
            batch.clear();
            for (int j = i; j < std::min(total, i + 100); ++j) {
                batch.append(QJsonObject {{QStringLiteral("type"), QStringLiteral("log")},
                    {QStringLiteral("topic"), QStringLiteral("logs")}, {QStringLiteral("epoch"), epoch},
                    {QStringLiteral("seq"), j + 1}, {QStringLiteral("timestamp"), timestamp},
                    {QStringLiteral("stream"), j % 3 ? QStringLiteral("stdout") : QStringLiteral("stderr")},
                    {QStringLiteral("level"), QLatin1StringView(levelFor(j))},
                    {QStringLiteral("source"), QStringLiteral("agent-%1").arg(j % 20)},
                    {QStringLiteral("host"), QStringLiteral("edge-%1").arg(j % 5)},
                    {QStringLiteral("message"), messageFor(j)}});
            }
            timer.start();
            model.appendEntries(batch);
            ingestNs += timer.nsecsElapsed();
        }
        batch.clear();
        const long rssAfter = rssBytes();
        print("logmodel.entries", model.totalCount());
        print("logmodel.ingest_entries_per_s", double(total) / (double(ingestNs) / 1e9));
        printFine("logmodel.store_bytes_per_entry", double(model.store().bytesUsed()) / total);
        printFine("logmodel.rss_bytes_per_entry", double(rssAfter - rssBefore) / total);

        // --- filters --------------------------------------------------------------------------
        printFine("logmodel.filter_level_ms", timeFilter([&] {
            model.setLevels({QStringLiteral("error"), QStringLiteral("fatal")});
        }));
        print("logmodel.filter_level_rows", model.rowCount());
        model.setLevels({QStringLiteral("trace"), QStringLiteral("debug"), QStringLiteral("info"),
            QStringLiteral("warn"), QStringLiteral("error"), QStringLiteral("fatal")});
        printFine("logmodel.filter_text_ms",
            timeFilter([&] { model.setSearchText(QStringLiteral("TIMEOUT after 1234")); }));
        print("logmodel.filter_text_rows", model.rowCount());
        printFine("logmodel.filter_text_common_ms",
            timeFilter([&] { model.setSearchText(QStringLiteral("shard")); }));
        print("logmodel.filter_text_common_rows", model.rowCount());
        model.setSearchText(QString());
        model.setRegex(true);
        printFine("logmodel.filter_regex_ms",
            timeFilter([&] { model.setSearchText(QStringLiteral("timeout after 12\\d\\d ms")); }));
        print("logmodel.filter_regex_rows", model.rowCount());
        model.setRegex(false);
        printFine("logmodel.filter_source_ms", timeFilter([&] {
            model.setSearchText(QString());
            model.setSources({QStringLiteral("agent-3")});
        }));
        print("logmodel.filter_source_rows", model.rowCount());
        printFine("logmodel.filter_clear_ms", timeFilter([&] { model.setSources({}); }));
    }

    // --- file parsing ---------------------------------------------------------------------------
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bench.log"));
    {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return 1;
        QByteArray chunk;
        for (int i = 0; i < total; ++i) {
            // Every 200th entry carries a 4-line stack trace: grouped, so lines > entries.
            if (i % 200 == 199) {
                chunk += "\tat com.example.Service.call(Service.java:" + QByteArray::number(i % 300) + ")\n";
                continue;
            }
            chunk += "2025-10-01T12:" + QByteArray::number(10 + (i / 60000) % 50) + ":"
                + QByteArray::number(10 + (i / 1000) % 50) + "." + QByteArray::number(100 + i % 900)
                + "+02:00 " + QByteArray(levelFor(i)).toUpper() + " [agent-" + QByteArray::number(i % 20)
                + "] " + messageFor(i).toUtf8() + '\n';
            if (chunk.size() > (1 << 20)) {
                file.write(chunk);
                chunk.clear();
            }
        }
        file.write(chunk);
        print("logparser.file_bytes", double(file.size()));
    }
    QElapsedTimer timer;
    timer.start();
    int64_t lines = 0;
    qint64 entries = 0;
    LogFileLoader::parseFile(
        path, [&](const LogBatchPtr &batch) { entries += qint64(batch->items.size()); }, {}, &lines);
    const double parseMs = double(timer.nsecsElapsed()) / 1e6;
    print("logparser.lines", double(lines));
    print("logparser.entries", double(entries));
    printFine("logparser.parse_ms", parseMs);
    print("logparser.lines_per_s", double(lines) / (parseMs / 1000.0));
    double loadMs = 0;
    {
        LogModel model;
        timer.start();
        LogFileLoader::parseFile(path, [&](const LogBatchPtr &batch) { model.appendBatch(batch); });
        loadMs = double(timer.nsecsElapsed()) / 1e6;
        printFine("logparser.load_into_model_ms", loadMs);
        print("logparser.load_lines_per_s", double(lines) / (loadMs / 1000.0));
    }

    const QString lnav = opsdeck::bench::findLnav();
    if (lnav.isEmpty()) {
        std::printf("peer lnav: not installed\n");
        return 0;
    }
    const opsdeck::bench::LnavRun peer = opsdeck::bench::runLnavCount(lnav, path);
    if (!peer.ok) {
        std::printf("peer lnav: %s\n", qPrintable(peer.error));
        return 0;
    }
    const qint64 lnavRows = peer.rows;
    print("peer.lnav.rows", double(lnavRows));
    const double lnavMs = peer.ms;
    printFine("peer.lnav.index_ms", lnavMs);
    printFine("peer.lnav.ratio_lnav_over_ours", lnavMs / parseMs);
    printFine("peer.lnav.ratio_lnav_over_ours_with_model", lnavMs / loadMs);
    return 0;
}
