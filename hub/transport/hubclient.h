#pragma once

// HubClient: the one WebSocket manager of Opsdeck (DESIGN.md §4). The console uses it for its
// link to the local hub, the hub for its links to remote hubs. It owns the connection state
// machine, reconnects with backoff, queues while offline, correlates requests with answers,
// re-establishes subscriptions with their positions, and watches the connection with pings.

#include "backoff.h"
#include "clientsubscription.h"
#include "clock.h"
#include "outgoingqueue.h"
#include "requesttracker.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QLoggingCategory>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <functional>
#include <memory>

Q_DECLARE_LOGGING_CATEGORY(lcClient)

class QWebSocket;

namespace opsdeck::protocol {
struct InboundMessage;
}

namespace opsdeck::transport {

struct HubClientOptions
{
    BackoffPolicy backoff;
    QueueLimits queue;
    int heartbeatIntervalMs = 15000;          // WebSocket ping period; dead after 2× without pong
    qint64 requestTimeoutMs = 30000;          // default per-request timeout (from the first send)
    qint64 commandTimeoutGraceMs = 10000;     // commands: their timeout_ms plus this
    int clockCheckIntervalMs = 2000;          // how often the wake-from-sleep detector looks
    qint64 wakeJumpThresholdMs = 5000;        // wall minus monotonic advance that counts as a wake
    int handshakeTimeoutMs = 10000;           // like the hub (§1): a stuck upgrade is abandoned
    bool watchNetwork = true;                 // QNetworkInformation reachability, where available
    qint64 maxMessageBytes = 1024 * 1024;     // §1: never send what the hub must refuse (1009)
};

struct RequestOptions
{
    qint64 timeoutMs = -1;  // -1: HubClientOptions::requestTimeoutMs (commands: timeout_ms + grace)
    qint64 ttlMs = -1;      // time it may wait in the offline queue; -1: QueueLimits::defaultTtlMs
};

class HubClient : public QObject
{
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(QDateTime nextAttemptAt READ nextAttemptAt NOTIFY nextAttemptChanged)
    Q_PROPERTY(int reconnectAttempt READ reconnectAttempt NOTIFY nextAttemptChanged)
    Q_PROPERTY(int lastCloseCode READ lastCloseCode NOTIFY lastCloseChanged)
    Q_PROPERTY(QString lastCloseReason READ lastCloseReason NOTIFY lastCloseChanged)
    Q_PROPERTY(QString failureMessage READ failureMessage NOTIFY stateChanged)
    Q_PROPERTY(int queuedCount READ queuedCount NOTIFY queuedCountChanged)
    Q_PROPERTY(int inFlightCount READ inFlightCount NOTIFY inFlightCountChanged)
    Q_PROPERTY(qint64 sentCount READ sentCount NOTIFY sentCountChanged)
    Q_PROPERTY(qint64 acknowledgedCount READ acknowledgedCount NOTIFY acknowledgedCountChanged)
    Q_PROPERTY(int latencyMs READ latencyMs NOTIFY latencyChanged)

public:
    enum class State { Disconnected, Connecting, Connected, Reconnecting, Failed, Disconnecting };
    Q_ENUM(State)

    // Returns the bearer token for the next (re)connect; empty = no Authorization header.
    using TokenProvider = std::function<QString()>;

    explicit HubClient(QObject *parent = nullptr);
    explicit HubClient(const HubClientOptions &options, QObject *parent = nullptr);
    ~HubClient() override;

    const HubClientOptions &options() const { return m_options; }
    // Takes effect for the next connection (queue limits at once).
    void setOptions(const HubClientOptions &options);
    void setClock(std::shared_ptr<Clock> clock);
    void setRandomSource(Backoff::RandomSource random);
    // Called on every connection attempt, so a refreshed token is used without a restart.
    void setTokenProvider(TokenProvider provider);

    // Starts connecting (from Disconnected or Failed); reconnects until close() or a stop code.
    void open(const QUrl &url);
    // Client-initiated close (1000): no reconnect. Pending and queued requests fail with CLOSED.
    void close();
    // An immediate attempt instead of waiting for the backoff timer (network change, wake,
    // a "retry now" button). Does not shorten a hub-mandated retry_after wait.
    void reconnectNow();

    // Sends a request (or queues it while not connected). Sets `id` when the message has none.
    // Never returns null; the reply reports every outcome, including overflow and expiry.
    HubReply *request(QJsonObject message, const RequestOptions &options = {});
    // A §6 command with a fresh UUID id (the idempotency key).
    HubReply *sendCommand(const QString &instanceId, const QString &command,
                          const QJsonObject &parameters = {}, qint64 commandTimeoutMs = 30000,
                          const RequestOptions &options = {});
    // Fire-and-forget (controls, identify_client). False when it was refused (messageDropped
    // says why); a queued message that later expires is reported through messageDropped too.
    bool send(QJsonObject message, qint64 ttlMs = -1);
    // Cancels a request: removed from the queue, or (for a command on the wire) a §6 cancel is
    // sent. The reply finishes with CANCELLED. False for an unknown or finished id.
    bool cancel(const QString &id);

    // The subscription is owned by the client (deleted with it); delete it or call
    // unsubscribe() to stop it.
    ClientSubscription *subscribe(const QString &topic, const SubscribeOptions &options = {});
    QList<ClientSubscription *> subscriptions() const { return m_subscriptions; }

