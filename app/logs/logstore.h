#pragma once

// Append-only, chunked storage for millions of log entries.
//
// Each entry is a 40-byte fixed record plus its UTF-8 message in its chunk's text buffer;
// source/host/stream/epoch are interned 16-bit ids. Chunks are fixed-size so the oldest can
// be dropped in O(1) when the capacity cap is reached, without moving newer entries.
//
// Positions are absolute (uint64, monotonically increasing since the store was created) so a
// position stays valid across drops; callers that keep 32-bit positions (the model's index
// vector) use the low 32 bits and compare relative to firstPosition().

#include "logcommon.h"
#include "stringtable.h"

#include <QByteArrayView>

#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace opsdeck::logs {

struct LogRecord
{
    int64_t seq;
    int64_t timestampMs;
    uint32_t messageOffset; // into the chunk's text
    uint32_t messageLength;
    uint16_t epochId;
    uint16_t streamId;
    uint16_t sourceId;
    uint16_t hostId;
    int16_t utcOffsetMin;
    uint16_t lineCount; // saturates at 65535
    LogLevel level;
    LogKind kind;
    uint8_t flags;
    uint8_t reserved;

    static constexpr uint8_t HasOffset = 0x1;
    static constexpr uint8_t HasTimestamp = 0x2;
};
static_assert(sizeof(LogRecord) == 40, "keep the per-entry record compact");

class LogStore
{
public:
    explicit LogStore(int chunkSize = 8192);
    ~LogStore();

    // Returns the absolute position of the new entry.
    uint64_t append(const LogEntryInput &entry);
    uint64_t appendGap(const LogEntryInput &entry, const GapInfo &gap);

    // Drops the oldest chunk (sealed or not); returns how many entries left.
    int dropOldestChunk();
    void clear();

    uint64_t firstPosition() const { return m_first; }
    uint64_t endPosition() const { return m_first + m_size; }
    uint64_t size() const { return m_size; }
    uint64_t oldestChunkCount() const { return m_chunks.empty() ? 0 : m_chunks.front()->records.size(); }
    int chunkSize() const { return m_chunkSize; }
    bool contains(uint64_t position) const { return position >= m_first && position < m_first + m_size; }

    const LogRecord &record(uint64_t position) const;
    std::string_view messageUtf8(uint64_t position) const;
    QString message(uint64_t position) const;
    const GapInfo *gapInfo(uint64_t position) const;

    const StringTable &epochs() const { return m_epochs; }
    const StringTable &streams() const { return m_streams; }
    const StringTable &sources() const { return m_sources; }
    const StringTable &hosts() const { return m_hosts; }

    // Bytes held by records, text, string tables and gap side-table (capacity, not just size).
    std::size_t bytesUsed() const;

    // Iteration helper for hot loops (filtering, export): calls fn(position, record, message)
    // for [from, to) chunk by chunk, avoiding per-entry chunk lookups.
    template<typename Fn>
    void forEach(uint64_t from, uint64_t to, Fn &&fn) const;

private:
    struct Chunk
    {
        std::vector<LogRecord> records;
        std::string text;
    };
    void seal(Chunk &chunk);
    const Chunk &chunkFor(uint64_t position, std::size_t &indexInChunk) const;

    int m_chunkSize;
    std::deque<std::unique_ptr<Chunk>> m_chunks;
    uint64_t m_first = 0;
    uint64_t m_size = 0;
    std::size_t m_sealedBytes = 0;
    StringTable m_epochs;
    StringTable m_streams;
    StringTable m_sources;
    StringTable m_hosts;
    std::map<uint64_t, GapInfo> m_gaps;
};

template<typename Fn>
void LogStore::forEach(uint64_t from, uint64_t to, Fn &&fn) const
{
    if (from < m_first)
        from = m_first;
    if (to > endPosition())
        to = endPosition();
    uint64_t position = from;
    while (position < to) {
        const uint64_t rel = position - m_first;
        const Chunk &chunk = *m_chunks[std::size_t(rel / uint64_t(m_chunkSize))];
        std::size_t i = std::size_t(rel % uint64_t(m_chunkSize));
        const std::size_t end = std::min<std::size_t>(chunk.records.size(), i + std::size_t(to - position));
        const char *text = chunk.text.data();
        for (; i < end; ++i, ++position) {
            const LogRecord &r = chunk.records[i];
            fn(position, r, std::string_view(text + r.messageOffset, r.messageLength));
        }
    }
}

} // namespace opsdeck::logs
