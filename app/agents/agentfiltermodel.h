#pragma once

// AgentFilterModel: the table's view of an AgentListModel — a text filter over id, kind, host
// and task, a status filter, and sorting by any column. Ties are broken by agent id so rows that
// compare equal (all "idle", all 0 failed) keep one predictable order instead of jumping around
// as updates arrive.

#include <QSortFilterProxyModel>
#include <QtQml/qqml.h>

namespace opsdeck::agents {

class AgentFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString filterText READ filterText WRITE setFilterText NOTIFY filterTextChanged)
    // "" (all), a status (idle, busy, error, offline), or "attention": error, offline, or a
    // heartbeat that is stale or lost — what an operator on call looks at first.
    Q_PROPERTY(QString statusFilter READ statusFilter WRITE setStatusFilter NOTIFY statusFilterChanged)
    // A role name of AgentListModel ("agentId", "heartbeatAgeS", "successRate"…).
    Q_PROPERTY(QString sortKey READ sortKey WRITE setSortKey NOTIFY sortChanged)
    Q_PROPERTY(bool sortDescending READ sortDescending WRITE setSortDescending NOTIFY sortChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    explicit AgentFilterModel(QObject *parent = nullptr);

    QString filterText() const { return m_filterText; }
    void setFilterText(const QString &text);
    QString statusFilter() const { return m_statusFilter; }
    void setStatusFilter(const QString &status);
    QString sortKey() const { return m_sortKey; }
    void setSortKey(const QString &key);
    bool sortDescending() const { return m_descending; }
    void setSortDescending(bool descending);
    int count() const { return rowCount(); }

    // A header click: the same column flips the order, another column sorts ascending.
    Q_INVOKABLE void toggleSort(const QString &key);
    Q_INVOKABLE QString agentIdAt(int row) const;
    Q_INVOKABLE int rowOfAgent(const QString &agentId) const;

Q_SIGNALS:
    void filterTextChanged();
    void statusFilterChanged();
    void sortChanged();
    void countChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    int roleFor(const QString &key) const;
    void applySort();

    QString m_filterText;
    QString m_statusFilter;
    QString m_sortKey = QStringLiteral("agentId");
    bool m_descending = false;
};

} // namespace opsdeck::agents
