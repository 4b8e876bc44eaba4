#pragma once

// Plain value types shared by the log file parser (hub/logparse) and the Logs pane's store, model
// and exporter (app/logs). Qt Core only: the hub links this too.

#include <QString>

#include <cstdint>
#include <string_view>

namespace opsdeck::logs {

// Ordered by severity so "at least warn" is a comparison; Unknown sorts first and, like the hub's
// EntryFilter, an entry without a level is never excluded by a level filter.
enum class LogLevel : uint8_t { Unknown = 0, Trace, Debug, Info, Warn, Error, Fatal };
constexpr int kLevelCount = 7;

enum class LogKind : uint8_t { Entry = 0, Gap = 1 };

// Protocol names (docs/protocol.md §4.1); Unknown maps to "".
QString levelName(LogLevel level);
std::string_view levelNameUtf8(LogLevel level);
// Accepts the protocol names plus common spellings (warning, err, critical, notice, …).
LogLevel levelFromName(std::string_view name);
LogLevel levelFromName(QStringView name);

// One entry as handed to LogStore::append. Views must stay valid only for the call.
struct LogEntryInput
{
    int64_t seq = 0;
    int64_t timestampMs = 0;  // ms since the Unix epoch, UTC
    int16_t utcOffsetMin = 0; // the offset the timestamp was written with (files); 0 for Z
    bool hasOffset = false;   // false: the source gave no offset (local time or none)
    bool hasTimestamp = true;
    LogLevel level = LogLevel::Unknown;
    LogKind kind = LogKind::Entry;
    std::string_view epoch;
    std::string_view stream;
    std::string_view source;
    std::string_view host;
    std::string_view message; // UTF-8, may contain '\n'
};

} // namespace opsdeck::logs
