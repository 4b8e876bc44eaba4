#include "logfileparser.h"

#include "accesslog.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cstring>

namespace opsdeck::logs {

namespace {
constexpr std::size_t kBatchEntries = 16384;
constexpr std::size_t kBatchBytes = 4 << 20;
constexpr std::size_t kLevelScanBytes = 120;

inline bool isAlnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

std::string_view trimLeft(std::string_view s)
{
    std::size_t i = 0;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t'))
        ++i;
    return s.substr(i);
}

bool startsWith(std::string_view s, std::string_view prefix)
{
    return s.substr(0, prefix.size()) == prefix;
}

// Only these spellings count as a level word in free text; shorter aliases ("inf", "dbg") and
// ordinary words ("alert", "notice") would misfire on prose.
LogLevel levelWord(std::string_view word)
{
    if (word.size() < 3 || word.size() > 8)
        return LogLevel::Unknown;
    char lower[8];
    for (std::size_t i = 0; i < word.size(); ++i)
        lower[i] = char((word[i] >= 'A' && word[i] <= 'Z') ? word[i] + 32 : word[i]);
    const std::string_view w(lower, word.size());
    static constexpr std::pair<std::string_view, LogLevel> words[] = {
        {"error", LogLevel::Error}, {"err", LogLevel::Error},     {"warn", LogLevel::Warn},
        {"warning", LogLevel::Warn}, {"info", LogLevel::Info},    {"debug", LogLevel::Debug},
        {"trace", LogLevel::Trace}, {"fatal", LogLevel::Fatal},   {"critical", LogLevel::Fatal},
        {"crit", LogLevel::Fatal},  {"severe", LogLevel::Error},  {"panic", LogLevel::Fatal},
        {"emerg", LogLevel::Fatal},
    };
    for (const auto &[name, level] : words) {
        if (w == name)
            return level;
    }
    return LogLevel::Unknown;
}

// "<34>" syslog priority prefix: returns the severity's level and strips it.
LogLevel stripPriority(std::string_view &line)
{
    if (line.size() < 3 || line[0] != '<')
        return LogLevel::Unknown;
    std::size_t i = 1;
    int pri = 0;
    while (i < line.size() && i < 5 && line[i] >= '0' && line[i] <= '9')
        pri = pri * 10 + (line[i++] - '0');
    if (i == 1 || i >= line.size() || line[i] != '>')
        return LogLevel::Unknown;
    line.remove_prefix(i + 1);
    static constexpr LogLevel severities[8] = {LogLevel::Fatal, LogLevel::Fatal, LogLevel::Fatal, LogLevel::Error,
                                               LogLevel::Warn,  LogLevel::Info,  LogLevel::Info,  LogLevel::Debug};
    return severities[pri % 8];
}

// A "[level]" field right after the stamp ("[notice]", "[alert]" in nginx's error log) is read
// with the full alias table: there it is a field, not prose, so "notice" and "alert" are safe.
LogLevel bracketedLevel(std::string_view message)
{
    if (message.size() < 3 || message[0] != '[')
        return LogLevel::Unknown;
    const std::size_t close = message.substr(0, 12).find(']');
    if (close == std::string_view::npos)
        return LogLevel::Unknown;
    return levelFromName(message.substr(1, close - 1));
}

QString firstString(const QJsonObject &object, std::initializer_list<const char *> keys)
{
    for (const char *key : keys) {
        const QJsonValue value = object.value(QLatin1StringView(key));
        if (value.isString())
            return value.toString();
    }
    return QString();
}

bool parseJsonLine(std::string_view line, LogFileParser::Line &out)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromRawData(line.data(), qsizetype(line.size())), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return false;
    const QJsonObject o = doc.object();
    QString message = firstString(o, {"msg", "message", "MESSAGE", "text", "log"});
    const QString stack = firstString(o, {"stack", "stack_trace", "stacktrace", "exception", "exc_info", "error.stack"});
    if (!stack.isEmpty())
        message += QLatin1Char('\n') + stack;
    const QString level = firstString(o, {"level", "lvl", "severity", "levelname", "log.level", "loglevel"});
    out.level = levelFromName(QStringView(level));
    for (const char *key : {"ts", "timestamp", "time", "@timestamp", "t"}) {
        const QJsonValue value = o.value(QLatin1StringView(key));
        if (value.isString()) {
            const QByteArray utf8 = value.toString().toUtf8();
            out.time = parseIsoTimestamp(std::string_view(utf8.constData(), std::size_t(utf8.size())));
        } else if (value.isDouble()) {
            // Unix time in seconds (with fraction) or, when too large for that, milliseconds.
            const double v = value.toDouble();
            out.time.msUtc = v < 1e11 ? int64_t(v * 1000.0) : int64_t(v);
            out.time.hasOffset = true;
            out.time.offsetMin = 0;
            out.time.length = 1;
        }
        if (out.time.length)
            break;
    }
    // The views must outlive this function: source, host and message are packed into `owned`.
    const QByteArray source = firstString(o, {"source", "logger", "service", "name", "app"}).toUtf8();
    const QByteArray host = firstString(o, {"host", "hostname"}).toUtf8();
    const QByteArray text = message.toUtf8();
    out.owned.assign(source.constData(), std::size_t(source.size()));
    out.owned.append(host.constData(), std::size_t(host.size()));
    out.owned.append(text.constData(), std::size_t(text.size()));
    const std::string_view all(out.owned);
    out.source = all.substr(0, std::size_t(source.size()));
    out.host = all.substr(std::size_t(source.size()), std::size_t(host.size()));
    out.message = all.substr(std::size_t(source.size() + host.size()));
    if (out.level == LogLevel::Unknown)
        out.level = LogFileParser::detectLevel(out.message);
    out.startsEntry = true;
    return true;
}

// After a syslog stamp: "host prog[123]: message" or "host prog: message".
void parseSyslogRest(std::string_view rest, LogFileParser::Line &out)
{
    rest = trimLeft(rest);
    const std::size_t hostEnd = rest.find(' ');
    if (hostEnd == std::string_view::npos) {
        out.message = rest;
        return;
    }
    out.host = rest.substr(0, hostEnd);
    rest = rest.substr(hostEnd + 1);
    const std::size_t colon = rest.find(": ");
    const std::size_t space = rest.find(' ');
    if (colon != std::string_view::npos && colon < space) {
        std::string_view tag = rest.substr(0, colon);
        const std::size_t bracket = tag.find('[');
        if (bracket != std::string_view::npos)
            tag = tag.substr(0, bracket);
        out.source = tag;
        out.message = rest.substr(colon + 2);
    } else {
        out.message = rest;
    }
}
} // namespace

