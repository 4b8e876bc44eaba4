#pragma once

// The measuring client of bench_relay: one QWebSocket subscriber of `logs`, the same code for
// every path (direct to the source hub, through the Opsdeck relay, through the Node relay).
//
// It reads each frame without a JSON parse (a full parse of 50,000 entries/s would make the
// client, not the path, the cost): every entry's message starts with `"bench <publish_ns>`
// (hub/demo/benchlogsource.h), and every entry carries the source hub's seq — as `seq` when
// delivered directly or forwarded verbatim (Node relay), as `origin.seq` when republished by the
// Opsdeck relay (docs/protocol.md §15). Holes and repeats in that seq are what `lost` and
// `duplicates` count, so a path cannot lose entries without the figures saying so.

#include <QByteArray>
#include <QObject>
#include <QStringView>
#include <QUrl>
#include <QWebSocket>

#include <vector>

namespace opsdeck::bench {

struct SubscriberStats
{
    qint64 entries = 0;    // entries received while measuring
    qint64 frames = 0;     // entry-carrying frames received while measuring
    qint64 lost = 0;       // source seqs skipped while measuring (holes in the stream)
    qint64 lostUnannounced = 0; // of those, holes no `gap` message announced: silent loss
    qint64 duplicates = 0; // source seqs received again or out of order while measuring
    qint64 gaps = 0;       // `gap` messages (any time after subscribing)
    qint64 errors = 0;     // `error` messages
    qint64 scanMismatches = 0; // frames whose seq count differs from their entry count
    std::vector<qint64> latencyNs;
    // One record per entry-carrying frame while measuring (when tracing): where latency comes from.
    struct Frame
    {
        qint64 receivedNs;
        qint64 oldestLatencyNs; // of the frame's first (oldest) entry
        qint64 entries;
    };
    std::vector<Frame> frameTrace;
};

class Subscriber : public QObject
{
    Q_OBJECT
public:
    explicit Subscriber(QObject *parent = nullptr);
    ~Subscriber() override;

    // Connects with `Authorization: Bearer <secret>` (when not empty) and the opsdeck.v1.json
    // subprotocol, then subscribes `logs` with history 0 and the given batch mode.
    void open(const QUrl &url, const QByteArray &secret, bool batch);
    void close();

    bool subscribed() const { return m_subscribed; }
    bool failed() const { return m_failed; }
    QString failure() const { return m_failure; }
    bool disconnected() const { return m_disconnected; }
    qint64 entriesSeen() const { return m_entriesSeen; } // since subscribing, measuring or not

    // Counting window: entries before startMeasuring() only advance the seq position.
    void startMeasuring(qint64 expectedEntries, bool traceFrames = false);
    void stopMeasuring() { m_measuring = false; }
    SubscriberStats &stats() { return m_stats; }

private:
    void onText(const QString &frame);
    void onControl(const QString &frame);
    void scanEntries(QStringView frame, qint64 receivedNs);
    void countSeq(qint64 seq);

    QWebSocket m_socket;
    bool m_subscribed = false;
    bool m_failed = false;
    bool m_disconnected = false;
    bool m_measuring = false;
    bool m_traceFrames = false;
    QString m_failure;
    QByteArray m_subscribeMessage;
    qint64 m_lastSeq = -1;
    bool m_gapAnnounced = false; // a `gap` arrived since the last entry: the next hole is explained
    qint64 m_entriesSeen = 0;
    SubscriberStats m_stats;
};

} // namespace opsdeck::bench
