#include "terminalrelay.h"

#include "hubclient.h"
#include "hubserver.h"
#include "relayentries.h"
#include "requesttracker.h"
#include "upstreamlink.h"

#include <algorithm>

namespace opsdeck::hub::relay {

using protocol::ErrorCode;
using protocol::InboundMessage;
using protocol::ProtocolError;
using transport::HubClient;
using transport::HubReply;

namespace {
QLatin1StringView L(const char *text)
{
    return QLatin1StringView(text);
}

// Sent at once, never answered unless they fail: no request to correlate.
bool isFireAndForget(const InboundMessage &message)
{
    return message.type == L("input") || message.type == L("ack")
           || ((message.type == L("resize") || message.type == L("detach")) && message.id.isEmpty());
}
} // namespace

TerminalRelay::TerminalRelay(HubServer &hub, HubClient &link, QString label, QObject *parent)
    : QObject(parent)
    , m_hub(hub)
    , m_link(link)
    , m_label(std::move(label))
{
    m_hub.addTerminalRoute(m_label, this);
    connect(&m_link, &HubClient::stateChanged, this, &TerminalRelay::onLinkState);
    connect(&m_link, &HubClient::messageReceived, this, &TerminalRelay::onUpstreamMessage);
    connect(&m_link, &HubClient::hubError, this, &TerminalRelay::onUpstreamError);
    m_up = linkUp();
}

TerminalRelay::~TerminalRelay()
{
    m_hub.removeTerminalRoute(m_label, this);
}

bool TerminalRelay::linkUp() const
{
    return m_link.state() == HubClient::State::Connected;
}

void TerminalRelay::openTerminal(HubSession &session, const InboundMessage &message)
{
    if (!linkUp()) {
        sendUnavailable(session, message.id);
        return;
    }
    QJsonObject body = message.body;
    body.remove(L("hub"));
    body.remove(L("id"));
    HubReply *reply = m_link.request(body);
    const quint64 serial = session.serial();
    connect(reply, &HubReply::finished, this, [this, reply, serial, id = message.id] {
        reply->deleteLater();
        if (!reply->errorCode().isEmpty()) {
            sendRemoteError(serial, id, reply->errorCode(), reply->errorMessage(), reply->errorDetails());
            return;
        }
        QJsonObject result = reply->result();
        const QString remoteId = result.value(L("terminal")).toString();
        if (remoteId.isEmpty()) {
            sendRemoteError(serial, id, QStringLiteral("INTERNAL"),
                            QStringLiteral("The hub opened a terminal without saying which"), {});
            return;
        }
        HubSession *owner = m_hub.session(serial);
        if (!owner) {
            // Whoever asked is gone and nobody else knows the id: do not leave a shell behind.
            sendUpstream(QStringLiteral("terminal_close"), remoteId);
            return;
        }
        m_terminals.insert(remoteId, Relayed{serial});
        qCInfo(lcRelay) << "terminal" << remoteId << "opened on hub" << m_label;
        result.insert(QStringLiteral("terminal"), localId(remoteId));
        result.insert(QStringLiteral("hub"), m_label);
        owner->sendMessage(protocol::makeResponse(id, result));
    });
}

void TerminalRelay::forwardTerminal(HubSession &session, const InboundMessage &message, const QString &remoteId)
{
    const bool attach = message.type == L("attach");
    const bool close = message.type == L("terminal_close");
    const auto it = m_terminals.find(remoteId);
    // Like the hub's own terminals: input, resize, ack and detach only from the attached
    // connection; attach and close from any (the remote hub checks the operator's identity).
    if (!attach && !close && (it == m_terminals.end() || it->connection != session.serial())) {
        session.sendError(ProtocolError{ErrorCode::NotFound, QStringLiteral("No terminal '%1'").arg(localId(remoteId)),
                                        QJsonObject{{QStringLiteral("what"), QStringLiteral("terminal")},
                                                    {QStringLiteral("name"), localId(remoteId)}}},
                          message.id);
        return;
    }
    if (!linkUp()) {
        if (attach) {
            // This connection wants it: it hears `terminal_link up` when it can attach.
            m_terminals[remoteId].connection = session.serial();
            sendUnavailable(session, message.id);
        } else if (close || !message.id.isEmpty()) {
            sendUnavailable(session, message.id);
        }
        // Input, ack, resize and detach without an id are dropped: the remote hub detached the
        // terminal when the link went, and the console re-attaches with a fresh account.
        return;
    }
    if (isFireAndForget(message)) {
        QJsonObject body = message.body;
        body.insert(QStringLiteral("terminal"), remoteId);
        m_link.send(body);
        if (message.type == L("detach"))
            it->connection = 0;
        return;
    }
    forwardRequest(session, message, remoteId);
}

void TerminalRelay::forwardRequest(HubSession &session, const InboundMessage &message, const QString &remoteId)
{
    QJsonObject body = message.body;
    body.remove(L("id"));
    body.insert(QStringLiteral("terminal"), remoteId);
    HubReply *reply = m_link.request(body);
    const quint64 serial = session.serial();
    connect(reply, &HubReply::finished, this, [this, reply, serial, remoteId, type = message.type, id = message.id] {
        reply->deleteLater();
        if (!reply->errorCode().isEmpty()) {
            if (reply->errorCode() == L("NOT_FOUND") && (type == L("attach") || type == L("terminal_close")))
                m_terminals.remove(remoteId); // the remote hub no longer has it
            sendRemoteError(serial, id, reply->errorCode(), reply->errorMessage(), reply->errorDetails());
            return;
        }
        if (type == L("terminal_close")) {
            // Its answer is the `exit` carrying our request id: to the asker with its id, and to
            // the connection it was attached to, as the hub's own terminals do.
            QJsonObject exit = reply->finalMessage();
            exit.remove(L("ts"));
            const quint64 attached = m_terminals.value(remoteId).connection;
            m_terminals.remove(remoteId);
            if (attached != 0 && attached != serial) {
                QJsonObject plain = exit;
                plain.remove(L("id"));
                sendTo(attached, plain, remoteId);
            }
            if (!id.isEmpty())
                exit.insert(QStringLiteral("id"), id);
            else
                exit.remove(L("id"));
            sendTo(serial, exit, remoteId);
            return;
        }
        if (type == L("attach")) {
            if (!m_hub.session(serial)) {
                sendUpstream(QStringLiteral("detach"), remoteId); // it asked and went
                return;
            }
            m_terminals[remoteId].connection = serial;
        } else if (type == L("detach")) {
            if (const auto found = m_terminals.find(remoteId); found != m_terminals.end() && found->connection == serial)
                found->connection = 0;
        }
        if (HubSession *asker = m_hub.session(serial)) {
            QJsonObject result = reply->result();
            result.insert(QStringLiteral("terminal"), localId(remoteId));
            asker->sendMessage(protocol::makeResponse(id, result));
        }
    });
}

void TerminalRelay::onUpstreamMessage(const QJsonObject &message)
{
    const QString type = message.value(L("type")).toString();
    if (type != L("output") && type != L("ready") && type != L("exit"))
        return;
    const QString remoteId = message.value(L("terminal")).toString();
    const auto it = m_terminals.find(remoteId);
    if (it == m_terminals.end())
        return;
    const quint64 connection = it->connection;
    if (type == L("exit"))
        m_terminals.erase(it); // the session is over at the remote hub
    if (connection != 0)
        sendTo(connection, message, remoteId);
}

void TerminalRelay::onUpstreamError(const QString &code, const QString &message, const QJsonObject &details)
{
    // Errors to fire-and-forget messages (input to a terminal that just ended…) name the terminal.
    const QString remoteId = details.value(L("name")).toString();
    if (details.value(L("what")).toString() != L("terminal") || !m_terminals.contains(remoteId)) {
        qCDebug(lcRelay) << "hub" << m_label << "error not about a relayed terminal:" << code << message;
        return;
    }
    sendRemoteError(m_terminals.value(remoteId).connection, {}, code, message, details);
}

void TerminalRelay::connectionClosed(quint64 serial)
{
    for (auto it = m_terminals.begin(); it != m_terminals.end(); ++it) {
        if (it->connection != serial)
            continue;
        it->connection = 0;
        // The remote hub's grace period starts now rather than when its window fills up.
        if (linkUp())
            sendUpstream(QStringLiteral("detach"), it.key());
    }
}

void TerminalRelay::onLinkState()
{
    const bool up = linkUp();
    if (up == m_up)
        return;
    m_up = up;
    qCInfo(lcRelay) << "terminals on hub" << m_label << (up ? "reachable again" : "unreachable") << "-"
                    << m_terminals.size() << "kept";
    if (up)
        notifyLink(QStringLiteral("up"), QStringLiteral("The link to %1 is back; reattach the terminal").arg(m_label));
    else
        notifyLink(QStringLiteral("down"),
                   QStringLiteral("The link to %1 is down; the shell keeps running there and comes back when the link does")
                       .arg(m_label));
}

void TerminalRelay::linkClosed()
{
    notifyLink(QStringLiteral("closed"),
               QStringLiteral("The link to %1 was closed; the shell runs on there until its grace period ends")
                   .arg(m_label));
    m_terminals.clear();
}

void TerminalRelay::notifyLink(const QString &state, const QString &text)
{
    for (auto it = m_terminals.cbegin(); it != m_terminals.cend(); ++it) {
        if (it->connection == 0)
            continue;
        sendTo(it->connection,
               QJsonObject{{QStringLiteral("type"), QStringLiteral("terminal_link")},
                           {QStringLiteral("hub"), m_label},
                           {QStringLiteral("state"), state},
                           {QStringLiteral("message"), text}},
               it.key());
    }
}

void TerminalRelay::sendTo(quint64 serial, QJsonObject message, const QString &remoteId)
{
    HubSession *session = m_hub.session(serial);
    if (!session)
        return;
    message.insert(QStringLiteral("terminal"), localId(remoteId));
    session->sendMessage(message);
}

void TerminalRelay::sendRemoteError(quint64 serial, const QString &id, const QString &code, const QString &message,
                                    QJsonObject details)
{
    HubSession *session = m_hub.session(serial);
    if (!session)
        return;
    // A terminal the remote hub names is known here by its qualified id.
    const QString name = details.value(L("name")).toString();
    if (details.value(L("what")).toString() == L("terminal") && !name.isEmpty() && !name.contains(QLatin1Char('@')))
        details.insert(QStringLiteral("name"), localId(name));
    session->sendError(remoteRefusal(m_label, code, message, details), id);
}

void TerminalRelay::sendUnavailable(HubSession &session, const QString &id)
{
    session.sendError(
        protocol::hubUnavailable(
            m_label, true,
            QStringLiteral("The link to %1 is down; terminals there can be reached once it is back").arg(m_label)),
        id);
}

void TerminalRelay::sendUpstream(const QString &type, const QString &remoteId)
{
    m_link.send(QJsonObject{{QStringLiteral("type"), type}, {QStringLiteral("terminal"), remoteId}});
}

int TerminalRelay::relayedAttachedCount() const
{
    return int(std::count_if(m_terminals.cbegin(), m_terminals.cend(),
                             [](const Relayed &relayed) { return relayed.connection != 0; }));
}

} // namespace opsdeck::hub::relay
