#pragma once

// Terminals on a linked remote hub's host (docs/protocol.md §15 "Terminals"). The console opens
// them at its embedded hub with `terminal_open {hub: <label>}`; this relay opens them at the
// remote hub over the link's connection and forwards every terminal message both ways, the
// terminal id qualified like every remote name (t-5c1e09ab@prod-eu).
//
// It keeps no output: flow control stays end to end — the console's `window` and `ack`s go to
// the remote hub unchanged, so the remote PTY is paced by what the console has fed to its
// emulator, and nothing piles up in the embedded hub. What it does keep is which local connection
// each terminal is attached to, so that a link that drops is said to that connection
// (`terminal_link`), and the console re-attaches once the link is back: the remote hub kept the
// shell and its scrollback ring for its grace period, and its replay restores the screen.

#include "terminalroute.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>

namespace opsdeck::transport {
class HubClient;
}

namespace opsdeck::hub {
class HubServer;
}

namespace opsdeck::hub::relay {

class TerminalRelay : public QObject, public TerminalRoute
{
    Q_OBJECT
public:
    // Registers itself with `hub` as the route for `label`; `link` is the link's client.
    TerminalRelay(HubServer &hub, transport::HubClient &link, QString label, QObject *parent = nullptr);
    ~TerminalRelay() override;

    // The link is being taken down for good (profile switched, sign-out): every attached console
    // hears `terminal_link {state: "closed"}`; the remote shells run on for their grace period.
    void linkClosed();

    int count() const { return int(m_terminals.size()); }

    // TerminalRoute
    void openTerminal(HubSession &session, const protocol::InboundMessage &message) override;
    void forwardTerminal(HubSession &session, const protocol::InboundMessage &message,
                         const QString &remoteId) override;
    void connectionClosed(quint64 serial) override;
    int relayedCount() const override { return count(); }
    int relayedAttachedCount() const override;

private:
    struct Relayed
    {
        quint64 connection = 0; // the local connection it is attached to; 0: none
    };

    QString localId(const QString &remoteId) const { return remoteId + QLatin1Char('@') + m_label; }
    bool linkUp() const;
    void onLinkState();
    void onUpstreamMessage(const QJsonObject &message);
    void onUpstreamError(const QString &code, const QString &message, const QJsonObject &details);
    void forwardRequest(HubSession &session, const protocol::InboundMessage &message, const QString &remoteId);
    void sendTo(quint64 serial, QJsonObject message, const QString &remoteId);
    void sendRemoteError(quint64 serial, const QString &id, const QString &code, const QString &message,
                         QJsonObject details);
    void sendUnavailable(HubSession &session, const QString &id);
    void notifyLink(const QString &state, const QString &text);
    void sendUpstream(const QString &type, const QString &remoteId);

    HubServer &m_hub;
    transport::HubClient &m_link;
    QString m_label;
    QHash<QString, Relayed> m_terminals; // by remote id
    bool m_up = false;
};

} // namespace opsdeck::hub::relay