LogFileParser::LogFileParser(std::string epoch)
    : m_batch(std::make_shared<LogBatch>())
    , m_epoch(std::move(epoch))
{
    m_batch->epoch = m_epoch;
    m_batch->stream = "file";
}

LogLevel LogFileParser::detectLevel(std::string_view text)
{
    text = text.substr(0, kLevelScanBytes);
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && !isAlnum(text[i]))
            ++i;
        const std::size_t start = i;
        while (i < text.size() && isAlnum(text[i]))
            ++i;
        const LogLevel level = levelWord(text.substr(start, i - start));
        if (level != LogLevel::Unknown)
            return level;
    }
    return LogLevel::Unknown;
}

bool LogFileParser::looksLikeContinuation(std::string_view line)
{
    if (line.empty())
        return false;
    if (line[0] == ' ' || line[0] == '\t')
        return true;
    if (line[0] == '#' && line.size() > 1 && line[1] >= '0' && line[1] <= '9')
        return true; // gdb/backtrace frames "#0  0x… in main () at main.cpp:12"
    return startsWith(line, "at ") || startsWith(line, "Caused by:") || startsWith(line, "Traceback")
           || startsWith(line, "File \"") || startsWith(line, "During handling") || startsWith(line, "...")
           || startsWith(line, "Suppressed:");
}

void LogFileParser::parseLine(std::string_view line, Line &out)
{
    out.startsEntry = false;
    out.time = ParsedTime();
    out.level = LogLevel::Unknown;
    out.source = out.host = out.message = {};
    out.owned.clear();

    if (!line.empty() && line[0] == '{' && line.back() == '}' && parseJsonLine(line, out))
        return;

    std::string_view rest = line;
    const LogLevel priority = stripPriority(rest);
    // "[2025-10-01 12:00:00] …" is as common as a bare stamp.
    const bool bracketed = !rest.empty() && rest[0] == '[';
    const std::string_view stamped = bracketed ? rest.substr(1) : rest;
    ParsedTime time = parseIsoTimestamp(stamped);
    if (!time.length)
        time = parseSlashTimestamp(stamped); // nginx's error log: "2025/10/01 12:00:00 [error] 12#0: …"
    if (time.length) {
        rest = rest.substr(time.length + (bracketed ? 1 : 0));
        if (bracketed && !rest.empty() && rest[0] == ']')
            rest.remove_prefix(1);
        out.message = trimLeft(rest);
    } else if ((time = parseSyslogTimestamp(rest)).length) {
        parseSyslogRest(rest.substr(time.length), out);
    } else if (AccessLine access; parseAccessLine(rest, access)) {
        // The whole line is the message: the client address, request and status are what one
        // reads, and cutting the stamp out of the middle would cost a copy per line.
        out.message = rest;
        out.time = access.time;
        out.startsEntry = true;
        // Only the status says how it went: a request for "/error" is no error.
        out.level = priority != LogLevel::Unknown ? priority : levelFromHttpStatus(access.status);
        return;
    } else {
        out.message = line;
        out.level = detectLevel(line);
        return;
    }
    out.time = time;
    out.startsEntry = true;
    out.level = priority != LogLevel::Unknown ? priority : bracketedLevel(out.message);
    if (out.level == LogLevel::Unknown)
        out.level = detectLevel(out.message);
}

