#pragma once

// SourceListModel: every metrics source seen so far, for the Metrics pane's picker — hosts
// first, then agents, each alphabetical — with its latest CPU and memory and a short CPU
// trend for a sparkline. MetricsStore owns it and is the only writer.

#include <QAbstractListModel>
#include <QList>
#include <QString>
#include <QtQml/qqml.h>

namespace opsdeck::metrics {

struct SourceSummary
{
    QString source;
    QString kind; // "host" or "agent"
    QString host;
    double cpu = 0;
    double memoryPercent = 0;
    double memoryMiB = 0;
    qint64 lastSeenMs = 0;
    QList<double> cpuTrend; // oldest first
};

class SourceListModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("SourceListModel belongs to a MetricsStore")
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)

public:
    enum Role {
        SourceRole = Qt::UserRole + 1,
        KindRole,
        HostRole,
        CpuRole,
        MemoryPercentRole,
        MemoryMiBRole,
        LastSeenRole,
        CpuTrendRole,
    };
    Q_ENUM(Role)

    explicit SourceListModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Adds the source in its sorted place or updates its row (one dataChanged for the row).
    void upsert(const SourceSummary &summary);
    void clear();

    Q_INVOKABLE int indexOf(const QString &source) const;
    Q_INVOKABLE QString sourceAt(int row) const;
    Q_INVOKABLE QString kindAt(int row) const;
    const SourceSummary *summary(const QString &source) const;

Q_SIGNALS:
    void countChanged();

private:
    // Hosts before agents, then by name: the order the picker shows.
    static bool before(const SourceSummary &a, const SourceSummary &b);

    QList<SourceSummary> m_rows;
};

} // namespace opsdeck::metrics
