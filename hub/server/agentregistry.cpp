#include "agentregistry.h"

#include "topic.h"

#include <QJsonArray>

#include <algorithm>

Q_LOGGING_CATEGORY(lcRegistry, "opsdeck.hub.registry")

namespace opsdeck::hub {

using protocol::isoNow;
using protocol::isoTime;

namespace {
constexpr int kRecentBlocks = 20;
}

AgentRegistry::AgentRegistry(TopicSet &topics, QObject *parent)
    : QObject(parent)
    , m_topics(topics)
{
}

void AgentRegistry::registerAgent(const AgentInfo &info, AgentLink *link)
{
    AgentRecord &record = m_agents[info.id];
    record.info = info;
    record.link = link;
    record.connected = true;
    record.status = QStringLiteral("idle");
    record.task.clear();
    record.lastHeartbeat = QDateTime::currentDateTimeUtc();
    qCInfo(lcRegistry) << "agent registered" << info.id << info.kind << info.host;
    publishAgentEvent(QStringLiteral("registered"), record);
    publishStatus(record);
}

void AgentRegistry::disconnectAgent(const QString &id)
{
    AgentRecord *record = findMutable(id);
    if (!record || !record->connected)
        return;
    record->connected = false;
    record->link = nullptr;
    record->status = QStringLiteral("offline");
    record->task.clear();
    qCInfo(lcRegistry) << "agent disconnected" << id;
    publishAgentEvent(QStringLiteral("disconnected"), *record);
    publishStatus(*record);
    Q_EMIT agentDisconnected(id);
}

void AgentRegistry::removeAgent(const QString &id)
{
    const auto it = m_agents.find(id);
    if (it == m_agents.end())
        return;
    const AgentRecord record = *it;
    m_agents.erase(it);
    publishAgentEvent(QStringLiteral("removed"), record);
    Q_EMIT agentDisconnected(id);
}

void AgentRegistry::heartbeat(const QString &id)
{
    AgentRecord *record = findMutable(id);
    if (!record || !record->connected)
        return;
    record->lastHeartbeat = QDateTime::currentDateTimeUtc();
    publishAgentEvent(QStringLiteral("heartbeat"), *record);
}

void AgentRegistry::setStatus(const QString &id, const QString &status, const QString &task)
{
    AgentRecord *record = findMutable(id);
    if (!record || (record->status == status && record->task == task))
        return;
    record->status = status;
    record->task = task;
    publishAgentEvent(QStringLiteral("updated"), *record);
    publishStatus(*record);
}

void AgentRegistry::publishLog(const QString &source, const QString &level, const QString &stream,
                               const QString &message, qint64 timeMs)
{
    const AgentRecord *record = find(source);
    QJsonObject entry{{QStringLiteral("type"), QStringLiteral("log")},
                      {QStringLiteral("timestamp"), timeMs > 0 ? isoTime(timeMs) : isoNow()},
                      {QStringLiteral("stream"), stream},
                      {QStringLiteral("level"), level},
                      {QStringLiteral("source"), source},
                      {QStringLiteral("host"), record ? record->info.host : QString()},
                      {QStringLiteral("message"), message}};
    m_topics.topic(protocol::Topic::Logs).publish(std::move(entry), source, level, stream, message);
}

void AgentRegistry::publishMetrics(const MetricsSample &sample)
{
    QJsonObject entry{{QStringLiteral("type"), QStringLiteral("metrics")},
                      {QStringLiteral("source"), sample.source},
                      {QStringLiteral("host"), sample.host},
                      {QStringLiteral("kind"), sample.kind},
                      {QStringLiteral("cpu"), sample.cpu},
                      {QStringLiteral("memory"), sample.memoryMiB},
                      {QStringLiteral("memoryLimit"), sample.memoryLimitMiB},
                      {QStringLiteral("network"),
                       QJsonObject{{QStringLiteral("rx"), sample.rxBytesPerSec},
                                   {QStringLiteral("tx"), sample.txBytesPerSec}}},
                      {QStringLiteral("timestamp"), sample.timeMs > 0 ? isoTime(sample.timeMs) : isoNow()}};
    if (sample.diskUsedGiB && sample.diskTotalGiB)
        entry.insert(QStringLiteral("disk"), QJsonObject{{QStringLiteral("used"), *sample.diskUsedGiB},
                                                         {QStringLiteral("total"), *sample.diskTotalGiB}});
    for (auto it = sample.extra.constBegin(); it != sample.extra.constEnd(); ++it) {
        if (!entry.contains(it.key()))
            entry.insert(it.key(), it.value());
    }
    m_topics.topic(protocol::Topic::Metrics).publish(std::move(entry), sample.source);
}

void AgentRegistry::publishFlowEvent(const QString &source, const QString &type, const QJsonObject &data)
{
    const QString blockId = data.value(QLatin1StringView("blockId")).toString();
    QJsonObject tracked = data;
    tracked.insert(QStringLiteral("source"), source);
    if (type == QLatin1StringView("block_started_enhanced")) {
        m_activeBlocks.append(tracked);
    } else {
        m_activeBlocks.removeIf(
            [&](const QJsonObject &block) { return block.value(QLatin1StringView("blockId")).toString() == blockId; });
        m_recentBlocks.prepend(tracked);
        while (m_recentBlocks.size() > kRecentBlocks)
            m_recentBlocks.removeLast();
    }
    QJsonObject entry{{QStringLiteral("type"), type},
                      {QStringLiteral("source"), source},
                      {QStringLiteral("data"), data},
                      {QStringLiteral("timestamp"), isoNow()}};
    m_topics.topic(protocol::Topic::Flow).publish(std::move(entry), source, {}, {}, data.value(QLatin1StringView("displayText")).toString());
}

void AgentRegistry::completeCommand(const QString &agentId, const CommandResult &result)
{
    Q_EMIT commandFinished(agentId, result);
}

const AgentRecord *AgentRegistry::find(const QString &id) const
{
    const auto it = m_agents.constFind(id);
    return it == m_agents.cend() ? nullptr : &*it;
}

AgentRecord *AgentRegistry::findMutable(const QString &id)
{
    const auto it = m_agents.find(id);
    return it == m_agents.end() ? nullptr : &*it;
}

QList<const AgentRecord *> AgentRegistry::agents() const
{
    QList<const AgentRecord *> list;
    list.reserve(m_agents.size());
    for (const AgentRecord &record : m_agents)
        list.append(&record);
    std::sort(list.begin(), list.end(),
              [](const AgentRecord *a, const AgentRecord *b) { return a->info.id < b->info.id; });
    return list;
}

QJsonObject AgentRegistry::agentJson(const AgentRecord &record) const
{
    const QueueMetrics &queue = record.queue;
    return QJsonObject{
        {QStringLiteral("id"), record.info.id},
        {QStringLiteral("name"), record.info.id},
        {QStringLiteral("kind"), record.info.kind},
        {QStringLiteral("host"), record.info.host},
        {QStringLiteral("version"), record.info.version},
        {QStringLiteral("capabilities"), QJsonArray::fromStringList(record.info.capabilities)},
        {QStringLiteral("status"), record.status},
        {QStringLiteral("task"), record.task},
        {QStringLiteral("connected"), record.connected},
        {QStringLiteral("last_heartbeat"), record.lastHeartbeat.toString(Qt::ISODateWithMs)},
        {QStringLiteral("queue"),
         QJsonObject{{QStringLiteral("active"), queue.activeIds.size()},
                     {QStringLiteral("active_ids"), QJsonArray::fromStringList(queue.activeIds)},
                     {QStringLiteral("processed"), queue.processed},
                     {QStringLiteral("succeeded"), queue.succeeded},
                     {QStringLiteral("failed"), queue.failed}}},
    };
}

void AgentRegistry::commandStarted(const QString &agentId, const QString &commandSyncId)
{
    AgentRecord *record = findMutable(agentId);
    if (!record)
        return;
    record->queue.activeIds.append(commandSyncId);
    publishAgentEvent(QStringLiteral("updated"), *record);
}

void AgentRegistry::commandEnded(const QString &agentId, const QString &commandSyncId, bool success)
{
    AgentRecord *record = findMutable(agentId);
    if (!record)
        return;
    record->queue.activeIds.removeAll(commandSyncId);
    ++record->queue.processed;
    ++(success ? record->queue.succeeded : record->queue.failed);
    publishAgentEvent(QStringLiteral("updated"), *record);
}

void AgentRegistry::setQueueMetrics(const QString &agentId, const QueueMetrics &queue)
{
    AgentRecord *record = findMutable(agentId);
    if (!record)
        return;
    if (record->queue == queue)
        return;
    record->queue = queue;
    publishAgentEvent(QStringLiteral("updated"), *record);
}

QJsonObject AgentRegistry::initialExecutionState() const
{
    QJsonArray active;
    for (const QJsonObject &block : m_activeBlocks)
        active.append(block);
    QJsonArray recent;
    for (const QJsonObject &block : m_recentBlocks)
        recent.append(block);
    int busy = 0;
    QStringList flowSources;
    for (const AgentRecord &record : m_agents) {
        busy += record.status == QLatin1StringView("busy") ? 1 : 0;
        if (record.info.capabilities.contains(QLatin1StringView("flow")))
            flowSources.append(record.info.id);
    }
    flowSources.sort();
    return QJsonObject{{QStringLiteral("active"), active},
                       {QStringLiteral("recent"), recent},
                       {QStringLiteral("executionContext"),
                        QJsonObject{{QStringLiteral("agents"), m_agents.size()},
                                    {QStringLiteral("busy"), busy},
                                    {QStringLiteral("flowSources"), QJsonArray::fromStringList(flowSources)}}}};
}

void AgentRegistry::publishAgentEvent(const QString &event, const AgentRecord &record)
{
    QJsonObject entry{{QStringLiteral("type"), QStringLiteral("event")},
                      {QStringLiteral("event"), event},
                      {QStringLiteral("agent"), agentJson(record)},
                      {QStringLiteral("timestamp"), isoNow()}};
    m_topics.topic(protocol::Topic::Agents).publish(std::move(entry), record.info.id);
}

void AgentRegistry::publishStatus(const AgentRecord &record)
{
    QJsonObject entry{{QStringLiteral("type"), QStringLiteral("status")},
                      {QStringLiteral("source"), record.info.id},
                      {QStringLiteral("status"), record.status},
                      {QStringLiteral("task"), record.task},
                      {QStringLiteral("timestamp"), isoNow()}};
    m_topics.topic(protocol::Topic::Status).publish(std::move(entry), record.info.id);
}

} // namespace opsdeck::hub
