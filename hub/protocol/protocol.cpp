#include "protocol.h"

#include <QDateTime>

#include <array>

Q_LOGGING_CATEGORY(lcProtocol, "opsdeck.protocol")

namespace opsdeck::protocol {

namespace {
struct ErrorName
{
    ErrorCode code;
    QLatin1StringView name;
};
constexpr std::array kErrorNames{
    ErrorName{ErrorCode::BadJson, QLatin1StringView("BAD_JSON")},
    ErrorName{ErrorCode::BadMessage, QLatin1StringView("BAD_MESSAGE")},
    ErrorName{ErrorCode::UnknownType, QLatin1StringView("UNKNOWN_TYPE")},
    ErrorName{ErrorCode::UnsupportedVersion, QLatin1StringView("UNSUPPORTED_VERSION")},
    ErrorName{ErrorCode::UnknownTopic, QLatin1StringView("UNKNOWN_TOPIC")},
    ErrorName{ErrorCode::UnknownQuery, QLatin1StringView("UNKNOWN_QUERY")},
    ErrorName{ErrorCode::NotFound, QLatin1StringView("NOT_FOUND")},
    ErrorName{ErrorCode::TooManySubscriptions, QLatin1StringView("TOO_MANY_SUBSCRIPTIONS")},
    ErrorName{ErrorCode::RateLimitExceeded, QLatin1StringView("RATE_LIMIT_EXCEEDED")},
    ErrorName{ErrorCode::ConnectionLimit, QLatin1StringView("CONNECTION_LIMIT")},
    ErrorName{ErrorCode::IdempotencyConflict, QLatin1StringView("IDEMPOTENCY_CONFLICT")},
    ErrorName{ErrorCode::AgentUnavailable, QLatin1StringView("AGENT_UNAVAILABLE")},
    ErrorName{ErrorCode::HubUnavailable, QLatin1StringView("HUB_UNAVAILABLE")},
    ErrorName{ErrorCode::Forbidden, QLatin1StringView("FORBIDDEN")},
    ErrorName{ErrorCode::Internal, QLatin1StringView("INTERNAL")},
    ErrorName{ErrorCode::CommandFailed, QLatin1StringView("COMMAND_FAILED")},
    ErrorName{ErrorCode::CommandTimeout, QLatin1StringView("COMMAND_TIMEOUT")},
    ErrorName{ErrorCode::Cancelled, QLatin1StringView("CANCELLED")},
};

constexpr std::array kTopicNames{
    QLatin1StringView("agents"), QLatin1StringView("logs"),     QLatin1StringView("metrics"),
    QLatin1StringView("status"), QLatin1StringView("commands"), QLatin1StringView("flow"),
};
static_assert(kTopicNames.size() == kTopicCount);

constexpr std::array kModeNames{QLatin1StringView("demo"), QLatin1StringView("dev"), QLatin1StringView("prod")};
} // namespace

QString errorCodeName(ErrorCode code)
{
    for (const auto &entry : kErrorNames) {
        if (entry.code == code)
            return entry.name;
    }
    return QStringLiteral("INTERNAL");
}

std::optional<ErrorCode> errorCodeFromName(QStringView name)
{
    for (const auto &entry : kErrorNames) {
        if (name == entry.name)
            return entry.code;
    }
    return std::nullopt;
}

bool isGarbageError(ErrorCode code)
{
    return code == ErrorCode::BadJson || code == ErrorCode::BadMessage || code == ErrorCode::UnknownType;
}

QString topicName(Topic topic)
{
    return kTopicNames.at(static_cast<size_t>(topic));
}

std::optional<Topic> topicFromName(QStringView name)
{
    for (size_t i = 0; i < kTopicNames.size(); ++i) {
        if (name == kTopicNames[i])
            return static_cast<Topic>(i);
    }
    return std::nullopt;
}

QStringList topicNames()
{
    QStringList names;
    for (const auto &name : kTopicNames)
        names << name;
    return names;
}

QString modeName(Mode mode)
{
    return kModeNames.at(static_cast<size_t>(mode));
}

std::optional<Mode> modeFromName(QStringView name)
{
    for (size_t i = 0; i < kModeNames.size(); ++i) {
        if (name == kModeNames[i])
            return static_cast<Mode>(i);
    }
    return std::nullopt;
}

QString endpointPath(Mode mode)
{
    switch (mode) {
    case Mode::Demo:
        return kPathDemo;
    case Mode::Dev:
        return kPathDev;
    case Mode::Prod:
        return kPathProd;
    }
    return kPathDemo;
}

QStringList hubCapabilities()
{
    return {QStringLiteral("batch"),    QStringLiteral("gap"),     QStringLiteral("resume"),
            QStringLiteral("commands"), QStringLiteral("queries"), QStringLiteral("flow")};
}

QString isoNow()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

QString isoTime(qint64 msecsSinceEpoch)
{
    return QDateTime::fromMSecsSinceEpoch(msecsSinceEpoch, Qt::UTC).toString(Qt::ISODateWithMs);
}

QString formatWindow(int seconds)
{
    if (seconds > 0 && seconds % 3600 == 0)
        return QString::number(seconds / 3600) + u'h';
    if (seconds > 0 && seconds % 60 == 0)
        return QString::number(seconds / 60) + u'm';
    return QString::number(seconds) + u's';
}

std::optional<std::pair<int, int>> parseRateLimit(QStringView text)
{
    const qsizetype slash = text.indexOf(u'/');
    if (slash <= 0)
        return std::nullopt;
    bool ok = false;
    const int limit = text.left(slash).toInt(&ok);
    if (!ok || limit <= 0)
        return std::nullopt;
    QStringView window = text.mid(slash + 1);
    if (window.isEmpty())
        return std::nullopt;
    int unit = 1;
    const QChar last = window.back();
    if (last == u's' || last == u'm' || last == u'h') {
        unit = last == u's' ? 1 : (last == u'm' ? 60 : 3600);
        window.chop(1);
    }
    const int count = window.isEmpty() ? 1 : window.toInt(&ok);
    if (!ok || count <= 0)
        return std::nullopt;
    return std::make_pair(limit, count * unit);
}

} // namespace opsdeck::protocol
