// Client core benchmark (DESIGN.md §9 "Reconnect"). Prints one figure per line:
//   client_decode_log_msgs_per_s       single `log` frames decoded and dispatched to a subscription
//   peer.qjson_parse_msgs_per_s        the same frames through QJsonDocument::fromJson only
//   ratio.client_decode_over_parse_only
//   client_decode_batch_entries_per_s  entries/s from 100-entry `batch` frames
//   client_queue_bytes_per_message     heap per queued request (incl. its ~110-byte frame)
//   client_resume_ms_median / _p99     upstream restart → first resumed entry (default backoff)
//   client_resume_fast_ms_median / _p99  the same with base 50 ms / cap 500 ms
// Usage: bench_client_core [restarts=25]

#include "fakehub.h"
#include "hubclient.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <algorithm>
#include <cstdio>
#include <malloc.h>

using namespace opsdeck::transport;
using namespace opsdeck::transport::testing;

namespace {

void print(const char *name, double value)
{
    std::printf("%s %.1f\n", name, value);
    std::fflush(stdout);
}

bool waitFor(const std::function<bool()> &condition, int timeoutMs = 30000)
{
    QElapsedTimer timer;
    timer.start();
    while (!condition()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    }
    return true;
}

HubClientOptions quietOptions()
{
    HubClientOptions options;
    options.watchNetwork = false;
    options.heartbeatIntervalMs = 0;
    options.clockCheckIntervalMs = 0;
    return options;
}

QByteArray logFrame(const QString &sub, qint64 seq)
{
    return QJsonDocument(
        QJsonObject {{QStringLiteral("type"), QStringLiteral("log")},
            {QStringLiteral("topic"), QStringLiteral("logs")}, {QStringLiteral("sub"), sub},
            {QStringLiteral("epoch"), QStringLiteral("e-logs-1")}, {QStringLiteral("seq"), seq},
            {QStringLiteral("timestamp"), QStringLiteral("2026-11-21T12:00:00.123Z")},
            {QStringLiteral("stream"), QStringLiteral("stdout")},
            {QStringLiteral("level"), QStringLiteral("info")},
            {QStringLiteral("source"), QStringLiteral("web-01")},
            {QStringLiteral("message"), QStringLiteral("GET /api/orders 200 12ms")}})
        .toJson(QJsonDocument::Compact);
}

void decodeBenchmarks()
{
    FakeHub hub;
    hub.listen();
    HubClient client(quietOptions());
    ClientSubscription *logs = client.subscribe(QStringLiteral("logs"));
    qint64 delivered = 0;
    QObject::connect(logs, &ClientSubscription::entriesReceived,
        [&delivered](const QList<QJsonObject> &entries) { delivered += entries.size(); });
    client.open(hub.url());
    if (!waitFor([&] { return logs->state() == ClientSubscription::State::Active; })) {
        std::fprintf(stderr, "subscription not active\n");
        return;
    }
    const QString sub = logs->hubSubId();

    // Frames are encoded up front so only the client's decode + dispatch is timed.
    const int count = 200000;
    QList<QByteArray> frames;
    frames.reserve(count);
    qint64 base = logs->lastSeq();
    for (int i = 1; i <= count; ++i)
        frames.append(logFrame(sub, base + i));
    delivered = 0;
    QElapsedTimer timer;
    timer.start();
    for (const QByteArray &frame : std::as_const(frames))
        client.processFrame(frame);
    const double singles = count / (timer.nsecsElapsed() / 1e9);
    if (delivered != count)
        std::fprintf(stderr, "delivered %lld of %d\n", static_cast<long long>(delivered), count);
    print("client_decode_log_msgs_per_s", singles);

    // The peer: the same frames through QJsonDocument::fromJson alone — the floor any Qt JSON
    // client pays. The ratio is what correlation, dedup and dispatch add on top.
    {
        qint64 parsed = 0;
        timer.start();
        for (const QByteArray &frame : std::as_const(frames))
            parsed += QJsonDocument::fromJson(frame).object().size() > 0 ? 1 : 0;
        const double parseOnly = double(parsed) / (double(timer.nsecsElapsed()) / 1e9);
        print("peer.qjson_parse_msgs_per_s", parseOnly);
        std::printf("ratio.client_decode_over_parse_only %.2f\n", singles / parseOnly);
    }

    const int batches = 5000;
    base = logs->lastSeq();
    QList<QByteArray> batchFrames;
    batchFrames.reserve(batches);
    for (int b = 0; b < batches; ++b) {
        QJsonArray entries;
        for (int i = 1; i <= 100; ++i) {
            QJsonObject entry = QJsonDocument::fromJson(logFrame(sub, base + b * 100 + i)).object();
            entry.remove(QStringLiteral("sub"));
            entries.append(entry);
        }
        batchFrames.append(QJsonDocument(
            QJsonObject {{QStringLiteral("type"), QStringLiteral("batch")},
                {QStringLiteral("topic"), QStringLiteral("logs")}, {QStringLiteral("sub"), sub},
                {QStringLiteral("epoch"), QStringLiteral("e-logs-1")}, {QStringLiteral("logs"), entries},
                {QStringLiteral("count"),
                    100}}).toJson(QJsonDocument::Compact));
    }
    delivered = 0;
    timer.restart();
    for (const QByteArray &frame : std::as_const(batchFrames))
        client.processFrame(frame);
    print("client_decode_batch_entries_per_s", delivered / (timer.nsecsElapsed() / 1e9));
}

void queueMemory()
{
    HubClientOptions options = quietOptions();
    options.queue.maxMessages = 1000000;
    options.queue.maxBytes = 1LL << 32;
    HubClient client(options); // never opened: everything queues
    const int count = 100000;
    const size_t before = mallinfo2().uordblks;
    for (int i = 0; i < count; ++i)
        client.request(QJsonObject {{QStringLiteral("type"), QStringLiteral("query")},
            {QStringLiteral("query"), QStringLiteral("agents")}});
    const size_t after = mallinfo2().uordblks;
    print("client_queue_bytes_per_message", double(after - before) / count);
}

void resumeTimes(const char *label, BackoffPolicy policy, int restarts)
{
    FakeHub hub;
    hub.listen();
    HubClientOptions options = quietOptions();
    options.backoff = policy;
    HubClient client(options);
    ClientSubscription *logs = client.subscribe(QStringLiteral("logs"));
    QElapsedTimer sinceRestart;
    qint64 firstResumed = -1;
    QObject::connect(logs, &ClientSubscription::entriesReceived, [&](const QList<QJsonObject> &) {
        if (firstResumed < 0 && sinceRestart.isValid())
            firstResumed = sinceRestart.nsecsElapsed();
    });
    client.open(hub.url());
    waitFor([&] { return logs->state() == ClientSubscription::State::Active; });
    QList<double> ms;
    for (int i = 0; i < restarts; ++i) {
        hub.publish(
            QStringLiteral("logs"), QJsonObject {{QStringLiteral("message"), QStringLiteral("before")}});
        waitFor([&] { return logs->lastSeq() == hub.headSeq(QStringLiteral("logs")); });
        // The upstream crashes and is back at once; one entry is published while it was away.
        firstResumed = -1;
        sinceRestart.start();
        hub.stop();
        hub.publish(
            QStringLiteral("logs"), QJsonObject {{QStringLiteral("message"), QStringLiteral("missed")}});
        hub.listen(hub.port());
        if (!waitFor([&] { return firstResumed >= 0; }, 60000)) {
            std::fprintf(stderr, "restart %d: no resume\n", i);
            return;
        }
        ms.append(firstResumed / 1e6);
    }
    std::sort(ms.begin(), ms.end());
    const auto at = [&ms](double q) {
        return ms.at(std::min<qsizetype>(ms.size() - 1, qsizetype(q * (ms.size() - 1) + 0.5)));
    };
    print(qPrintable(QStringLiteral("%1_median").arg(QString::fromLatin1(label))), at(0.5));
    print(qPrintable(QStringLiteral("%1_p99").arg(QString::fromLatin1(label))), at(0.99));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int restarts = argc > 1 ? std::max(20, QByteArray(argv[1]).toInt()) : 25;
    decodeBenchmarks();
    queueMemory();
    resumeTimes("client_resume_ms", BackoffPolicy {}, restarts);
    resumeTimes("client_resume_fast_ms", BackoffPolicy {50, 2.0, 500, 0}, restarts);
    return 0;
}
