#include "hubclient.h"

#include "message.h"
#include "protocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkInformation>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QUuid>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

#include <algorithm>
#include <limits>

Q_LOGGING_CATEGORY(lcClient, "opsdeck.client")

namespace opsdeck::transport {

namespace {

QLatin1StringView L(const char *text)
{
    return QLatin1StringView(text);
}

// Logs must never carry secrets: a URL is shown without user info or query.
QString safeUrl(const QUrl &url)
{
    return url.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment);
}

bool isDeliveryType(const QString &type)
{
    return type == L("batch") || type == L("log") || type == L("metrics") || type == L("status")
        || type == L("event") || type == L("gap") || type == L("block_started_enhanced")
        || type == L("block_executed_enhanced");
}

} // namespace

HubClient::HubClient(QObject *parent)
    : HubClient(HubClientOptions{}, parent)
{
}

HubClient::HubClient(const HubClientOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_clock(std::make_shared<SystemClock>())
    , m_backoff(options.backoff)
    , m_queue(options.queue)
    , m_idPrefix(QString::number(QRandomGenerator::global()->generate() & 0xffffff, 16) + QLatin1Char('-'))
{
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &HubClient::startAttempt);
    m_handshakeTimer.setSingleShot(true);
    connect(&m_handshakeTimer, &QTimer::timeout, this, [this] {
        if (m_socket && m_state != State::Connected) {
            qCInfo(lcClient) << "handshake timed out";
            m_localCloseCode = 1006;
            m_localCloseReason = QStringLiteral("handshake timeout");
            m_socket->abort();
        }
    });
    connect(&m_pingTimer, &QTimer::timeout, this, [this] {
        if (m_socket && m_state == State::Connected)
            m_socket->ping();
    });
    connect(&m_watchdogTimer, &QTimer::timeout, this, &HubClient::checkHeartbeat);
    connect(&m_clockTimer, &QTimer::timeout, this, &HubClient::checkClock);
    m_housekeepingTimer.setSingleShot(true);
    m_housekeepingTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_housekeepingTimer, &QTimer::timeout, this, &HubClient::housekeeping);

    if (m_options.watchNetwork && QNetworkInformation::loadBackendByFeatures(QNetworkInformation::Feature::Reachability)) {
        connect(QNetworkInformation::instance(), &QNetworkInformation::reachabilityChanged, this,
                [this](QNetworkInformation::Reachability reachability) {
                    if (reachability != QNetworkInformation::Reachability::Disconnected)
                        handleNetworkChange();
                });
    }
}

HubClient::~HubClient()
{
    // Subscriptions are children; detach them first so their destructors do not call back
    // into a half-destroyed client.
    for (ClientSubscription *subscription : std::as_const(m_subscriptions))
        subscription->m_client = nullptr;
    m_subscriptions.clear();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        delete m_socket;
        m_socket = nullptr;
    }
}

void HubClient::setOptions(const HubClientOptions &options)
{
    m_options = options;
    m_backoff.setPolicy(options.backoff);
    m_queue.setLimits(options.queue);
}

void HubClient::setClock(std::shared_ptr<Clock> clock)
{
    m_clock = clock ? std::move(clock) : std::make_shared<SystemClock>();
    m_lastMonotonicMs = m_clock->monotonicMs();
    m_lastWallMs = m_clock->wallMs();
}

void HubClient::setRandomSource(Backoff::RandomSource random)
{
    m_backoff.setRandomSource(std::move(random));
}

void HubClient::setTokenProvider(TokenProvider provider)
{
    m_tokenProvider = std::move(provider);
}

// ---- state machine -------------------------------------------------------------------------

void HubClient::setState(State state)
{
    if (m_state == state)
        return;
    qCDebug(lcClient) << "state" << m_state << "->" << state;
    m_state = state;
    if (state != State::Reconnecting && m_nextAttemptWallMs != 0) {
        m_nextAttemptWallMs = 0;
        Q_EMIT nextAttemptChanged();
    }
    Q_EMIT stateChanged(state);
}

QDateTime HubClient::nextAttemptAt() const
{
    if (m_nextAttemptWallMs == 0)
        return {};
    return QDateTime::fromMSecsSinceEpoch(m_nextAttemptWallMs, Qt::UTC);
}

