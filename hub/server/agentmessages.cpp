#include "agentmessages.h"

#include <QDateTime>
#include <QJsonArray>

#include <cmath>

namespace opsdeck::hub::agentproto {

using protocol::ErrorCode;
using protocol::ProtocolError;

namespace {
constexpr qsizetype kMaxLabel = 128;           // kind, host, version, capability, program names
constexpr qsizetype kMaxListItems = 256;       // capabilities, allow
constexpr qsizetype kMaxTask = 512;
constexpr qsizetype kMaxLogMessage = 64 * 1024; // like a followed file's entry
constexpr qsizetype kMaxActiveIds = 1000;
constexpr double kMaxMetric = 1e15;

QLatin1StringView L(const char *text)
{
    return QLatin1StringView(text);
}

QString joined(const QString &prefix, const QString &field)
{
    return prefix.isEmpty() ? field : prefix + QLatin1Char('.') + field;
}

ProtocolError bad(const QString &prefix, const QString &field, const QString &expected)
{
    return protocol::badMessage(joined(prefix, field), expected);
}

// A FieldReader's error with the field renamed "prefix.field".
ProtocolError prefixed(const ProtocolError &error, const QString &prefix)
{
    if (prefix.isEmpty())
        return error;
    return protocol::badMessage(joined(prefix, error.details.value(L("field")).toString()),
                                error.details.value(L("expected")).toString());
}

std::optional<QStringList> stringList(const QJsonObject &body, const char *field, QString *error)
{
    const QJsonValue value = body.value(L(field));
    if (value.isUndefined() || value.isNull())
        return QStringList{};
    const QString expected = QStringLiteral("array of at most %1 strings of 1-%2 characters").arg(kMaxListItems).arg(kMaxLabel);
    if (!value.isArray() || value.toArray().size() > kMaxListItems) {
        *error = expected;
        return std::nullopt;
    }
    QStringList out;
    for (const QJsonValue &item : value.toArray()) {
        if (!item.isString() || item.toString().isEmpty() || item.toString().size() > kMaxLabel) {
            *error = expected;
            return std::nullopt;
        }
        out.append(item.toString());
    }
    return out;
}

// A finite number in [0, max]; nullopt with `*error` set when present but wrong.
std::optional<double> number(const QJsonObject &body, const char *field, bool required, bool *error,
                             double max = kMaxMetric)
{
    const QJsonValue value = body.value(L(field));
    if (value.isUndefined() || value.isNull()) {
        *error = required;
        return std::nullopt;
    }
    const double n = value.toDouble(std::nan(""));
    if (!value.isDouble() || !std::isfinite(n) || n < 0 || n > max) {
        *error = true;
        return std::nullopt;
    }
    return n;
}

std::optional<qint64> parseTime(const QJsonValue &value)
{
    if (!value.isString())
        return std::nullopt;
    const QDateTime time = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    if (!time.isValid())
        return std::nullopt;
    return time.toMSecsSinceEpoch();
}

bool isLevel(const QString &level)
{
    static const QStringList levels{QStringLiteral("trace"), QStringLiteral("debug"), QStringLiteral("info"),
                                    QStringLiteral("warn"),  QStringLiteral("error"), QStringLiteral("fatal")};
    return levels.contains(level);
}

bool isAgentStatus(const QString &status)
{
    return status == L("idle") || status == L("busy") || status == L("error");
}
} // namespace

bool isAgentMessageType(const QString &type)
{
    static const QStringList types{QStringLiteral("register"), QStringLiteral("heartbeat"),
                                   QStringLiteral("status"),   QStringLiteral("metrics"),
                                   QStringLiteral("log"),      QStringLiteral("batch"),
                                   QStringLiteral("queue_metrics"), QStringLiteral("command_result"),
                                   QStringLiteral("ping")};
    return types.contains(type);
}

bool isValidAgentName(QStringView name)
{
    if (name.isEmpty() || name.size() > 64 || !name.front().isLetterOrNumber())
        return false;
    for (const QChar c : name) {
        const bool ascii = c.unicode() < 128;
        if (!ascii || !(c.isLetterOrNumber() || c == u'.' || c == u'_' || c == u'-'))
            return false;
    }
    return true;
}

Parsed<Registration> parseRegister(const QJsonObject &body)
{
    protocol::FieldReader reader(body);
    Registration out;
    out.info.id = reader.requiredString(L("name"), 64);
    out.info.kind = reader.optionalString(L("kind"), kMaxLabel).value_or(QStringLiteral("agent"));
    out.info.host = reader.optionalString(L("host"), kMaxLabel).value_or(QString());
    out.info.version = reader.optionalString(L("version"), kMaxLabel).value_or(QString());
    if (!reader.ok())
        return *reader.error();
    if (!isValidAgentName(out.info.id))
        return bad({}, QStringLiteral("name"),
                   QStringLiteral("1-64 characters of letters, digits, '.', '_', '-', starting with a letter or digit"));
    if (out.info.kind.isEmpty())
        out.info.kind = QStringLiteral("agent");
    QString expected;
    const auto capabilities = stringList(body, "capabilities", &expected);
    if (!capabilities)
        return bad({}, QStringLiteral("capabilities"), expected);
    const auto allow = stringList(body, "allow", &expected);
    if (!allow)
        return bad({}, QStringLiteral("allow"), expected);
    out.info.capabilities = *capabilities;
    out.allow = *allow;
    // The console shows what an agent can run the way the demo agents list their commands.
    for (const QString &program : std::as_const(out.allow)) {
        if (!out.info.capabilities.contains(program))
            out.info.capabilities.append(program);
    }
    return out;
}

Parsed<StatusReport> parseStatus(const QJsonObject &body, bool statusRequired)
{
    protocol::FieldReader reader(body);
    StatusReport out;
    out.status = statusRequired ? std::optional<QString>(reader.requiredString(L("status"), 16))
                                : reader.optionalString(L("status"), 16);
    out.task = reader.optionalString(L("task"), kMaxTask).value_or(QString());
    if (!reader.ok())
        return *reader.error();
    if (out.status && !isAgentStatus(*out.status))
        return bad({}, QStringLiteral("status"), QStringLiteral("one of idle, busy, error"));
    if (!out.status && body.contains(L("task")))
        return bad({}, QStringLiteral("status"), QStringLiteral("present when task is"));
    return out;
}

Parsed<MetricsSample> parseMetrics(const QJsonObject &body)
{
    MetricsSample sample;
    bool error = false;
    const auto field = [&](const char *name, bool required, double max = kMaxMetric) -> std::optional<double> {
        const auto value = number(body, name, required, &error, max);
        return value;
    };
    struct Check
    {
        const char *name;
        bool required;
        double *target;
    };
    const Check checks[] = {{"cpu", true, &sample.cpu},
                            {"memory_mib", true, &sample.memoryMiB},
                            {"memory_limit_mib", false, &sample.memoryLimitMiB},
                            {"rx_bytes_per_s", false, &sample.rxBytesPerSec},
                            {"tx_bytes_per_s", false, &sample.txBytesPerSec}};
    for (const Check &check : checks) {
        const auto value = field(check.name, check.required);
        if (error)
            return bad({}, QString::fromLatin1(check.name),
                       QStringLiteral("number from 0 to 1e15"));
        if (value)
            *check.target = *value;
    }
    const auto used = field("disk_used_gib", false);
    if (error)
        return bad({}, QStringLiteral("disk_used_gib"), QStringLiteral("number from 0 to 1e15"));
    const auto total = field("disk_total_gib", false);
    if (error)
        return bad({}, QStringLiteral("disk_total_gib"), QStringLiteral("number from 0 to 1e15"));
    if (used.has_value() != total.has_value())
        return bad({}, QString::fromLatin1(used ? "disk_total_gib" : "disk_used_gib"),
                   QStringLiteral("a number, given together with the other disk field"));
    sample.diskUsedGiB = used;
    sample.diskTotalGiB = total;
    if (body.contains(L("timestamp"))) {
        const auto time = parseTime(body.value(L("timestamp")));
        if (!time)
            return bad({}, QStringLiteral("timestamp"), QStringLiteral("ISO 8601 time"));
        sample.timeMs = *time;
    }
    sample.kind = QStringLiteral("agent");
    return sample;
}

Parsed<LogEntry> parseLogEntry(const QJsonObject &entry, const QString &field)
{
    protocol::FieldReader reader(entry);
    LogEntry out;
    const QString timestamp = reader.requiredString(L("timestamp"), 64);
    out.stream = reader.requiredString(L("stream"), 16);
    out.level = reader.optionalString(L("level"), 16).value_or(QStringLiteral("info"));
    const QJsonValue message = entry.value(L("message"));
    if (!reader.ok())
        return prefixed(*reader.error(), field);
    if (!message.isString() || message.toString().size() > kMaxLogMessage)
        return bad(field, QStringLiteral("message"), QStringLiteral("string of at most 65536 characters"));
    out.message = message.toString();
    const auto time = parseTime(timestamp);
    if (!time)
        return bad(field, QStringLiteral("timestamp"), QStringLiteral("ISO 8601 time, e.g. 2026-11-21T12:00:00.123Z"));
    out.timeMs = *time;
    if (out.stream != L("stdout") && out.stream != L("stderr") && out.stream != L("file"))
        return bad(field, QStringLiteral("stream"), QStringLiteral("one of stdout, stderr, file"));
    if (out.level.isEmpty())
        out.level = QStringLiteral("info");
    if (!isLevel(out.level))
        return bad(field, QStringLiteral("level"), QStringLiteral("one of trace, debug, info, warn, error, fatal"));
    return out;
}

Parsed<QList<LogEntry>> parseLogBatch(const QJsonObject &body, int maxEntries)
{
    const QJsonValue logs = body.value(L("logs"));
    if (!logs.isArray() || logs.toArray().isEmpty() || logs.toArray().size() > maxEntries)
        return bad({}, QStringLiteral("logs"), QStringLiteral("array of 1-%1 log messages").arg(maxEntries));
    const QJsonArray array = logs.toArray();
    const QJsonValue count = body.value(L("count"));
    if (!count.isUndefined() && !(count.isDouble() && count.toDouble() == double(array.size())))
        return bad({}, QStringLiteral("count"), QStringLiteral("the number of entries in logs (%1)").arg(array.size()));
    QList<LogEntry> out;
    out.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString field = QStringLiteral("logs[%1]").arg(i);
        if (!array.at(i).isObject())
            return protocol::badMessage(field, QStringLiteral("object"));
        auto entry = parseLogEntry(array.at(i).toObject(), field);
        if (auto *error = std::get_if<ProtocolError>(&entry))
            return *error;
        out.append(std::get<LogEntry>(std::move(entry)));
    }
    return out;
}

