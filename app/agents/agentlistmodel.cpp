#include "agentlistmodel.h"

#include <QDateTime>
#include <QSet>

namespace opsdeck::agents {

AgentListModel::AgentListModel(QObject *parent)
    : QAbstractListModel(parent)
    , m_now([] { return QDateTime::currentMSecsSinceEpoch(); })
{
    m_ageTimer.setInterval(1000);
    connect(&m_ageTimer, &QTimer::timeout, this, &AgentListModel::refreshAges);
    m_ageTimer.start();
    updateCounts();
}

AgentListModel::~AgentListModel() = default;

void AgentListModel::setFeed(AgentFeed *feed)
{
    if (feed == m_feed)
        return;
    if (m_feed)
        disconnect(m_feed, nullptr, this, nullptr);
    m_feed = feed;
    if (feed) {
        connect(feed, &AgentFeed::snapshot, this, &AgentListModel::applySnapshot);
        connect(feed, &AgentFeed::agentUpdated, this, &AgentListModel::applyUpdate);
        connect(feed, &AgentFeed::agentRemoved, this, &AgentListModel::applyRemoval);
        connect(feed, &AgentFeed::metricsPoint, this, &AgentListModel::applyMetrics);
    }
    Q_EMIT feedChanged();
}

void AgentListModel::setStaleAfterMs(int ms)
{
    if (ms == m_staleAfterMs || ms <= 0)
        return;
    m_staleAfterMs = ms;
    Q_EMIT thresholdsChanged();
    refreshAges();
}

void AgentListModel::setLostAfterMs(int ms)
{
    if (ms == m_lostAfterMs || ms <= 0)
        return;
    m_lostAfterMs = ms;
    Q_EMIT thresholdsChanged();
    refreshAges();
}

void AgentListModel::setNowFunction(NowFunction now)
{
    m_now = std::move(now);
    refreshAges();
}

int AgentListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QString AgentListModel::heartbeatState(qint64 ageMs) const
{
    if (ageMs < 0 || ageMs > m_lostAfterMs)
        return QStringLiteral("lost");
    return ageMs > m_staleAfterMs ? QStringLiteral("stale") : QStringLiteral("ok");
}

qint64 AgentListModel::ageOf(const AgentRow &agent) const
{
    if (agent.lastHeartbeatMs <= 0)
        return -1;
    // A remote hub's clock may run slightly ahead of ours: never show a negative age.
    return std::max<qint64>(0, m_now() - agent.lastHeartbeatMs);
}

QVariant AgentListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry &entry = m_rows.at(index.row());
    const AgentRow &agent = entry.agent;
    const History history = m_history.value(agent.id);
    switch (role) {
    case Qt::DisplayRole:
    case AgentIdRole:
        return agent.id;
    case KindRole:
        return agent.kind;
    case HostRole:
        return agent.host;
    case VersionRole:
        return agent.version;
    case CapabilitiesRole:
        return agent.capabilities;
    case StatusRole:
        return agent.status;
    case TaskRole:
        return agent.task;
    case ConnectedRole:
        return agent.connected;
    case LastHeartbeatMsRole:
        return agent.lastHeartbeatMs;
    case HeartbeatAgeSRole:
        return entry.ageMs < 0 ? -1 : int(entry.ageMs / 1000);
    case HeartbeatStateRole:
        return heartbeatState(entry.ageMs);
    case ActiveRole:
        return agent.active();
    case ProcessedRole:
        return agent.processed;
    case SucceededRole:
        return agent.succeeded;
    case FailedRole:
        return agent.failed;
    case SuccessRateRole:
        return agent.successRate();
    case CpuRole:
        return history.cpu.isEmpty() ? -1.0 : history.cpu.constLast();
    case MemPercentRole:
        return history.mem.isEmpty() ? -1.0 : history.mem.constLast();
    case CpuHistoryRole:
        return QVariant::fromValue(history.cpu);
    case MemHistoryRole:
        return QVariant::fromValue(history.mem);
    default:
        return {};
    }
}

