// The opsdeck.v1 message handlers of HubServer (docs/protocol.md §3–6).

#include "hubserver.h"

#include "hublog.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace opsdeck::hub {

using protocol::CloseCode;
using protocol::ErrorCode;
using protocol::FieldReader;
using protocol::InboundMessage;
using protocol::ProtocolError;

namespace {
constexpr QLatin1StringView kFieldTopic{"topic"};

// Idempotency keys and cancels are per operator: one user's command id never answers another's.
QString commandScope(const HubSession &session)
{
    return session.principal().kind == Principal::Kind::Local ? QString() : session.principal().subject;
}

ProtocolError notFound(const QString &what, const QString &name)
{
    return ProtocolError{ErrorCode::NotFound, QStringLiteral("No %1 '%2'").arg(what, name),
                         QJsonObject{{QStringLiteral("what"), what}, {QStringLiteral("name"), name}}};
}

std::optional<protocol::Topic> readTopic(HubSession &session, FieldReader &reader, const QString &id)
{
    const QString name = reader.requiredString(kFieldTopic, 64);
    if (!reader.ok()) {
        session.sendError(*reader.error(), id);
        return std::nullopt;
    }
    const auto topic = protocol::topicFromName(name);
    if (!topic)
        session.sendError(ProtocolError{ErrorCode::UnknownTopic, QStringLiteral("No topic '%1'").arg(name),
                                        QJsonObject{{QStringLiteral("topic"), name}}},
                          id);
    return topic;
}

QByteArray epochGapFrame(const Subscription &sub, Topic &topic, const QString &previousEpoch)
{
    return protocol::toFrame(QJsonObject{{QStringLiteral("type"), QStringLiteral("gap")},
                                         {QStringLiteral("topic"), topic.name()},
                                         {QStringLiteral("sub"), sub.id()},
                                         {QStringLiteral("epoch"), topic.epoch()},
                                         {QStringLiteral("previous_epoch"), previousEpoch},
                                         {QStringLiteral("reason"), QStringLiteral("epoch_changed")}});
}

QByteArray retentionGapFrame(const Subscription &sub, Topic &topic, quint64 from, quint64 to)
{
    return protocol::toFrame(QJsonObject{{QStringLiteral("type"), QStringLiteral("gap")},
                                         {QStringLiteral("topic"), topic.name()},
                                         {QStringLiteral("sub"), sub.id()},
                                         {QStringLiteral("epoch"), topic.epoch()},
                                         {QStringLiteral("reason"), QStringLiteral("retention_exceeded")},
                                         {QStringLiteral("from_seq"), qint64(from)},
                                         {QStringLiteral("to_seq"), qint64(to)}});
}
} // namespace

void HubServer::installHandlers()
{
    using namespace std::placeholders;
    const auto bind = [this](void (HubServer::*method)(HubSession &, const InboundMessage &)) {
        return [this, method](HubSession &session, const InboundMessage &message) {
            (this->*method)(session, message);
        };
    };
    registerHandler(QStringLiteral("hello"), bind(&HubServer::handleHello));
    registerHandler(QStringLiteral("identify_client"), bind(&HubServer::handleIdentify));
    registerHandler(QStringLiteral("ping"), bind(&HubServer::handlePing));
    registerHandler(QStringLiteral("subscribe"), bind(&HubServer::handleSubscribe));
    registerHandler(QStringLiteral("unsubscribe"), bind(&HubServer::handleUnsubscribe));
    registerHandler(QStringLiteral("control"), bind(&HubServer::handleControl));
    registerHandler(QStringLiteral("query"), bind(&HubServer::handleQuery));
    registerHandler(QStringLiteral("request_initial_state"), bind(&HubServer::handleInitialState));
    registerHandler(QStringLiteral("command"), bind(&HubServer::handleCommand));
    registerHandler(QStringLiteral("cancel"), bind(&HubServer::handleCancel));
    registerHandler(QStringLiteral("auth"), bind(&HubServer::handleAuth));
    registerHandler(QStringLiteral("kill_session"), bind(&HubServer::handleKillSession));
    installTerminalHandlers();
}

