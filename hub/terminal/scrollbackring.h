#pragma once

// The newest N bytes of a terminal's output, addressed by their absolute offset in the output
// stream (the `seq` of docs/protocol.md §11.2), so a re-attach replays exactly what is kept.

#include <QByteArray>

namespace opsdeck::terminal {

class ScrollbackRing
{
public:
    explicit ScrollbackRing(qint64 capacity);

    void append(const char *data, qint64 size);
    void append(const QByteArray &bytes) { append(bytes.constData(), bytes.size()); }
    // Up to `maxBytes` bytes starting at stream offset `from` (clamped to what is retained).
    QByteArray read(qint64 from, qint64 maxBytes) const;

    qint64 capacity() const { return m_capacity; }
    // Offset one past the newest byte: the total number of bytes ever appended.
    qint64 head() const { return m_head; }
    // Offset of the oldest retained byte.
    qint64 oldest() const { return m_head > m_capacity ? m_head - m_capacity : 0; }

private:
    QByteArray m_buffer;
    qint64 m_capacity;
    qint64 m_head = 0;
};

} // namespace opsdeck::terminal