Parsed<QueueMetrics> parseQueueMetrics(const QJsonObject &body)
{
    protocol::FieldReader reader(body);
    QueueMetrics out;
    const auto activeCount = reader.optionalInteger(L("activeCount"), 0, kMaxActiveIds);
    out.processed = reader.optionalInteger(L("processed"), 0, qint64(1) << 53).value_or(-1);
    out.succeeded = reader.optionalInteger(L("succeeded"), 0, qint64(1) << 53).value_or(-1);
    out.failed = reader.optionalInteger(L("failed"), 0, qint64(1) << 53).value_or(-1);
    if (!reader.ok())
        return *reader.error();
    for (const auto &[name, value] : {std::pair{"processed", out.processed}, std::pair{"succeeded", out.succeeded},
                                      std::pair{"failed", out.failed}}) {
        if (value < 0)
            return bad({}, QString::fromLatin1(name), QStringLiteral("integer from 0 to 2^53"));
    }
    const QJsonValue ids = body.value(L("activeIds"));
    const QString expectedIds = QStringLiteral("array of at most %1 strings of 1-128 characters").arg(kMaxActiveIds);
    if (!ids.isArray() || ids.toArray().size() > kMaxActiveIds)
        return bad({}, QStringLiteral("activeIds"), expectedIds);
    for (const QJsonValue &id : ids.toArray()) {
        if (!id.isString() || id.toString().isEmpty() || id.toString().size() > protocol::kMaxIdLength)
            return bad({}, QStringLiteral("activeIds"), expectedIds);
        out.activeIds.append(id.toString());
    }
    if (!activeCount || *activeCount != out.activeIds.size())
        return bad({}, QStringLiteral("activeCount"),
                   QStringLiteral("the number of activeIds (%1)").arg(out.activeIds.size()));
    if (out.succeeded + out.failed > out.processed)
        return bad({}, QStringLiteral("processed"), QStringLiteral("at least succeeded + failed"));
    return out;
}