void HubServer::handleHello(HubSession &session, const InboundMessage &message)
{
    if (session.helloReceived()) {
        session.sendError(protocol::badMessage(QStringLiteral("type"), QStringLiteral("one hello per connection")),
                          message.id);
        return;
    }
    FieldReader reader(message.body);
    const QString version = reader.requiredString(QLatin1StringView("protocol"), 64);
    const QJsonValue offered = message.body.value(QLatin1StringView("capabilities"));
    if (!offered.isUndefined() && !offered.isArray())
        reader.fail(QLatin1StringView("capabilities"), QStringLiteral("array of strings"));
    if (!reader.ok()) {
        session.sendError(*reader.error(), message.id);
        return;
    }
    if (version != protocol::kProtocolName) {
        session.sendError(ProtocolError{ErrorCode::UnsupportedVersion,
                                        QStringLiteral("Protocol '%1' is not served").arg(version),
                                        QJsonObject{{QStringLiteral("supported"),
                                                     QJsonArray{QString(protocol::kProtocolName)}}}},
                          message.id);
        session.close(CloseCode::PolicyViolation, QStringLiteral("unsupported protocol version"));
        return;
    }
    session.setHelloReceived();
    QJsonArray capabilities;
    const QStringList ours = protocol::hubCapabilities();
    if (offered.isUndefined()) {
        capabilities = QJsonArray::fromStringList(ours);
    } else {
        for (const QJsonValue &capability : offered.toArray()) {
            if (ours.contains(capability.toString()))
                capabilities.append(capability);
        }
    }
    QJsonObject welcome{
        {QStringLiteral("type"), QStringLiteral("welcome")},
        {QStringLiteral("protocol"), QString(protocol::kProtocolName)},
        {QStringLiteral("client_id"), session.clientId()},
        {QStringLiteral("mode"), protocol::modeName(m_config.mode)},
        {QStringLiteral("hub"), hubJson()},
        {QStringLiteral("capabilities"), capabilities},
        {QStringLiteral("topics"), QJsonArray::fromStringList(protocol::topicNames())},
        {QStringLiteral("limits"),
         QJsonObject{{QStringLiteral("max_message_bytes"), protocol::kMaxMessageBytes},
                     {QStringLiteral("rate"),
                      QJsonObject{{QStringLiteral("limit"), m_config.rateLimit},
                                  {QStringLiteral("window"), protocol::formatWindow(m_config.rateWindowSeconds)}}},
                     {QStringLiteral("batch"), QJsonObject{{QStringLiteral("max_entries"), m_config.batchMaxEntries},
                                                           {QStringLiteral("interval_ms"), m_config.batchIntervalMs}}},
                     {QStringLiteral("ping_interval_s"), m_config.pingIntervalMs / 1000.0},
                     {QStringLiteral("ping_timeout_s"), m_config.pingTimeoutMs / 1000.0},
                     {QStringLiteral("max_subscriptions"), protocol::kMaxSubscriptions}}},
    };
    if (m_config.mode != protocol::Mode::Demo)
        welcome.insert(QStringLiteral("user"), userJson(session.principal()));
    if (!message.id.isEmpty())
        welcome.insert(QStringLiteral("id"), message.id);
    session.sendMessage(welcome);
}

void HubServer::handleIdentify(HubSession &session, const InboundMessage &message)
{
    FieldReader reader(message.body);
    const QJsonObject info = reader.requiredObject(QLatin1StringView("clientInfo"));
    if (!reader.ok()) {
        session.sendError(*reader.error(), message.id);
        return;
    }
    QJsonObject data{{QStringLiteral("clientId"), session.clientId()},
                     {QStringLiteral("name"), info.value(QLatin1StringView("name")).toString()},
                     {QStringLiteral("page"), info.value(QLatin1StringView("page")).toString()}};
    QJsonObject reply{{QStringLiteral("type"), QStringLiteral("client_identified")}, {QStringLiteral("data"), data}};
    if (!message.id.isEmpty())
        reply.insert(QStringLiteral("id"), message.id);
    session.sendMessage(reply);
}