void LogFileParser::feed(std::string_view block)
{
    if (!m_carry.empty()) {
        const std::size_t newline = block.find('\n');
        if (newline == std::string_view::npos) {
            m_carry.append(block);
            return;
        }
        m_carry.append(block.substr(0, newline));
        handleLine(m_carry);
        m_carry.clear();
        block.remove_prefix(newline + 1);
    }
    const char *p = block.data();
    const char *end = p + block.size();
    while (p < end) {
        const auto *newline = static_cast<const char *>(std::memchr(p, '\n', std::size_t(end - p)));
        if (!newline) {
            m_carry.assign(p, std::size_t(end - p));
            return;
        }
        handleLine(std::string_view(p, std::size_t(newline - p)));
        p = newline + 1;
    }
}

void LogFileParser::finish()
{
    if (!m_carry.empty()) {
        handleLine(m_carry);
        m_carry.clear();
    }
    flushEntry();
}

void LogFileParser::handleLine(std::string_view line)
{
    ++m_lineNumber;
    if (!line.empty() && line.back() == '\r')
        line.remove_suffix(1);
    parseLine(line, m_line);
    if (m_line.startsEntry) {
        m_sawTimestamps = true;
        startEntry(m_line);
        return;
    }
    // A line without a stamp belongs to the entry above it when the file is stamped at all;
    // in an unstamped file only stack-trace shapes are grouped. Caps stop one runaway entry
    // from swallowing the rest of a file.
    const bool group = m_open && (m_sawTimestamps || looksLikeContinuation(line) || line.empty())
                       && m_lines < kMaxLinesPerEntry && m_message.size() + line.size() < kMaxEntryBytes;
    if (group) {
        m_message.push_back('\n');
        m_message.append(line);
        ++m_lines;
        return;
    }
    startEntry(m_line);
}

void LogFileParser::startEntry(const Line &line)
{
    flushEntry();
    m_open = true;
    m_seq = m_lineNumber;
    m_hasTime = line.time.length > 0;
    m_time = line.time;
    m_level = line.level;
    m_source.assign(line.source);
    m_host.assign(line.host);
    m_message.assign(line.message);
    m_lines = 1;
}

void LogFileParser::flushEntry()
{
    if (!m_open)
        return;
    m_open = false;
    // Blank lines grouped after the last real line are separators, not content.
    while (!m_message.empty() && (m_message.back() == '\n'))
        m_message.pop_back();
    LogBatch::Item item;
    item.seq = m_seq;
    item.hasTimestamp = m_hasTime;
    item.timestampMs = m_time.msUtc;
    item.utcOffsetMin = m_time.offsetMin;
    item.hasOffset = m_time.hasOffset;
    item.level = m_level;
    item.messageOffset = m_batch->addText(m_message);
    item.messageLength = uint32_t(m_message.size());
    item.sourceOffset = m_batch->addText(m_source);
    item.sourceLength = uint32_t(m_source.size());
    item.hostOffset = m_batch->addText(m_host);
    item.hostLength = uint32_t(m_host.size());
    m_batch->items.push_back(item);
    ++m_entries;
}

bool LogFileParser::hasFullBatch() const
{
    return m_batch->items.size() >= kBatchEntries || m_batch->text.size() >= kBatchBytes;
}

std::shared_ptr<LogBatch> LogFileParser::takeBatch()
{
    auto full = std::move(m_batch);
    m_batch = std::make_shared<LogBatch>();
    m_batch->epoch = m_epoch;
    m_batch->stream = "file";
    m_batch->text.reserve(std::min(full->text.capacity(), kBatchBytes + kMaxEntryBytes));
    m_batch->items.reserve(kBatchEntries);
    return full;
}

} // namespace opsdeck::logs
