#include "accesslog.h"

namespace opsdeck::logs {

namespace {
// A host name is at most 253 bytes; ident and user are short. Bounding the scans keeps a long
// unstamped line (a stack trace's message, a JSON blob) from being searched to its end.
constexpr std::size_t kMaxHostBytes = 255;
constexpr std::size_t kMaxIdentBytes = 64;
constexpr std::size_t kMaxUserBytes = 256;

inline bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

inline bool canStartHost(char c)
{
    // Digits (IPv4, most IPv6), hex letters and names, or ':' for "::1"-style IPv6.
    return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == ':';
}

// `text` starts just after the stamp's ']': ` "request" status …`. Returns the status or 0.
int statusAfterStamp(std::string_view text)
{
    if (text.size() < 2 || text[0] != ' ' || text[1] != '"')
        return 0;
    // The request line: nginx writes a '"' inside it as \x22, Apache as \" — skip escapes.
    std::size_t i = 2;
    while (i < text.size() && text[i] != '"')
        i += text[i] == '\\' ? 2 : 1;
    if (i + 5 > text.size() || text[i + 1] != ' ')
        return 0;
    i += 2;
    if (!isDigit(text[i]) || !isDigit(text[i + 1]) || !isDigit(text[i + 2]))
        return 0;
    if (i + 3 < text.size() && text[i + 3] != ' ')
        return 0;
    return (text[i] - '0') * 100 + (text[i + 1] - '0') * 10 + (text[i + 2] - '0');
}
} // namespace

bool parseAccessLine(std::string_view line, AccessLine &out)
{
    // Shortest possible: "h - - [01/Oct/2025:12:00:00 +0200]" = 34 bytes.
    if (line.size() < 34 || !canStartHost(line[0]))
        return false;
    const std::size_t hostEnd = line.substr(0, kMaxHostBytes + 1).find(' ');
    if (hostEnd == std::string_view::npos)
        return false;
    const std::size_t identStart = hostEnd + 1;
    const std::size_t identEnd = line.substr(0, identStart + kMaxIdentBytes + 1).find(' ', identStart);
    if (identEnd == std::string_view::npos || identEnd == identStart)
        return false;
    const std::size_t userStart = identEnd + 1;
    const std::size_t open = line.substr(0, userStart + kMaxUserBytes + 2).find(" [", userStart);
    if (open == std::string_view::npos || open == userStart)
        return false;
    const std::string_view stamp = line.substr(open + 2);
    const ParsedTime time = parseClfTimestamp(stamp);
    if (!time.length || time.length >= stamp.size() || stamp[time.length] != ']')
        return false;
    out.time = time;
    out.status = statusAfterStamp(stamp.substr(time.length + 1));
    return true;
}

LogLevel levelFromHttpStatus(int status)
{
    if (status >= 500 && status <= 599)
        return LogLevel::Error;
    if (status >= 400 && status <= 499)
        return LogLevel::Warn;
    return status > 0 ? LogLevel::Info : LogLevel::Unknown;
}

} // namespace opsdeck::logs