void HubServer::handlePing(HubSession &session, const InboundMessage &message)
{
    QJsonObject pong{{QStringLiteral("type"), QStringLiteral("pong")}};
    if (!message.id.isEmpty())
        pong.insert(QStringLiteral("id"), message.id);
    session.sendMessage(pong);
}

void HubServer::handleSubscribe(HubSession &session, const InboundMessage &message)
{
    FieldReader reader(message.body);
    const auto topicId = readTopic(session, reader, message.id);
    if (!topicId)
        return;
    Topic &topic = m_topics.topic(*topicId);
    const auto history = reader.optionalInteger(QLatin1StringView("history"), 0, topic.capacity());
    const auto since = reader.optionalObject(QLatin1StringView("since"));
    const auto batch = reader.optionalBool(QLatin1StringView("batch"));
    QString sinceEpoch;
    quint64 sinceSeq = 0;
    if (since) {
        FieldReader sinceReader(*since);
        sinceEpoch = sinceReader.requiredString(QLatin1StringView("epoch"), 128);
        const auto seq = sinceReader.optionalInteger(QLatin1StringView("seq"), 0, std::numeric_limits<qint64>::max() / 2);
        if (!sinceReader.ok() || !seq)
            reader.fail(QLatin1StringView("since"), QStringLiteral("object {epoch: string, seq: integer >= 0}"));
        sinceSeq = quint64(seq.value_or(0));
    }
    if (reader.ok() && since && sinceEpoch == topic.epoch() && sinceSeq > topic.headSeq())
        reader.fail(QLatin1StringView("since"),
                    QStringLiteral("a position this hub has published (head_seq is %1)").arg(topic.headSeq()));
    if (!reader.ok()) {
        session.sendError(*reader.error(), message.id);
        return;
    }
    auto filter = protocol::EntryFilter::fromJson(message.body.value(QLatin1StringView("filter")));
    if (auto *error = std::get_if<ProtocolError>(&filter)) {
        session.sendError(*error, message.id);
        return;
    }
    if (session.subscriptionCount() >= protocol::kMaxSubscriptions) {
        session.sendError(ProtocolError{ErrorCode::TooManySubscriptions,
                                        QStringLiteral("At most %1 subscriptions per connection")
                                            .arg(protocol::kMaxSubscriptions),
                                        QJsonObject{{QStringLiteral("limit"), protocol::kMaxSubscriptions}}},
                          message.id);
        return;
    }

    const bool isLogs = *topicId == protocol::Topic::Logs;
    Subscription *sub = session.addSubscription(topic, std::get<protocol::EntryFilter>(std::move(filter)),
                                                isLogs && batch.value_or(true));
    const qsizetype defaultHistory = isLogs ? protocol::kDefaultLogHistory : 0;
    bool recovered = true;
    QByteArray gap;
    if (!since) {
        sub->rewindForHistory(history.value_or(defaultHistory));
    } else if (sinceEpoch != topic.epoch()) {
        recovered = false;
        gap = epochGapFrame(*sub, topic, sinceEpoch);
        sub->rewindForHistory(history.value_or(defaultHistory));
    } else if (sinceSeq + 1 < topic.retainedSeq()) {
        // Everything still retained (ring or history store) follows the gap: the client loses
        // only what is truly gone.
        recovered = false;
        gap = retentionGapFrame(*sub, topic, sinceSeq + 1, topic.retainedSeq() - 1);
        sub->setCursor(topic.retainedSeq() - 1);
    } else {
        sub->setCursor(sinceSeq);
    }
    if (since)
        ++(recovered ? m_stats.resumesRecovered : m_stats.resumesLost);

    session.sendMessage(protocol::makeResponse(
        message.id, QJsonObject{{QStringLiteral("sub"), sub->id()},
                                {QStringLiteral("topic"), topic.name()},
                                {QStringLiteral("epoch"), topic.epoch()},
                                {QStringLiteral("head_seq"), qint64(topic.headSeq())},
                                {QStringLiteral("recovered"), recovered},
                                {QStringLiteral("replayed"), qint64(sub->countMatchingPending())}}));
    if (!gap.isEmpty())
        session.sendFrame(gap);
    session.flushSubscription(sub);
}

