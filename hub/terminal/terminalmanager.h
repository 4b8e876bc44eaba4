#pragma once

// Owns every terminal of a hub: ids, caps per client identity and per hub, idle hang-up, and
// the end of all of them when the hub goes (docs/protocol.md §11.5).

#include "terminalsession.h"

#include <QHash>
#include <QObject>
#include <QTimer>

namespace opsdeck::terminal {

struct TerminalLimits
{
    QString shell; // empty: $SHELL, else /bin/sh
    bool loginShell = true;
    bool allowClientShell = false; // honour terminal_open's `shell` and `cwd`
    int graceMs = 5 * 60 * 1000;
    int idleMs = 60 * 60 * 1000;
    qint64 scrollbackBytes = 1024 * 1024;
    int maxPerIdentity = 10;
    int maxPerHub = 64;
};

class TerminalManager : public QObject
{
    Q_OBJECT
public:
    struct OpenRequest
    {
        QString identity;
        int cols = 80;
        int rows = 24;
        QString shell; // honoured only with TerminalLimits::allowClientShell
        QString cwd;
    };
    struct OpenResult
    {
        enum class Error
        {
            None,
            IdentityCap,
            HubCap,
            StartFailed
        };
        TerminalSession *session = nullptr;
        Error error = Error::None;
        int limit = 0;
        QString message;
    };

    explicit TerminalManager(TerminalLimits limits, QObject *parent = nullptr);
    // Kills every program that is still running and reaps it; no message goes anywhere.
    ~TerminalManager() override;

    const TerminalLimits &limits() const { return m_limits; }
    OpenResult open(const OpenRequest &request);
    TerminalSession *find(const QString &id) const { return m_sessions.value(id); }
    int count() const { return int(m_sessions.size()); }
    int countFor(const QString &identity) const;
    int attachedCount() const;

    // A connection closed: its terminals are detached and their grace periods start.
    void connectionClosed(quint64 connection);
    // Hub shutdown: hang every terminal up (SIGHUP, SIGKILL later or in the destructor).
    void hangupAll();

private:
    void onDone(TerminalSession *session);
    void checkIdle();
    QString newId() const;

    TerminalLimits m_limits;
    QHash<QString, TerminalSession *> m_sessions;
    QTimer m_idleTimer;
};

} // namespace opsdeck::terminal
