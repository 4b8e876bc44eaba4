#include "relayrun.h"

#include "procstats.h"
#include "relaypaths.h"
#include "subscriber.h"

#include <QFile>
#include <QFileInfo>
#include <QTextStream>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>

#include <algorithm>
#include <memory>
#include <unistd.h>

namespace opsdeck::bench {

namespace {
double percentileMs(std::vector<qint64> &values, double p)
{
    if (values.empty())
        return 0;
    const auto k = std::min(values.size() - 1, size_t(p * double(values.size())));
    std::nth_element(values.begin(), values.begin() + qsizetype(k), values.end());
    return double(values[k]) / 1e6;
}

QByteArray randomSecret()
{
    QByteArray bytes(16, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), bytes.size() / 4);
    return bytes.toHex();
}

// `ms_since_window_start  oldest_entry_latency_ms  entries`, one line per frame.
void writeTrace(const QString &path, qint64 t0, const SubscriberStats &stats)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return;
    QTextStream out(&file);
    out << "# ms_since_window_start\toldest_entry_latency_ms\tentries\n";
    for (const SubscriberStats::Frame &frame : stats.frameTrace)
        out << double(frame.receivedNs - t0) / 1e6 << '\t' << double(frame.oldestLatencyNs) / 1e6 << '\t'
            << frame.entries << '\n';
}

// Reads the CPU time of whatever the relay is: a thread of this process or a child process.
struct CpuProbe
{
    qint64 pid = 0;
    qint64 tid = 0;
    double seconds() const
    {
        if (tid)
            return threadCpuSeconds(tid);
        if (pid)
            return processCpuSeconds(pid);
        return 0;
    }
};
} // namespace

QString pathName(Path path)
{
    switch (path) {
    case Path::Direct: return QStringLiteral("direct");
    case Path::Opsdeck: return QStringLiteral("opsdeck");
    case Path::OpsdeckUnbatchedLink: return QStringLiteral("opsdeck-unbatched-link");
    case Path::Node: return QStringLiteral("node");
    }
    return {};
}

