#include "logstore.h"

#include <algorithm>
#include <cstring>

namespace opsdeck::logs {

LogStore::LogStore(int chunkSize)
    : m_chunkSize(std::max(1, chunkSize))
{
}

LogStore::~LogStore() = default;

uint64_t LogStore::append(const LogEntryInput &entry)
{
    // Only the newest chunk can be partially filled: positions map to chunks by division,
    // which is why the first chunk never shrinks from the front and drops are whole chunks.
    if (m_chunks.empty() || m_chunks.back()->records.size() == std::size_t(m_chunkSize)) {
        if (!m_chunks.empty())
            seal(*m_chunks.back());
        auto chunk = std::make_unique<Chunk>();
        chunk->records.reserve(std::size_t(m_chunkSize));
        m_chunks.push_back(std::move(chunk));
    }
    Chunk &chunk = *m_chunks.back();

    std::string_view message = entry.message;
    // A chunk's text is addressed with 32-bit offsets; a single absurd message is truncated
    // rather than overflowing them (4 GiB per chunk is far beyond any sane chunk).
    const std::size_t room = std::size_t(UINT32_MAX) - chunk.text.size();
    if (message.size() > room)
        message = message.substr(0, room);

    LogRecord r{};
    r.seq = entry.seq;
    r.timestampMs = entry.timestampMs;
    r.messageOffset = uint32_t(chunk.text.size());
    r.messageLength = uint32_t(message.size());
    r.epochId = m_epochs.intern(entry.epoch);
    r.streamId = m_streams.intern(entry.stream);
    r.sourceId = m_sources.intern(entry.source);
    r.hostId = m_hosts.intern(entry.host);
    r.utcOffsetMin = entry.utcOffsetMin;
    const auto newlines = std::count(message.begin(), message.end(), '\n');
    r.lineCount = uint16_t(std::min<int64_t>(65535, int64_t(newlines) + 1));
    r.level = entry.level;
    r.kind = entry.kind;
    r.flags = uint8_t((entry.hasOffset ? LogRecord::HasOffset : 0) | (entry.hasTimestamp ? LogRecord::HasTimestamp : 0));
    chunk.text.append(message);
    chunk.records.push_back(r);
    return m_first + m_size++;
}

uint64_t LogStore::appendGap(const LogEntryInput &entry, const GapInfo &gap)
{
    LogEntryInput input = entry;
    input.kind = LogKind::Gap;
    const uint64_t position = append(input);
    m_gaps.emplace(position, gap);
    return position;
}

void LogStore::seal(Chunk &chunk)
{
    // std::string growth leaves up to half its capacity unused; a sealed chunk never grows
    // again, so give the slack back once (one copy per chunk, amortised over chunkSize entries).
    chunk.text.shrink_to_fit();
    m_sealedBytes += chunk.text.capacity() + chunk.records.capacity() * sizeof(LogRecord);
}

int LogStore::dropOldestChunk()
{
    if (m_chunks.empty())
        return 0;
    Chunk &chunk = *m_chunks.front();
    const int count = int(chunk.records.size());
    if (m_chunks.size() > 1)
        m_sealedBytes -= chunk.text.capacity() + chunk.records.capacity() * sizeof(LogRecord);
    m_chunks.pop_front();
    m_gaps.erase(m_gaps.begin(), m_gaps.lower_bound(m_first + uint64_t(count)));
    m_first += uint64_t(count);
    m_size -= uint64_t(count);
    return count;
}

void LogStore::clear()
{
    m_first += m_size;
    m_size = 0;
    m_chunks.clear();
    m_gaps.clear();
    m_sealedBytes = 0;
}

const LogStore::Chunk &LogStore::chunkFor(uint64_t position, std::size_t &indexInChunk) const
{
    Q_ASSERT(contains(position));
    const uint64_t rel = position - m_first;
    indexInChunk = std::size_t(rel % uint64_t(m_chunkSize));
    return *m_chunks[std::size_t(rel / uint64_t(m_chunkSize))];
}

const LogRecord &LogStore::record(uint64_t position) const
{
    std::size_t i;
    return chunkFor(position, i).records[i];
}

std::string_view LogStore::messageUtf8(uint64_t position) const
{
    std::size_t i;
    const Chunk &chunk = chunkFor(position, i);
    const LogRecord &r = chunk.records[i];
    return std::string_view(chunk.text.data() + r.messageOffset, r.messageLength);
}

QString LogStore::message(uint64_t position) const
{
    const std::string_view utf8 = messageUtf8(position);
    return QString::fromUtf8(utf8.data(), qsizetype(utf8.size()));
}

const GapInfo *LogStore::gapInfo(uint64_t position) const
{
    auto it = m_gaps.find(position);
    return it == m_gaps.end() ? nullptr : &it->second;
}

std::size_t LogStore::bytesUsed() const
{
    std::size_t bytes = m_sealedBytes + m_chunks.size() * sizeof(Chunk);
    if (!m_chunks.empty()) {
        // The newest chunk is never sealed (sealing happens when its successor is created).
        const Chunk &open = *m_chunks.back();
        bytes += open.text.capacity() + open.records.capacity() * sizeof(LogRecord);
    }
    bytes += m_epochs.bytesUsed() + m_streams.bytesUsed() + m_sources.bytesUsed() + m_hosts.bytesUsed();
    bytes += m_gaps.size() * (sizeof(GapInfo) + 64);
    return bytes;
}

} // namespace opsdeck::logs