Parsed<CommandResult> parseCommandResult(const QJsonObject &body)
{
    protocol::FieldReader reader(body);
    CommandResult out;
    out.commandSyncId = reader.requiredString(L("commandSyncId"), protocol::kMaxIdLength);
    const auto success = reader.optionalBool(L("isSuccess"));
    out.commandName = reader.optionalString(L("commandName"), kMaxLabel).value_or(QString());
    out.commandType = reader.optionalString(L("commandType"), 8).value_or(QStringLiteral("text"));
    const auto text = reader.optionalObject(L("textResult"));
    const auto graph = reader.optionalObject(L("graphResult"));
    const auto error = reader.optionalObject(L("error"));
    if (!reader.ok())
        return *reader.error();
    if (!success)
        return bad({}, QStringLiteral("isSuccess"), QStringLiteral("boolean"));
    out.isSuccess = *success;
    if (out.commandType == L("text")) {
        const QJsonValue response = text ? text->value(L("response")) : QJsonValue(QString());
        if (!response.isString())
            return bad({}, QStringLiteral("textResult.response"), QStringLiteral("string"));
        out.text = response.toString();
    } else if (out.commandType == L("graph")) {
        if (!graph)
            return bad({}, QStringLiteral("graphResult"), QStringLiteral("object when commandType is graph"));
        out.graph = *graph;
    } else {
        return bad({}, QStringLiteral("commandType"), QStringLiteral("text or graph"));
    }
    if (error) {
        const QString code = error->value(L("code")).toString();
        const auto parsed = protocol::errorCodeFromName(code);
        if (!parsed
            || (*parsed != ErrorCode::CommandFailed && *parsed != ErrorCode::CommandTimeout
                && *parsed != ErrorCode::Cancelled))
            return bad({}, QStringLiteral("error.code"), QStringLiteral("COMMAND_FAILED, COMMAND_TIMEOUT or CANCELLED"));
        const QJsonValue message = error->value(L("message"));
        if (!message.isUndefined() && !message.isString())
            return bad({}, QStringLiteral("error.message"), QStringLiteral("string"));
        if (out.isSuccess)
            return bad({}, QStringLiteral("error"), QStringLiteral("absent when isSuccess is true"));
        out.errorCode = parsed;
        out.errorMessage = message.toString();
    } else if (!out.isSuccess) {
        out.errorCode = ErrorCode::CommandFailed;
        out.errorMessage = QStringLiteral("the agent reported a failure without a reason");
    }
    return out;
}

QJsonObject commandMessage(const CommandRequest &request)
{
    // No `id`: the client's request id is its own idempotency key, scoped to it; the agent
    // knows a command by its commandSyncId.
    return QJsonObject{{QStringLiteral("type"), QStringLiteral("command")},
                       {QStringLiteral("commandSyncId"), request.commandSyncId},
                       {QStringLiteral("instanceId"), request.instanceId},
                       {QStringLiteral("command"), request.command},
                       {QStringLiteral("sessionId"), request.sessionId},
                       {QStringLiteral("parameters"), request.parameters},
                       {QStringLiteral("timeout_ms"), request.timeoutMs}};
}

QJsonObject cancelMessage(const QString &commandSyncId)
{
    return QJsonObject{{QStringLiteral("type"), QStringLiteral("cancel")},
                       {QStringLiteral("commandSyncId"), commandSyncId}};
}

} // namespace opsdeck::hub::agentproto