void HubServer::handleUnsubscribe(HubSession &session, const InboundMessage &message)
{
    FieldReader reader(message.body);
    const QString sub = reader.requiredString(QLatin1StringView("sub"), 32);
    if (!reader.ok()) {
        session.sendError(*reader.error(), message.id);
        return;
    }
    if (!session.removeSubscription(sub)) {
        session.sendError(notFound(QStringLiteral("subscription"), sub), message.id);
        return;
    }
    session.sendMessage(protocol::makeResponse(message.id, QJsonObject{{QStringLiteral("sub"), sub}}));
}

void HubServer::handleControl(HubSession &session, const InboundMessage &message)
{
    FieldReader reader(message.body);
    const QString action = reader.requiredString(QLatin1StringView("action"), 16);
    const auto subId = reader.optionalString(QLatin1StringView("sub"), 32);
    const auto stream = reader.optionalString(QLatin1StringView("stream"), 16);
    if (reader.ok() && action != QLatin1StringView("pause") && action != QLatin1StringView("resume")
        && action != QLatin1StringView("filter"))
        reader.fail(QLatin1StringView("action"), QStringLiteral("one of pause, resume, filter"));
    if (reader.ok() && stream && *stream != QLatin1StringView("stdout") && *stream != QLatin1StringView("stderr")
        && *stream != QLatin1StringView("file") && *stream != QLatin1StringView("all"))
        reader.fail(QLatin1StringView("stream"), QStringLiteral("one of stdout, stderr, file, all"));
    if (!reader.ok()) {
        session.sendError(*reader.error(), message.id);
        return;
    }
    QList<Subscription *> targets;
    if (subId) {
        Subscription *sub = session.subscription(*subId);
        if (!sub) {
            session.sendError(notFound(QStringLiteral("subscription"), *subId), message.id);
            return;
        }
        targets.append(sub);
    } else {
        for (Subscription *sub : session.subscriptions()) {
            if (sub->topic().id() == protocol::Topic::Logs)
                targets.append(sub);
        }
    }

    std::optional<protocol::EntryFilter> newFilter;
    if (action == QLatin1StringView("filter") && message.body.contains(QLatin1StringView("filter"))) {
        auto parsed = protocol::EntryFilter::fromJson(message.body.value(QLatin1StringView("filter")));
        if (auto *error = std::get_if<ProtocolError>(&parsed)) {
            session.sendError(*error, message.id);
            return;
        }
        newFilter = std::get<protocol::EntryFilter>(std::move(parsed));
    } else if (action == QLatin1StringView("filter") && !stream) {
        session.sendError(protocol::badMessage(QStringLiteral("filter"), QStringLiteral("present (or a stream)")),
                          message.id);
        return;
    }

    QJsonArray subs;
    for (Subscription *sub : std::as_const(targets)) {
        subs.append(sub->id());
        if (action == QLatin1StringView("pause")) {
            sub->setPaused(true);
        } else if (action == QLatin1StringView("resume")) {
            sub->setPaused(false);
        } else if (newFilter) {
            sub->setFilter(*newFilter);
        } else {
            protocol::EntryFilter filter = sub->filter();
            filter.setStream(*stream);
            sub->setFilter(filter);
        }
    }
    const bool paused = action == QLatin1StringView("pause")
                        || (action == QLatin1StringView("filter") && !targets.isEmpty() && targets.first()->paused());
    session.sendMessage(protocol::makeResponse(message.id, QJsonObject{{QStringLiteral("action"), action},
                                                                       {QStringLiteral("subs"), subs},
                                                                       {QStringLiteral("paused"), paused}}));
    // Resuming delivers everything published meanwhile (or a gap), then live entries.
    if (action == QLatin1StringView("resume")) {
        for (Subscription *sub : std::as_const(targets))
            session.flushSubscription(sub);
    }
}

