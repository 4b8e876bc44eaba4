#pragma once

// Counters behind the `stats` query and the HTTP /metrics endpoint (hub/observability).
// Header-only and plain data: the hub's thread is the only writer and the only reader.

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>
#include <QString>

#include <array>

namespace opsdeck::hub {

// A Prometheus-style histogram of how long the hub spent handling one inbound message.
struct LatencyHistogram
{
    // Upper bounds in seconds; handling is usually tens of microseconds, a slow query milliseconds.
    static constexpr std::array<double, 12> kBounds{0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025,
                                                    0.005,   0.01,   0.025,   0.05,   0.1,   1.0};
    std::array<qint64, kBounds.size()> buckets{}; // per bucket, not cumulative; the writer sums
    qint64 count = 0;
    double sumSeconds = 0;

    void observe(double seconds)
    {
        ++count;
        sumSeconds += seconds;
        for (size_t i = 0; i < kBounds.size(); ++i) {
            if (seconds <= kBounds[i]) {
                ++buckets[i];
                return;
            }
        }
        // Above the last bound: counted only in count (the +Inf bucket).
    }
};

struct TypeCounter
{
    qint64 messages = 0;
    qint64 bytes = 0;
};

struct HubStats
{
    qint64 messagesIn = 0;
    qint64 messagesOut = 0;
    qint64 bytesIn = 0;
    qint64 bytesOut = 0;
    qint64 connectionsAccepted = 0;
    qint64 authFailures = 0;  // upgrades refused for a missing/wrong secret or token, bad `auth` tokens
    qint64 backlogPauses = 0; // times a connection's unsent bytes crossed the high-water mark
    qint64 resumesRecovered = 0; // subscribes with `since` answered recovered:true (reconnects)
    qint64 resumesLost = 0;      // … answered recovered:false (a gap followed)
    qint64 agentConnections = 0;         // open connections on /api/v1/ws/agent (AgentEndpoint)
    qint64 agentConnectionsAccepted = 0; // agent connections that passed authentication
    QHash<QString, qint64> errorsByCode;
    QHash<int, qint64> closesByCode;
    // By message type. Inbound types are only those the hub has a handler for, plus "unknown"
    // and "invalid", so a client cannot grow these maps (or the /metrics label set) at will.
    QHash<QString, TypeCounter> inByType;
    QHash<QString, TypeCounter> outByType;
    QHash<QString, LatencyHistogram> handlingByType;
    // messages_per_s_out, sampled once a second by the server.
    double messagesPerSecondOut = 0;
    qint64 lastSampleMessagesOut = 0;

    static constexpr int kMaxTypes = 64; // beyond this many distinct types: "other"

    void countIn(const QString &type, qint64 bytes, double handlingSeconds)
    {
        bytesIn += bytes;
        const QString key = bounded(inByType, type);
        TypeCounter &counter = inByType[key];
        ++counter.messages;
        counter.bytes += bytes;
        handlingByType[key].observe(handlingSeconds);
    }

    // messagesOut/bytesOut are counted by the session; this adds the per-type split.
    void countOutType(const QByteArray &frame)
    {
        const QString type = QString::fromLatin1(frameType(frame));
        TypeCounter &counter = outByType[bounded(outByType, type.isEmpty() ? QStringLiteral("unknown") : type)];
        ++counter.messages;
        counter.bytes += frame.size();
    }

    // The top-level "type" of a compact JSON frame, without parsing it: frames the hub builds by
    // hand start with it; QJsonDocument output has sorted keys, so it is found by a depth-aware
    // scan that skips nested objects (a batch's entries have types of their own).
    static QByteArrayView frameType(QByteArrayView frame)
    {
        static constexpr QByteArrayView kKey = "\"type\":\"";
        int depth = 0;
        bool inString = false;
        for (qsizetype i = 0; i < frame.size(); ++i) {
            const char c = frame[i];
            if (inString) {
                if (c == '\\')
                    ++i;
                else if (c == '"')
                    inString = false;
                continue;
            }
            if (c == '"') {
                const char before = i > 0 ? frame[i - 1] : ' ';
                if (depth == 1 && (before == '{' || before == ',') && frame.sliced(i).startsWith(kKey)) {
                    const qsizetype start = i + kKey.size();
                    const qsizetype end = frame.indexOf('"', start);
                    return end < 0 ? QByteArrayView() : frame.sliced(start, end - start);
                }
                inString = true;
            } else if (c == '{' || c == '[') {
                ++depth;
            } else if (c == '}' || c == ']') {
                --depth;
            }
        }
        return {};
    }

private:
    template<typename Map>
    static QString bounded(const Map &map, const QString &key)
    {
        return map.contains(key) || map.size() < kMaxTypes ? key : QStringLiteral("other");
    }
};

} // namespace opsdeck::hub
