#include "logtypes.h"

namespace opsdeck::logs {

namespace {
constexpr std::string_view kNames[kLevelCount] = {"", "trace", "debug", "info", "warn", "error", "fatal"};

bool equalsIgnoreCase(std::string_view a, std::string_view lowerB)
{
    if (a.size() != lowerB.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char c = a[i];
        if (c >= 'A' && c <= 'Z')
            c = char(c + 32);
        if (c != lowerB[i])
            return false;
    }
    return true;
}
} // namespace

std::string_view levelNameUtf8(LogLevel level)
{
    return kNames[std::size_t(level) < std::size_t(kLevelCount) ? std::size_t(level) : 0];
}

QString levelName(LogLevel level)
{
    const std::string_view name = levelNameUtf8(level);
    return QString::fromLatin1(name.data(), qsizetype(name.size()));
}

LogLevel levelFromName(std::string_view name)
{
    struct Alias
    {
        std::string_view name;
        LogLevel level;
    };
    // Syslog severities and the usual framework spellings fold onto the protocol's six levels.
    static constexpr Alias aliases[] = {
        {"trace", LogLevel::Trace},    {"debug", LogLevel::Debug},     {"dbg", LogLevel::Debug},
        {"info", LogLevel::Info},      {"information", LogLevel::Info}, {"notice", LogLevel::Info},
        {"inf", LogLevel::Info},       {"warn", LogLevel::Warn},       {"warning", LogLevel::Warn},
        {"wrn", LogLevel::Warn},       {"error", LogLevel::Error},     {"err", LogLevel::Error},
        {"fatal", LogLevel::Fatal},    {"critical", LogLevel::Fatal},  {"crit", LogLevel::Fatal},
        {"alert", LogLevel::Fatal},    {"emerg", LogLevel::Fatal},     {"panic", LogLevel::Fatal},
        {"severe", LogLevel::Error},   {"verbose", LogLevel::Trace},   {"ftl", LogLevel::Fatal},
        {"emergency", LogLevel::Fatal},
    };
    for (const Alias &alias : aliases) {
        if (equalsIgnoreCase(name, alias.name))
            return alias.level;
    }
    return LogLevel::Unknown;
}

LogLevel levelFromName(QStringView name)
{
    if (name.isEmpty() || name.size() > 16)
        return LogLevel::Unknown;
    char buffer[16];
    for (qsizetype i = 0; i < name.size(); ++i) {
        const char16_t c = name[i].unicode();
        if (c >= 0x80)
            return LogLevel::Unknown;
        buffer[i] = char(c);
    }
    return levelFromName(std::string_view(buffer, std::size_t(name.size())));
}

} // namespace opsdeck::logs