void HubServer::handleQuery(HubSession &session, const InboundMessage &message)
{
    FieldReader reader(message.body);
    const QString query = reader.requiredString(QLatin1StringView("query"), 64);
    if (!reader.ok()) {
        session.sendError(*reader.error(), message.id);
        return;
    }
    if (query == QLatin1StringView("agents")) {
        QJsonArray agents;
        for (const AgentRecord *record : m_registry.agents())
            agents.append(m_registry.agentJson(*record));
        session.sendMessage(protocol::makeResponse(message.id, QJsonObject{{QStringLiteral("agents"), agents}}));
    } else if (query == QLatin1StringView("initial_state")) {
        handleInitialState(session, message);
    } else if (query == QLatin1StringView("history")) {
        replyHistory(session, message);
    } else if (query == QLatin1StringView("sessions")) {
        replySessions(session, message);
    } else if (query == QLatin1StringView("stats")) {
        session.sendMessage(protocol::makeResponse(message.id, statsJson()));
    } else {
        session.sendError(ProtocolError{ErrorCode::UnknownQuery, QStringLiteral("No query '%1'").arg(query),
                                        QJsonObject{{QStringLiteral("query"), query}}},
                          message.id);
    }
}

void HubServer::replyHistory(HubSession &session, const InboundMessage &message)
{
    FieldReader reader(message.body);
    // `hub`: the remote hub of a link pages through its own, longer retention (§15 "History").
    if (const auto hub = reader.optionalString(QLatin1StringView("hub"), 128)) {
        if (!reader.ok()) {
            session.sendError(*reader.error(), message.id);
            return;
        }
        if (HistoryRoute *route = m_historyRoutes.value(*hub)) {
            route->queryHistory(session, message);
        } else {
            session.sendError(protocol::hubNotLinked(*hub), message.id);
        }
        return;
    }
    const auto topicId = readTopic(session, reader, message.id);
    if (!topicId)
        return;
    const Topic &topic = m_topics.topic(*topicId);
    const auto beforeSeq = reader.optionalInteger(QLatin1StringView("before_seq"), 1,
                                                  std::numeric_limits<qint64>::max() / 2);
    const auto limit = reader.optionalInteger(QLatin1StringView("limit"), 1, protocol::kMaxHistoryPage);
    auto filter = protocol::EntryFilter::fromJson(message.body.value(QLatin1StringView("filter")));
    if (!reader.ok()) {
        session.sendError(*reader.error(), message.id);
        return;
    }
    if (auto *error = std::get_if<ProtocolError>(&filter)) {
        session.sendError(*error, message.id);
        return;
    }
    const auto &entryFilter = std::get<protocol::EntryFilter>(filter);
    const qsizetype wanted = limit.value_or(protocol::kDefaultHistoryPage);
    quint64 seq = std::min<quint64>(beforeSeq ? quint64(*beforeSeq) - 1 : topic.headSeq(), topic.headSeq());
    QList<const TopicEntry *> found;
    while (seq >= topic.oldestSeq() && seq > 0 && found.size() < wanted) {
        const TopicEntry *entry = topic.entry(seq);
        if (entry && entryFilter.matches({entry->source, entry->level, entry->stream, entry->text}))
            found.append(entry);
        --seq;
    }
    // `seq` now is the next position to look at; anything matching at or below it is more.
    bool hasMore = false;
    for (quint64 s = seq; s >= topic.oldestSeq() && s > 0 && !hasMore; --s) {
        const TopicEntry *entry = topic.entry(s);
        hasMore = entry && entryFilter.matches({entry->source, entry->level, entry->stream, entry->text});
    }
    // Past the ring the history store pages on; one entry more than needed answers has_more.
    std::vector<TopicEntry> older;
    const quint64 archiveFrom = std::min(seq, topic.oldestSeq() - 1);
    if (!hasMore && archiveFrom > 0 && topic.archive()) {
        const qsizetype needed = wanted - found.size();
        older = topic.archive()->readBackward(topic, archiveFrom, entryFilter, needed + 1);
        hasMore = qsizetype(older.size()) > needed;
        if (hasMore)
            older.pop_back();
        for (const TopicEntry &entry : older)
            found.append(&entry);
    }
    QJsonArray entries;
    for (auto it = found.crbegin(); it != found.crend(); ++it)
        entries.append(QJsonDocument::fromJson((*it)->json).object());
    QJsonObject result{{QStringLiteral("topic"), topic.name()},
                       {QStringLiteral("epoch"), topic.epoch()},
                       {QStringLiteral("entries"), entries},
                       {QStringLiteral("has_more"), hasMore}};
    if (!found.isEmpty())
        result.insert(QStringLiteral("next_before_seq"), qint64(found.last()->seq));
    session.sendMessage(protocol::makeResponse(message.id, result));
}

