#include "hubserver.h"

#include "agentendpoint.h"
#include "framedispatch.h"
#include "historyarchive.h"
#include "historystore.h"
#include "hublog.h"
#include "hubtls.h"

#include <QJsonArray>
#include <QRandomGenerator>
#include <QSslError>
#include <QWebSocket>
#include <QWebSocketCorsAuthenticator>
#include <QWebSocketServer>

Q_LOGGING_CATEGORY(lcHub, "opsdeck.hub.server")

namespace opsdeck::hub {

using protocol::CloseCode;
using protocol::ErrorCode;
using protocol::ProtocolError;

namespace {
bool isTerminalTraffic(const QString &type)
{
    return type == QLatin1StringView("input") || type == QLatin1StringView("resize");
}

// `ack` returns flow-control credit the hub itself handed out (§11.4). It is never refused: a
// refused ack would shrink the window for good and freeze the terminal (a fast flood with a small
// window needs far more than 200 a second), and it must not use up the budget that typing —
// Ctrl+C during that flood — needs. Applying one is a clamped counter.
bool isFlowCredit(const QString &type)
{
    return type == QLatin1StringView("ack");
}
} // namespace

HubServer::HubServer(HubConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_topics(m_config.retention)
    , m_registry(m_topics)
    , m_commands(m_registry, m_topics, m_config.commandMemoryMinutes)
    , m_terminals(std::make_unique<terminal::TerminalManager>(
          terminal::TerminalLimits{m_config.terminalShell, m_config.terminalLoginShell,
                                   m_config.terminalAllowClientShell, m_config.terminalGraceMs,
                                   m_config.terminalIdleMs, m_config.terminalScrollbackBytes,
                                   m_config.terminalMaxPerClient, m_config.terminalMaxPerHub},
          this)) // a child, so it follows the server if the server is moved to another thread
    , m_hubId(QStringLiteral("h-%1").arg(QRandomGenerator::global()->generate() & 0xffff, 4, 16, QLatin1Char('0')))
{
    if (!m_config.historyDb.isEmpty()) {
        // Before anything publishes: the topics continue the epochs and seqs of the last run.
        // A child, so its flush timer follows the server to another thread.
        m_history = std::make_unique<storage::HistoryStore>(this);
        storage::HistoryStoreConfig historyConfig;
        historyConfig.path = m_config.historyDb;
        historyConfig.maxEntriesPerTopic = m_config.historyMaxEntries;
        historyConfig.maxAgeMs = m_config.historyMaxAgeMs;
        if (m_history->open(historyConfig)) {
            m_historyArchive = std::make_unique<storage::HistoryArchive>(*m_history);
            m_historyArchive->attach(m_topics);
        } else {
            m_error = QStringLiteral("history store: %1").arg(m_history->errorString());
            m_history.reset();
        }
    }
    // A child, so it follows the server to another thread.
    m_agents = std::make_unique<AgentEndpoint>(
        m_config, m_stats, m_registry,
        AgentEndpoint::Host{[this] { return connectionCount(); },
                            [this](const QString &ip) { return m_connectionsPerIp.value(ip); },
                            [this] { return hubJson(); }},
        this);
    installHandlers();
    connect(&m_commands, &CommandRouter::resultReady, this, &HubServer::onCommandResult);
    m_heartbeat.setInterval(m_config.pingIntervalMs);
    connect(&m_heartbeat, &QTimer::timeout, this, &HubServer::heartbeatTick);
    m_statsTimer.setInterval(1000);
    connect(&m_statsTimer, &QTimer::timeout, this, &HubServer::sampleStats);
    m_uptime.start();
}

HubServer::~HubServer()
{
    // Terminals first: they kill and reap their programs, and hold sinks into the sessions.
    m_terminals.reset();
    m_terminalRoutes.clear();
    m_historyRoutes.clear();
    // Sessions own their sockets and hold subscriptions into this server's topics, which are
    // members and die before QObject's own children would: delete every session here — open
    // ones, and closed ones still waiting for their deleteLater (a drain ends with stopped()
    // while the last closed session is still pending).
    qDeleteAll(m_sessions);
    m_sessions.clear();
    qDeleteAll(findChildren<HubSession *>(Qt::FindDirectChildrenOnly));
}

bool HubServer::listen()
{
    if (!m_config.historyDb.isEmpty() && !m_history)
        return false; // m_error says why the history store did not open
    m_secure = !m_config.tlsCertificateFile.isEmpty() || !m_config.tlsKeyFile.isEmpty();
    if (m_config.mode == protocol::Mode::Prod && !m_secure && !m_config.address.isLoopback()) {
        m_error = QStringLiteral("prod mode on %1 needs TLS (--tls-cert and --tls-key): tokens must not cross a "
                                 "network in clear text")
                      .arg(m_config.address.toString());
        return false;
    }
    std::optional<QSslConfiguration> tls;
    if (m_secure && !(tls = loadTlsConfiguration(m_config.tlsCertificateFile, m_config.tlsKeyFile, &m_error)))
        return false;
    m_server = std::make_unique<QWebSocketServer>(m_config.hubName, m_secure ? QWebSocketServer::SecureMode
                                                                            : QWebSocketServer::NonSecureMode);
    if (tls) {
        m_server->setSslConfiguration(*tls);
        // A client that does not trust the certificate, or speaks plain ws://, fails here; no URL is logged.
        connect(m_server.get(), &QWebSocketServer::sslErrors, this, [](const QList<QSslError> &errors) {
            for (const QSslError &error : errors)
                qCWarning(lcHub) << "TLS handshake:" << error.errorString();
        });
    }
    m_server->setSupportedSubprotocols({QString(protocol::kSubprotocolJson)});
    m_server->setHandshakeTimeout(std::chrono::milliseconds(m_config.handshakeTimeoutMs));
    m_server->setMaxPendingConnections(256);
    // Direct connection: the authenticator must be answered before the handshake completes.
    connect(m_server.get(), &QWebSocketServer::originAuthenticationRequired, this, &HubServer::onOriginCheck,
            Qt::DirectConnection);
    connect(m_server.get(), &QWebSocketServer::newConnection, this, &HubServer::onNewConnection);
    if (!m_server->listen(m_config.address, m_config.port)) {
        m_error = QStringLiteral("cannot listen on %1:%2: %3")
                      .arg(m_config.address.toString())
                      .arg(m_config.port)
                      .arg(m_server->errorString());
        return false;
    }
    m_heartbeat.start();
    m_statsTimer.start();
    qCInfo(lcHub) << "listening on" << url().toString() << "mode" << protocol::modeName(m_config.mode);
    return true;
}

quint16 HubServer::port() const
{
    return m_server ? m_server->serverPort() : 0;
}

QUrl HubServer::url() const
{
    QUrl url;
    url.setScheme(m_secure ? QStringLiteral("wss") : QStringLiteral("ws"));
    url.setHost(m_config.address.toString());
    url.setPort(port());
    url.setPath(protocol::endpointPath(m_config.mode));
    return url;
}

void HubServer::registerHandler(const QString &type, Handler handler)
{
    m_handlers.insert(type, std::move(handler));
}

void HubServer::onOriginCheck(QWebSocketCorsAuthenticator *authenticator)
{
    const QString origin = authenticator->origin();
    // Native clients send no Origin. A browser always does: a page in the operator's browser
    // must never reach a hub (cross-site WebSocket hijacking) unless explicitly allowed.
    const bool allowed = origin.isEmpty() || m_config.allowedOrigins.contains(origin);
    authenticator->setAllowed(allowed);
    if (!allowed) {
        qCWarning(lcHub) << "refused handshake from browser origin" << origin;
        m_stats.errorsByCode[QStringLiteral("ORIGIN_REFUSED")] += 1;
    }
}

void HubServer::rejectConnection(QWebSocket *socket, CloseCode code, const QString &reason, const QJsonObject &error)
{
    connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
    if (!error.isEmpty())
        socket->sendTextMessage(QString::fromUtf8(protocol::toFrame(error)));
    socket->close(QWebSocketProtocol::CloseCode(int(code)), reason);
    m_stats.closesByCode[int(code)] += 1;
}

void HubServer::onNewConnection()
{
    while (QWebSocket *socket = m_server->nextPendingConnection()) {
        if (m_shuttingDown) {
            rejectConnection(socket, CloseCode::GoingAway, QStringLiteral("hub shutting down"));
            continue;
        }
        // Agents authenticate by token and are served by their own endpoint (agentendpoint.cpp).
        if (socket->requestUrl().path() == protocol::kPathAgent) {
            m_agents->accept(socket);
            continue;
        }
        if (socket->requestUrl().path() != protocol::endpointPath(m_config.mode)) {
            rejectConnection(socket, CloseCode::NotFound,
                             QStringLiteral("no endpoint %1; this hub serves %2")
                                 .arg(socket->requestUrl().path(), protocol::endpointPath(m_config.mode)));
            continue;
        }
        // The secret, or in dev/prod an operator's token (huboperators.cpp, docs/protocol.md §13).
        const std::optional<Principal> principal = authenticateUpgrade(socket);
        if (!principal || !admitOperator(socket, *principal))
            continue; // closed 4401, or 4409 under --sessions reject
        const QString ip = socket->peerAddress().toString();
        const bool hubFull = int(m_sessions.size()) + m_agents->connectionCount() >= m_config.maxConnections;
        const bool ipFull = m_connectionsPerIp.value(ip) + m_agents->connectionsFromIp(ip) >= m_config.maxConnectionsPerIp;
        if (hubFull || ipFull) {
            const ProtocolError error =
                protocol::connectionLimit(hubFull ? m_config.maxConnections : m_config.maxConnectionsPerIp, hubFull);
            m_stats.errorsByCode[QStringLiteral("CONNECTION_LIMIT")] += 1;
            rejectConnection(socket, CloseCode::RateLimited, QStringLiteral("connection limit reached"),
                             protocol::makeError(error));
            continue;
        }

        auto *session = new HubSession(m_nextSerial++, socket, m_config, m_stats, this);
        session->setPrincipal(*principal);
        m_sessions.insert(session->serial(), session);
        replaceOlderSessions(*session);
        m_connectionsPerIp[ip] += 1;
        ++m_stats.connectionsAccepted;
        connect(session, &HubSession::textMessageReceived, this, &HubServer::onTextMessage);
        connect(session, &HubSession::closed, this, &HubServer::onSessionClosed);
        qCInfo(lcHub) << "client" << session->clientId() << "connected from" << ip
                      << (principal->kind == Principal::Kind::Operator ? "as " + principal->subject : QString())
                      << "total" << m_sessions.size();
        QJsonObject established{{QStringLiteral("type"), QStringLiteral("connection_established")},
                                {QStringLiteral("client_id"), session->clientId()},
                                {QStringLiteral("protocol"), QString(protocol::kProtocolName)},
                                {QStringLiteral("mode"), protocol::modeName(m_config.mode)},
                                {QStringLiteral("hub"), hubJson()}};
        if (m_config.mode != protocol::Mode::Demo)
            established.insert(QStringLiteral("user"), userJson(session->principal()));
        session->sendMessage(established);
        Q_EMIT connectionCountChanged(connectionCount());
    }
}

void HubServer::onSessionClosed(HubSession *session)
{
    if (!m_sessions.remove(session->serial()))
        return;
    const QString ip = session->peerAddress().toString();
    if (--m_connectionsPerIp[ip] <= 0)
        m_connectionsPerIp.remove(ip);
    qCInfo(lcHub) << "client" << session->clientId() << "disconnected, code" << int(session->socket()->closeCode());
    // Its terminals detach and run on for the grace period; nothing may be sent to it again.
    if (m_terminals) // gone already while the destructor deletes the sessions
        m_terminals->connectionClosed(session->serial());
    for (TerminalRoute *route : std::as_const(m_terminalRoutes))
        route->connectionClosed(session->serial());
    session->deleteLater();
    Q_EMIT connectionCountChanged(connectionCount());
    if (m_shuttingDown && m_sessions.isEmpty())
        Q_EMIT stopped();
}

void HubServer::flushBatchesNow()
{
    for (HubSession *session : std::as_const(m_sessions))
        session->flushBatchesNow();
}

bool HubServer::checkRate(HubSession &session, const QString &id)
{
    return session.admitByRate(m_uptime.elapsed(), id, QStringLiteral("Too many requests"));
}

bool HubServer::checkTerminalRate(HubSession &session, const QString &id)
{
    RateLimiter &limiter = session.terminalRateLimiter();
    const qint64 now = m_uptime.elapsed();
    if (limiter.check(now) == RateLimiter::Verdict::Allow)
        return true;
    // Answered, never disconnected (§11.5); messages without an id get one error per second.
    if (!id.isEmpty() || limiter.takeAnonymousErrorToken())
        session.sendError(ProtocolError{ErrorCode::RateLimitExceeded, QStringLiteral("Too many terminal messages"),
                                        QJsonObject{{QStringLiteral("limit"), limiter.limit()},
                                                    {QStringLiteral("window"), protocol::formatWindow(1)},
                                                    {QStringLiteral("retry_after"), 1}}},
                          id);
    return false;
}

void HubServer::onTextMessage(HubSession *session, const QString &text)
{
    if (session->isClosing())
        return;
    dispatchFrame(
        *session, m_stats, text, QStringLiteral("invalid"),
        // Only registered types label /metrics, so the label set stays bounded.
        [this](const protocol::InboundMessage &message) -> QString {
            return m_handlers.contains(message.type) ? message.type : QStringLiteral("unknown");
        },
        [this, session](const protocol::ParsedFrame &frame) {
            if (frame.message && isFlowCredit(frame.message->type))
                return true;
            // Typing is not abuse: terminal traffic has its own budget instead of the general one.
            const bool terminalTraffic = frame.message && isTerminalTraffic(frame.message->type);
            return terminalTraffic ? checkTerminalRate(*session, frame.id) : checkRate(*session, frame.id);
        },
        [this, session](const protocol::InboundMessage &message) {
            const auto handler = m_handlers.constFind(message.type);
            if (handler == m_handlers.cend()) {
                session->sendError(ProtocolError{ErrorCode::UnknownType,
                                                 QStringLiteral("Unknown message type '%1'").arg(message.type),
                                                 QJsonObject{{QStringLiteral("type"), message.type}}},
                                   message.id);
                return;
            }
            if (authorize(*session, message))
                (*handler)(*session, message);
        },
        lcHub());
}

void HubServer::onCommandResult(quint64 owner, const QJsonObject &result)
{
    if (HubSession *session = m_sessions.value(owner))
        session->sendMessage(result);
    // Otherwise the owner is gone; the result stays in the router for a re-send of the same id.
}

void HubServer::heartbeatTick()
{
    for (HubSession *session : std::as_const(m_sessions)) {
        if (session->millisSinceLastPong() > m_config.pingTimeoutMs)
            session->close(CloseCode::Normal, QStringLiteral("ping timeout"));
        else
            session->socket()->ping();
    }
}

void HubServer::sampleStats()
{
    m_stats.messagesPerSecondOut = double(m_stats.messagesOut - m_stats.lastSampleMessagesOut);
    m_stats.lastSampleMessagesOut = m_stats.messagesOut;
}

void HubServer::shutdown(const QString &reason)
{
    if (m_shuttingDown)
        return;
    m_shuttingDown = true;
    qCInfo(lcHub) << "draining" << m_sessions.size() << "connections:" << reason;
    m_heartbeat.stop();
    if (m_server)
        m_server->pauseAccepting();
    // Shells get SIGHUP (a chance to save history); the destructor kills what is left.
    m_terminals->hangupAll();
    m_agents->shutdown(reason);
    const QJsonObject notice{{QStringLiteral("type"), QStringLiteral("broadcast")},
                             {QStringLiteral("event"), QStringLiteral("draining")},
                             {QStringLiteral("message"), reason}};
    const auto sessions = m_sessions.values();
    for (HubSession *session : sessions) {
        session->sendMessage(notice);
        session->close(CloseCode::GoingAway, reason);
    }
    if (m_sessions.isEmpty()) {
        QTimer::singleShot(0, this, &HubServer::stopped);
        return;
    }
    // Peers that never answer the close handshake do not hold the shutdown up.
    QTimer::singleShot(3000, this, [this] {
        if (!m_sessions.isEmpty())
            Q_EMIT stopped();
    });
}

QJsonObject HubServer::hubJson() const
{
    return QJsonObject{{QStringLiteral("name"), m_config.hubName},
                       {QStringLiteral("version"), QStringLiteral(OPSDECK_VERSION)},
                       {QStringLiteral("hub_id"), m_hubId}};
}

qint64 HubServer::unsentBytes() const
{
    qint64 total = 0;
    for (const HubSession *session : m_sessions)
        total += session->socket()->bytesToWrite();
    return total;
}

int HubServer::subscriptionCount() const
{
    qsizetype total = 0;
    for (const HubSession *session : m_sessions)
        total += session->subscriptionCount();
    return int(total);
}

QJsonObject HubServer::terminalStats() const
{
    QJsonObject stats{{QStringLiteral("open"), m_terminals->count()},
                      {QStringLiteral("attached"), m_terminals->attachedCount()}};
    if (!m_terminalRoutes.isEmpty()) {
        QJsonObject relayed;
        for (auto it = m_terminalRoutes.cbegin(); it != m_terminalRoutes.cend(); ++it)
            relayed.insert(it.key(), QJsonObject{{QStringLiteral("open"), it.value()->relayedCount()},
                                                 {QStringLiteral("attached"), it.value()->relayedAttachedCount()}});
        stats.insert(QStringLiteral("relayed"), relayed);
    }
    return stats;
}

QJsonObject HubServer::statsJson() const
{
    QJsonObject errors;
    for (auto it = m_stats.errorsByCode.cbegin(); it != m_stats.errorsByCode.cend(); ++it)
        errors.insert(it.key(), it.value());
    QJsonObject closes;
    for (auto it = m_stats.closesByCode.cbegin(); it != m_stats.closesByCode.cend(); ++it)
        closes.insert(QString::number(it.key()), it.value());
    QJsonObject topics;
    for (int i = 0; i < protocol::kTopicCount; ++i) {
        const Topic &topic = m_topics.topic(static_cast<protocol::Topic>(i));
        topics.insert(topic.name(), QJsonObject{{QStringLiteral("epoch"), topic.epoch()},
                                                {QStringLiteral("head_seq"), qint64(topic.headSeq())},
                                                {QStringLiteral("oldest_seq"), qint64(topic.oldestSeq())}});
    }
    return QJsonObject{{QStringLiteral("connections"), connectionCount()},
                       {QStringLiteral("connections_accepted"), m_stats.connectionsAccepted},
                       {QStringLiteral("messages_in"), m_stats.messagesIn},
                       {QStringLiteral("messages_out"), m_stats.messagesOut},
                       {QStringLiteral("bytes_out"), m_stats.bytesOut},
                       {QStringLiteral("bytes_in"), m_stats.bytesIn},
                       {QStringLiteral("auth_failures"), m_stats.authFailures},
                       {QStringLiteral("resumes"), QJsonObject{{QStringLiteral("recovered"), m_stats.resumesRecovered},
                                                              {QStringLiteral("lost"), m_stats.resumesLost}}},
                       {QStringLiteral("backlog_pauses"), m_stats.backlogPauses},
                       {QStringLiteral("messages_per_s_out"), m_stats.messagesPerSecondOut},
                       {QStringLiteral("errors_by_code"), errors},
                       {QStringLiteral("closes_by_code"), closes},
                       {QStringLiteral("commands_running"), qint64(m_commands.runningCount())},
                       {QStringLiteral("terminals"), terminalStats()},
                       {QStringLiteral("uptime_s"), m_uptime.elapsed() / 1000},
                       {QStringLiteral("topics"), topics}};
}

} // namespace opsdeck::hub
