// bench_history: how fast HistoryStore takes entries and answers the hub's reads.
//   bench_history [--entries N] [--queries Q] [--db PATH]
// Writes N log entries shaped like the hub's (20 sources, ~5 % errors, 120-byte messages) the way
// the hub does — append() with the default batching — then pages backwards from random
// positions (the `history` query, 200 per page) with and without filters, and reads `since`
// replay chunks. Prints one figure per line (docs/performance.md "History store").

#include "historystore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

using namespace opsdeck::hub::storage;

namespace {
const QStringList kLevels {
    QStringLiteral("info"), QStringLiteral("debug"), QStringLiteral("warn"), QStringLiteral("error")};

HistoryEntry makeEntry(quint64 seq, qint64 timeMs)
{
    HistoryEntry entry;
    entry.topic = QStringLiteral("logs");
    entry.epoch = QStringLiteral("e-bench");
    entry.seq = seq;
    entry.timeMs = timeMs;
    entry.source = QStringLiteral("web-%1").arg(seq % 20, 2, 10, QLatin1Char('0'));
    // ~80 % info, 10 % debug, 5 % warn, 5 % error.
    const quint64 bucket = (seq * 2654435761u) % 20;
    entry.level = bucket < 16 ? kLevels[0] : bucket < 18 ? kLevels[1] : bucket < 19 ? kLevels[2] : kLevels[3];
    entry.stream = entry.level == kLevels[3] ? QStringLiteral("stderr") : QStringLiteral("stdout");
    entry.text = (seq % 97 == 0 ? QStringLiteral("upstream timeout after 3000 ms, request %1 ")
                                : QStringLiteral("GET /api/orders/%1 200 "))
                     .arg(seq)
                     .leftJustified(120, u'x');
    const QJsonObject json {{QStringLiteral("type"), QStringLiteral("log")},
        {QStringLiteral("topic"), entry.topic}, {QStringLiteral("epoch"), entry.epoch},
        {QStringLiteral("seq"), qint64(seq)},
        {QStringLiteral("timestamp"), QStringLiteral("2026-11-21T12:00:00.123Z")},
        {QStringLiteral("stream"), entry.stream}, {QStringLiteral("level"), entry.level},
        {QStringLiteral("source"), entry.source}, {QStringLiteral("host"), QStringLiteral("edge-1")},
        {QStringLiteral("message"), entry.text}};
    entry.json = QJsonDocument(json).toJson(QJsonDocument::Compact);
    return entry;
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, size_t(p * double(values.size())))];
}

void figure(const char *name, double value, int decimals = 2)
{
    std::printf("history.%s %.*f\n", name, decimals, value);
    std::fflush(stdout);
}

// Runs `query` `count` times; prints p50/p99 in ms and the mean number of entries returned.
void measure(const char *name, int count, const std::function<size_t()> &query)
{
    std::vector<double> ms;
    size_t returned = 0;
    for (int i = 0; i < count; ++i) {
        QElapsedTimer timer;
        timer.start();
        returned += query();
        ms.push_back(double(timer.nsecsElapsed()) / 1e6);
    }
    std::printf("history.%s_p50_ms %.2f\nhistory.%s_p99_ms %.2f\n# %s: %.0f entries per query, %d queries\n",
        name, percentile(ms, 0.5), name, percentile(ms, 0.99), name, double(returned) / count, count);
    std::fflush(stdout);
}
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    qint64 entries = 1000000;
    int queries = 500;
    QString path;
    const QStringList args = app.arguments();
    for (qsizetype i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == QLatin1StringView("--entries"))
            entries = args[i + 1].toLongLong();
        else if (args[i] == QLatin1StringView("--queries"))
            queries = args[i + 1].toInt();
        else if (args[i] == QLatin1StringView("--db"))
            path = args[i + 1];
    }
    QTemporaryDir dir;
    if (path.isEmpty())
        path = dir.filePath(QStringLiteral("bench.sqlite"));

    HistoryStore store;
    HistoryStoreConfig config;
    config.path = path;
    config.maxEntriesPerTopic = entries;
    config.maxAgeMs = 0;
    if (!store.open(config)) {
        std::fprintf(stderr, "bench_history: %s\n", qPrintable(store.errorString()));
        return 1;
    }
    store.beginEpoch(QStringLiteral("logs"), QStringLiteral("e-bench"));

    // Entries are built up front so the figure is the store's cost, not JSON serialization.
    std::printf("# %lld log entries, %d queries per case, load average at start: see uptime\n",
        static_cast<long long>(entries), queries);
    const qint64 base = QDateTime::currentMSecsSinceEpoch() - entries;
    std::vector<double> appendMs;
    QElapsedTimer total;
    qint64 storeNs = 0;
    constexpr qint64 kChunk = 100000;
    for (qint64 first = 1; first <= entries; first += kChunk) {
        std::vector<HistoryEntry> chunk;
        for (qint64 seq = first; seq < std::min(entries + 1, first + kChunk); ++seq)
            chunk.push_back(makeEntry(quint64(seq), base + seq));
        total.start();
        for (HistoryEntry &entry : chunk) {
            QElapsedTimer one;
            one.start();
            store.append(std::move(entry));
            appendMs.push_back(double(one.nsecsElapsed()) / 1e6);
        }
        storeNs += total.nsecsElapsed();
    }
    total.start();
    store.flush();
    storeNs += total.nsecsElapsed();
    const qint64 bytes = QFileInfo(path).size() + QFileInfo(path + QStringLiteral("-wal")).size();
    figure("write_entries_per_s", double(entries) / (double(storeNs) / 1e9), 0);
    figure("append_p99_ms", percentile(appendMs, 0.99), 4);
    figure("append_max_ms", percentile(appendMs, 1.0)); // the worst commit of a 1000-entry batch
    figure("db_bytes_per_entry", double(bytes) / double(std::max<qint64>(1, entries)), 0);

    QRandomGenerator random(42);
    const auto randomSeq = [&] { return quint64(random.bounded(quint64(entries)) + 1); };
    const QString topic = QStringLiteral("logs");
    measure("page200_nofilter", queries,
        [&] { return store.readBackward(topic, randomSeq(), HistoryFilter(), 200).size(); });
    HistoryFilter errors;
    errors.levels = QStringList {QStringLiteral("error")};
    measure("page200_level_error_5pct", queries,
        [&] { return store.readBackward(topic, randomSeq(), errors, 200).size(); });
    HistoryFilter source;
    source.sources = QStringList {QStringLiteral("web-07")};
    measure("page200_one_source_of_20", queries,
        [&] { return store.readBackward(topic, randomSeq(), source, 200).size(); });
    HistoryFilter text;
    text.text = QStringLiteral("TIMEOUT");
    measure("page200_text_1pct", std::max(1, queries / 10),
        [&] { return store.readBackward(topic, randomSeq(), text, 200).size(); });
    measure("since_chunk3200", queries, [&] {
        const quint64 from = randomSeq();
        return store.readRange(topic, from, from + 3199, 3200).size();
    });
    measure("since_count_nofilter", queries,
        [&] { return size_t(store.count(topic, randomSeq(), quint64(entries), HistoryFilter()) > 0); });
    QElapsedTimer closing;
    closing.start();
    store.close();
    figure("close_ms", double(closing.elapsed()), 0);
    return 0;
}