void HubClient::open(const QUrl &url)
{
    m_url = url;
    m_userClosing = false;
    m_failureMessage.clear();
    m_backoff.reset();
    m_reconnectTimer.stop();
    if (m_socket) {
        // A reopen while a connection exists replaces it.
        QWebSocket *old = m_socket;
        m_socket = nullptr;
        old->disconnect(this);
        old->abort();
        old->deleteLater();
        m_pingTimer.stop();
        m_watchdogTimer.stop();
        connectionGone();
    }
    m_lastMonotonicMs = m_clock->monotonicMs();
    m_lastWallMs = m_clock->wallMs();
    if (m_options.clockCheckIntervalMs > 0)
        m_clockTimer.start(m_options.clockCheckIntervalMs);
    setState(State::Connecting);
    startAttempt();
}

void HubClient::close()
{
    m_userClosing = true;
    m_reconnectTimer.stop();
    m_clockTimer.stop();
    if (m_socket && m_state == State::Connected) {
        setState(State::Disconnecting);
        m_socket->close(QWebSocketProtocol::CloseCodeNormal, QStringLiteral("client closing"));
    } else {
        if (m_socket) {
            QWebSocket *old = m_socket;
            m_socket = nullptr;
            old->disconnect(this);
            old->abort();
            old->deleteLater();
        }
        setState(State::Disconnected);
    }
    failAll(QString(localerror::Closed), QStringLiteral("the client was closed"));
}

void HubClient::reconnectNow()
{
    if (m_state != State::Reconnecting || !m_reconnectTimer.isActive() || m_waitMandatory)
        return;
    qCInfo(lcClient) << "attempting at once instead of waiting" << m_reconnectTimer.remainingTime() << "ms";
    m_reconnectTimer.stop();
    startAttempt();
}

