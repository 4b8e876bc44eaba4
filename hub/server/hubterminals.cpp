// The terminal handlers of HubServer (docs/protocol.md §11): they validate, authorize and
// route to the TerminalManager; the terminal layer (hub/terminal) does the rest.

#include "hublog.h"
#include "hubserver.h"

namespace opsdeck::hub {

using protocol::ErrorCode;
using protocol::FieldReader;
using protocol::InboundMessage;
using protocol::ProtocolError;
using terminal::Encoding;
using terminal::TerminalManager;
using terminal::TerminalSession;

namespace {
    constexpr qint64 kMaxInputBytes = 64 * 1024;
    constexpr qint64 kDefaultWindow = 256 * 1024;
    constexpr qint64 kMinWindow = 16 * 1024;
    constexpr qint64 kMaxWindow = 4 * 1024 * 1024;
    constexpr QLatin1StringView kFieldTerminal {"terminal"};

    TerminalSession::Sink sinkFor(HubSession &session)
    {
        // Valid while the connection is: the manager forgets it in HubServer::onSessionClosed.
        return [target = &session](const QJsonObject &message) { target->sendMessage(message); };
    }

    std::optional<Encoding> readEncoding(FieldReader &reader, const QJsonObject &body, Encoding fallback)
    {
        const auto name = reader.optionalString(QLatin1StringView("encoding"), 16);
        if (!name)
            return reader.ok() ? std::optional(fallback) : std::nullopt;
        if (*name == QLatin1StringView("utf8"))
            return Encoding::Utf8;
        if (*name == QLatin1StringView("base64"))
            return Encoding::Base64;
        Q_UNUSED(body);
        reader.fail(QLatin1StringView("encoding"), QStringLiteral("utf8 or base64"));
        return std::nullopt;
    }

