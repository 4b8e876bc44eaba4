#pragma once

// One client connection of the hub: framing, subscriptions and their flush scheduling,
// back-pressure, rate limit and garbage accounting. Message handling lives in HubServer.

#include "authenticator.h"
#include "hubconfig.h"
#include "hubstats.h"
#include "message.h"
#include "ratelimiter.h"
#include "subscription.h"

#include <deque>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QObject>
#include <QTimer>

#include <map>
#include <memory>

class QWebSocket;

namespace opsdeck::hub {

class HubSession : public QObject
{
    Q_OBJECT
public:
    HubSession(quint64 serial, QWebSocket *socket, const HubConfig &config, HubStats &stats,
               QObject *parent = nullptr);
    ~HubSession() override;

    quint64 serial() const { return m_serial; }
    const QString &clientId() const { return m_clientId; }
    QWebSocket *socket() const { return m_socket; }
    QHostAddress peerAddress() const { return m_peerAddress; }
    bool isClosing() const { return m_closing; }
    qint64 connectedAtMs() const { return m_connectedAtMs; }

    // Who is on the other end (docs/protocol.md §13). Setting it (on accept, and again on an
    // `auth` refresh) arms the token's expiry: when it passes, the session closes 4401.
    const Principal &principal() const { return m_principal; }
    void setPrincipal(Principal principal);

    void sendMessage(const QJsonObject &message);
    void sendFrame(const QByteArray &frame);
    // Sends an error; garbage errors count towards the 1008 threshold.
    void sendError(const protocol::ProtocolError &error, const QString &id = {});
    void close(protocol::CloseCode code, const QString &reason);

    Subscription *addSubscription(Topic &ring, protocol::EntryFilter filter, bool batch);
    Subscription *subscription(const QString &id) const;
    bool removeSubscription(const QString &id);
    QList<Subscription *> subscriptions() const;
    qsizetype subscriptionCount() const { return qsizetype(m_subscriptions.size()); }
    // Delivers what is pending for `sub` now (after a subscribe's response, or a resume).
    void flushSubscription(Subscription *sub);
    // Sends what every batched subscription holds now instead of at the end of its window.
    void flushBatchesNow() { flush(true); }

    RateLimiter &rateLimiter() { return m_rateLimiter; }
    // The general rate limit of docs/protocol.md §7 at `nowMs` (any monotonic clock): true to
    // handle the message; otherwise it was answered RATE_LIMIT_EXCEEDED (`message` as the text;
    // messages without an id get one error per window) or the connection closed 4429.
    bool admitByRate(qint64 nowMs, const QString &id, const QString &message);
    // Terminal input, resize and ack: a budget of their own, per second (docs/protocol.md §11.5).
    RateLimiter &terminalRateLimiter() { return m_terminalRateLimiter; }
    bool helloReceived() const { return m_helloReceived; }
    void setHelloReceived() { m_helloReceived = true; }
    qint64 millisSinceLastPong() const { return m_sinceLastPong.elapsed(); }

Q_SIGNALS:
    void textMessageReceived(opsdeck::hub::HubSession *session, const QString &message);
    void closed(opsdeck::hub::HubSession *session);

private:
    void onNotify(Subscription *sub);
    void flush(bool includePartialBatches);
    void onBytesWritten();
    void armExpiry();
    bool isBacklogged() const { return m_backlogged; }

    quint64 m_serial;
    QString m_clientId;
    QWebSocket *m_socket;
    QHostAddress m_peerAddress;
    const HubConfig &m_config;
    HubStats &m_stats;
    RateLimiter m_rateLimiter;
    RateLimiter m_terminalRateLimiter;
    std::deque<qint64> m_garbageTimes;
    std::map<QString, std::unique_ptr<Subscription>> m_subscriptions;
    int m_nextSubscription = 1;
    QTimer m_batchTimer;
    QTimer m_soonTimer;
    QElapsedTimer m_sinceLastPong;
    QElapsedTimer m_clock;
    Principal m_principal;
    QTimer m_expiryTimer;
    qint64 m_connectedAtMs = 0;
    bool m_backlogged = false;
    bool m_closing = false;
    bool m_helloReceived = false;
};

} // namespace opsdeck::hub
