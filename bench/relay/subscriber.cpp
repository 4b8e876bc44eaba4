#include "subscriber.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QWebSocketHandshakeOptions>

#include <chrono>

namespace opsdeck::bench {

namespace {
constexpr QLatin1StringView kBenchNeedle("\"bench ");
constexpr QLatin1StringView kSeqNeedle("\"seq\":");
constexpr QLatin1StringView kOriginNeedle("\"origin\":{");

qint64 nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// The decimal number at `pos` (after optional spaces); `end` receives the index after it.
qint64 readNumber(QStringView text, qsizetype pos, qsizetype *end)
{
    while (pos < text.size() && text[pos] == u' ')
        ++pos;
    qint64 value = 0;
    while (pos < text.size() && text[pos].isDigit()) {
        value = value * 10 + (text[pos].unicode() - '0');
        ++pos;
    }
    *end = pos;
    return value;
}
} // namespace

Subscriber::Subscriber(QObject *parent)
    : QObject(parent)
{
    connect(&m_socket, &QWebSocket::connected, this, [this] { m_socket.sendTextMessage(QString::fromLatin1(m_subscribeMessage)); });
    connect(&m_socket, &QWebSocket::textMessageReceived, this, &Subscriber::onText);
    connect(&m_socket, &QWebSocket::disconnected, this, [this] {
        m_disconnected = true;
        if (!m_subscribed && !m_failed) {
            m_failed = true;
            m_failure = QStringLiteral("closed before subscribing (%1 %2)")
                            .arg(int(m_socket.closeCode()))
                            .arg(m_socket.closeReason().isEmpty() ? m_socket.errorString() : m_socket.closeReason());
        }
    });
}

Subscriber::~Subscriber()
{
    m_socket.disconnect(this);
    m_socket.abort();
}

void Subscriber::open(const QUrl &url, const QByteArray &secret, bool batch)
{
    m_subscribeMessage = QByteArray(R"({"type":"subscribe","id":"bench-sub","topic":"logs","history":0,"batch":)")
        + (batch ? "true}" : "false}");
    QNetworkRequest request(url);
    if (!secret.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + secret);
    QWebSocketHandshakeOptions handshake;
    handshake.setSubprotocols({QStringLiteral("opsdeck.v1.json")});
    m_socket.open(request, handshake);
}

void Subscriber::close()
{
    m_socket.close();
}

void Subscriber::startMeasuring(qint64 expectedEntries, bool traceFrames)
{
    m_traceFrames = traceFrames;
    m_stats = SubscriberStats{};
    m_stats.latencyNs.reserve(size_t(std::min<qint64>(expectedEntries, 50'000'000)));
    m_measuring = true;
}

void Subscriber::onText(const QString &frame)
{
    const qint64 receivedNs = nowNs();
    if (!frame.contains(kBenchNeedle)) {
        onControl(frame); // responses, errors, gap markers: rare, so parsed properly
        return;
    }
    if (m_subscribed)
        scanEntries(frame, receivedNs);
}

void Subscriber::onControl(const QString &frame)
{
    const QJsonObject message = QJsonDocument::fromJson(frame.toUtf8()).object();
    const QString type = message.value(QLatin1StringView("type")).toString();
    if (type == QLatin1StringView("response")
        && message.value(QLatin1StringView("id")).toString() == QLatin1StringView("bench-sub")) {
        if (message.value(QLatin1StringView("ok")).toBool()) {
            m_subscribed = true;
        } else {
            m_failed = true;
            m_failure = QString::fromUtf8(frame.toUtf8().left(300));
        }
    } else if (type == QLatin1StringView("gap")) {
        ++m_stats.gaps;
        m_gapAnnounced = true;
    } else if (type == QLatin1StringView("error")) {
        ++m_stats.errors;
        if (!m_subscribed) {
            m_failed = true;
            m_failure = QString::fromUtf8(frame.toUtf8().left(300));
        }
    }
}

void Subscriber::scanEntries(QStringView frame, qint64 receivedNs)
{
    qint64 count = 0;
    qint64 firstLatencyNs = 0;
    for (qsizetype pos = frame.indexOf(kBenchNeedle); pos >= 0; pos = frame.indexOf(kBenchNeedle, pos)) {
        qsizetype end = 0;
        const qint64 publishNs = readNumber(frame, pos + kBenchNeedle.size(), &end);
        if (m_measuring)
            m_stats.latencyNs.push_back(receivedNs - publishNs);
        if (count == 0)
            firstLatencyNs = receivedNs - publishNs;
        ++count;
        pos = end;
    }
    // The source hub's seq of each entry: inside `origin` once the Opsdeck relay republished it
    // (its own `seq` is the local position), else the entry's `seq`.
    qint64 seqs = 0;
    const bool relayed = frame.contains(kOriginNeedle);
    const QLatin1StringView anchor = relayed ? kOriginNeedle : kSeqNeedle;
    for (qsizetype pos = frame.indexOf(anchor); pos >= 0; pos = frame.indexOf(anchor, pos)) {
        qsizetype seqAt = pos;
        if (relayed) {
            const qsizetype close = frame.indexOf(u'}', pos);
            seqAt = frame.indexOf(kSeqNeedle, pos);
            if (seqAt < 0 || (close >= 0 && seqAt > close)) {
                pos += anchor.size();
                continue;
            }
        }
        qsizetype end = 0;
        countSeq(readNumber(frame, seqAt + kSeqNeedle.size(), &end));
        ++seqs;
        pos = end;
    }
    m_entriesSeen += count;
    if (m_measuring) {
        m_stats.entries += count;
        ++m_stats.frames;
        if (m_traceFrames)
            m_stats.frameTrace.push_back({receivedNs, firstLatencyNs, count});
        if (seqs != count)
            ++m_stats.scanMismatches;
    }
}

void Subscriber::countSeq(qint64 seq)
{
    if (m_lastSeq >= 0 && m_measuring) {
        if (seq > m_lastSeq + 1) {
            m_stats.lost += seq - m_lastSeq - 1;
            if (!m_gapAnnounced)
                m_stats.lostUnannounced += seq - m_lastSeq - 1;
        } else if (seq <= m_lastSeq)
            ++m_stats.duplicates;
    }
    if (seq > m_lastSeq)
        m_lastSeq = seq;
    m_gapAnnounced = false;
}

} // namespace opsdeck::bench