    void respondIfAsked(HubSession &session, const InboundMessage &message, const QJsonObject &result)
    {
        if (!message.id.isEmpty())
            session.sendMessage(protocol::makeResponse(message.id, result));
    }
} // namespace

void HubServer::installTerminalHandlers()
{
    const auto bind = [this](void (HubServer::*method)(HubSession &, const InboundMessage &)) {
        return [this, method](HubSession &session, const InboundMessage &message) {
            if (routeTerminal(session, message))
                return;
            if (checkTerminalAccess(session, message))
                (this->*method)(session, message);
        };
    };
    registerHandler(QStringLiteral("terminal_open"), bind(&HubServer::handleTerminalOpen));
    registerHandler(QStringLiteral("input"), bind(&HubServer::handleTerminalInput));
    registerHandler(QStringLiteral("resize"), bind(&HubServer::handleTerminalResize));
    registerHandler(QStringLiteral("ack"), bind(&HubServer::handleTerminalAck));
    registerHandler(QStringLiteral("detach"), bind(&HubServer::handleTerminalDetach));
    registerHandler(QStringLiteral("attach"), bind(&HubServer::handleTerminalAttach));
    registerHandler(QStringLiteral("terminal_close"), bind(&HubServer::handleTerminalClose));
}

bool HubServer::terminalsAllowed(const HubSession &session) const
{
    // A shell runs with the hub user's rights on this host: only for whoever holds the secret of
    // a hub nobody off this machine can reach, or (dev/prod) an authenticated operator whose
    // token cannot be read on the way (TLS, or loopback).
    if (!m_config.terminalsEnabled)
        return false;
    const Principal &who = session.principal();
    if (who.kind == Principal::Kind::Local)
        return relayedTerminalsAllowed(session);
    return who.kind == Principal::Kind::Operator && who.mayCommand() && m_config.mode != protocol::Mode::Demo
           && (m_secure || m_config.address.isLoopback());
}

bool HubServer::relayedTerminalsAllowed(const HubSession &session) const
{
    // The secret's holder on a loopback hub: the console of the embedded hub (and, for the hub's
    // own terminals, whoever runs a local hub with a secret).
    const Principal &who = session.principal();
    return who.kind == Principal::Kind::Local && who.mayCommand() && m_config.address.isLoopback()
           && !m_config.secret.isEmpty();
}

void HubServer::addTerminalRoute(const QString &label, TerminalRoute *route)
{
    m_terminalRoutes.insert(label, route);
}

void HubServer::removeTerminalRoute(const QString &label, const TerminalRoute *route)
{
    if (m_terminalRoutes.value(label) == route)
        m_terminalRoutes.remove(label);
}

void HubServer::addHistoryRoute(const QString &label, HistoryRoute *route)
{
    m_historyRoutes.insert(label, route);
}

void HubServer::removeHistoryRoute(const QString &label, const HistoryRoute *route)
{
    if (m_historyRoutes.value(label) == route)
        m_historyRoutes.remove(label);
}

bool HubServer::routeTerminal(HubSession &session, const InboundMessage &message)
{
    // terminal_open names a remote hub by `hub`; everything else by its terminal id
    // (t-5c1e09ab@prod-eu: the label follows the last '@', docs/protocol.md §15).
    QString label;
    QString remoteId;
    const bool open = message.type == QLatin1StringView("terminal_open");
    if (open) {
        const QJsonValue hub = message.body.value(QLatin1StringView("hub"));
        if (hub.isUndefined() || hub.isNull())
            return false;
        if (!hub.isString() || hub.toString().isEmpty() || hub.toString().size() > 128) {
            session.sendError(protocol::badMessage(QStringLiteral("hub"), QStringLiteral("a linked hub's label")),
                              message.id);
            return true;
        }
        label = hub.toString();
    } else {
        const QString id = message.body.value(kFieldTerminal).toString();
        const qsizetype at = id.lastIndexOf(QLatin1Char('@'));
        if (at < 0)
            return false;
        label = id.mid(at + 1);
        remoteId = id.left(at);
    }
    if (!relayedTerminalsAllowed(session)) {
        session.sendError(
            ProtocolError{ErrorCode::Forbidden, QStringLiteral("This hub does not relay terminals to you"),
                          QJsonObject{{QStringLiteral("action"), QStringLiteral("terminal")}}},
            message.id);
        return true;
    }
    TerminalRoute *route = m_terminalRoutes.value(label);
    if (!route) {
        if (open) {
            session.sendError(protocol::hubNotLinked(label), message.id);
        } else {
            const QString id = message.body.value(kFieldTerminal).toString();
            session.sendError(ProtocolError{ErrorCode::NotFound, QStringLiteral("No terminal '%1'").arg(id),
                                            QJsonObject{{QStringLiteral("what"), QStringLiteral("terminal")},
                                                        {QStringLiteral("name"), id}}},
                              message.id);
        }
        return true;
    }
    if (open)
        route->openTerminal(session, message);
    else
        route->forwardTerminal(session, message, remoteId);
    return true;
}

QString HubServer::terminalIdentity(const HubSession &session) const
{
    // Every holder of the one secret is one identity; an operator's terminals are theirs alone
    // (prefixed, so no operator's identity is ever "local").
    const Principal &who = session.principal();
    return who.kind == Principal::Kind::Operator ? QStringLiteral("user:") + who.subject : QStringLiteral("local");
}

bool HubServer::checkTerminalAccess(HubSession &session, const InboundMessage &message)
{
    if (terminalsAllowed(session))
        return true;
    session.sendError(
        ProtocolError {ErrorCode::Forbidden, QStringLiteral("This hub does not serve terminals to you"),
            QJsonObject {{QStringLiteral("action"), QStringLiteral("terminal")}}},
        message.id);
    return false;
}

TerminalSession *HubServer::findTerminal(
    HubSession &session, const InboundMessage &message, bool attachedHere)
{
    FieldReader reader(message.body);
    const QString id = reader.requiredString(kFieldTerminal, 64);
    if (!reader.ok()) {
        session.sendError(*reader.error(), message.id);
        return nullptr;
    }
    TerminalSession *terminal = m_terminals->find(id);
    // Another identity's terminal is as invisible as one that never existed.
    if (!terminal || terminal->identity() != terminalIdentity(session)
        || (attachedHere && terminal->connection() != session.serial())) {
        session.sendError(ProtocolError {ErrorCode::NotFound, QStringLiteral("No terminal '%1'").arg(id),
                              QJsonObject {{QStringLiteral("what"), QStringLiteral("terminal")},
                                  {QStringLiteral("name"), id}}},
            message.id);
        return nullptr;
    }
    return terminal;
}

void HubServer::handleTerminalOpen(HubSession &session, const InboundMessage &message)
{
    FieldReader reader(message.body);
    const auto cols = reader.optionalInteger(QLatin1StringView("cols"), 2, 1000);
    const auto rows = reader.optionalInteger(QLatin1StringView("rows"), 1, 500);
    if (reader.ok() && !cols)
        reader.fail(QLatin1StringView("cols"), QStringLiteral("integer from 2 to 1000"));
    if (reader.ok() && !rows)
        reader.fail(QLatin1StringView("rows"), QStringLiteral("integer from 1 to 500"));
    const auto encoding = readEncoding(reader, message.body, Encoding::Utf8);
    const auto window = reader.optionalInteger(QLatin1StringView("window"), kMinWindow, kMaxWindow);
    const auto shell = reader.optionalString(QLatin1StringView("shell"), 4096);
    const auto cwd = reader.optionalString(QLatin1StringView("cwd"), 4096);
    if (!reader.ok()) {
        session.sendError(*reader.error(), message.id);
        return;
    }
    TerminalManager::OpenRequest request {terminalIdentity(session), int(*cols), int(*rows),
        shell.value_or(QString()), cwd.value_or(QString())};
    const TerminalManager::OpenResult opened = m_terminals->open(request);
    using Error = TerminalManager::OpenResult::Error;
    if (opened.error == Error::IdentityCap || opened.error == Error::HubCap) {
        // The connection stays open: this is a cap on terminals, not on connections.
        session.sendError(ProtocolError {ErrorCode::ConnectionLimit, opened.message,
                              QJsonObject {{QStringLiteral("limit"), opened.limit},
                                  {QStringLiteral("scope"),
                                      opened.error == Error::HubCap ? QStringLiteral("hub_terminals")
                                                                    : QStringLiteral("client_terminals")},
                                  {QStringLiteral("retry_after"), 0}}},
            message.id);
        return;
    }
    if (opened.error == Error::StartFailed) {
        // The hub's host could not make a PTY; the connection is fine and stays open.
        session.sendError(ProtocolError {ErrorCode::Internal, opened.message,
                              QJsonObject {{QStringLiteral("what"), QStringLiteral("terminal")}}},
            message.id);
        return;
    }
    TerminalSession *terminal = opened.session;
    terminal->attach(session.serial(), sinkFor(session), *encoding, window.value_or(kDefaultWindow), false);
    session.sendMessage(protocol::makeResponse(message.id,
        QJsonObject {
            {QStringLiteral("terminal"), terminal->id()}, {QStringLiteral("pid"), terminal->pid()}}));
    terminal->deliver(); // `ready`
}

void HubServer::handleTerminalInput(HubSession &session, const InboundMessage &message)
{
    TerminalSession *terminal = findTerminal(session, message, true);
    if (!terminal)
        return;
    const QJsonValue text = message.body.value(QLatin1StringView("data"));
    const QJsonValue base64 = message.body.value(QLatin1StringView("data_b64"));
    const auto bad = [&](const QString &field, const QString &expected) {
        session.sendError(protocol::badMessage(field, expected), message.id);
    };
    QByteArray bytes;
    if (text.isUndefined() == base64.isUndefined())
        return bad(
            QStringLiteral("data"), QStringLiteral("exactly one of data (string) and data_b64 (base64)"));
    if (!text.isUndefined()) {
        if (!text.isString() || text.toString().size() > kMaxInputBytes)
            return bad(QStringLiteral("data"), QStringLiteral("string of at most 65536 UTF-8 bytes"));
        bytes = text.toString().toUtf8();
        if (bytes.size() > kMaxInputBytes)
            return bad(QStringLiteral("data"), QStringLiteral("string of at most 65536 UTF-8 bytes"));
    } else {
        if (!base64.isString() || base64.toString().size() > (kMaxInputBytes + 2) / 3 * 4)
            return bad(QStringLiteral("data_b64"), QStringLiteral("base64 of at most 65536 bytes"));
        auto decoded = QByteArray::fromBase64Encoding(
            base64.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded)
            return bad(QStringLiteral("data_b64"), QStringLiteral("base64 of at most 65536 bytes"));
        bytes = std::move(*decoded);
    }
    if (terminal->pendingInputBytes() + bytes.size() > m_config.terminalMaxPendingInputBytes) {
        // The program does not read its input: refuse more rather than buffer without bound.
        session.sendError(ProtocolError {ErrorCode::RateLimitExceeded,
                              QStringLiteral("The terminal is not reading its input"),
                              QJsonObject {{QStringLiteral("limit"), m_config.terminalMaxPendingInputBytes},
                                  {QStringLiteral("window"), QStringLiteral("input_buffer")},
                                  {QStringLiteral("retry_after"), 1}}},
            message.id);
        return;
    }
    terminal->write(bytes);
}

void HubServer::handleTerminalResize(HubSession &session, const InboundMessage &message)
{
    FieldReader reader(message.body);
    const auto cols = reader.optionalInteger(QLatin1StringView("cols"), 2, 1000);
    const auto rows = reader.optionalInteger(QLatin1StringView("rows"), 1, 500);
    if (reader.ok() && (!cols || !rows))
        reader.fail(!cols ? QLatin1StringView("cols") : QLatin1StringView("rows"),
            !cols ? QStringLiteral("integer from 2 to 1000") : QStringLiteral("integer from 1 to 500"));
    if (!reader.ok()) {
        session.sendError(*reader.error(), message.id);
        return;
    }
    TerminalSession *terminal = findTerminal(session, message, true);
    if (!terminal)
        return;
    terminal->resize(int(*cols), int(*rows));
    respondIfAsked(session, message,
        QJsonObject {{QStringLiteral("terminal"), terminal->id()}, {QStringLiteral("cols"), int(*cols)},
            {QStringLiteral("rows"), int(*rows)}});
}

void HubServer::handleTerminalAck(HubSession &session, const InboundMessage &message)
{
    FieldReader reader(message.body);
    const auto bytes = reader.optionalInteger(QLatin1StringView("bytes"), 0, kMaxWindow);
    if (reader.ok() && !bytes)
        reader.fail(QLatin1StringView("bytes"), QStringLiteral("integer from 0 to %1").arg(kMaxWindow));
    if (!reader.ok()) {
        session.sendError(*reader.error(), message.id);
        return;
    }
    if (TerminalSession *terminal = findTerminal(session, message, true))
        terminal->ack(*bytes);
}

void HubServer::handleTerminalDetach(HubSession &session, const InboundMessage &message)
{
    TerminalSession *terminal = findTerminal(session, message, true);
    if (!terminal)
        return;
    terminal->detach();
    respondIfAsked(session, message, QJsonObject {{QStringLiteral("terminal"), terminal->id()}});
}

void HubServer::handleTerminalAttach(HubSession &session, const InboundMessage &message)
{
    FieldReader reader(message.body);
    const auto window = reader.optionalInteger(QLatin1StringView("window"), kMinWindow, kMaxWindow);
    TerminalSession *terminal = reader.ok() ? findTerminal(session, message, false) : nullptr;
    if (!reader.ok()) {
        session.sendError(*reader.error(), message.id);
        return;
    }
    if (!terminal)
        return;
    const auto encoding = readEncoding(reader, message.body, terminal->encoding());
    if (!reader.ok()) {
        session.sendError(*reader.error(), message.id);
        return;
    }
    // An attach moves the terminal: a connection that had it gets nothing more from it.
    const qint64 from = terminal->attach(
        session.serial(), sinkFor(session), *encoding, window.value_or(kDefaultWindow), true);
    session.sendMessage(protocol::makeResponse(message.id,
        QJsonObject {{QStringLiteral("terminal"), terminal->id()}, {QStringLiteral("pid"), terminal->pid()},
            {QStringLiteral("from_seq"), from}, {QStringLiteral("cols"), terminal->cols()},
            {QStringLiteral("rows"), terminal->rows()}}));
    terminal->deliver(); // replay, `ready`, then live (or `exit` if the program ended meanwhile)
}

void HubServer::handleTerminalClose(HubSession &session, const InboundMessage &message)
{
    if (TerminalSession *terminal = findTerminal(session, message, false))
        terminal->close(sinkFor(session), session.serial(), message.id);
}

} // namespace opsdeck::hub
