#pragma once

// An in-process hub speaking enough of opsdeck.v1 (docs/protocol.md) to test the client core
// against real sockets on loopback: topics with epoch/seq and retention, subscribe with
// history/since (recovered true/false + gap), batches, idempotent commands, cancel, and knobs
// to misbehave (close codes, silence, token checks). Its topics outlive client connections and
// even stop()/listen(), so a test can resume exactly — unless it calls newEpoch().

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QUrl>

class QWebSocket;
class QWebSocketServer;

namespace opsdeck::transport::testing {

class FakeHub : public QObject
{
    Q_OBJECT

public:
    explicit FakeHub(QObject *parent = nullptr);
    ~FakeHub() override;

    // Listens on 127.0.0.1:`port` (0 = any). Reuses the last port when `port` is 0 and the hub
    // listened before, so a restart keeps the URL.
    bool listen(quint16 port = 0);
    // Stops listening; connected clients are aborted (a crash) or closed with `closeCode`.
    void stop(int closeCode = 0);
    quint16 port() const { return m_port; }
    QUrl url() const;

    // Topics: the first publish creates one with epoch "e-<topic>-1".
    qint64 publish(const QString &topic, QJsonObject fields = {});
    // Publishes `count` log entries delivered as one batch per subscription (benchmarks).
    void publishLogs(int count, const QString &message = QStringLiteral("line"));
    void newEpoch(const QString &topic);
    QString epoch(const QString &topic) const;
    qint64 headSeq(const QString &topic) const;
    void setRetention(int entries) { m_retention = entries; }

    // Behaviour knobs.
    void setRequiredToken(const QString &token) { m_requiredToken = token; }
    void setAnswerRequests(bool answer) { m_answerRequests = answer; }
    // < 0: commands run until completeCommand() (or a cancel).
    void setCommandDelayMs(int ms) { m_commandDelayMs = ms; }
    void completeCommand(const QString &id) { finishCommand(id); }
    // Closes every connection with `code`, preceded by `precedingError` when not empty.
    void closeAll(int code, const QString &reason = {}, const QJsonObject &precedingError = {});
    void sendToAll(const QJsonObject &message);

    // Observations.
    int connectionCount() const { return int(m_clients.size()); }
    int connectionsAccepted() const { return m_accepted; }
    QString lastAuthorization() const { return m_lastAuthorization; }
    QList<QJsonObject> received() const { return m_received; }
    QList<QJsonObject> receivedOfType(const QString &type) const;
    int executions(const QString &commandId) const { return m_executions.value(commandId); }

Q_SIGNALS:
    void clientConnected();
    void clientDisconnected();
    void messageReceived(const QJsonObject &message);

private:
    struct Entry
    {
        qint64 seq = 0;
        QJsonObject body;
    };
    struct Topic
    {
        QString epoch;
        int generation = 1;
        qint64 head = 0;
        QList<Entry> ring;
    };
    struct Subscription
    {
        QString topic;
        bool batch = true;
    };
    struct Client
    {
        QPointer<QWebSocket> socket;
        QHash<QString, Subscription> subs;
        int nextSub = 1;
    };
    struct Command
    {
        QJsonObject request;
        QJsonObject result; // empty while running
        QPointer<QWebSocket> replyTo;
        bool cancelled = false;
    };

    void onNewConnection();
    void onMessage(QWebSocket *socket, const QString &text);
    void handleSubscribe(Client &client, const QJsonObject &message);
    void handleCommand(QWebSocket *socket, const QJsonObject &message);
    void finishCommand(const QString &id);
    void deliver(Client &client, const QString &sub, const Subscription &subscription, const QList<QJsonObject> &entries);
    Topic &topic(const QString &name);
    QJsonObject entryMessage(const QString &topic, const Topic &t, const Entry &entry) const;
    void sendTo(QWebSocket *socket, const QJsonObject &message);
    Client *clientFor(QWebSocket *socket);

    QWebSocketServer *m_server = nullptr;
    quint16 m_port = 0;
    QList<Client> m_clients;
    QHash<QString, Topic> m_topics;
    QHash<QString, Command> m_commands;
    QHash<QString, int> m_executions;
    QList<QJsonObject> m_received;
    QString m_requiredToken;
    QString m_lastAuthorization;
    bool m_answerRequests = true;
    int m_commandDelayMs = 0;
    int m_retention = 10000;
    int m_accepted = 0;
    int m_nextClient = 1;
};

} // namespace opsdeck::transport::testing
