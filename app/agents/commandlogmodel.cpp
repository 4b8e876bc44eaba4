#include "commandlogmodel.h"

#include "agenttypes.h"

#include <QDateTime>
#include <QJsonArray>

namespace opsdeck::agents {

using transport::HubClient;
using transport::HubReply;

namespace {

    // A `sleep N` longer than the default timeout would otherwise be cut off by the hub: give it
    // its N seconds plus room (the protocol caps timeout_ms at 600,000).
    qint64 timeoutFor(const QString &command)
    {
        constexpr qint64 kDefault = 30000;
        const QStringList words = command.split(u' ', Qt::SkipEmptyParts);
        if (words.size() >= 2 && words.first() == QLatin1StringView("sleep")) {
            bool ok = false;
            const double seconds = words.at(1).toDouble(&ok);
            if (ok && seconds > 0)
                return std::clamp<qint64>(qint64(seconds * 1000) + 10000, kDefault, 600000);
        }
        return kDefault;
    }

    QString responseOf(const QJsonObject &result)
    {
        if (result.value(QLatin1StringView("commandType")).toString() == QLatin1StringView("graph")) {
            const QJsonObject graph = result.value(QLatin1StringView("graphResult")).toObject();
            return QObject::tr(
                "graph: %n series", nullptr, int(graph.value(QLatin1StringView("series")).toArray().size()));
        }
        return result.value(QLatin1StringView("textResult"))
            .toObject()
            .value(QLatin1StringView("response"))
            .toString();
    }

} // namespace

CommandLogModel::CommandLogModel(QObject *parent)
    : QAbstractListModel(parent)
{ }

CommandLogModel::~CommandLogModel()
{
    // Replies belong to the client; they must not call back into a model that is gone.
    for (const QList<Entry> &list : std::as_const(m_byAgent)) {
        for (const Entry &entry : list) {
            if (entry.reply)
                disconnect(entry.reply, nullptr, this, nullptr);
        }
    }
}

void CommandLogModel::setClient(HubClient *client)
{
    if (client == m_client)
        return;
    m_client = client;
    Q_EMIT clientChanged();
}

void CommandLogModel::setAgentId(const QString &agentId)
{
    if (agentId == m_agentId)
        return;
    beginResetModel();
    m_agentId = agentId;
    endResetModel();
    Q_EMIT agentIdChanged();
    Q_EMIT countChanged();
}

QStringList CommandLogModel::hints() const
{
    return {QStringLiteral("status"), QStringLiteral("echo hello"), QStringLiteral("sleep 3"),
        QStringLiteral("fail"), QStringLiteral("chat Hello Jiro")};
}

int CommandLogModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid())
        return 0;
    const auto it = m_byAgent.constFind(m_agentId);
    return it == m_byAgent.cend() ? 0 : int(it->size());
}

QVariant CommandLogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry &entry = m_byAgent.value(m_agentId).at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case CommandRole:
        return entry.command;
    case CommandIdRole:
        return entry.id;
    case AgentIdRole:
        return entry.agentId;
    case StateRole:
        return entry.state;
    case IsSuccessRole:
        return entry.isSuccess;
    case ResponseRole:
        return entry.response;
    case ErrorCodeRole:
        return entry.errorCode;
    case ErrorMessageRole:
        return entry.errorMessage;
    case DurationMsRole:
        return entry.durationMs;
    case SubmittedMsRole:
        return entry.submittedMs;
    case WasQueuedRole:
        return entry.wasQueued;
    case SendCountRole:
        return entry.sendCount;
    default:
        return {};
    }
}

QHash<int, QByteArray> CommandLogModel::roleNames() const
{
    return {{CommandIdRole, "commandId"}, {AgentIdRole, "agentId"}, {CommandRole, "command"},
        {StateRole, "commandState"}, {IsSuccessRole, "isSuccess"}, {ResponseRole, "response"},
        {ErrorCodeRole, "errorCode"}, {ErrorMessageRole, "errorMessage"}, {DurationMsRole, "durationMs"},
        {SubmittedMsRole, "submittedMs"}, {WasQueuedRole, "wasQueued"}, {SendCountRole, "sendCount"}};
}

