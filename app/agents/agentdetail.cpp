#include "agentdetail.h"

namespace opsdeck::agents {

namespace {

    QVariantList toVariantList(const QVariant &value)
    {
        QVariantList list;
        for (double point : value.value<QList<double>>())
            list.append(point);
        return list;
    }

} // namespace

AgentDetail::AgentDetail(QObject *parent)
    : QObject(parent)
{ }

void AgentDetail::setModel(AgentListModel *model)
{
    if (model == m_model)
        return;
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    if (model) {
        connect(model, &QAbstractItemModel::dataChanged, this, &AgentDetail::onDataChanged);
        // Rows move on insert and removal: look the agent up again.
        for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
            connect(model, signal, this, &AgentDetail::refresh);
        connect(model, &QAbstractItemModel::modelReset, this, &AgentDetail::refresh);
    }
    Q_EMIT modelChanged();
    refresh();
}

void AgentDetail::setAgentId(const QString &agentId)
{
    if (agentId == m_agentId)
        return;
    m_agentId = agentId;
    Q_EMIT agentIdChanged();
    refresh();
}

void AgentDetail::onDataChanged(
    const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles)
{
    if (!m_model || m_agentId.isEmpty())
        return;
    const int row = m_model->rowOf(m_agentId);
    if (row < topLeft.row() || row > bottomRight.row())
        return;
    // The sparkline roles change every second; the facts only when the registry says so.
    const bool history = roles.isEmpty() || roles.contains(AgentListModel::CpuHistoryRole);
    const bool facts = roles.isEmpty() || std::any_of(roles.cbegin(), roles.cend(), [](int role) {
        return role != AgentListModel::CpuHistoryRole && role != AgentListModel::MemHistoryRole;
    });
    if (facts) {
        m_facts = m_model->get(m_agentId);
        Q_EMIT changed();
    }
    if (history) {
        const QModelIndex at = m_model->index(row);
        m_cpu = toVariantList(at.data(AgentListModel::CpuHistoryRole));
        m_mem = toVariantList(at.data(AgentListModel::MemHistoryRole));
        Q_EMIT historyChanged();
    }
}

void AgentDetail::refresh()
{
    const int row = m_model && !m_agentId.isEmpty() ? m_model->rowOf(m_agentId) : -1;
    const QVariantMap facts = row < 0 ? QVariantMap() : m_model->get(m_agentId);
    if (facts != m_facts) {
        m_facts = facts;
        Q_EMIT changed();
    }
    const QModelIndex at = row < 0 ? QModelIndex() : m_model->index(row);
    m_cpu = toVariantList(at.data(AgentListModel::CpuHistoryRole));
    m_mem = toVariantList(at.data(AgentListModel::MemHistoryRole));
    Q_EMIT historyChanged();
}

} // namespace opsdeck::agents
