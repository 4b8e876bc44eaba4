#pragma once

// Constants of the opsdeck.v1 protocol. docs/protocol.md is the normative description;
// every value here is named there.

#include <QLatin1StringView>
#include <QLoggingCategory>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>

Q_DECLARE_LOGGING_CATEGORY(lcProtocol)

namespace opsdeck::protocol {

inline constexpr QLatin1StringView kProtocolName{"opsdeck.v1"};
inline constexpr QLatin1StringView kSubprotocolJson{"opsdeck.v1.json"};

inline constexpr QLatin1StringView kPathDemo{"/api/v1/ws/demo"};
inline constexpr QLatin1StringView kPathDev{"/api/v1/ws/dev"};
inline constexpr QLatin1StringView kPathProd{"/api/v1/ws"};
inline constexpr QLatin1StringView kPathAgent{"/api/v1/ws/agent"};

inline constexpr qint64 kMaxMessageBytes = 1024 * 1024;
inline constexpr int kMaxSubscriptions = 64;
inline constexpr int kMaxIdLength = 128;
inline constexpr int kMaxHistoryPage = 1000;
inline constexpr int kDefaultHistoryPage = 200;
inline constexpr int kDefaultLogHistory = 100;

// WebSocket close codes (docs/protocol.md §9).
enum class CloseCode : quint16 {
    Normal = 1000,
    GoingAway = 1001,
    PolicyViolation = 1008,
    TooBig = 1009,
    Internal = 1011,
    Unauthenticated = 4401,
    Forbidden = 4403,
    NotFound = 4404,
    SessionReplaced = 4409,
    RateLimited = 4429,
};

// The closed list of error codes (docs/protocol.md §7).
enum class ErrorCode {
    BadJson,
    BadMessage,
    UnknownType,
    UnsupportedVersion,
    UnknownTopic,
    UnknownQuery,
    NotFound,
    TooManySubscriptions,
    RateLimitExceeded,
    ConnectionLimit,
    IdempotencyConflict,
    AgentUnavailable,
    HubUnavailable, // a linked remote hub (relay, §15) is not reachable right now
    Forbidden,
    Internal,
    // Only inside command_result.error:
    CommandFailed,
    CommandTimeout,
    Cancelled,
};

QString errorCodeName(ErrorCode code);
std::optional<ErrorCode> errorCodeFromName(QStringView name);
// True for the codes that count towards the garbage threshold (§7).
bool isGarbageError(ErrorCode code);

enum class Topic { Agents, Logs, Metrics, Status, Commands, Flow };
inline constexpr int kTopicCount = 6;

QString topicName(Topic topic);
std::optional<Topic> topicFromName(QStringView name);
QStringList topicNames();

enum class Mode { Demo, Dev, Prod };
QString modeName(Mode mode);
std::optional<Mode> modeFromName(QStringView name);
QString endpointPath(Mode mode);

// The hub's capabilities (welcome.capabilities).
QStringList hubCapabilities();

// ISO 8601 UTC with milliseconds, e.g. 2026-11-21T12:00:00.123Z.
QString isoNow();
QString isoTime(qint64 msecsSinceEpoch);

// Formats a window length in seconds the way seed 003 writes it ("1m", "30s", "2h").
QString formatWindow(int seconds);
// Parses "600/1m" style rate limits: returns {limit, windowSeconds}.
std::optional<std::pair<int, int>> parseRateLimit(QStringView text);

} // namespace opsdeck::protocol
