#include "agentactionsmodel.h"

namespace opsdeck::agents {

AgentActionsModel::AgentActionsModel(QObject *parent)
    : QAbstractListModel(parent)
{ }

void AgentActionsModel::setFeed(AgentFeed *feed)
{
    if (feed == m_feed)
        return;
    if (m_feed)
        disconnect(m_feed, nullptr, this, nullptr);
    m_feed = feed;
    if (feed)
        connect(feed, &AgentFeed::actionEvent, this, &AgentActionsModel::applyAction);
    Q_EMIT feedChanged();
}

void AgentActionsModel::setAgentId(const QString &agentId)
{
    if (agentId == m_agentId)
        return;
    beginResetModel();
    m_agentId = agentId;
    endResetModel();
    Q_EMIT agentIdChanged();
    Q_EMIT countChanged();
}

void AgentActionsModel::setLimit(int limit)
{
    limit = std::max(limit, 1);
    if (limit == m_limit)
        return;
    m_limit = limit;
    for (auto it = m_byAgent.begin(); it != m_byAgent.end(); ++it)
        trim(it.key(), it.value());
    Q_EMIT limitChanged();
}

int AgentActionsModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() || m_agentId.isEmpty())
        return 0;
    const auto it = m_byAgent.constFind(m_agentId);
    return it == m_byAgent.cend() ? 0 : int(it->size());
}

QVariant AgentActionsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ActionRow &action = m_byAgent.value(m_agentId).at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case TextRole:
        return action.text;
    case KeyRole:
        return action.key;
    case KindRole:
        return action.kind;
    case DetailRole:
        return action.detail;
    case StateRole:
        return action.state;
    case TimestampMsRole:
        return action.timestampMs;
    case DurationMsRole:
        return action.durationMs;
    default:
        return {};
    }
}

QHash<int, QByteArray> AgentActionsModel::roleNames() const
{
    return {{KeyRole, "key"}, {KindRole, "kind"}, {TextRole, "text"}, {DetailRole, "detail"},
        {StateRole, "actionState"}, {TimestampMsRole, "timestampMs"}, {DurationMsRole, "durationMs"}};
}

void AgentActionsModel::applyAction(const QString &agentId, const ActionRow &action)
{
    if (agentId.isEmpty() || action.key.isEmpty())
        return;
    QList<ActionRow> &list = listOf(agentId);
    const bool shown = isShown(agentId);
    for (qsizetype row = 0; row < list.size(); ++row) {
        if (list.at(row).key != action.key)
            continue;
        // The finish of an action already listed: same row, new outcome.
        ActionRow merged = list.at(row);
        merged.merge(action);
        if (merged == list.at(row))
            return;
        list[row] = merged;
        if (shown)
            Q_EMIT dataChanged(index(int(row)), index(int(row)));
        return;
    }
    // A new action goes where its start time puts it: replayed history arrives oldest first and
    // ends up newest first like live events do.
    qsizetype at = 0;
    while (at < list.size() && list.at(at).timestampMs > action.timestampMs)
        ++at;
    if (at >= m_limit)
        return; // older than everything kept
    if (shown)
        beginInsertRows({}, int(at), int(at));
    list.insert(at, action);
    if (shown) {
        endInsertRows();
        Q_EMIT countChanged();
    }
    trim(agentId, list);
}

void AgentActionsModel::trim(const QString &agentId, QList<ActionRow> &list)
{
    if (list.size() <= m_limit)
        return;
    const bool shown = isShown(agentId);
    if (shown)
        beginRemoveRows({}, m_limit, int(list.size()) - 1);
    list.resize(m_limit);
    if (shown) {
        endRemoveRows();
        Q_EMIT countChanged();
    }
}

} // namespace opsdeck::agents
