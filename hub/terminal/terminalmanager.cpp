#include "terminalmanager.h"

#include "terminallog.h"

#include <QDir>
#include <QFileInfo>
#include <QRandomGenerator>

Q_LOGGING_CATEGORY(lcTerminal, "opsdeck.hub.terminal")

namespace opsdeck::terminal {

TerminalManager::TerminalManager(TerminalLimits limits, QObject *parent)
    : QObject(parent)
    , m_limits(std::move(limits))
{
    // Idle sessions are found by a coarse sweep: a quarter of the timeout late at most.
    m_idleTimer.setInterval(std::clamp(m_limits.idleMs / 4, 50, 60 * 1000));
    connect(&m_idleTimer, &QTimer::timeout, this, &TerminalManager::checkIdle);
}

TerminalManager::~TerminalManager()
{
    const auto sessions = m_sessions.values();
    m_sessions.clear();
    for (TerminalSession *session : sessions) {
        session->disconnect(this);
        session->dropSinks();
        delete session;
    }
}

QString TerminalManager::newId() const
{
    // Random rather than counting, so an id from an earlier session of the console does not
    // name a different terminal by accident; the identity check guards attach regardless.
    for (;;) {
        const QString id
            = QStringLiteral("t-%1").arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
        if (!m_sessions.contains(id))
            return id;
    }
}

int TerminalManager::countFor(const QString &identity) const
{
    int n = 0;
    for (const TerminalSession *session : m_sessions)
        n += session->identity() == identity ? 1 : 0;
    return n;
}

int TerminalManager::attachedCount() const
{
    int n = 0;
    for (const TerminalSession *session : m_sessions)
        n += session->isAttached() ? 1 : 0;
    return n;
}

TerminalManager::OpenResult TerminalManager::open(const OpenRequest &request)
{
    using Error = OpenResult::Error;
    if (count() >= m_limits.maxPerHub)
        return OpenResult {nullptr, Error::HubCap, m_limits.maxPerHub,
            QStringLiteral("This hub has no room for another terminal")};
    if (countFor(request.identity) >= m_limits.maxPerIdentity)
        return OpenResult {
            nullptr, Error::IdentityCap, m_limits.maxPerIdentity, QStringLiteral("Too many terminals")};

    std::unique_ptr<PtyProcess> pty = PtyProcess::create();
    if (!pty)
        return OpenResult {
            nullptr, Error::StartFailed, 0, QStringLiteral("Terminals are not available on this platform")};
    PtyProcess::StartOptions options;
    const bool custom = m_limits.allowClientShell;
    options.program
        = PtyProcess::defaultShell(custom && !request.shell.isEmpty() ? request.shell : m_limits.shell);
    options.loginShell = m_limits.loginShell;
    options.environment = PtyProcess::terminalEnvironment();
    options.workingDirectory = custom && !request.cwd.isEmpty() ? request.cwd : QDir::homePath();
    options.cols = request.cols;
    options.rows = request.rows;
    if (!pty->start(options)) {
        qCWarning(lcTerminal) << "cannot start" << options.program << ":" << pty->errorString();
        return OpenResult {nullptr, Error::StartFailed, 0,
            QStringLiteral("Cannot start a terminal: %1").arg(pty->errorString())};
    }
    auto *session = new TerminalSession(newId(), request.identity, std::move(pty), request.cols, request.rows,
        m_limits.scrollbackBytes, m_limits.graceMs, this);
    connect(session, &TerminalSession::done, this, &TerminalManager::onDone);
    m_sessions.insert(session->id(), session);
    if (!m_idleTimer.isActive())
        m_idleTimer.start();
    qCInfo(lcTerminal) << "opened" << session->id() << "pid" << session->pid()
                       << QFileInfo(options.program).fileName() << "for" << request.identity << "—" << count()
                       << "open";
    return OpenResult {session, Error::None, 0, {}};
}

void TerminalManager::onDone(TerminalSession *session)
{
    if (m_sessions.remove(session->id()) == 0)
        return;
    qCInfo(lcTerminal) << "closed" << session->id() << "—" << count() << "open";
    session->dropSinks();
    // Often reached from inside the session's own call chain.
    session->deleteLater();
    if (m_sessions.isEmpty())
        m_idleTimer.stop();
}

void TerminalManager::connectionClosed(quint64 connection)
{
    for (TerminalSession *session : std::as_const(m_sessions))
        session->forgetConnection(connection);
}

void TerminalManager::hangupAll()
{
    const auto sessions = m_sessions.values();
    for (TerminalSession *session : sessions)
        session->hangup();
}

void TerminalManager::checkIdle()
{
    const auto sessions = m_sessions.values();
    for (TerminalSession *session : sessions) {
        if (!session->hasExited() && session->idleMs() > m_limits.idleMs) {
            qCInfo(lcTerminal) << session->id() << "idle for" << session->idleMs() / 1000 << "s: hanging up";
            session->hangup();
        }
    }
}

} // namespace opsdeck::terminal
