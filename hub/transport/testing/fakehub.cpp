#include "fakehub.h"

#include "message.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

namespace opsdeck::transport::testing {

namespace {
QLatin1StringView L(const char *text)
{
    return QLatin1StringView(text);
}
} // namespace

FakeHub::FakeHub(QObject *parent)
    : QObject(parent)
{
}

FakeHub::~FakeHub()
{
    stop();
}

bool FakeHub::listen(quint16 port)
{
    if (m_server)
        return true;
    m_server = new QWebSocketServer(QStringLiteral("fakehub"), QWebSocketServer::NonSecureMode, this);
    m_server->setSupportedSubprotocols({QStringLiteral("opsdeck.v1.json")});
    connect(m_server, &QWebSocketServer::newConnection, this, &FakeHub::onNewConnection);
    if (!m_server->listen(QHostAddress::LocalHost, port ? port : m_port)) {
        delete m_server;
        m_server = nullptr;
        return false;
    }
    m_port = m_server->serverPort();
    return true;
}

void FakeHub::stop(int closeCode)
{
    const auto clients = m_clients;
    for (const Client &client : clients) {
        if (!client.socket)
            continue;
        if (closeCode)
            client.socket->close(QWebSocketProtocol::CloseCode(closeCode), QStringLiteral("stopping"));
        else
            client.socket->abort();
    }
    if (m_server) {
        m_server->close();
        m_server->deleteLater();
        m_server = nullptr;
    }
}

QUrl FakeHub::url() const
{
    return QUrl(QStringLiteral("ws://127.0.0.1:%1/api/v1/ws/demo").arg(m_port));
}

FakeHub::Topic &FakeHub::topic(const QString &name)
{
    auto it = m_topics.find(name);
    if (it == m_topics.end()) {
        Topic t;
        t.epoch = QStringLiteral("e-%1-1").arg(name);
        it = m_topics.insert(name, t);
    }
    return *it;
}

void FakeHub::newEpoch(const QString &name)
{
    Topic &t = topic(name);
    ++t.generation;
    t.epoch = QStringLiteral("e-%1-%2").arg(name).arg(t.generation);
    t.head = 0;
    t.ring.clear();
}

QString FakeHub::epoch(const QString &name) const
{
    return m_topics.value(name).epoch;
}

qint64 FakeHub::headSeq(const QString &name) const
{
    return m_topics.value(name).head;
}

QJsonObject FakeHub::entryMessage(const QString &name, const Topic &t, const Entry &entry) const
{
    QJsonObject message = entry.body;
    message.insert(QStringLiteral("topic"), name);
    message.insert(QStringLiteral("epoch"), t.epoch);
    message.insert(QStringLiteral("seq"), entry.seq);
    if (!message.contains(L("type")))
        message.insert(QStringLiteral("type"), name == L("logs") ? QStringLiteral("log") : QStringLiteral("event"));
    return message;
}

qint64 FakeHub::publish(const QString &name, QJsonObject fields)
{
    Topic &t = topic(name);
    Entry entry{++t.head, std::move(fields)};
    t.ring.append(entry);
    while (t.ring.size() > m_retention)
        t.ring.removeFirst();
    const QJsonObject message = entryMessage(name, t, entry);
    for (Client &client : m_clients) {
        for (auto it = client.subs.cbegin(); it != client.subs.cend(); ++it) {
            if (it->topic == name)
                deliver(client, it.key(), *it, {message});
        }
    }
    return entry.seq;
}

void FakeHub::publishLogs(int count, const QString &text)
{
    Topic &t = topic(QStringLiteral("logs"));
    QList<QJsonObject> messages;
    messages.reserve(count);
    for (int i = 0; i < count; ++i) {
        Entry entry{++t.head, QJsonObject{{QStringLiteral("stream"), QStringLiteral("stdout")},
                                          {QStringLiteral("level"), QStringLiteral("info")},
                                          {QStringLiteral("source"), QStringLiteral("web-01")},
                                          {QStringLiteral("message"), text}}};
        t.ring.append(entry);
        messages.append(entryMessage(QStringLiteral("logs"), t, entry));
    }
    while (t.ring.size() > m_retention)
        t.ring.removeFirst();
    for (Client &client : m_clients) {
        for (auto it = client.subs.cbegin(); it != client.subs.cend(); ++it) {
            if (it->topic == L("logs"))
                deliver(client, it.key(), *it, messages);
        }
    }
}

void FakeHub::deliver(Client &client, const QString &sub, const Subscription &subscription,
                      const QList<QJsonObject> &entries)
{
    if (entries.isEmpty() || !client.socket)
        return;
    if (subscription.topic == L("logs") && subscription.batch) {
        QJsonArray logs;
        for (const QJsonObject &entry : entries)
            logs.append(entry);
        sendTo(client.socket, QJsonObject{{QStringLiteral("type"), QStringLiteral("batch")},
                                          {QStringLiteral("topic"), subscription.topic},
                                          {QStringLiteral("sub"), sub},
                                          {QStringLiteral("epoch"), entries.first().value(L("epoch"))},
                                          {QStringLiteral("logs"), logs},
                                          {QStringLiteral("count"), logs.size()}});
        return;
    }
    for (QJsonObject entry : entries) {
        entry.insert(QStringLiteral("sub"), sub);
        sendTo(client.socket, entry);
    }
}

void FakeHub::sendTo(QWebSocket *socket, const QJsonObject &message)
{
    if (socket && socket->state() == QAbstractSocket::ConnectedState)
        socket->sendTextMessage(QString::fromUtf8(protocol::toFrame(message)));
}

void FakeHub::sendToAll(const QJsonObject &message)
{
    for (const Client &client : std::as_const(m_clients))
        sendTo(client.socket, message);
}

FakeHub::Client *FakeHub::clientFor(QWebSocket *socket)
{
    for (Client &client : m_clients) {
        if (client.socket == socket)
            return &client;
    }
    return nullptr;
}

void FakeHub::closeAll(int code, const QString &reason, const QJsonObject &precedingError)
{
    const auto clients = m_clients;
    for (const Client &client : clients) {
        if (!client.socket)
            continue;
        if (!precedingError.isEmpty())
            sendTo(client.socket, precedingError);
        client.socket->close(QWebSocketProtocol::CloseCode(code), reason);
    }
}

QList<QJsonObject> FakeHub::receivedOfType(const QString &type) const
{
    QList<QJsonObject> out;
    for (const QJsonObject &message : m_received) {
        if (message.value(L("type")).toString() == type)
            out.append(message);
    }
    return out;
}

void FakeHub::onNewConnection()
{
    while (m_server && m_server->hasPendingConnections()) {
        QWebSocket *socket = m_server->nextPendingConnection();
        socket->setParent(this);
        ++m_accepted;
        m_lastAuthorization = QString::fromUtf8(socket->request().rawHeader("Authorization"));
        m_clients.append(Client{socket, {}, 1});
        connect(socket, &QWebSocket::textMessageReceived, this,
                [this, socket](const QString &text) { onMessage(socket, text); });
        connect(socket, &QWebSocket::disconnected, this, [this, socket] {
            m_clients.removeIf([socket](const Client &c) { return c.socket == socket || !c.socket; });
            socket->deleteLater();
            Q_EMIT clientDisconnected();
        });
        if (!m_requiredToken.isEmpty() && m_lastAuthorization != QStringLiteral("Bearer ") + m_requiredToken) {
            socket->close(QWebSocketProtocol::CloseCode(4401), QStringLiteral("unauthenticated"));
            continue;
        }
        sendTo(socket, QJsonObject{{QStringLiteral("type"), QStringLiteral("connection_established")},
                                   {QStringLiteral("client_id"), QStringLiteral("c-%1").arg(m_nextClient++)},
                                   {QStringLiteral("protocol"), QStringLiteral("opsdeck.v1")},
                                   {QStringLiteral("mode"), QStringLiteral("demo")}});
        Q_EMIT clientConnected();
    }
}

void FakeHub::onMessage(QWebSocket *socket, const QString &text)
{
    const QJsonObject message = QJsonDocument::fromJson(text.toUtf8()).object();
    m_received.append(message);
    Q_EMIT messageReceived(message);
    Client *client = clientFor(socket);
    if (!client || !m_answerRequests)
        return;
    const QString type = message.value(L("type")).toString();
    const QString id = message.value(L("id")).toString();
    if (type == L("subscribe")) {
        handleSubscribe(*client, message);
    } else if (type == L("unsubscribe")) {
        client->subs.remove(message.value(L("sub")).toString());
        sendTo(socket, protocol::makeResponse(id, QJsonObject{{QStringLiteral("sub"), message.value(L("sub"))}}));
    } else if (type == L("command")) {
        handleCommand(socket, message);
    } else if (type == L("cancel")) {
        const QString commandId = message.value(L("commandId")).toString();
        auto it = m_commands.find(commandId);
        if (it == m_commands.end() || !it->result.isEmpty()) {
            sendTo(socket, protocol::makeError({protocol::ErrorCode::NotFound, QStringLiteral("no such command"), {}}, id));
            return;
        }
        it->cancelled = true;
        sendTo(socket, protocol::makeResponse(id, QJsonObject{{QStringLiteral("commandId"), commandId},
                                                              {QStringLiteral("state"), QStringLiteral("cancelled")}}));
        finishCommand(commandId);
    } else if (type == L("ping")) {
        sendTo(socket, QJsonObject{{QStringLiteral("type"), QStringLiteral("pong")}, {QStringLiteral("id"), id}});
    } else if (!id.isEmpty()) {
        sendTo(socket, protocol::makeResponse(id, QJsonObject{{QStringLiteral("echo"), message}}));
    }
}

void FakeHub::handleSubscribe(Client &client, const QJsonObject &message)
{
    const QString id = message.value(L("id")).toString();
    const QString name = message.value(L("topic")).toString();
    if (name.isEmpty() || name == L("nope")) {
        sendTo(client.socket, protocol::makeError({protocol::ErrorCode::UnknownTopic, QStringLiteral("unknown topic"),
                                                   QJsonObject{{QStringLiteral("topic"), name}}},
                                                  id));
        return;
    }
    Topic &t = topic(name);
    const QString sub = QStringLiteral("s%1").arg(client.nextSub++);
    Subscription subscription{name, message.value(L("batch")).toBool(true)};
    const int history = message.value(L("history")).toInt(name == L("logs") ? 100 : 0);

    bool recovered = true;
    QJsonObject gap;
    QList<QJsonObject> replay;
    const QJsonObject since = message.value(L("since")).toObject();
    const qint64 oldest = t.ring.isEmpty() ? t.head + 1 : t.ring.first().seq;
    if (!since.isEmpty()) {
        const QString sinceEpoch = since.value(L("epoch")).toString();
        const qint64 sinceSeq = since.value(L("seq")).toInteger();
        if (sinceEpoch != t.epoch) {
            recovered = false;
            gap = QJsonObject{{QStringLiteral("reason"), QStringLiteral("epoch_changed")}};
        } else if (sinceSeq + 1 < oldest) {
            recovered = false;
            gap = QJsonObject{{QStringLiteral("reason"), QStringLiteral("retention_exceeded")},
                              {QStringLiteral("from_seq"), sinceSeq + 1},
                              {QStringLiteral("to_seq"), oldest - 1}};
        } else {
            for (const Entry &entry : std::as_const(t.ring)) {
                if (entry.seq > sinceSeq)
                    replay.append(entryMessage(name, t, entry));
            }
        }
    }
    if (since.isEmpty() || !recovered) {
        const qsizetype start = std::max<qsizetype>(0, t.ring.size() - history);
        for (qsizetype i = start; i < t.ring.size(); ++i)
            replay.append(entryMessage(name, t, t.ring.at(i)));
    }
    client.subs.insert(sub, subscription);
    sendTo(client.socket, protocol::makeResponse(id, QJsonObject{{QStringLiteral("sub"), sub},
                                                                 {QStringLiteral("topic"), name},
                                                                 {QStringLiteral("epoch"), t.epoch},
                                                                 {QStringLiteral("head_seq"), t.head},
                                                                 {QStringLiteral("recovered"), recovered},
                                                                 {QStringLiteral("replayed"), replay.size()}}));
    if (!gap.isEmpty()) {
        gap.insert(QStringLiteral("type"), QStringLiteral("gap"));
        gap.insert(QStringLiteral("topic"), name);
        gap.insert(QStringLiteral("sub"), sub);
        gap.insert(QStringLiteral("epoch"), t.epoch);
        sendTo(client.socket, gap);
    }
    deliver(client, sub, subscription, replay);
}

void FakeHub::handleCommand(QWebSocket *socket, const QJsonObject &message)
{
    const QString id = message.value(L("id")).toString();
    auto it = m_commands.find(id);
    if (it != m_commands.end()) {
        // §6: a known id is not run again; the result goes to the newest sender.
        it->replyTo = socket;
        const bool done = !it->result.isEmpty();
        sendTo(socket, protocol::makeResponse(id, QJsonObject{{QStringLiteral("state"), done ? QStringLiteral("completed") : QStringLiteral("running")},
                                                              {QStringLiteral("duplicate"), true}}));
        if (done)
            sendTo(socket, it->result);
        return;
    }
    m_commands.insert(id, Command{message, {}, socket, false});
    ++m_executions[id];
    sendTo(socket, protocol::makeResponse(id, QJsonObject{{QStringLiteral("commandSyncId"), id},
                                                          {QStringLiteral("state"), QStringLiteral("accepted")}}));
    if (m_commandDelayMs >= 0)
        QTimer::singleShot(m_commandDelayMs, this, [this, id] { finishCommand(id); });
}

void FakeHub::finishCommand(const QString &id)
{
    auto it = m_commands.find(id);
    if (it == m_commands.end() || !it->result.isEmpty())
        return;
    QJsonObject result{{QStringLiteral("type"), QStringLiteral("command_result")},
                       {QStringLiteral("id"), id},
                       {QStringLiteral("commandSyncId"), id},
                       {QStringLiteral("instanceId"), it->request.value(L("instanceId"))},
                       {QStringLiteral("commandType"), QStringLiteral("text")}};
    if (it->cancelled) {
        result.insert(QStringLiteral("isSuccess"), false);
        result.insert(QStringLiteral("error"), QJsonObject{{QStringLiteral("code"), QStringLiteral("CANCELLED")},
                                                           {QStringLiteral("message"), QStringLiteral("cancelled")}});
    } else {
        result.insert(QStringLiteral("isSuccess"), true);
        result.insert(QStringLiteral("textResult"),
                      QJsonObject{{QStringLiteral("response"), it->request.value(L("command")).toString()}});
    }
    it->result = result;
    sendTo(it->replyTo, result);
}

} // namespace opsdeck::transport::testing
