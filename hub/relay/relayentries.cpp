#include "relayentries.h"

#include <QJsonArray>

namespace opsdeck::hub::relay {

using protocol::ErrorCode;

namespace {
constexpr QChar kSeparator = u'@';

QString firstWord(const QString &command)
{
    return command.section(u' ', 0, 0, QString::SectionSkipEmpty);
}
} // namespace

QString qualify(const QString &name, const QString &label)
{
    return name + kSeparator + label;
}

std::optional<QString> unqualify(const QString &qualified, const QString &label)
{
    const qsizetype at = qualified.lastIndexOf(kSeparator);
    if (at <= 0 || QStringView(qualified).mid(at + 1) != label)
        return std::nullopt;
    return qualified.left(at);
}

QJsonObject relayedEntry(const QJsonObject &upstream, const QString &label)
{
    QJsonObject entry = upstream;
    entry.insert(QStringLiteral("origin"),
                 QJsonObject{{QStringLiteral("hub"), label},
                             {QStringLiteral("epoch"), upstream.value(QLatin1StringView("epoch"))},
                             {QStringLiteral("seq"), upstream.value(QLatin1StringView("seq"))}});
    // The local topic sets its own position; `sub` belonged to the upstream connection.
    for (const char *field : {"topic", "epoch", "seq", "sub"})
        entry.remove(QLatin1StringView(field));
    for (const char *field : {"source", "instanceId"}) {
        const QString value = entry.value(QLatin1StringView(field)).toString();
        if (!value.isEmpty())
            entry.insert(QLatin1StringView(field), qualify(value, label));
    }
    entry.insert(QStringLiteral("hub"), label);
    return entry;
}

QJsonObject relayedCommandEvent(const QJsonObject &upstream, const QString &label)
{
    QJsonObject entry = relayedEntry(upstream, label);
    QJsonObject command = entry.value(QLatin1StringView("command")).toObject();
    const QString instanceId = command.value(QLatin1StringView("instanceId")).toString();
    if (!instanceId.isEmpty()) {
        command.insert(QStringLiteral("instanceId"), qualify(instanceId, label));
        entry.insert(QStringLiteral("command"), command);
    }
    return entry;
}

protocol::ProtocolError remoteRefusal(const QString &label, const QString &code, const QString &message,
                                      QJsonObject details)
{
    details.insert(QStringLiteral("hub"), label);
    return protocol::ProtocolError{protocol::errorCodeFromName(code).value_or(ErrorCode::HubUnavailable),
                                   QStringLiteral("%1: %2").arg(label, message), details};
}

std::optional<QJsonObject> upstreamHistoryQuery(const QJsonObject &query, const QString &label)
{
    QJsonObject upstream = query;
    for (const char *field : {"hub", "id"})
        upstream.remove(QLatin1StringView(field));
    QJsonObject filter = query.value(QLatin1StringView("filter")).toObject();
    const QJsonValue sources = filter.value(QLatin1StringView("sources"));
    if (sources.isArray() && !sources.toArray().isEmpty()) {
        QJsonArray remote;
        for (const QJsonValue &source : sources.toArray()) {
            if (auto name = unqualify(source.toString(), label))
                remote.append(*name);
        }
        if (remote.isEmpty())
            return std::nullopt;
        filter.insert(QStringLiteral("sources"), remote);
        upstream.insert(QStringLiteral("filter"), filter);
    }
    return upstream;
}

QJsonObject relayedHistoryPage(const QJsonObject &result, const QString &label)
{
    const QJsonValue epoch = result.value(QLatin1StringView("epoch"));
    QJsonArray entries;
    for (const QJsonValue &value : result.value(QLatin1StringView("entries")).toArray()) {
        QJsonObject entry = value.toObject();
        if (!entry.contains(QLatin1StringView("epoch")))
            entry.insert(QStringLiteral("epoch"), epoch);
        entries.append(relayedEntry(entry, label));
    }
    QJsonObject page = result;
    page.insert(QStringLiteral("entries"), entries);
    page.insert(QStringLiteral("hub"), label);
    return page;
}

std::optional<RemoteAgent> remoteAgentFromJson(const QJsonObject &agent, const QString &label)
{
    const QString id = agent.value(QLatin1StringView("id")).toString();
    if (id.isEmpty())
        return std::nullopt;
    RemoteAgent remote;
    remote.info.id = qualify(id, label);
    remote.info.kind = agent.value(QLatin1StringView("kind")).toString();
    remote.info.host = agent.value(QLatin1StringView("host")).toString();
    remote.info.version = agent.value(QLatin1StringView("version")).toString();
    for (const QJsonValue &capability : agent.value(QLatin1StringView("capabilities")).toArray())
        remote.info.capabilities.append(capability.toString());
    remote.status = agent.value(QLatin1StringView("status")).toString(QStringLiteral("idle"));
    remote.task = agent.value(QLatin1StringView("task")).toString();
    remote.connected = agent.value(QLatin1StringView("connected")).toBool(true);
    const QJsonObject queue = agent.value(QLatin1StringView("queue")).toObject();
    for (const QJsonValue &active : queue.value(QLatin1StringView("active_ids")).toArray())
        remote.queue.activeIds.append(active.toString());
    remote.queue.processed = queue.value(QLatin1StringView("processed")).toInteger();
    remote.queue.succeeded = queue.value(QLatin1StringView("succeeded")).toInteger();
    remote.queue.failed = queue.value(QLatin1StringView("failed")).toInteger();
    return remote;
}

CommandResult commandResultFromJson(const QJsonObject &message)
{
    CommandResult result;
    result.commandSyncId = message.value(QLatin1StringView("commandSyncId")).toString();
    result.isSuccess = message.value(QLatin1StringView("isSuccess")).toBool();
    result.commandName = message.value(QLatin1StringView("commandName")).toString();
    result.commandType = message.value(QLatin1StringView("commandType")).toString(QStringLiteral("text"));
    result.text = message.value(QLatin1StringView("textResult")).toObject().value(QLatin1StringView("response")).toString();
    result.graph = message.value(QLatin1StringView("graphResult")).toObject();
    const QJsonObject error = message.value(QLatin1StringView("error")).toObject();
    if (!error.isEmpty()) {
        result.errorCode = protocol::errorCodeFromName(error.value(QLatin1StringView("code")).toString());
        if (!result.errorCode)
            result.errorCode = ErrorCode::CommandFailed;
        result.errorMessage = error.value(QLatin1StringView("message")).toString();
    } else if (!result.isSuccess) {
        result.errorCode = ErrorCode::CommandFailed;
    }
    return result;
}

CommandResult commandFailure(const QString &commandSyncId, const QString &command, const QString &code,
                             const QString &message)
{
    CommandResult result;
    result.commandSyncId = commandSyncId;
    result.isSuccess = false;
    result.commandName = firstWord(command);
    // Only the command_result codes of §6 may appear here; a refusal by the remote hub (NOT_FOUND,
    // FORBIDDEN, a lost link…) is a failed command whose message names the reason.
    const std::optional<ErrorCode> parsed = protocol::errorCodeFromName(code);
    const bool resultCode = parsed
        && (*parsed == ErrorCode::CommandFailed || *parsed == ErrorCode::CommandTimeout
            || *parsed == ErrorCode::Cancelled || *parsed == ErrorCode::AgentUnavailable);
    result.errorCode = resultCode ? *parsed : ErrorCode::CommandFailed;
    result.errorMessage = resultCode ? message : QStringLiteral("%1: %2").arg(code, message);
    return result;
}

} // namespace opsdeck::hub::relay
