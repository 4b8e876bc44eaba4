#pragma once

// The bounded outgoing queue: messages written while the client is not connected wait here,
// in order, until the next connect flushes them. Bounded by count and bytes so an offline
// console cannot grow without limit; each message has a deadline (TTL) after which sending
// it would surprise the operator more than dropping it — the drop is always reported.

#include <QByteArray>
#include <QList>
#include <QString>

#include <deque>
#include <optional>

namespace opsdeck::transport {

struct QueueLimits
{
    int maxMessages = 1000;                // documented default (docs/architecture-client.md)
    qint64 maxBytes = 4 * 1024 * 1024;     // 4 MiB of encoded frames
    qint64 defaultTtlMs = 60000;           // one minute
};

struct OutgoingMessage
{
    QString id;        // request id, empty for fire-and-forget messages
    QString type;
    QByteArray frame;  // the encoded JSON frame, sent as is
    qint64 enqueuedMs = 0;  // monotonic
    qint64 expiresMs = 0;   // monotonic; 0 = never
};

class OutgoingQueue
{
public:
    enum class Result { Accepted, CountExceeded, BytesExceeded };

    explicit OutgoingQueue(QueueLimits limits = {});

    Result push(OutgoingMessage message);
    std::optional<OutgoingMessage> takeFirst();
    // Removes every message whose deadline is at or before `nowMs`, oldest first.
    QList<OutgoingMessage> takeExpired(qint64 nowMs);
    // Removes the message with this request id (cancel before it was sent).
    std::optional<OutgoingMessage> take(const QString &id);
    QList<OutgoingMessage> takeAll();

    // The earliest deadline, or 0 when nothing expires.
    qint64 nextExpiryMs() const;
    int count() const { return int(m_messages.size()); }
    qint64 bytes() const { return m_bytes; }
    bool isEmpty() const { return m_messages.empty(); }

    const QueueLimits &limits() const { return m_limits; }
    void setLimits(const QueueLimits &limits) { m_limits = limits; }

private:
    QueueLimits m_limits;
    std::deque<OutgoingMessage> m_messages;
    qint64 m_bytes = 0;
};

QString queueResultName(OutgoingQueue::Result result);

} // namespace opsdeck::transport
