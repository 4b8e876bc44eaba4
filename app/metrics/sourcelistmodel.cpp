#include "sourcelistmodel.h"

#include <algorithm>

namespace opsdeck::metrics {

SourceListModel::SourceListModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

int SourceListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant SourceListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const SourceSummary &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case SourceRole:
        return row.source;
    case KindRole:
        return row.kind;
    case HostRole:
        return row.host;
    case CpuRole:
        return row.cpu;
    case MemoryPercentRole:
        return row.memoryPercent;
    case MemoryMiBRole:
        return row.memoryMiB;
    case LastSeenRole:
        return double(row.lastSeenMs); // QML numbers are doubles; ms since 1970 fit exactly
    case CpuTrendRole: {
        QVariantList trend;
        trend.reserve(row.cpuTrend.size());
        for (double value : row.cpuTrend)
            trend.append(value);
        return trend;
    }
    default:
        return {};
    }
}

QHash<int, QByteArray> SourceListModel::roleNames() const
{
    return {{SourceRole, "source"},         {KindRole, "kind"},
            {HostRole, "host"},             {CpuRole, "cpu"},
            {MemoryPercentRole, "memoryPercent"}, {MemoryMiBRole, "memoryMiB"},
            {LastSeenRole, "lastSeen"},     {CpuTrendRole, "cpuTrend"}};
}

bool SourceListModel::before(const SourceSummary &a, const SourceSummary &b)
{
    const bool aHost = a.kind == QLatin1StringView("host");
    const bool bHost = b.kind == QLatin1StringView("host");
    if (aHost != bHost)
        return aHost;
    return a.source < b.source;
}

void SourceListModel::upsert(const SourceSummary &summary)
{
    const int existing = indexOf(summary.source);
    if (existing >= 0 && m_rows.at(existing).kind == summary.kind) {
        m_rows[existing] = summary;
        const QModelIndex changed = index(existing);
        Q_EMIT dataChanged(changed, changed);
        return;
    }
    if (existing >= 0) {
        // The source changed kind (a reused name): it moves to the other group.
        beginRemoveRows({}, existing, existing);
        m_rows.removeAt(existing);
        endRemoveRows();
    }
    const auto at = std::lower_bound(m_rows.cbegin(), m_rows.cend(), summary, &SourceListModel::before);
    const int row = int(at - m_rows.cbegin());
    beginInsertRows({}, row, row);
    m_rows.insert(row, summary);
    endInsertRows();
    if (existing < 0)
        Q_EMIT countChanged();
}

void SourceListModel::clear()
{
    if (m_rows.isEmpty())
        return;
    beginResetModel();
    m_rows.clear();
    endResetModel();
    Q_EMIT countChanged();
}

int SourceListModel::indexOf(const QString &source) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).source == source)
            return i;
    }
    return -1;
}

QString SourceListModel::sourceAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).source : QString();
}

QString SourceListModel::kindAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).kind : QString();
}

const SourceSummary *SourceListModel::summary(const QString &source) const
{
    const int row = indexOf(source);
    return row >= 0 ? &m_rows.at(row) : nullptr;
}

} // namespace opsdeck::metrics
