#include "outgoingqueue.h"

#include <algorithm>

namespace opsdeck::transport {

OutgoingQueue::OutgoingQueue(QueueLimits limits)
    : m_limits(limits)
{
}

OutgoingQueue::Result OutgoingQueue::push(OutgoingMessage message)
{
    // Reject rather than evict: evicting an older command would be a silent drop of something
    // the operator already asked for; rejecting the new one tells its sender right away.
    if (m_limits.maxMessages > 0 && count() >= m_limits.maxMessages)
        return Result::CountExceeded;
    const qint64 size = message.frame.size();
    if (m_limits.maxBytes > 0 && m_bytes + size > m_limits.maxBytes)
        return Result::BytesExceeded;
    m_bytes += size;
    m_messages.push_back(std::move(message));
    return Result::Accepted;
}

std::optional<OutgoingMessage> OutgoingQueue::takeFirst()
{
    if (m_messages.empty())
        return std::nullopt;
    OutgoingMessage message = std::move(m_messages.front());
    m_messages.pop_front();
    m_bytes -= message.frame.size();
    return message;
}

QList<OutgoingMessage> OutgoingQueue::takeExpired(qint64 nowMs)
{
    QList<OutgoingMessage> expired;
    for (auto it = m_messages.begin(); it != m_messages.end();) {
        if (it->expiresMs > 0 && it->expiresMs <= nowMs) {
            m_bytes -= it->frame.size();
            expired.append(std::move(*it));
            it = m_messages.erase(it);
        } else {
            ++it;
        }
    }
    return expired;
}

std::optional<OutgoingMessage> OutgoingQueue::take(const QString &id)
{
    if (id.isEmpty())
        return std::nullopt;
    const auto it = std::find_if(m_messages.begin(), m_messages.end(),
                                 [&](const OutgoingMessage &m) { return m.id == id; });
    if (it == m_messages.end())
        return std::nullopt;
    OutgoingMessage message = std::move(*it);
    m_messages.erase(it);
    m_bytes -= message.frame.size();
    return message;
}

QList<OutgoingMessage> OutgoingQueue::takeAll()
{
    QList<OutgoingMessage> all;
    all.reserve(count());
    for (auto &m : m_messages)
        all.append(std::move(m));
    m_messages.clear();
    m_bytes = 0;
    return all;
}

qint64 OutgoingQueue::nextExpiryMs() const
{
    qint64 next = 0;
    for (const auto &m : m_messages) {
        if (m.expiresMs > 0 && (next == 0 || m.expiresMs < next))
            next = m.expiresMs;
    }
    return next;
}

QString queueResultName(OutgoingQueue::Result result)
{
    switch (result) {
    case OutgoingQueue::Result::Accepted:
        return QStringLiteral("accepted");
    case OutgoingQueue::Result::CountExceeded:
        return QStringLiteral("queue full (message count limit)");
    case OutgoingQueue::Result::BytesExceeded:
        return QStringLiteral("queue full (byte limit)");
    }
    return {};
}

} // namespace opsdeck::transport