void HubClient::startAttempt()
{
    if (m_userClosing || m_socket)
        return;
    m_waitMandatory = false;
    if (m_nextAttemptWallMs != 0) {
        m_nextAttemptWallMs = 0;
        Q_EMIT nextAttemptChanged();
    }
    m_localCloseCode = 0;
    m_localCloseReason.clear();
    m_retryAfterMs = -1;
    m_closingHandshake = false;

    QNetworkRequest request(m_url);
    if (m_tokenProvider) {
        const QString token = m_tokenProvider();
        if (!token.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    }
    QWebSocketHandshakeOptions handshake;
    handshake.setSubprotocols({QString(protocol::kSubprotocolJson)});

    auto *socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket = socket;
    connect(socket, &QWebSocket::connected, this, &HubClient::handleSocketConnected);
    connect(socket, &QWebSocket::disconnected, this, [this, socket] { handleSocketClosed(socket); });
    connect(socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this, [this, socket](QAbstractSocket::SocketError error) {
        qCDebug(lcClient) << "socket error" << error << socket->errorString();
        // A failed connect may not be followed by disconnected(); closing twice is guarded.
        if (socket->state() == QAbstractSocket::UnconnectedState)
            QMetaObject::invokeMethod(socket, [this, socket] { handleSocketClosed(socket); }, Qt::QueuedConnection);
    });
    connect(socket, &QWebSocket::aboutToClose, this, [this, socket] {
        // Qt reports 1000 for a connection that simply dropped; only a socket that went
        // through a close handshake (either side's close frame) has a meaningful close code.
        if (socket == m_socket)
            m_closingHandshake = true;
    });
    connect(socket, &QWebSocket::textMessageReceived, this, &HubClient::handleText);
    connect(socket, &QWebSocket::pong, this, [this](quint64 elapsed, const QByteArray &) {
        markAlive();
        m_latencyMs = int(elapsed);
        Q_EMIT latencyChanged();
    });
    qCInfo(lcClient) << "connecting to" << safeUrl(m_url) << "attempt" << m_backoff.attempts();
    m_handshakeTimer.start(m_options.handshakeTimeoutMs);
    socket->open(request, handshake);
}

void HubClient::handleSocketConnected()
{
    m_handshakeTimer.stop();
    m_backoff.reset();
    m_lastCloseCode = 0;
    m_lastCloseReason.clear();
    Q_EMIT lastCloseChanged();
    m_connectionInfo = {};
    markAlive();
    if (m_options.heartbeatIntervalMs > 0) {
        m_pingTimer.start(m_options.heartbeatIntervalMs);
        // Checked often so a dead peer is declared close to the 2× deadline, not up to a period later.
        m_watchdogTimer.start(std::max(10, m_options.heartbeatIntervalMs / 10));
        // One ping at once: the latency an operator sees is known from the first second of a
        // connection, not one heartbeat interval later.
        if (m_socket)
            m_socket->ping();
    }
    qCInfo(lcClient) << "connected to" << safeUrl(m_url);
    setState(State::Connected);
    flushOnConnect();
    Q_EMIT connected();
}

void HubClient::handleSocketClosed(QWebSocket *socket)
{
    if (socket != m_socket)
        return; // an old socket, or a second notification for this one
    m_socket = nullptr;
    socket->disconnect(this);
    socket->deleteLater();
    m_handshakeTimer.stop();
    m_pingTimer.stop();
    m_watchdogTimer.stop();

    const bool wasConnected = m_state == State::Connected || m_state == State::Disconnecting;
    int code = socket->closeCode();
    QString reason = socket->closeReason();
    if (m_localCloseCode != 0) {
        code = m_localCloseCode;
        reason = m_localCloseReason;
    } else if (!wasConnected) {
        // Never reached the WebSocket layer (refused, handshake rejected): abnormal closure.
        code = QWebSocketProtocol::CloseCodeAbnormalDisconnection;
        reason = socket->errorString();
    } else if (!m_closingHandshake) {
        code = QWebSocketProtocol::CloseCodeAbnormalDisconnection;
        reason = QStringLiteral("connection lost: ") + socket->errorString();
    }
    m_lastCloseCode = code;
    m_lastCloseReason = reason;
    Q_EMIT lastCloseChanged();
    if (wasConnected)
        qCInfo(lcClient) << "connection closed" << code << reason;

    connectionGone();

    const CloseDecision decision = classifyClose(code, reason, m_userClosing);
    if (decision.dropLastSent && !m_lastSentId.isEmpty()) {
        if (auto pending = m_tracker.take(m_lastSentId); pending && pending->reply)
            pending->reply->finishError(QString(localerror::TooBig), QStringLiteral("the hub refused the message as too big"));
        emitCounts();
    }
    m_lastSentId.clear();
    if (wasConnected)
        Q_EMIT disconnected(code, reason);

    switch (decision.action) {
    case CloseAction::Stop:
        m_clockTimer.stop();
        setState(State::Disconnected);
        return;
    case CloseAction::LoginRequired:
        enterFailed(decision.message);
        Q_EMIT loginRequired(decision.message);
        return;
    case CloseAction::Fail:
        enterFailed(decision.message);
        return;
    case CloseAction::RetryAfter:
        if (m_retryAfterMs >= 0) {
            scheduleReconnect(m_retryAfterMs, true);
            return;
        }
        break;
    case CloseAction::Retry:
        break;
    }
    if (m_backoff.exhausted()) {
        enterFailed(QStringLiteral("Gave up after %1 reconnection attempts").arg(m_backoff.attempts()));
        return;
    }
    scheduleReconnect(m_backoff.nextDelayMs(), false);
}

void HubClient::connectionGone()
{
    // Everything bound to the old connection is void; the subscriptions and requests are not.
    m_subsByHubId.clear();
    m_subscribeRequests.clear();
    for (ClientSubscription *subscription : std::as_const(m_subscriptions))
        subscription->connectionLost();
    for (PendingRequest *pending : m_tracker.inOrder())
        pending->needsResend = true;
}

void HubClient::scheduleReconnect(qint64 delayMs, bool mandatory)
{
    if (mandatory)
        (void)m_backoff.nextDelayMs(); // still counts towards MaxReconnectionAttempts
    m_waitMandatory = mandatory;
    setState(State::Reconnecting);
    m_nextAttemptWallMs = m_clock->wallMs() + delayMs;
    qCInfo(lcClient) << "reconnecting in" << delayMs << "ms" << (mandatory ? "(hub's retry_after)" : "");
    m_reconnectTimer.start(int(std::min<qint64>(delayMs, std::numeric_limits<int>::max())));
    Q_EMIT nextAttemptChanged();
}

void HubClient::enterFailed(const QString &message)
{
    m_reconnectTimer.stop();
    m_failureMessage = message;
    qCWarning(lcClient) << "connection failed:" << message;
    setState(State::Failed);
    Q_EMIT failed(message);
}

// ---- heartbeat and wake ----------------------------------------------------------------------

void HubClient::markAlive()
{
    m_lastAliveMs = m_clock->monotonicMs();
}

void HubClient::checkHeartbeat()
{
    if (!m_socket || m_state != State::Connected || m_options.heartbeatIntervalMs <= 0)
        return;
    const qint64 silentMs = m_clock->monotonicMs() - m_lastAliveMs;
    if (silentMs <= 2 * qint64(m_options.heartbeatIntervalMs))
        return;
    qCWarning(lcClient) << "no pong for" << silentMs << "ms: connection is dead";
    m_localCloseCode = QWebSocketProtocol::CloseCodeAbnormalDisconnection;
    m_localCloseReason = QStringLiteral("heartbeat timeout");
    Q_EMIT heartbeatTimedOut();
    if (m_socket)
        m_socket->abort();
}

void HubClient::checkClock()
{
    const qint64 monotonic = m_clock->monotonicMs();
    const qint64 wall = m_clock->wallMs();
    const qint64 jump = (wall - m_lastWallMs) - (monotonic - m_lastMonotonicMs);
    m_lastMonotonicMs = monotonic;
    m_lastWallMs = wall;
    if (jump <= m_options.wakeJumpThresholdMs)
        return; // backwards jumps are NTP corrections, not sleep
    qCInfo(lcClient) << "wake from sleep detected (" << jump << "ms)";
    Q_EMIT wakeDetected(jump);
    handleNetworkChange();
}

void HubClient::handleNetworkChange()
{
    if (m_state == State::Reconnecting) {
        reconnectNow();
    } else if (m_state == State::Connected && m_socket) {
        // The old route may be gone without a FIN; a ping now lets the watchdog decide soon.
        m_socket->ping();
    }
}

// ---- outgoing --------------------------------------------------------------------------------

QString HubClient::nextRequestId()
{
    return m_idPrefix + QString::number(++m_nextId);
}

HubReply *HubClient::failLater(HubReply *reply, const QString &code, const QString &message)
{
    // Deferred so the caller can connect to the reply it is about to receive.
    QMetaObject::invokeMethod(
        reply, [reply, code, message] { reply->finishError(code, message); }, Qt::QueuedConnection);
    return reply;
}

void HubClient::writeFrame(const QByteArray &frame)
{
    m_socket->sendTextMessage(QString::fromUtf8(frame));
    ++m_sentCount;
    Q_EMIT sentCountChanged();
}

void HubClient::sendPending(PendingRequest &request)
{
    writeFrame(request.frame);
    m_lastSentId = request.id;
    request.needsResend = false;
    if (request.deadlineMs == 0 && request.timeoutMs > 0) {
        // The timeout runs from the first send and is not restarted by a resend, so a request
        // cannot live forever on a flapping connection.
        request.deadlineMs = m_clock->monotonicMs() + request.timeoutMs;
        armHousekeeping(request.deadlineMs);
    }
    if (request.reply)
        request.reply->markSent();
}

bool HubClient::enqueue(OutgoingMessage message, HubReply *reply)
{
    const QJsonObject original = QJsonDocument::fromJson(message.frame).object();
    const auto result = m_queue.push(std::move(message));
    if (result != OutgoingQueue::Result::Accepted) {
        const QString reason = queueResultName(result);
        qCWarning(lcClient) << "outgoing message refused:" << reason;
        Q_EMIT messageDropped(original, QString(localerror::QueueFull), reason);
        if (reply)
            failLater(reply, QString(localerror::QueueFull), reason);
        return false;
    }
    armHousekeeping(m_queue.nextExpiryMs());
    Q_EMIT queuedCountChanged();
    return true;
}

HubReply *HubClient::request(QJsonObject message, const RequestOptions &options)
{
    QString id = message.value(L("id")).toString();
    if (id.isEmpty()) {
        id = nextRequestId();
        message.insert(QStringLiteral("id"), id);
    }
    const QString type = message.value(L("type")).toString();
    auto *reply = new HubReply(id, type, this);
    if (m_tracker.find(id) || m_queuedRequests.contains(id))
        return failLater(reply, QStringLiteral("BAD_MESSAGE"), QStringLiteral("request id already in use"));

    PendingRequest pending;
    pending.id = id;
    pending.type = type;
    pending.isCommand = type == L("command");
    pending.frame = protocol::toFrame(message);
    pending.reply = reply;
    if (options.timeoutMs >= 0) {
        pending.timeoutMs = options.timeoutMs;
    } else if (pending.isCommand) {
        pending.timeoutMs = message.value(L("timeout_ms")).toInteger(30000) + m_options.commandTimeoutGraceMs;
    } else {
        pending.timeoutMs = m_options.requestTimeoutMs;
    }
    if (pending.frame.size() > m_options.maxMessageBytes) {
        Q_EMIT messageDropped(message, QString(localerror::TooBig), QStringLiteral("larger than the hub's message limit"));
        return failLater(reply, QString(localerror::TooBig), QStringLiteral("larger than the hub's message limit"));
    }

    if (m_state == State::Connected && m_socket && m_queue.isEmpty()) {
        sendPending(m_tracker.add(std::move(pending)));
        Q_EMIT inFlightCountChanged();
        return reply;
    }
    const qint64 ttl = options.ttlMs >= 0 ? options.ttlMs : m_queue.limits().defaultTtlMs;
    const qint64 now = m_clock->monotonicMs();
    OutgoingMessage out{id, type, pending.frame, now, ttl > 0 ? now + ttl : 0};
    if (enqueue(std::move(out), reply))
        m_queuedRequests.insert(id, std::move(pending));
    return reply;
}

HubReply *HubClient::sendCommand(const QString &instanceId, const QString &command, const QJsonObject &parameters,
                                 qint64 commandTimeoutMs, const RequestOptions &options)
{
    QJsonObject message{{QStringLiteral("type"), QStringLiteral("command")},
                        {QStringLiteral("id"), QUuid::createUuid().toString(QUuid::WithoutBraces)},
                        {QStringLiteral("instanceId"), instanceId},
                        {QStringLiteral("command"), command},
                        {QStringLiteral("timeout_ms"), commandTimeoutMs}};
    if (!parameters.isEmpty())
        message.insert(QStringLiteral("parameters"), parameters);
    return request(std::move(message), options);
}

bool HubClient::send(QJsonObject message, qint64 ttlMs)
{
    const QByteArray frame = protocol::toFrame(message);
    if (frame.size() > m_options.maxMessageBytes) {
        Q_EMIT messageDropped(message, QString(localerror::TooBig), QStringLiteral("larger than the hub's message limit"));
        return false;
    }
    if (m_state == State::Connected && m_socket && m_queue.isEmpty()) {
        writeFrame(frame);
        return true;
    }
    const qint64 ttl = ttlMs >= 0 ? ttlMs : m_queue.limits().defaultTtlMs;
    const qint64 now = m_clock->monotonicMs();
    return enqueue(OutgoingMessage{message.value(L("id")).toString(), message.value(L("type")).toString(), frame,
                                   now, ttl > 0 ? now + ttl : 0},
                   nullptr);
}

bool HubClient::cancel(const QString &id)
{
    if (m_queuedRequests.contains(id)) {
        m_queue.take(id);
        PendingRequest pending = m_queuedRequests.take(id);
        if (pending.reply)
            pending.reply->finishError(QString(localerror::Cancelled), QStringLiteral("cancelled before it was sent"));
        Q_EMIT queuedCountChanged();
        return true;
    }
    auto pending = m_tracker.take(id);
    if (!pending)
        return false;
    if (pending->isCommand) {
        // The hub may already run it: ask it to stop. Queued if offline — the resend of the
        // command itself is gone, so the hub either never saw it or learns to cancel it.
        send(QJsonObject{{QStringLiteral("type"), QStringLiteral("cancel")},
                         {QStringLiteral("id"), nextRequestId()},
                         {QStringLiteral("commandId"), id}});
    }
    if (pending->reply)
        pending->reply->finishError(QString(localerror::Cancelled), QStringLiteral("cancelled"));
    Q_EMIT inFlightCountChanged();
    return true;
}

void HubClient::flushOnConnect()
{
    // Subscriptions first, so queued controls find them; then requests interrupted by the last
    // disconnect (same ids: the hub runs a command once), then the offline queue in order.
    for (ClientSubscription *subscription : std::as_const(m_subscriptions)) {
        if (subscription->state() == ClientSubscription::State::Pending)
            sendSubscribe(subscription);
    }
    for (PendingRequest *pending : m_tracker.inOrder()) {
        if (pending->needsResend)
            sendPending(*pending);
    }
    housekeeping(); // drops what expired while offline before anything stale goes out
    bool flushed = false;
    while (auto message = m_queue.takeFirst()) {
        flushed = true;
        auto queued = m_queuedRequests.find(message->id);
        if (!message->id.isEmpty() && queued != m_queuedRequests.end()) {
            PendingRequest pending = std::move(*queued);
            m_queuedRequests.erase(queued);
            sendPending(m_tracker.add(std::move(pending)));
        } else {
            writeFrame(message->frame);
        }
    }
    if (flushed)
        emitCounts();
}

void HubClient::failAll(const QString &code, const QString &message)
{
    const auto queued = m_queue.takeAll();
    for (const OutgoingMessage &out : queued) {
        auto it = m_queuedRequests.find(out.id);
        if (!out.id.isEmpty() && it != m_queuedRequests.end()) {
            if (it->reply)
                it->reply->finishError(code, message);
            m_queuedRequests.erase(it);
        } else {
            Q_EMIT messageDropped(QJsonDocument::fromJson(out.frame).object(), code, message);
        }
    }
    for (PendingRequest &pending : m_tracker.takeAll()) {
        if (pending.reply)
            pending.reply->finishError(code, message);
    }
    emitCounts();
}

void HubClient::armHousekeeping(qint64 deadlineMs)
{
    if (deadlineMs <= 0)
        return;
    if (m_housekeepingTimer.isActive() && m_housekeepingDeadline <= deadlineMs)
        return;
    m_housekeepingDeadline = deadlineMs;
    m_housekeepingTimer.start(int(std::clamp<qint64>(deadlineMs - m_clock->monotonicMs(), 0, 24 * 3600 * 1000)));
}

void HubClient::housekeeping()
{
    const qint64 now = m_clock->monotonicMs();
    m_housekeepingDeadline = 0;
    const auto expired = m_queue.takeExpired(now);
    for (const OutgoingMessage &out : expired) {
        const QString reason = QStringLiteral("not sent within its time to live");
        auto it = m_queuedRequests.find(out.id);
        if (!out.id.isEmpty() && it != m_queuedRequests.end()) {
            HubReply *reply = it->reply;
            m_queuedRequests.erase(it);
            Q_EMIT messageDropped(QJsonDocument::fromJson(out.frame).object(), QString(localerror::Expired), reason);
            if (reply)
                reply->finishError(QString(localerror::Expired), reason);
        } else {
            Q_EMIT messageDropped(QJsonDocument::fromJson(out.frame).object(), QString(localerror::Expired), reason);
        }
    }
    if (!expired.isEmpty())
        Q_EMIT queuedCountChanged();
    const auto timedOut = m_tracker.takeTimedOut(now);
    for (const PendingRequest &pending : timedOut) {
        if (pending.reply)
            pending.reply->finishError(QString(localerror::Timeout),
                                       QStringLiteral("no answer within %1 ms").arg(pending.timeoutMs));
    }
    if (!timedOut.isEmpty())
        Q_EMIT inFlightCountChanged();
    qint64 next = m_queue.nextExpiryMs();
    const qint64 nextDeadline = m_tracker.nextDeadlineMs();
    if (nextDeadline > 0 && (next == 0 || nextDeadline < next))
        next = nextDeadline;
    armHousekeeping(next);
}

void HubClient::emitCounts()
{
    Q_EMIT queuedCountChanged();
    Q_EMIT inFlightCountChanged();
    Q_EMIT acknowledgedCountChanged();
}

// ---- subscriptions ---------------------------------------------------------------------------

ClientSubscription *HubClient::subscribe(const QString &topic, const SubscribeOptions &options)
{
    auto *subscription = new ClientSubscription(this, topic, options);
    m_subscriptions.append(subscription);
    if (m_state == State::Connected && m_socket)
        sendSubscribe(subscription);
    return subscription;
}

void HubClient::sendSubscribe(ClientSubscription *subscription)
{
    const QString id = nextRequestId();
    const bool resumed = !subscription->epoch().isEmpty();
    m_subscribeRequests.insert(id, SubscribeRequest{subscription, resumed});
    writeFrame(protocol::toFrame(subscription->subscribeMessage(id)));
}

void HubClient::removeSubscription(ClientSubscription *subscription)
{
    if (!m_subscriptions.removeOne(subscription))
        return;
    for (auto it = m_subscribeRequests.begin(); it != m_subscribeRequests.end();) {
        if (it->subscription == subscription)
            it = m_subscribeRequests.erase(it);
        else
            ++it;
    }
    const QString hubSub = subscription->hubSubId();
    if (!hubSub.isEmpty()) {
        m_subsByHubId.remove(hubSub);
        if (m_state == State::Connected && m_socket) {
            // Fire and forget: the hub's answer is not awaited (its id is unknown and ignored).
            writeFrame(protocol::toFrame(QJsonObject{{QStringLiteral("type"), QStringLiteral("unsubscribe")},
                                                     {QStringLiteral("id"), nextRequestId()},
                                                     {QStringLiteral("sub"), hubSub}}));
        }
    }
}

// ---- inbound ---------------------------------------------------------------------------------

void HubClient::handleText(const QString &text)
{
    processFrame(text.toUtf8());
}

void HubClient::processFrame(const QByteArray &utf8)
{
    markAlive();
    ++m_messagesReceived;
    const protocol::ParsedFrame parsed = protocol::parseFrame(utf8);
    if (!parsed.message) {
        qCWarning(lcClient) << "unreadable frame from the hub:" << (parsed.error ? parsed.error->message : QString());
        return;
    }
    dispatch(*parsed.message);
}

void HubClient::dispatch(const protocol::InboundMessage &message)
{
    if (isDeliveryType(message.type)) {
        routeDelivery(message.type, message.body);
        return;
    }
    if (message.type == L("error"))
        noteRetryAfter(message.body);
    if (!message.id.isEmpty() && routeAnswer(message.type, message.id, message.body))
        return;
    if (message.type == L("error")) {
        Q_EMIT hubError(message.body.value(L("code")).toString(), message.body.value(L("message")).toString(),
                        message.body.value(L("details")).toObject());
        return;
    }
    if (message.type == L("connection_established"))
        m_connectionInfo = message.body;
    Q_EMIT messageReceived(message.body);
}

void HubClient::routeDelivery(const QString &type, const QJsonObject &body)
{
    ClientSubscription *subscription = m_subsByHubId.value(body.value(L("sub")).toString());
    if (!subscription) {
        qCDebug(lcClient) << "delivery for an unknown subscription" << body.value(L("sub")).toString();
        return;
    }
    if (type == L("batch"))
        subscription->handleEntries(body.value(L("logs")).toArray(), body.value(L("epoch")).toString());
    else if (type == L("gap"))
        subscription->handleGap(body);
    else
        subscription->handleEntry(body);
}

bool HubClient::routeAnswer(const QString &type, const QString &id, const QJsonObject &body)
{
    if (auto it = m_subscribeRequests.find(id); it != m_subscribeRequests.end()) {
        const SubscribeRequest request = *it;
        m_subscribeRequests.erase(it);
        ClientSubscription *subscription = request.subscription;
        if (!subscription || !m_subscriptions.contains(subscription))
            return true;
        if (type == L("error")) {
            subscription->handleError(body.value(L("code")).toString(), body.value(L("message")).toString());
        } else {
            const QJsonObject result = body.value(L("result")).toObject();
            m_subsByHubId.insert(result.value(L("sub")).toString(), subscription);
            subscription->handleResponse(result, request.resumed);
        }
        return true;
    }

    PendingRequest *pending = m_tracker.find(id);
    if (!pending)
        return false;
    if (type == L("response") && pending->isCommand) {
        // "accepted" (or a duplicate after a resend): the command_result is still to come.
        const bool first = pending->reply && !pending->reply->isAcknowledged();
        if (pending->reply)
            pending->reply->acknowledge(body);
        if (first) {
            ++m_acknowledgedCount;
            Q_EMIT acknowledgedCountChanged();
        }
        return true;
    }
    auto taken = m_tracker.take(id);
    if (!taken->reply || !taken->reply->isAcknowledged()) {
        ++m_acknowledgedCount;
        Q_EMIT acknowledgedCountChanged();
    }
    Q_EMIT inFlightCountChanged();
    if (!taken->reply)
        return true;
    if (type == L("error")) {
        taken->reply->finishError(body.value(L("code")).toString(), body.value(L("message")).toString(),
                                  body.value(L("details")).toObject(), body);
    } else {
        taken->reply->finishOk(body);
    }
    return true;
}

void HubClient::noteRetryAfter(const QJsonObject &body)
{
    const QJsonValue retryAfter = body.value(L("details")).toObject().value(L("retry_after"));
    if (retryAfter.isDouble())
        m_retryAfterMs = qint64(std::max(0.0, retryAfter.toDouble()) * 1000.0);
}

} // namespace opsdeck::transport
