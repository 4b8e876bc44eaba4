#pragma once

// A minimal opsdeck.v1 client for tests: a real QWebSocket that records everything it receives,
// with waits on the message a test expects (never on time).

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QSet>
#include <QUrl>
#include <QWebSocket>

#include <functional>
#include <optional>

namespace opsdeck::testing {

class TestClient : public QObject
{
    Q_OBJECT
public:
    using Predicate = std::function<bool(const QJsonObject &)>;

    explicit TestClient(QObject *parent = nullptr);

    // Connects; false when the handshake failed or the socket closed before it was open.
    bool open(const QUrl &url, const QByteArray &secret = {}, const QString &origin = {}, int timeoutMs = 5000);
    void send(const QJsonObject &message);
    void sendRaw(const QString &text);

    // The first not-yet-taken received message that matches, waiting up to `timeoutMs` for it.
    std::optional<QJsonObject> waitFor(const Predicate &predicate, int timeoutMs = 5000);
    std::optional<QJsonObject> waitForType(const QString &type, int timeoutMs = 5000);
    // Sends `message` with an id (generated if absent) and waits for its response or error.
    std::optional<QJsonObject> request(QJsonObject message, int timeoutMs = 5000);
    // Subscribes and returns the response's result (empty on error).
    QJsonObject subscribe(QJsonObject message, int timeoutMs = 5000);

    // Log entries received for subscription `sub` (from batches and single log messages), in order.
    QList<QJsonObject> logEntries(const QString &sub) const;
    // Waits until at least `count` log entries for `sub` arrived.
    bool waitForLogEntries(const QString &sub, qsizetype count, int timeoutMs = 10000);

    bool waitForClosed(int timeoutMs = 5000);
    bool isOpen() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    int closeCode() const { return int(m_socket.closeCode()); }
    QString closeReason() const { return m_socket.closeReason(); }
    void close() { m_socket.close(); }

    const QList<QJsonObject> &messages() const { return m_messages; }
    QWebSocket &socket() { return m_socket; }

private:
    QWebSocket m_socket;
    QList<QJsonObject> m_messages;
    QSet<qsizetype> m_taken;
    int m_nextId = 1;
    bool m_closed = false;
};

// Every `seq` of `entries` follows the previous one by exactly 1.
bool isContiguous(const QList<QJsonObject> &entries, QString *problem = nullptr);

} // namespace opsdeck::testing
