#pragma once

// Requests that went to the hub and wait for their answer, and the reply object a caller
// holds for each request (like QNetworkReply). Answers are correlated by the message `id`.

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

#include <map>
#include <optional>

namespace opsdeck::transport {

class HubClient;

// Error codes the client itself produces (hub codes are passed through unchanged).
namespace localerror {
inline constexpr QLatin1StringView QueueFull{"QUEUE_FULL"};
inline constexpr QLatin1StringView Expired{"EXPIRED"};
inline constexpr QLatin1StringView Timeout{"TIMEOUT"};
inline constexpr QLatin1StringView Cancelled{"CANCELLED"};
inline constexpr QLatin1StringView Closed{"CLOSED"};
inline constexpr QLatin1StringView TooBig{"TOO_BIG"};
} // namespace localerror

// The caller's handle on one request. Owned by the HubClient; it deletes itself (deleteLater)
// after finished(), so keep it in a QPointer if you hold on to it.
class HubReply : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QString id READ id CONSTANT)
    Q_PROPERTY(bool finished READ isFinished NOTIFY finished)

public:
    QString id() const { return m_id; }
    QString type() const { return m_type; }
    bool isFinished() const { return m_finished; }
    bool isAcknowledged() const { return m_acknowledged; }
    // Empty when the request succeeded.
    QString errorCode() const { return m_errorCode; }
    QString errorMessage() const { return m_errorMessage; }
    QJsonObject errorDetails() const { return m_errorDetails; }
    // The `result` of the hub's response.
    QJsonObject result() const { return m_result; }
    // The message that finished the request: the response, the error, or the command_result.
    QJsonObject finalMessage() const { return m_final; }
    // The hub recognised a command it had already seen (idempotent resend).
    bool isDuplicate() const { return m_result.value(QLatin1StringView("duplicate")).toBool(); }
    // How many times the request went onto the wire (>1 after a resend on reconnect).
    int sendCount() const { return m_sendCount; }

Q_SIGNALS:
    void sent();
    // The hub's `response`; for a command that is "accepted" (or a duplicate), not yet the result.
    void acknowledged(const QJsonObject &result);
    // Emitted before finished() when the request failed (hub error, or a local code of localerror).
    void failed(const QString &code, const QString &message);
    // Exactly once per request.
    void finished();

private:
    friend class HubClient;
    HubReply(const QString &id, const QString &type, QObject *parent);

    void markSent();
    void acknowledge(const QJsonObject &response);
    void finishOk(const QJsonObject &message);
    void finishError(const QString &code, const QString &message, const QJsonObject &details = {},
                     const QJsonObject &finalMessage = {});

    QString m_id;
    QString m_type;
    bool m_finished = false;
    bool m_acknowledged = false;
    int m_sendCount = 0;
    QString m_errorCode;
    QString m_errorMessage;
    QJsonObject m_errorDetails;
    QJsonObject m_result;
    QJsonObject m_final;
};

struct PendingRequest
{
    QString id;
    QString type;
    QByteArray frame;
    bool isCommand = false;  // finishes on command_result, not on response
    bool needsResend = false;  // the connection it was sent on is gone
    qint64 timeoutMs = 0;
    qint64 deadlineMs = 0;  // monotonic; 0 = none
    QPointer<HubReply> reply;
};

class RequestTracker
{
public:
    PendingRequest &add(PendingRequest request);
    PendingRequest *find(const QString &id);
    std::optional<PendingRequest> take(const QString &id);
    // Pending requests in the order they were first sent (resend order after a reconnect).
    QList<PendingRequest *> inOrder();
    QList<PendingRequest> takeTimedOut(qint64 nowMs);
    QList<PendingRequest> takeAll();
    qint64 nextDeadlineMs() const;
    int count() const { return int(m_byOrder.size()); }

private:
    std::map<quint64, PendingRequest> m_byOrder;
    QHash<QString, quint64> m_orderById;
    quint64 m_next = 0;
};

} // namespace opsdeck::transport