RunResult runPath(Path path, const ChildServer &source, const RunSettings &settings)
{
    RunResult r;
    // The path's relay, if any; the client connects to `url` presenting `secret`.
    std::unique_ptr<OpsdeckRelay> opsdeck;
    std::unique_ptr<ChildServer> node;
    QUrl url = source.url();
    QByteArray secret = settings.secret;
    CpuProbe relayCpu;
    if (path == Path::Opsdeck || path == Path::OpsdeckUnbatchedLink) {
        opsdeck = std::make_unique<OpsdeckRelay>();
        secret = randomSecret(); // the embedded hub's own per-launch secret
        if (!opsdeck->start(source.url(), settings.secret, secret, path == Path::Opsdeck)) {
            r.error = QStringLiteral("Opsdeck relay did not start: %1").arg(opsdeck->errorString());
            return r;
        }
        url = opsdeck->url();
        relayCpu.tid = opsdeck->threadTid();
        // Measure the steady state, not the link's first connection.
        if (!waitUntil([&] { return opsdeck->state().value(QLatin1StringView("logs_subscribed")).toBool(); }, 20000)) {
            r.error = QStringLiteral("the Opsdeck relay's link did not subscribe upstream: %1")
                          .arg(QString::fromUtf8(QJsonDocument(opsdeck->state()).toJson(QJsonDocument::Compact)));
            return r;
        }
    } else if (path == Path::Node) {
        if (settings.nodeProgram.isEmpty() || !QFileInfo::exists(settings.nodeRelayScript)) {
            r.error = QStringLiteral("node or %1 missing").arg(settings.nodeRelayScript);
            return r;
        }
        node = std::make_unique<ChildServer>(
            QStringLiteral("relay-node"), settings.nodeProgram,
            QStringList{settings.nodeRelayScript, QStringLiteral("--upstream"), source.url().toString(),
                        QStringLiteral("--secret-file"), settings.secretFile},
            QFileInfo(settings.nodeRelayScript).absolutePath());
        if (!node->start()) {
            r.error = QStringLiteral("Node relay did not start: %1").arg(node->errorString());
            return r;
        }
        url = node->url();
        secret.clear(); // the minimal relay asks nothing of its own clients
        relayCpu.pid = node->pid();
    }

    // Declared after the relays: destroyed (and disconnected) before them.
    Subscriber client;
    client.open(url, secret, settings.batch);
    if (!waitUntil([&] { return client.subscribed() || client.failed(); }, 15000) || client.failed()) {
        r.error = QStringLiteral("client did not subscribe: %1").arg(client.failed() ? client.failure() : QStringLiteral("timeout"));
        return r;
    }
    if (!waitUntil([&] { return client.entriesSeen() > 0 || client.disconnected(); }, 20000) || client.disconnected()) {
        r.error = QStringLiteral("no entries reached the client within 20 s");
        return r;
    }
    sleepMs(settings.warmupMs);

    const qint64 clientTid = currentThreadTid();
    const double sourceStart = processCpuSeconds(source.pid());
    const double relayStart = relayCpu.seconds();
    const double clientStart = threadCpuSeconds(clientTid);
    const qint64 t0 = steadyNowNs();
    client.startMeasuring(settings.rate * (settings.measureMs + 1000) / 1000, !settings.tracePath.isEmpty());
    sleepMs(settings.measureMs);
    client.stopMeasuring();
    const double wall = double(steadyNowNs() - t0) / 1e9;
    r.sourceCpuPercent = 100.0 * (processCpuSeconds(source.pid()) - sourceStart) / wall;
    r.relayCpuPercent = relayCpu.pid || relayCpu.tid ? 100.0 * (relayCpu.seconds() - relayStart) / wall : 0;
    r.clientCpuPercent = 100.0 * (threadCpuSeconds(clientTid) - clientStart) / wall;
    if (node)
        r.relayRssKiB = rssKiB(node->pid());
    if (opsdeck) {
        r.benchRssKiB = rssKiB(getpid());
        const QJsonObject state = opsdeck->state();
        r.relayState = QStringLiteral("link %1, entries_relayed %2, gaps %3, unsent_bytes %4")
                           .arg(state.value(QLatin1StringView("state")).toString())
                           .arg(state.value(QLatin1StringView("entries_relayed")).toInteger())
                           .arg(state.value(QLatin1StringView("gaps")).toInteger())
                           .arg(state.value(QLatin1StringView("unsent_bytes")).toInteger());
    }

    SubscriberStats &stats = client.stats();
    if (!settings.tracePath.isEmpty())
        writeTrace(settings.tracePath, t0, stats);
    r.entries = stats.entries;
    r.lost = stats.lost;
    r.lostUnannounced = stats.lostUnannounced;
    r.duplicates = stats.duplicates;
    r.gaps = stats.gaps;
    r.errors = stats.errors;
    r.scanMismatches = stats.scanMismatches;
    if (client.disconnected()) {
        r.error = QStringLiteral("the client was disconnected during the window");
        return r;
    }
    if (stats.entries == 0) {
        r.error = QStringLiteral("no entries arrived in the %1 ms window").arg(settings.measureMs);
        return r;
    }
    r.deliveredPerS = double(stats.entries) / wall;
    r.p50Ms = percentileMs(stats.latencyNs, 0.50);
    r.p99Ms = percentileMs(stats.latencyNs, 0.99);
    r.maxMs = stats.latencyNs.empty() ? 0 : double(*std::max_element(stats.latencyNs.begin(), stats.latencyNs.end())) / 1e6;
    r.ok = true;
    client.close();
    waitUntil([&] { return client.disconnected(); }, 2000);
    return r; // then the relay stops: the Opsdeck relay's thread ends, the Node relay gets SIGTERM
}

} // namespace opsdeck::bench
