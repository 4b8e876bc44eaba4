#pragma once

// AgentListModel: one row per agent of the fleet, fed by an AgentFeed's signals. Besides what
// the registry says (status, task, seed 000's queue metrics) it keeps each agent's recent CPU
// and memory for the sparklines and derives the heartbeat age, which a 1 s timer refreshes —
// that timer touches only the age roles, so views do not redraw whole rows every second.

#include "agentfeed.h"
#include "agenttypes.h"

#include <QAbstractListModel>
#include <QHash>
#include <QPointer>
#include <QTimer>
#include <QVariantMap>
#include <QtQml/qqml.h>
#include <functional>

namespace opsdeck::agents {

class AgentListModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(opsdeck::agents::AgentFeed *feed READ feed WRITE setFeed NOTIFY feedChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    // {total, idle, busy, error, offline, stale, lost}: the header's pills.
    Q_PROPERTY(QVariantMap statusCounts READ statusCounts NOTIFY statusCountsChanged)
    Q_PROPERTY(int staleAfterMs READ staleAfterMs WRITE setStaleAfterMs NOTIFY thresholdsChanged)
    Q_PROPERTY(int lostAfterMs READ lostAfterMs WRITE setLostAfterMs NOTIFY thresholdsChanged)

public:
    enum Role
    {
        AgentIdRole = Qt::UserRole + 1,
        KindRole,
        HostRole,
        VersionRole,
        CapabilitiesRole,
        StatusRole,
        TaskRole,
        ConnectedRole,
        LastHeartbeatMsRole,
        HeartbeatAgeSRole,
        HeartbeatStateRole,
        ActiveRole,
        ProcessedRole,
        SucceededRole,
        FailedRole,
        SuccessRateRole,
        CpuRole,
        MemPercentRole,
        CpuHistoryRole,
        MemHistoryRole,
    };
    Q_ENUM(Role)

    // The demo heartbeats every second: five missed beats are worth a look, fifteen mean the
    // agent is gone (the hub itself marks an agent offline later than that).
    static constexpr int kDefaultStaleAfterMs = 5000;
    static constexpr int kDefaultLostAfterMs = 15000;
    static constexpr int kHistoryLength = 60; // one minute of 1 s metrics points

    using NowFunction = std::function<qint64()>;

    explicit AgentListModel(QObject *parent = nullptr);
    ~AgentListModel() override;

    AgentFeed *feed() const { return m_feed; }
    void setFeed(AgentFeed *feed);
    int count() const { return int(m_rows.size()); }
    QVariantMap statusCounts() const { return m_counts; }
    int staleAfterMs() const { return m_staleAfterMs; }
    void setStaleAfterMs(int ms);
    int lostAfterMs() const { return m_lostAfterMs; }
    void setLostAfterMs(int ms);
    // The wall clock the heartbeat age is measured against (tests pin it).
    void setNowFunction(NowFunction now);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    Q_INVOKABLE int rowOf(const QString &agentId) const;
    // Every role of one agent by role name (the detail panel); empty for an unknown id.
    Q_INVOKABLE QVariantMap get(const QString &agentId) const;
    const AgentRow *agent(const QString &agentId) const;

    // "ok", "stale" or "lost" for a heartbeat `ageMs` old (-1: never seen).
    QString heartbeatState(qint64 ageMs) const;

public Q_SLOTS:
    void applySnapshot(const QList<opsdeck::agents::AgentRow> &agents);
    void applyUpdate(const opsdeck::agents::AgentRow &agent);
    void applyRemoval(const QString &agentId);
    void applyMetrics(const QString &source, double cpu, double memPercent, qint64 tsMs);
    // Recomputes heartbeat ages (the timer calls it every second).
    void refreshAges();

Q_SIGNALS:
    void feedChanged();
    void countChanged();
    void statusCountsChanged();
    void thresholdsChanged();

private:
    struct History
    {
        QList<double> cpu;
        QList<double> mem;
        qint64 lastTsMs = 0;
    };
    struct Entry
    {
        AgentRow agent;
        qint64 ageMs = -1; // at the last refresh; -1 = no heartbeat yet
    };

    qint64 ageOf(const AgentRow &agent) const;
    QList<int> changedRoles(const AgentRow &before, const AgentRow &after) const;
    void insertRow(const AgentRow &agent);
    void removeAt(int row);
    void updateCounts();
    void reindex();

    QPointer<AgentFeed> m_feed;
    QList<Entry> m_rows;
    QHash<QString, int> m_rowById;
    // Kept by source, not by row: metrics history may arrive before the agent's snapshot.
    QHash<QString, History> m_history;
    QVariantMap m_counts;
    QTimer m_ageTimer;
    NowFunction m_now;
    int m_staleAfterMs = kDefaultStaleAfterMs;
    int m_lostAfterMs = kDefaultLostAfterMs;
};

} // namespace opsdeck::agents
