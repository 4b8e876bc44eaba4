#pragma once

// A block of parsed entries handed from a parser (possibly on a worker thread) to the model.
// All strings of the block live in one buffer so parsing does not allocate per line.

#include "logtypes.h"

#include <QMetaType>

#include <memory>
#include <string>
#include <vector>

namespace opsdeck::logs {

struct LogBatch
{
    struct Item
    {
        int64_t seq = 0;
        int64_t timestampMs = 0;
        int16_t utcOffsetMin = 0;
        bool hasOffset = false;
        bool hasTimestamp = false;
        LogLevel level = LogLevel::Unknown;
        uint32_t messageOffset = 0, messageLength = 0;
        uint32_t sourceOffset = 0, sourceLength = 0;
        uint32_t hostOffset = 0, hostLength = 0;
    };

    std::string epoch;  // for a file: the file name, so its entries are told apart from live ones
    std::string stream; // "file" for loaded files
    std::string text;
    std::vector<Item> items;

    uint32_t addText(std::string_view s)
    {
        const auto offset = uint32_t(text.size());
        text.append(s);
        return offset;
    }
    std::string_view view(uint32_t offset, uint32_t length) const { return std::string_view(text).substr(offset, length); }
    LogEntryInput input(const Item &item) const
    {
        LogEntryInput in;
        in.seq = item.seq;
        in.timestampMs = item.timestampMs;
        in.utcOffsetMin = item.utcOffsetMin;
        in.hasOffset = item.hasOffset;
        in.hasTimestamp = item.hasTimestamp;
        in.level = item.level;
        in.epoch = epoch;
        in.stream = stream;
        in.source = view(item.sourceOffset, item.sourceLength);
        in.host = view(item.hostOffset, item.hostLength);
        in.message = view(item.messageOffset, item.messageLength);
        return in;
    }
};

using LogBatchPtr = std::shared_ptr<const LogBatch>;

} // namespace opsdeck::logs

Q_DECLARE_METATYPE(opsdeck::logs::LogBatchPtr)
