#include "agentfiltermodel.h"

#include "agentlistmodel.h"

namespace opsdeck::agents {

namespace {

    // Worst first: sorting the status column ascending puts the agents that need a look on top.
    int statusRank(const QString &status)
    {
        static const QStringList kOrder {QStringLiteral("error"), QStringLiteral("offline"),
            QStringLiteral("busy"), QStringLiteral("idle")};
        const qsizetype at = kOrder.indexOf(status);
        return at < 0 ? int(kOrder.size()) : int(at);
    }

} // namespace

AgentFilterModel::AgentFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(true);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    // Re-apply the chosen column once a source (and so its role names) is there; QML may set
    // the sort key before the source model.
    connect(this, &QAbstractProxyModel::sourceModelChanged, this, &AgentFilterModel::applySort);
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(this, signal, this, &AgentFilterModel::countChanged);
    connect(this, &QAbstractItemModel::modelReset, this, &AgentFilterModel::countChanged);
    connect(this, &QAbstractItemModel::layoutChanged, this, &AgentFilterModel::countChanged);
    applySort();
}

void AgentFilterModel::setFilterText(const QString &text)
{
    if (text == m_filterText)
        return;
    m_filterText = text;
    invalidateRowsFilter();
    Q_EMIT filterTextChanged();
    Q_EMIT countChanged();
}

void AgentFilterModel::setStatusFilter(const QString &status)
{
    if (status == m_statusFilter)
        return;
    m_statusFilter = status;
    invalidateRowsFilter();
    Q_EMIT statusFilterChanged();
    Q_EMIT countChanged();
}

void AgentFilterModel::setSortKey(const QString &key)
{
    if (key == m_sortKey || key.isEmpty())
        return;
    m_sortKey = key;
    applySort();
    Q_EMIT sortChanged();
}

void AgentFilterModel::setSortDescending(bool descending)
{
    if (descending == m_descending)
        return;
    m_descending = descending;
    applySort();
    Q_EMIT sortChanged();
}

void AgentFilterModel::toggleSort(const QString &key)
{
    if (key == m_sortKey) {
        setSortDescending(!m_descending);
        return;
    }
    m_sortKey = key;
    m_descending = false;
    applySort();
    Q_EMIT sortChanged();
}

int AgentFilterModel::roleFor(const QString &key) const
{
    if (!sourceModel())
        return -1;
    return sourceModel()->roleNames().key(key.toUtf8(), -1);
}

void AgentFilterModel::applySort()
{
    const int role = roleFor(m_sortKey);
    setSortRole(role < 0 ? int(AgentListModel::AgentIdRole) : role);
    sort(0, m_descending ? Qt::DescendingOrder : Qt::AscendingOrder);
}

QString AgentFilterModel::agentIdAt(int row) const
{
    return index(row, 0).data(AgentListModel::AgentIdRole).toString();
}

int AgentFilterModel::rowOfAgent(const QString &agentId) const
{
    for (int row = 0; row < rowCount(); ++row) {
        if (agentIdAt(row) == agentId)
            return row;
    }
    return -1;
}

bool AgentFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex at = sourceModel()->index(sourceRow, 0, sourceParent);
    const QString status = at.data(AgentListModel::StatusRole).toString();
    if (m_statusFilter == QLatin1StringView("attention")) {
        const bool beatOk = at.data(AgentListModel::HeartbeatStateRole).toString() == QLatin1StringView("ok");
        if (status != QLatin1StringView("error") && status != QLatin1StringView("offline") && beatOk)
            return false;
    } else if (!m_statusFilter.isEmpty() && status != m_statusFilter) {
        return false;
    }
    const QString needle = m_filterText.trimmed();
    if (needle.isEmpty())
        return true;
    for (int role : {AgentListModel::AgentIdRole, AgentListModel::KindRole, AgentListModel::HostRole,
             AgentListModel::TaskRole}) {
        if (at.data(role).toString().contains(needle, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

bool AgentFilterModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const int role = sortRole();
    int order = 0;
    if (role == AgentListModel::StatusRole) {
        order = statusRank(left.data(role).toString()) - statusRank(right.data(role).toString());
    } else if (role == AgentListModel::HeartbeatAgeSRole || role == AgentListModel::HeartbeatStateRole) {
        // By age; "never seen" (-1) is the oldest of all.
        auto age = [](const QModelIndex &at) {
            const qint64 value = at.data(AgentListModel::HeartbeatAgeSRole).toLongLong();
            return value < 0 ? std::numeric_limits<qint64>::max() : value;
        };
        const qint64 a = age(left);
        const qint64 b = age(right);
        order = a < b ? -1 : a > b ? 1 : 0;
    } else {
        const QVariant a = left.data(role);
        const QVariant b = right.data(role);
        if (a.typeId() == QMetaType::QString || b.typeId() == QMetaType::QString) {
            order = QString::compare(a.toString(), b.toString(), Qt::CaseInsensitive);
        } else {
            const double x = a.toDouble();
            const double y = b.toDouble();
            order = x < y ? -1 : x > y ? 1 : 0;
        }
    }
    if (order != 0)
        return order < 0;
    // Equal keys: agent id ascending whichever way the column sorts (the proxy swaps the
    // arguments for a descending sort, so undo that here).
    const int byId = QString::compare(left.data(AgentListModel::AgentIdRole).toString(),
        right.data(AgentListModel::AgentIdRole).toString(), Qt::CaseInsensitive);
    return m_descending ? byId > 0 : byId < 0;
}

} // namespace opsdeck::agents
