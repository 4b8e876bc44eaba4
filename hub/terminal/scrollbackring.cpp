#include "scrollbackring.h"

#include <algorithm>
#include <cstring>

namespace opsdeck::terminal {

ScrollbackRing::ScrollbackRing(qint64 capacity)
    : m_capacity(std::max<qint64>(1, capacity))
{
    // Allocated lazily as output arrives: most terminals never fill a megabyte.
}

void ScrollbackRing::append(const char *data, qint64 size)
{
    if (size <= 0)
        return;
    if (size > m_capacity) {
        // Only the newest `capacity` bytes can be kept.
        data += size - m_capacity;
        m_head += size - m_capacity;
        size = m_capacity;
    }
    // Until the ring wraps, bytes sit at [0, head): grow geometrically up to the capacity.
    const qint64 needed = std::min(m_capacity, m_head + size);
    if (m_buffer.size() < needed)
        m_buffer.resize(std::min(m_capacity, std::max<qint64>(needed, m_buffer.size() * 2)));
    qint64 at = m_head % m_capacity;
    qint64 done = 0;
    while (done < size) {
        const qint64 n = std::min(size - done, m_capacity - at);
        std::memcpy(m_buffer.data() + at, data + done, size_t(n));
        done += n;
        at = (at + n) % m_capacity;
    }
    m_head += size;
}

QByteArray ScrollbackRing::read(qint64 from, qint64 maxBytes) const
{
    from = std::max(from, oldest());
    const qint64 size = std::min(maxBytes, m_head - from);
    if (size <= 0)
        return {};
    QByteArray out(size, Qt::Uninitialized);
    qint64 at = from % m_capacity;
    qint64 done = 0;
    while (done < size) {
        const qint64 n = std::min(size - done, m_capacity - at);
        std::memcpy(out.data() + done, m_buffer.constData() + at, size_t(n));
        done += n;
        at = (at + n) % m_capacity;
    }
    return out;
}

} // namespace opsdeck::terminal