QHash<int, QByteArray> AgentListModel::roleNames() const
{
    return {{AgentIdRole, "agentId"}, {KindRole, "kind"}, {HostRole, "host"}, {VersionRole, "version"},
        {CapabilitiesRole, "capabilities"}, {StatusRole, "status"}, {TaskRole, "task"},
        {ConnectedRole, "connected"}, {LastHeartbeatMsRole, "lastHeartbeatMs"},
        {HeartbeatAgeSRole, "heartbeatAgeS"}, {HeartbeatStateRole, "heartbeatState"}, {ActiveRole, "active"},
        {ProcessedRole, "processed"}, {SucceededRole, "succeeded"}, {FailedRole, "failed"},
        {SuccessRateRole, "successRate"}, {CpuRole, "cpu"}, {MemPercentRole, "memPercent"},
        {CpuHistoryRole, "cpuHistory"}, {MemHistoryRole, "memHistory"}};
}

int AgentListModel::rowOf(const QString &agentId) const
{
    return m_rowById.value(agentId, -1);
}

const AgentRow *AgentListModel::agent(const QString &agentId) const
{
    const int row = rowOf(agentId);
    return row < 0 ? nullptr : &m_rows.at(row).agent;
}

QVariantMap AgentListModel::get(const QString &agentId) const
{
    const int row = rowOf(agentId);
    if (row < 0)
        return {};
    QVariantMap map;
    const QModelIndex at = index(row);
    const QHash<int, QByteArray> names = roleNames();
    for (auto it = names.cbegin(); it != names.cend(); ++it)
        map.insert(QString::fromLatin1(it.value()), data(at, it.key()));
    return map;
}

QList<int> AgentListModel::changedRoles(const AgentRow &before, const AgentRow &after) const
{
    QList<int> roles;
    auto note = [&](bool changed, std::initializer_list<int> affected) {
        if (changed)
            roles.append(affected);
    };
    note(before.kind != after.kind, {KindRole});
    note(before.host != after.host, {HostRole});
    note(before.version != after.version, {VersionRole});
    note(before.capabilities != after.capabilities, {CapabilitiesRole});
    note(before.status != after.status, {StatusRole});
    note(before.task != after.task, {TaskRole});
    note(before.connected != after.connected, {ConnectedRole});
    note(before.lastHeartbeatMs != after.lastHeartbeatMs,
        {LastHeartbeatMsRole, HeartbeatAgeSRole, HeartbeatStateRole});
    note(before.activeIds != after.activeIds, {ActiveRole});
    note(before.processed != after.processed, {ProcessedRole, SuccessRateRole});
    note(before.succeeded != after.succeeded, {SucceededRole, SuccessRateRole});
    note(before.failed != after.failed, {FailedRole});
    return roles;
}

void AgentListModel::insertRow(const AgentRow &agent)
{
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    m_rows.append(Entry {agent, ageOf(agent)});
    m_rowById.insert(agent.id, row);
    endInsertRows();
}

void AgentListModel::removeAt(int row)
{
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    reindex();
    endRemoveRows();
}

void AgentListModel::reindex()
{
    m_rowById.clear();
    for (int row = 0; row < m_rows.size(); ++row)
        m_rowById.insert(m_rows.at(row).agent.id, row);
}

void AgentListModel::applyUpdate(const AgentRow &agent)
{
    if (agent.id.isEmpty())
        return;
    const int row = rowOf(agent.id);
    if (row < 0) {
        insertRow(agent);
        Q_EMIT countChanged();
        updateCounts();
        return;
    }
    Entry &entry = m_rows[row];
    QList<int> roles = changedRoles(entry.agent, agent);
    if (roles.isEmpty())
        return;
    entry.agent = agent;
    entry.ageMs = ageOf(agent);
    std::sort(roles.begin(), roles.end());
    roles.erase(std::unique(roles.begin(), roles.end()), roles.end());
    const QModelIndex at = index(row);
    Q_EMIT dataChanged(at, at, roles);
    updateCounts();
}

