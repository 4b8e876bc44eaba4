#pragma once

// Fast timestamp parsing and formatting for log lines. QDateTime::fromString is far too slow for
// millions of lines, so ISO 8601, syslog, nginx error-log and access-log (CLF) stamps are parsed
// by hand into ms since the epoch.

#include <QString>

#include <cstdint>
#include <string_view>

namespace opsdeck::logs {

struct ParsedTime
{
    int64_t msUtc = 0;
    int16_t offsetMin = 0;
    bool hasOffset = false;
    std::size_t length = 0; // characters consumed; 0 = no timestamp
};

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t daysFromCivil(int year, unsigned month, unsigned day);

// "2025-10-01T12:00:00.123+02:00", "…Z", "2025-10-01 12:00:00,123", "…+0200". Without an offset
// the time is read as local time (what people mean in a log file) and hasOffset stays false.
ParsedTime parseIsoTimestamp(std::string_view text);
// "2025/10/01 12:00:00" as nginx writes its error log: like parseIsoTimestamp (local time unless an
// offset follows) but with slashes, and only a space before the time.
ParsedTime parseSlashTimestamp(std::string_view text);
// "01/Oct/2025:12:00:00 +0200", the Common/Combined Log Format's %t without its brackets (an
// optional ".123" fraction before the offset is read too). The offset is mandatory.
ParsedTime parseClfTimestamp(std::string_view text);
// "Nov 21 12:00:01" (RFC 3164). The year is not written: the current one is assumed, or the
// previous one when that would put the entry more than a day in the future (December logs
// read in January).
ParsedTime parseSyslogTimestamp(std::string_view text);

// Local offset (seconds east of UTC) in effect for a local wall-clock time; cached per hour.
int localOffsetSecondsForLocal(int64_t localMs);

// "2025-10-01T10:00:00.123Z" or, with keepOffset, in the recorded offset ("…12:00:00.123+02:00").
QString formatIso(int64_t msUtc, int16_t offsetMin, bool keepOffset);
// Display form "2025-10-01 12:00:00.123" in UTC or local time.
QString formatDisplay(int64_t msUtc, bool utc);

} // namespace opsdeck::logs
