#include "hubsession.h"


#include <QDateTime>
#include <QRandomGenerator>
#include <QWebSocket>

#include <limits>

#include "hublog.h"

namespace opsdeck::hub {

using protocol::CloseCode;
using protocol::ProtocolError;

namespace {
// Frames written per subscription per flush: keeps one catching-up subscriber from starving
// the event loop (and every other connection) while it replays a long history.
constexpr int kMaxFramesPerDrain = 32;
} // namespace

HubSession::HubSession(quint64 serial, QWebSocket *socket, const HubConfig &config, HubStats &stats,
                       QObject *parent)
    : QObject(parent)
    , m_serial(serial)
    , m_clientId(QStringLiteral("c-%1").arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0')))
    , m_socket(socket)
    , m_peerAddress(socket->peerAddress())
    , m_config(config)
    , m_stats(stats)
    , m_rateLimiter(config.rateLimit, config.rateWindowSeconds)
    , m_terminalRateLimiter(config.terminalRateLimit, 1)
{
    m_socket->setParent(this);
    m_socket->setMaxAllowedIncomingMessageSize(quint64(protocol::kMaxMessageBytes));
    m_clock.start();
    m_sinceLastPong.start();
    m_connectedAtMs = QDateTime::currentMSecsSinceEpoch();
    m_expiryTimer.setSingleShot(true);
    m_expiryTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_expiryTimer, &QTimer::timeout, this, &HubSession::armExpiry);

    m_batchTimer.setSingleShot(true);
    m_batchTimer.setInterval(m_config.batchIntervalMs);
    connect(&m_batchTimer, &QTimer::timeout, this, [this] { flush(true); });
    m_soonTimer.setSingleShot(true);
    m_soonTimer.setInterval(0);
    connect(&m_soonTimer, &QTimer::timeout, this, [this] { flush(false); });

    connect(m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &message) {
        m_sinceLastPong.restart(); // any traffic proves the peer is alive
        Q_EMIT textMessageReceived(this, message);
    });
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &) {
        sendError(protocol::badMessage(QStringLiteral("frame"), QStringLiteral("a text frame (opsdeck.v1.json)")));
    });
    connect(m_socket, &QWebSocket::pong, this, [this](quint64, const QByteArray &) { m_sinceLastPong.restart(); });
    connect(m_socket, &QWebSocket::bytesWritten, this, &HubSession::onBytesWritten);
    connect(m_socket, &QWebSocket::disconnected, this, [this] {
        m_closing = true;
        const int code = int(m_socket->closeCode());
        m_stats.closesByCode[code] += 1;
        Q_EMIT closed(this);
    });
}

HubSession::~HubSession()
{
    // Subscriptions unregister from their topics before the socket goes.
    m_subscriptions.clear();
}

void HubSession::sendMessage(const QJsonObject &message)
{
    sendFrame(protocol::toFrame(message));
}

void HubSession::sendFrame(const QByteArray &frame)
{
    if (m_closing)
        return;
    m_socket->sendTextMessage(QString::fromUtf8(frame));
    // QTcpSocket buffers what QWebSocket writes and hands the kernel one buffer block per
    // event-loop turn; a hub thread busy publishing gets few turns, so frames queued here
    // (up to the 4 MiB backlog limit) while the receiver sat idle. Write now, as much as the
    // kernel takes: bytesToWrite() below is then what the peer really has not read.
    m_socket->flush();
    ++m_stats.messagesOut;
    m_stats.bytesOut += frame.size();
    m_stats.countOutType(frame);
    if (!m_backlogged && m_socket->bytesToWrite() > m_config.backlogHighBytes) {
        m_backlogged = true;
        ++m_stats.backlogPauses;
        qCDebug(lcHub) << m_clientId << "is lagging; pushing paused at" << m_socket->bytesToWrite() << "bytes";
    }
}

void HubSession::sendError(const ProtocolError &error, const QString &id)
{
    sendMessage(protocol::makeError(error, id));
    m_stats.errorsByCode[protocol::errorCodeName(error.code)] += 1;
    if (!protocol::isGarbageError(error.code))
        return;
    const qint64 now = m_clock.elapsed();
    m_garbageTimes.push_back(now);
    while (!m_garbageTimes.empty() && now - m_garbageTimes.front() > qint64(m_config.garbageWindowSeconds) * 1000)
        m_garbageTimes.pop_front();
    if (qsizetype(m_garbageTimes.size()) >= m_config.garbageLimit)
        close(CloseCode::PolicyViolation, QStringLiteral("too many invalid messages"));
}

void HubSession::close(CloseCode code, const QString &reason)
{
    if (m_closing)
        return;
    m_closing = true;
    qCInfo(lcHub) << m_clientId << "closing with" << int(code) << reason;
    m_socket->close(QWebSocketProtocol::CloseCode(int(code)), reason);
}