QString CommandLogModel::send(const QString &text)
{
    const QString command = text.trimmed();
    if (!m_client || m_agentId.isEmpty() || command.isEmpty())
        return QString();
    HubReply *reply = m_client->sendCommand(m_agentId, command, {}, timeoutFor(command));
    Entry entry;
    entry.id = reply->id();
    entry.agentId = m_agentId;
    entry.command = command;
    entry.submittedMs = QDateTime::currentMSecsSinceEpoch();
    entry.sendCount = reply->sendCount();
    // HubClient writes at once when connected; otherwise the command waits in its queue.
    entry.wasQueued = reply->sendCount() == 0;
    entry.state = entry.wasQueued ? QStringLiteral("queued") : QStringLiteral("sent");
    entry.reply = reply;

    QList<Entry> &list = m_byAgent[m_agentId];
    if (list.size() >= kPerAgentLimit) {
        // The oldest line goes; its reply (if any) is forgotten, not cancelled.
        if (list.constFirst().reply)
            disconnect(list.constFirst().reply, nullptr, this, nullptr);
        m_agentOf.remove(list.constFirst().id);
        beginRemoveRows({}, 0, 0);
        list.removeFirst();
        endRemoveRows();
    }
    // The new line belongs to the agent on screen, so it is always a visible row.
    beginInsertRows({}, int(list.size()), int(list.size()));
    list.append(entry);
    m_agentOf.insert(entry.id, m_agentId);
    endInsertRows();
    track(reply, m_agentId);
    qCDebug(lcAgents) << "command" << entry.id << "to" << m_agentId << entry.state;
    Q_EMIT countChanged();
    recountPending();
    return entry.id;
}

void CommandLogModel::track(HubReply *reply, const QString &agentId)
{
    const QString id = reply->id();
    connect(reply, &HubReply::sent, this, [this, agentId, id] { onSent(agentId, id); });
    connect(reply, &HubReply::acknowledged, this, [this, agentId, id] { onAcknowledged(agentId, id); });
    connect(reply, &HubReply::finished, this, [this, agentId, id, reply] { onFinished(agentId, id, reply); });
}

CommandLogModel::Entry *CommandLogModel::find(const QString &agentId, const QString &id, int *row)
{
    auto it = m_byAgent.find(agentId);
    if (it == m_byAgent.end())
        return nullptr;
    for (qsizetype i = 0; i < it->size(); ++i) {
        if ((*it)[i].id == id) {
            if (row)
                *row = int(i);
            return &(*it)[i];
        }
    }
    return nullptr;
}

void CommandLogModel::changed(const QString &agentId, int row)
{
    if (agentId == m_agentId)
        Q_EMIT dataChanged(index(row), index(row));
}

void CommandLogModel::onSent(const QString &agentId, const QString &id)
{
    int row = -1;
    Entry *entry = find(agentId, id, &row);
    if (!entry)
        return;
    ++entry->sendCount;
    // A resend after a reconnect of an accepted command does not make it "sent" again.
    if (entry->state == QLatin1StringView("queued"))
        entry->state = QStringLiteral("sent");
    changed(agentId, row);
}

void CommandLogModel::onAcknowledged(const QString &agentId, const QString &id)
{
    int row = -1;
    Entry *entry = find(agentId, id, &row);
    if (!entry || entry->reply.isNull() || entry->reply->isFinished())
        return;
    entry->state = QStringLiteral("accepted");
    changed(agentId, row);
}

void CommandLogModel::onFinished(const QString &agentId, const QString &id, HubReply *reply)
{
    int row = -1;
    Entry *entry = find(agentId, id, &row);
    if (!entry)
        return;
    const QJsonObject final = reply->finalMessage();
    entry->errorCode = reply->errorCode();
    entry->errorMessage = reply->errorMessage();
    entry->isSuccess = entry->errorCode.isEmpty();
    // Taken back by the operator is not the agent failing: say so.
    entry->state = entry->isSuccess                                      ? QStringLiteral("succeeded")
                   : entry->errorCode == QLatin1StringView("CANCELLED") ? QStringLiteral("cancelled")
                                                                         : QStringLiteral("failed");
    entry->response = responseOf(final);
    entry->durationMs = final.value(QLatin1StringView("duration_ms")).toInteger(-1);
    entry->reply.clear();
    qCDebug(lcAgents) << "command" << id << entry->state << entry->errorCode;
    changed(agentId, row);
    recountPending();
    Q_EMIT commandFinished(id, entry->isSuccess);
}

bool CommandLogModel::cancel(const QString &commandId)
{
    return m_client && m_client->cancel(commandId);
}

void CommandLogModel::clear()
{
    // Only finished lines go: a pending command's result still has a row to land in.
    QList<Entry> &list = m_byAgent[m_agentId];
    beginResetModel();
    list.removeIf([this](const Entry &entry) {
        const bool done = entry.reply.isNull();
        if (done)
            m_agentOf.remove(entry.id);
        return done;
    });
    endResetModel();
    Q_EMIT countChanged();
}

QString CommandLogModel::stateOf(const QString &commandId) const
{
    const QString agentId = m_agentOf.value(commandId);
    for (const Entry &entry : m_byAgent.value(agentId)) {
        if (entry.id == commandId)
            return entry.state;
    }
    return QString();
}

void CommandLogModel::recountPending()
{
    int pending = 0;
    for (const QList<Entry> &list : std::as_const(m_byAgent)) {
        for (const Entry &entry : list)
            pending += entry.reply.isNull() ? 0 : 1;
    }
    if (pending == m_pending)
        return;
    m_pending = pending;
    Q_EMIT pendingCountChanged();
}

} // namespace opsdeck::agents
