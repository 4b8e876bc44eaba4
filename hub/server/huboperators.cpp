// Who may connect and what they may do (docs/protocol.md §13): the upgrade's credential (the
// per-launch secret, or an operator's bearer token in dev/prod), roles, the `auth` refresh,
// exclusive operator sessions (seed 002) and the admin's `sessions` query and `kill_session`.
// Tokens are checked only through HubConfig::authenticator; none is ever logged.

#include "hubserver.h"

#include "hublog.h"

#include <QDateTime>
#include <QJsonArray>
#include <QUrlQuery>
#include <QWebSocket>

#include <algorithm>

namespace opsdeck::hub {

using protocol::CloseCode;
using protocol::ErrorCode;
using protocol::FieldReader;
using protocol::InboundMessage;
using protocol::ProtocolError;

namespace {
constexpr qsizetype kMaxTokenLength = 16 * 1024;

// Compares secrets in time independent of where they differ.
bool constantTimeEquals(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

// The bearer credential of an upgrade: `Authorization: Bearer X`, else a browser's `?token=X`.
QByteArray presentedToken(const QWebSocket &socket)
{
    const QByteArray header = socket.request().rawHeader("Authorization");
    if (header.size() > 7 && header.first(7).compare("bearer ", Qt::CaseInsensitive) == 0)
        return header.mid(7).trimmed();
    const QUrlQuery query(socket.requestUrl());
    return query.queryItemValue(QStringLiteral("token"), QUrl::FullyDecoded).toUtf8();
}

// A close reason fits the 123 bytes a close frame allows.
QString closeReason(const QString &reason)
{
    QByteArray utf8 = reason.toUtf8();
    if (utf8.size() <= 123)
        return reason;
    utf8.truncate(120);
    return QString::fromUtf8(utf8).chopped(1) + QStringLiteral("…");
}

QString isoOrEmpty(qint64 ms)
{
    return ms > 0 ? protocol::isoTime(ms) : QString();
}

bool isTerminalMessage(const QString &type)
{
    static const QStringList types{QStringLiteral("terminal_open"), QStringLiteral("input"),
                                   QStringLiteral("resize"),        QStringLiteral("ack"),
                                   QStringLiteral("detach"),        QStringLiteral("attach"),
                                   QStringLiteral("terminal_close")};
    return types.contains(type);
}
} // namespace

std::optional<Principal> HubServer::authenticateUpgrade(QWebSocket *socket, Audience audience)
{
    // Only the path is ever logged: a browser's `?token=` is in the query.
    const QString ip = socket->peerAddress().toString();
    const auto refuse = [&](const QString &reason) -> std::optional<Principal> {
        qCWarning(lcHub) << "refused connection from" << ip << "to" << socket->requestUrl().path() << ":" << reason;
        ++m_stats.authFailures;
        rejectConnection(socket, CloseCode::Unauthenticated, closeReason(reason));
        return std::nullopt;
    };
    if (m_config.mode == protocol::Mode::Demo) {
        if (m_config.secret.isEmpty())
            return Principal{};
        const QByteArray header = socket->request().rawHeader("Authorization");
        if (!constantTimeEquals(header, QByteArray("Bearer " + m_config.secret)))
            return refuse(header.isEmpty() ? QStringLiteral("missing secret") : QStringLiteral("wrong secret"));
        return Principal{};
    }
    const QByteArray token = presentedToken(*socket);
    if (token.isEmpty())
        return refuse(QStringLiteral("missing token: send Authorization: Bearer <access token> (or ?token=)"));
    const bool forOperators = audience == Audience::Operator;
    if (forOperators && !m_config.secret.isEmpty() && constantTimeEquals(token, m_config.secret))
        return Principal{}; // the per-launch secret of whoever started this hub: every right
    if (!m_config.authenticator)
        return refuse(QStringLiteral("this hub accepts no tokens (no authenticator configured)"));
    if (token.size() > kMaxTokenLength)
        return refuse(QStringLiteral("token too long"));
    auto outcome = m_config.authenticator->authenticate(token, audience);
    if (const auto *failure = std::get_if<AuthFailure>(&outcome))
        return refuse(failure->reason.isEmpty() ? QStringLiteral("invalid token") : failure->reason);
    Principal principal = std::get<Principal>(std::move(outcome));
    const Principal::Kind expected = forOperators ? Principal::Kind::Operator : Principal::Kind::Agent;
    if (principal.kind != expected || principal.subject.isEmpty())
        return refuse(forOperators ? QStringLiteral("not an operator token") : QStringLiteral("not an agent token"));
    if (principal.expiresAtMs > 0 && principal.expiresAtMs <= QDateTime::currentMSecsSinceEpoch())
        return refuse(QStringLiteral("token expired"));
    return principal;
}

bool HubServer::admitOperator(QWebSocket *socket, const Principal &principal)
{
    if (principal.kind != Principal::Kind::Operator || m_config.sessionPolicy != HubConfig::SessionPolicy::Reject)
        return true;
    const bool taken = std::any_of(m_sessions.cbegin(), m_sessions.cend(), [&](const HubSession *other) {
        return !other->isClosing() && other->principal().kind == Principal::Kind::Operator
               && other->principal().subject == principal.subject;
    });
    if (!taken)
        return true;
    qCInfo(lcHub) << "refused a second session of" << principal.subject << "from"
                  << socket->peerAddress().toString() << "(--sessions reject)";
    rejectConnection(socket, CloseCode::SessionReplaced,
                     closeReason(QStringLiteral("%1 already has a session; close it first").arg(principal.subject)));
    return false;
}

void HubServer::replaceOlderSessions(const HubSession &newest)
{
    const Principal &principal = newest.principal();
    if (principal.kind != Principal::Kind::Operator || m_config.sessionPolicy != HubConfig::SessionPolicy::Replace)
        return;
    const auto sessions = m_sessions.values();
    for (HubSession *other : sessions) {
        if (other == &newest || other->isClosing() || other->principal().kind != Principal::Kind::Operator
            || other->principal().subject != principal.subject)
            continue;
        qCInfo(lcHub) << "session" << other->clientId() << "of" << principal.subject << "replaced by"
                      << newest.clientId();
        other->close(CloseCode::SessionReplaced, QStringLiteral("session replaced"));
    }
}

void HubServer::sendForbidden(HubSession &session, const InboundMessage &message, const QString &action,
                              const QString &why)
{
    qCInfo(lcHub) << "client" << session.clientId() << "(" << session.principal().subject
                  << session.principal().roles.join(u',') << ") forbidden:" << action;
    session.sendError(ProtocolError{ErrorCode::Forbidden, why, QJsonObject{{QStringLiteral("action"), action}}},
                      message.id);
}

bool HubServer::authorize(HubSession &session, const InboundMessage &message)
{
    const Principal &who = session.principal();
    const QString &type = message.type;
    if (type == QLatin1StringView("command") || type == QLatin1StringView("cancel")) {
        if (who.mayCommand())
            return true;
        sendForbidden(session, message, type,
                      QStringLiteral("Your role may not run commands; an admin can give you the operator role"));
        return false;
    }
    if (isTerminalMessage(type)) {
        if (who.mayCommand())
            return true;
        sendForbidden(session, message, QStringLiteral("terminal"),
                      QStringLiteral("Your role may not use terminals; an admin can give you the operator role"));
        return false;
    }
    if (type == QLatin1StringView("kill_session")) {
        if (who.mayAdminister())
            return true;
        sendForbidden(session, message, type, QStringLiteral("Only an admin may end other sessions"));
        return false;
    }
    return true;
}

QJsonObject HubServer::userJson(const Principal &principal) const
{
    // Local (the per-launch secret) has every right, which is what the admin role stands for.
    if (principal.kind == Principal::Kind::Local)
        return QJsonObject{{QStringLiteral("name"), QStringLiteral("local")},
                           {QStringLiteral("roles"), QJsonArray{QStringLiteral("admin")}},
                           {QStringLiteral("local"), true}};
    return QJsonObject{{QStringLiteral("name"), principal.subject},
                       {QStringLiteral("roles"), QJsonArray::fromStringList(principal.roles)}};
}

void HubServer::handleAuth(HubSession &session, const InboundMessage &message)
{
    FieldReader reader(message.body);
    const QString token = reader.requiredString(QLatin1StringView("token"), kMaxTokenLength);
    if (!reader.ok()) {
        session.sendError(*reader.error(), message.id);
        return;
    }
    if (!m_config.authenticator) {
        sendForbidden(session, message, QStringLiteral("auth"),
                      QStringLiteral("This hub accepts no tokens (demo mode or the desktop app's hub)"));
        return;
    }
    auto outcome = m_config.authenticator->authenticate(token.toUtf8(), Audience::Operator);
    const auto *failure = std::get_if<AuthFailure>(&outcome);
    const Principal *fresh = std::get_if<Principal>(&outcome);
    QString refusal = failure ? (failure->reason.isEmpty() ? QStringLiteral("invalid token") : failure->reason)
                    : fresh->kind != Principal::Kind::Operator ? QStringLiteral("not an operator token")
                    : fresh->expiresAtMs > 0 && fresh->expiresAtMs <= QDateTime::currentMSecsSinceEpoch()
                        ? QStringLiteral("token expired")
                        : QString();
    if (!refusal.isEmpty()) {
        qCWarning(lcHub) << "client" << session.clientId() << "presented a bad token in auth:" << refusal;
        ++m_stats.authFailures;
        session.close(CloseCode::Unauthenticated, closeReason(refusal));
        return;
    }
    const Principal &current = session.principal();
    if (current.kind != Principal::Kind::Operator || fresh->subject != current.subject) {
        sendForbidden(session, message, QStringLiteral("auth"),
                      QStringLiteral("This connection belongs to %1; a token of %2 cannot take it over — open a new "
                                     "connection with it")
                          .arg(current.kind == Principal::Kind::Operator ? current.subject : QStringLiteral("local"),
                               fresh->subject));
        return;
    }
    session.setPrincipal(*fresh);
    qCInfo(lcHub) << "client" << session.clientId() << "re-authenticated as" << fresh->subject << "until"
                  << isoOrEmpty(fresh->expiresAtMs);
    session.sendMessage(protocol::makeResponse(
        message.id, QJsonObject{{QStringLiteral("sub"), fresh->subject},
                                {QStringLiteral("roles"), QJsonArray::fromStringList(fresh->roles)},
                                {QStringLiteral("expires_at"), fresh->expiresAtMs > 0
                                                                   ? QJsonValue(protocol::isoTime(fresh->expiresAtMs))
                                                                   : QJsonValue(QJsonValue::Null)}}));
}

void HubServer::replySessions(HubSession &session, const InboundMessage &message)
{
    if (!session.principal().mayAdminister()) {
        sendForbidden(session, message, QStringLiteral("sessions"), QStringLiteral("Only an admin may list sessions"));
        return;
    }
    QList<const HubSession *> open;
    for (const HubSession *other : std::as_const(m_sessions)) {
        if (!other->isClosing())
            open.append(other);
    }
    std::sort(open.begin(), open.end(), [](const HubSession *a, const HubSession *b) { return a->serial() < b->serial(); });
    QJsonArray sessions;
    for (const HubSession *other : std::as_const(open)) {
        const Principal &who = other->principal();
        const QJsonObject user = userJson(who);
        sessions.append(QJsonObject{
            {QStringLiteral("client_id"), other->clientId()},
            {QStringLiteral("user"), user.value(QLatin1StringView("name"))},
            {QStringLiteral("roles"), user.value(QLatin1StringView("roles"))},
            {QStringLiteral("ip"), other->peerAddress().toString()},
            {QStringLiteral("connected_at"), protocol::isoTime(other->connectedAtMs())},
            {QStringLiteral("expires_at"),
             who.expiresAtMs > 0 ? QJsonValue(protocol::isoTime(who.expiresAtMs)) : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("self"), other == &session}});
    }
    session.sendMessage(protocol::makeResponse(message.id, QJsonObject{{QStringLiteral("sessions"), sessions}}));
}

void HubServer::handleKillSession(HubSession &session, const InboundMessage &message)
{
    FieldReader reader(message.body);
    // `client_id` as in the `sessions` list; `session` is accepted as its alias.
    const auto clientId = reader.optionalString(QLatin1StringView("client_id"), 64);
    const auto alias = reader.optionalString(QLatin1StringView("session"), 64);
    if (reader.ok() && !clientId && !alias)
        reader.fail(QLatin1StringView("client_id"), QStringLiteral("the client_id of a session (query sessions)"));
    if (!reader.ok()) {
        session.sendError(*reader.error(), message.id);
        return;
    }
    const QString target = clientId.value_or(alias.value_or(QString()));
    const auto it = std::find_if(m_sessions.cbegin(), m_sessions.cend(), [&](const HubSession *other) {
        return other->clientId() == target && !other->isClosing();
    });
    if (it == m_sessions.cend()) {
        session.sendError(ProtocolError{ErrorCode::NotFound, QStringLiteral("No session '%1'").arg(target),
                                        QJsonObject{{QStringLiteral("what"), QStringLiteral("session")},
                                                    {QStringLiteral("name"), target}}},
                          message.id);
        return;
    }
    HubSession *victim = *it;
    const QJsonObject user = userJson(victim->principal());
    qCInfo(lcHub) << "client" << session.clientId() << "(" << userJson(session.principal()).value(u"name").toString()
                  << ") killed session" << target << "of" << user.value(u"name").toString();
    session.sendMessage(protocol::makeResponse(message.id, QJsonObject{{QStringLiteral("client_id"), target},
                                                                       {QStringLiteral("user"), user.value(u"name")},
                                                                       {QStringLiteral("state"),
                                                                        QStringLiteral("killed")}}));
    victim->close(CloseCode::SessionReplaced, QStringLiteral("session killed by admin"));
}

} // namespace opsdeck::hub
