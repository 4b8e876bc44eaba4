#pragma once

// Streaming parser for log files (the console's klogg/lnav-like viewing, the hub's tailing): ISO 8601 and syslog lines,
// nginx error-log lines, nginx/Apache access lines (CLF/Combined, level from the HTTP status), JSON lines, level words,
// and multi-line grouping of stack traces into one entry.
//
// Blocks of bytes go in, LogBatches come out; lines are handled as byte views into the block,
// so parsing allocates nothing per line (only the rare JSON line builds a QJsonDocument).

#include "logbatch.h"
#include "logtime.h"

#include <memory>
#include <string>
#include <string_view>

namespace opsdeck::logs {

class LogFileParser
{
public:
    struct Line
    {
        bool startsEntry = false; // has a recognised timestamp or is a JSON object line
        ParsedTime time;
        LogLevel level = LogLevel::Unknown;
        std::string_view source;
        std::string_view host;
        std::string_view message; // the line without its timestamp/prefix; may point into `owned`
        std::string owned;        // JSON lines: the decoded message (and exception text)
    };

    // `epoch` names the file in the entries (LogModel shows it as the epoch); stream is "file".
    explicit LogFileParser(std::string epoch = std::string());

    // Feeds the next block of the file; complete lines are parsed, a partial last line is kept.
    void feed(std::string_view block);
    // End of input: parses a last unterminated line and completes the entry being grouped.
    void finish();
    // Completes the entry being grouped without touching a partial line. A tailer calls this when
    // the file has been quiet for a while: the next stamped line, which would normally close the
    // entry, may not come for hours.
    void completeEntry() { flushEntry(); }
    bool hasOpenEntry() const { return m_open; }
    // Bytes of the partial last line held until its newline; a tailer bounds them.
    std::size_t pendingLineBytes() const { return m_carry.size(); }

    // A batch is worth handing over once it holds this many entries or bytes.
    bool hasFullBatch() const;
    // Takes the entries completed so far (possibly none).
    std::shared_ptr<LogBatch> takeBatch();

    int64_t lineCount() const { return m_lineNumber; }
    int64_t entryCount() const { return m_entries; }

    // Classifies one line (without its '\n'); exposed for tests.
    static void parseLine(std::string_view line, Line &out);
    // Level word in the first bytes of `text`: ERROR, warn, [info], level=debug, …
    static LogLevel detectLevel(std::string_view text);
    // Stack-trace and similar continuation shapes, for files whose lines carry no timestamps.
    static bool looksLikeContinuation(std::string_view line);

    static constexpr int kMaxLinesPerEntry = 10000;
    static constexpr std::size_t kMaxEntryBytes = 1 << 20;

private:
    void handleLine(std::string_view line);
    void startEntry(const Line &line);
    void flushEntry();

    std::shared_ptr<LogBatch> m_batch;
    std::string m_epoch;
    std::string m_carry; // partial line across blocks
    Line m_line;         // reused per line

    // The entry being grouped.
    bool m_open = false;
    int64_t m_seq = 0;
    ParsedTime m_time;
    bool m_hasTime = false;
    LogLevel m_level = LogLevel::Unknown;
    std::string m_source;
    std::string m_host;
    std::string m_message;
    int m_lines = 0;

    bool m_sawTimestamps = false;
    int64_t m_lineNumber = 0;
    int64_t m_entries = 0;
};

} // namespace opsdeck::logs
