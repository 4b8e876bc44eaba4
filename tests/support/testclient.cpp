#include "testclient.h"

#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkRequest>
#include <QSignalSpy>

namespace opsdeck::testing {

TestClient::TestClient(QObject *parent)
    : QObject(parent)
{
    connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        m_messages.append(QJsonDocument::fromJson(text.toUtf8()).object());
    });
    connect(&m_socket, &QWebSocket::disconnected, this, [this] { m_closed = true; });
}

bool TestClient::open(const QUrl &url, const QByteArray &secret, const QString &origin, int timeoutMs)
{
    QNetworkRequest request(url);
    if (!secret.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + secret);
    if (!origin.isEmpty())
        request.setRawHeader("Origin", origin.toUtf8());
    m_closed = false;
    QSignalSpy connected(&m_socket, &QWebSocket::connected);
    m_socket.open(request);
    const QDeadlineTimer deadline(timeoutMs);
    while (connected.isEmpty() && !m_closed && !deadline.hasExpired())
        connected.wait(50);
    return !connected.isEmpty();
}

void TestClient::send(const QJsonObject &message)
{
    m_socket.sendTextMessage(QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact)));
}

void TestClient::sendRaw(const QString &text)
{
    m_socket.sendTextMessage(text);
}

std::optional<QJsonObject> TestClient::waitFor(const Predicate &predicate, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    QSignalSpy arrivals(&m_socket, &QWebSocket::textMessageReceived);
    qsizetype scanned = 0;
    for (;;) {
        for (; scanned < m_messages.size(); ++scanned) {
            if (!m_taken.contains(scanned) && predicate(m_messages.at(scanned))) {
                m_taken.insert(scanned);
                return m_messages.at(scanned);
            }
        }
        // Frames only arrive while the event loop runs, i.e. inside this wait.
        if (deadline.hasExpired() || !arrivals.wait(int(std::max<qint64>(1, deadline.remainingTime()))))
            return std::nullopt;
    }
}

std::optional<QJsonObject> TestClient::waitForType(const QString &type, int timeoutMs)
{
    return waitFor([&](const QJsonObject &m) { return m.value(QLatin1StringView("type")).toString() == type; },
                   timeoutMs);
}

std::optional<QJsonObject> TestClient::request(QJsonObject message, int timeoutMs)
{
    if (!message.contains(QLatin1StringView("id")))
        message.insert(QStringLiteral("id"), QStringLiteral("t%1").arg(m_nextId++));
    const QString id = message.value(QLatin1StringView("id")).toString();
    send(message);
    return waitFor(
        [&](const QJsonObject &m) {
            const QString type = m.value(QLatin1StringView("type")).toString();
            return m.value(QLatin1StringView("id")).toString() == id
                   && (type == QLatin1StringView("response") || type == QLatin1StringView("error")
                       || type == QLatin1StringView("welcome") || type == QLatin1StringView("pong")
                       || type == QLatin1StringView("client_identified")
                       || type == QLatin1StringView("initial_execution_state"));
        },
        timeoutMs);
}

QJsonObject TestClient::subscribe(QJsonObject message, int timeoutMs)
{
    message.insert(QStringLiteral("type"), QStringLiteral("subscribe"));
    const auto reply = request(message, timeoutMs);
    if (!reply || reply->value(QLatin1StringView("type")).toString() != QLatin1StringView("response"))
        return {};
    return reply->value(QLatin1StringView("result")).toObject();
}

QList<QJsonObject> TestClient::logEntries(const QString &sub) const
{
    QList<QJsonObject> entries;
    for (const QJsonObject &message : m_messages) {
        if (message.value(QLatin1StringView("sub")).toString() != sub)
            continue;
        const QString type = message.value(QLatin1StringView("type")).toString();
        if (type == QLatin1StringView("batch")) {
            for (const QJsonValue &entry : message.value(QLatin1StringView("logs")).toArray())
                entries.append(entry.toObject());
        } else if (type == QLatin1StringView("log")) {
            entries.append(message);
        }
    }
    return entries;
}

bool TestClient::waitForLogEntries(const QString &sub, qsizetype count, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    QSignalSpy arrivals(&m_socket, &QWebSocket::textMessageReceived);
    while (logEntries(sub).size() < count) {
        if (deadline.hasExpired() || !arrivals.wait(int(std::max<qint64>(1, deadline.remainingTime()))))
            return false;
    }
    return true;
}

bool TestClient::waitForClosed(int timeoutMs)
{
    if (m_closed)
        return true;
    QSignalSpy disconnected(&m_socket, &QWebSocket::disconnected);
    return disconnected.wait(timeoutMs) || m_closed;
}

bool isContiguous(const QList<QJsonObject> &entries, QString *problem)
{
    for (qsizetype i = 1; i < entries.size(); ++i) {
        const qint64 previous = entries.at(i - 1).value(QLatin1StringView("seq")).toInteger();
        const qint64 current = entries.at(i).value(QLatin1StringView("seq")).toInteger();
        if (current != previous + 1) {
            if (problem)
                *problem = QStringLiteral("seq %1 follows %2 at index %3").arg(current).arg(previous).arg(i);
            return false;
        }
    }
    return true;
}

} // namespace opsdeck::testing