    State state() const { return m_state; }
    QUrl url() const { return m_url; }
    QDateTime nextAttemptAt() const;
    int reconnectAttempt() const { return m_backoff.attempts(); }
    int lastCloseCode() const { return m_lastCloseCode; }
    QString lastCloseReason() const { return m_lastCloseReason; }
    QString failureMessage() const { return m_failureMessage; }
    int queuedCount() const { return m_queue.count(); }
    int inFlightCount() const { return m_tracker.count(); }
    qint64 sentCount() const { return m_sentCount; }
    qint64 acknowledgedCount() const { return m_acknowledgedCount; }
    int latencyMs() const { return m_latencyMs; }
    qint64 messagesReceived() const { return m_messagesReceived; }
    // The connection_established message of the current connection.
    QJsonObject connectionInfo() const { return m_connectionInfo; }

    // Feeds one inbound text frame through the dispatcher as if it had arrived on the socket
    // (used by the decode benchmark; harmless otherwise).
    void processFrame(const QByteArray &utf8);

public Q_SLOTS:
    // Compares the clocks now (also done periodically); a forward jump of the wall clock
    // against the monotonic clock means the machine slept.
    void checkClock();
    // The network changed (called by QNetworkInformation where a backend exists).
    void handleNetworkChange();

Q_SIGNALS:
    void stateChanged(opsdeck::transport::HubClient::State state);
    void connected();
    void disconnected(int closeCode, const QString &reason);
    void nextAttemptChanged();
    void lastCloseChanged();
    void queuedCountChanged();
    void inFlightCountChanged();
    void sentCountChanged();
    void acknowledgedCountChanged();
    void latencyChanged();
    // 4401: credentials needed; no further attempts until open() is called again.
    void loginRequired(const QString &message);
    // Entered Failed: `message` is for the user (4403, 4409, 1008, 4404, attempts exhausted).
    void failed(const QString &message);
    // A hub error that answers no pending request.
    void hubError(const QString &code, const QString &message, const QJsonObject &details);
    // An outgoing message was not (and will not be) sent: QUEUE_FULL, EXPIRED, TOO_BIG, CLOSED.
    void messageDropped(const QJsonObject &message, const QString &code, const QString &reason);
    // Inbound messages no request or subscription claimed (connection_established, broadcast…).
    void messageReceived(const QJsonObject &message);
    void wakeDetected(qint64 jumpMs);
    void heartbeatTimedOut();

private:
    friend class ClientSubscription;

    void setState(State state);
    void startAttempt();
    void connectionGone();
    void scheduleReconnect(qint64 delayMs, bool mandatory);
    void enterFailed(const QString &message);
    void handleSocketConnected();
    void handleSocketClosed(QWebSocket *socket);
    void handleText(const QString &text);
    void dispatch(const protocol::InboundMessage &message);
    void routeDelivery(const QString &type, const QJsonObject &body);
    bool routeAnswer(const QString &type, const QString &id, const QJsonObject &body);
    void noteRetryAfter(const QJsonObject &body);
    void markAlive();
    void checkHeartbeat();

    QString nextRequestId();
    HubReply *failLater(HubReply *reply, const QString &code, const QString &message);
    bool enqueue(OutgoingMessage message, HubReply *reply);
    void writeFrame(const QByteArray &frame);
    void sendPending(PendingRequest &request);
    void sendSubscribe(ClientSubscription *subscription);
    void flushOnConnect();
    void failAll(const QString &code, const QString &message);
    void armHousekeeping(qint64 deadlineMs);
    void housekeeping();
    void removeSubscription(ClientSubscription *subscription);
    void emitCounts();

    HubClientOptions m_options;
    std::shared_ptr<Clock> m_clock;
    TokenProvider m_tokenProvider;
    Backoff m_backoff;
    OutgoingQueue m_queue;
    RequestTracker m_tracker;
    // Requests waiting in m_queue (their PendingRequest moves to m_tracker when sent).
    QHash<QString, PendingRequest> m_queuedRequests;

    QUrl m_url;
    State m_state = State::Disconnected;
    QWebSocket *m_socket = nullptr;
    bool m_userClosing = false;
    bool m_closingHandshake = false; // the current socket went through a close handshake
    int m_localCloseCode = 0; // set when the client aborts (heartbeat): reported instead of Qt's
    QString m_localCloseReason;
    int m_lastCloseCode = 0;
    QString m_lastCloseReason;
    QString m_failureMessage;
    qint64 m_retryAfterMs = -1; // from the latest error's details.retry_after on this connection
    QString m_lastSentId;
    bool m_waitMandatory = false;
    qint64 m_nextAttemptWallMs = 0;
    QJsonObject m_connectionInfo;

    QTimer m_reconnectTimer;
    QTimer m_handshakeTimer;
    QTimer m_pingTimer;
    QTimer m_watchdogTimer;
    QTimer m_clockTimer;
    QTimer m_housekeepingTimer;
    qint64 m_housekeepingDeadline = 0;
    qint64 m_lastAliveMs = 0;
    qint64 m_lastMonotonicMs = 0;
    qint64 m_lastWallMs = 0;
    int m_latencyMs = -1;

    QList<ClientSubscription *> m_subscriptions;
    QHash<QString, ClientSubscription *> m_subsByHubId;
    struct SubscribeRequest
    {
        QPointer<ClientSubscription> subscription;
        bool resumed = false;
    };
    QHash<QString, SubscribeRequest> m_subscribeRequests;

    qint64 m_sentCount = 0;
    qint64 m_acknowledgedCount = 0;
    qint64 m_messagesReceived = 0;
    quint64 m_nextId = 0;
    QString m_idPrefix;
};

} // namespace opsdeck::transport