void HubServer::handleInitialState(HubSession &session, const InboundMessage &message)
{
    const QString now = protocol::isoNow();
    QJsonObject reply{{QStringLiteral("type"), QStringLiteral("initial_execution_state")},
                      {QStringLiteral("ts"), now},
                      {QStringLiteral("timestamp"), now},
                      {QStringLiteral("data"), m_registry.initialExecutionState()}};
    if (!message.id.isEmpty())
        reply.insert(QStringLiteral("id"), message.id);
    session.sendMessage(reply);
}

void HubServer::handleCommand(HubSession &session, const InboundMessage &message)
{
    FieldReader reader(message.body);
    CommandRequest request;
    request.id = reader.requiredString(QLatin1StringView("id"), protocol::kMaxIdLength);
    request.instanceId = reader.requiredString(QLatin1StringView("instanceId"), 256);
    request.command = reader.requiredString(QLatin1StringView("command"), 64 * 1024);
    request.commandSyncId = reader.optionalString(QLatin1StringView("commandSyncId"), protocol::kMaxIdLength)
                                .value_or(request.id);
    request.sessionId = reader.optionalString(QLatin1StringView("sessionId"), 256).value_or(QString());
    request.parameters = reader.optionalObject(QLatin1StringView("parameters")).value_or(QJsonObject());
    request.timeoutMs = int(reader.optionalInteger(QLatin1StringView("timeout_ms"), 1, 600000).value_or(30000));
    if (request.commandSyncId.isEmpty())
        request.commandSyncId = request.id;
    if (!reader.ok()) {
        session.sendError(*reader.error(), message.id);
        return;
    }
    if (session.principal().kind == Principal::Kind::Operator)
        request.requestedBy = session.principal().subject;
    const CommandRouter::Submission submission = m_commands.submit(request, commandScope(session), session.serial());
    using State = CommandRouter::Submission::State;
    switch (submission.state) {
    case State::Rejected:
        session.sendError(submission.error, message.id);
        return;
    case State::Accepted:
        session.sendMessage(protocol::makeResponse(
            message.id, QJsonObject{{QStringLiteral("commandSyncId"), request.commandSyncId},
                                    {QStringLiteral("state"), QStringLiteral("accepted")}}));
        return;
    case State::DuplicateRunning:
        session.sendMessage(protocol::makeResponse(
            message.id, QJsonObject{{QStringLiteral("commandSyncId"), request.commandSyncId},
                                    {QStringLiteral("state"), QStringLiteral("running")},
                                    {QStringLiteral("duplicate"), true}}));
        return;
    case State::DuplicateCompleted:
        session.sendMessage(protocol::makeResponse(
            message.id, QJsonObject{{QStringLiteral("commandSyncId"), request.commandSyncId},
                                    {QStringLiteral("state"), QStringLiteral("completed")},
                                    {QStringLiteral("duplicate"), true}}));
        session.sendMessage(submission.storedResult);
        return;
    }
}

void HubServer::handleCancel(HubSession &session, const InboundMessage &message)
{
    FieldReader reader(message.body);
    const QString commandId = reader.requiredString(QLatin1StringView("commandId"), protocol::kMaxIdLength);
    if (!reader.ok()) {
        session.sendError(*reader.error(), message.id);
        return;
    }
    if (!m_commands.isRunning(commandScope(session), commandId)) {
        session.sendError(notFound(QStringLiteral("running command"), commandId), message.id);
        return;
    }
    // The response precedes the command_result that the cancellation produces.
    session.sendMessage(protocol::makeResponse(message.id, QJsonObject{{QStringLiteral("commandId"), commandId},
                                                                       {QStringLiteral("state"),
                                                                        QStringLiteral("cancelled")}}));
    m_commands.cancel(commandScope(session), commandId);
}

} // namespace opsdeck::hub