void AgentListModel::applySnapshot(const QList<AgentRow> &agents)
{
    // Merged, not reset: selection, scroll position and the sparklines survive a reconnect.
    QSet<QString> present;
    for (const AgentRow &agent : agents)
        present.insert(agent.id);
    const int before = count();
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (!present.contains(m_rows.at(row).agent.id))
            removeAt(row);
    }
    for (const AgentRow &agent : agents) {
        const int row = rowOf(agent.id);
        if (row < 0) {
            insertRow(agent);
            continue;
        }
        QList<int> roles = changedRoles(m_rows.at(row).agent, agent);
        if (roles.isEmpty())
            continue;
        m_rows[row].agent = agent;
        m_rows[row].ageMs = ageOf(agent);
        const QModelIndex at = index(row);
        Q_EMIT dataChanged(at, at, roles);
    }
    if (count() != before)
        Q_EMIT countChanged();
    updateCounts();
}

void AgentListModel::applyRemoval(const QString &agentId)
{
    const int row = rowOf(agentId);
    if (row < 0)
        return;
    removeAt(row);
    m_history.remove(agentId);
    Q_EMIT countChanged();
    updateCounts();
}

void AgentListModel::applyMetrics(const QString &source, double cpu, double memPercent, qint64 tsMs)
{
    History &history = m_history[source];
    // Replays after a reconnect (epoch change) may repeat points the sparkline already has.
    if (tsMs > 0 && tsMs <= history.lastTsMs)
        return;
    history.lastTsMs = std::max(tsMs, history.lastTsMs);
    history.cpu.append(std::clamp(cpu, 0.0, 100.0));
    history.mem.append(memPercent < 0 ? 0.0 : std::min(memPercent, 100.0));
    while (history.cpu.size() > kHistoryLength)
        history.cpu.removeFirst();
    while (history.mem.size() > kHistoryLength)
        history.mem.removeFirst();
    const int row = rowOf(source);
    if (row < 0)
        return;
    const QModelIndex at = index(row);
    Q_EMIT dataChanged(at, at, {CpuRole, MemPercentRole, CpuHistoryRole, MemHistoryRole});
}

void AgentListModel::refreshAges()
{
    int first = -1;
    int last = -1;
    bool stateChanged = false;
    for (int row = 0; row < m_rows.size(); ++row) {
        Entry &entry = m_rows[row];
        const qint64 age = ageOf(entry.agent);
        const bool secondsChanged = (age < 0) != (entry.ageMs < 0) || age / 1000 != entry.ageMs / 1000;
        const bool stateDiffers = heartbeatState(age) != heartbeatState(entry.ageMs);
        entry.ageMs = age;
        if (!secondsChanged && !stateDiffers)
            continue;
        stateChanged = stateChanged || stateDiffers;
        if (first < 0)
            first = row;
        last = row;
    }
    if (first >= 0)
        Q_EMIT dataChanged(index(first), index(last), {HeartbeatAgeSRole, HeartbeatStateRole});
    if (stateChanged)
        updateCounts();
}

void AgentListModel::updateCounts()
{
    QVariantMap counts {{QStringLiteral("total"), count()}, {QStringLiteral("idle"), 0},
        {QStringLiteral("busy"), 0}, {QStringLiteral("error"), 0}, {QStringLiteral("offline"), 0},
        {QStringLiteral("stale"), 0}, {QStringLiteral("lost"), 0}};
    for (const Entry &entry : std::as_const(m_rows)) {
        const QString status = entry.agent.status;
        static const QStringList kStatuses {QStringLiteral("idle"), QStringLiteral("busy"),
            QStringLiteral("error"), QStringLiteral("offline")};
        if (kStatuses.contains(status))
            counts[status] = counts.value(status).toInt() + 1;
        // An offline agent is not expected to beat: counting it as lost would say it twice.
        if (entry.agent.connected) {
            const QString beat = heartbeatState(entry.ageMs);
            if (beat != QLatin1StringView("ok"))
                counts[beat] = counts.value(beat).toInt() + 1;
        }
    }
    if (counts == m_counts)
        return;
    m_counts = counts;
    Q_EMIT statusCountsChanged();
}

} // namespace opsdeck::agents