void HubSession::setPrincipal(Principal principal)
{
    m_principal = std::move(principal);
    armExpiry();
}

void HubSession::armExpiry()
{
    m_expiryTimer.stop();
    if (m_principal.expiresAtMs <= 0 || m_closing)
        return;
    const qint64 remaining = m_principal.expiresAtMs - QDateTime::currentMSecsSinceEpoch();
    if (remaining <= 0) {
        close(CloseCode::Unauthenticated, QStringLiteral("token expired"));
        return;
    }
    // QTimer takes an int: a token valid for longer than ~24 days is re-checked in steps.
    m_expiryTimer.start(int(std::min<qint64>(remaining, std::numeric_limits<int>::max() / 2)));
}

Subscription *HubSession::addSubscription(Topic &ring, protocol::EntryFilter filter, bool batch)
{
    const QString id = QStringLiteral("s%1").arg(m_nextSubscription++);
    // Looked up by id rather than captured by pointer, so a publish racing an unsubscribe is harmless.
    auto sub = std::make_unique<Subscription>(id, ring, std::move(filter), batch, [this, id] {
        if (Subscription *target = subscription(id))
            onNotify(target);
    });
    Subscription *raw = sub.get();
    m_subscriptions.emplace(id, std::move(sub));
    return raw;
}

Subscription *HubSession::subscription(const QString &id) const
{
    const auto it = m_subscriptions.find(id);
    return it == m_subscriptions.end() ? nullptr : it->second.get();
}

bool HubSession::removeSubscription(const QString &id)
{
    return m_subscriptions.erase(id) > 0;
}

QList<Subscription *> HubSession::subscriptions() const
{
    QList<Subscription *> list;
    for (const auto &[id, sub] : m_subscriptions)
        list.append(sub.get());
    return list;
}

void HubSession::flushSubscription(Subscription *sub)
{
    if (m_closing || m_backlogged || sub->paused())
        return;
    if (sub->drain(m_config.batchMaxEntries, kMaxFramesPerDrain, [this](const QByteArray &f) { sendFrame(f); }))
        m_soonTimer.start();
}

void HubSession::onNotify(Subscription *sub)
{
    if (m_closing || sub->paused() || m_backlogged)
        return;
    if (sub->batched() && sub->pendingUpperBound() < quint64(m_config.batchMaxEntries)) {
        if (!m_batchTimer.isActive())
            m_batchTimer.start();
        return;
    }
    if (!m_soonTimer.isActive())
        m_soonTimer.start();
}

void HubSession::flush(bool includePartialBatches)
{
    if (m_closing || m_backlogged)
        return;
    bool more = false;
    bool partialLeft = false;
    for (const auto &[id, sub] : m_subscriptions) {
        if (sub->paused() || !sub->hasPending())
            continue;
        if (sub->batched() && !includePartialBatches
            && sub->pendingUpperBound() < quint64(m_config.batchMaxEntries)) {
            partialLeft = true;
            continue;
        }
        more |= sub->drain(m_config.batchMaxEntries, kMaxFramesPerDrain,
                           [this](const QByteArray &f) { sendFrame(f); });
        if (m_backlogged)
            return;
    }
    if (more)
        m_soonTimer.start();
    if (partialLeft && !m_batchTimer.isActive())
        m_batchTimer.start();
}

void HubSession::onBytesWritten()
{
    if (m_backlogged && m_socket->bytesToWrite() < m_config.backlogLowBytes) {
        m_backlogged = false;
        qCDebug(lcHub) << m_clientId << "caught up; pushing resumed";
        flush(true);
    }
}


bool HubSession::admitByRate(qint64 nowMs, const QString &id, const QString &message)
{
    switch (m_rateLimiter.check(nowMs)) {
    case RateLimiter::Verdict::Allow:
        return true;
    case RateLimiter::Verdict::Disconnect:
        close(protocol::CloseCode::RateLimited, QStringLiteral("rate limit exceeded"));
        return false;
    case RateLimiter::Verdict::Reject:
        if (!id.isEmpty() || m_rateLimiter.takeAnonymousErrorToken())
            sendError(protocol::ProtocolError{protocol::ErrorCode::RateLimitExceeded, message,
                                              QJsonObject{{QStringLiteral("limit"), m_rateLimiter.limit()},
                                                          {QStringLiteral("window"),
                                                           protocol::formatWindow(m_rateLimiter.windowSeconds())},
                                                          {QStringLiteral("retry_after"),
                                                           m_rateLimiter.retryAfterSeconds(nowMs)}}},
                      id);
        return false;
    }
    return false;
}

} // namespace opsdeck::hub
