#pragma once

// (Not terminalsession.h: the hub's PTY session in hub/terminal has that name, and its include
// directory is on this library's path through the embedded hub.)

// TerminalSession: one terminal tab's conversation with the hub (docs/protocol.md §11), and the
// only part of the terminal pane that touches the network. It opens a PTY session with
// `terminal_open` (base64, byte-exact), feeds `output` into its VtermScreen and acknowledges the
// consumed bytes so the hub keeps sending (§11.4), turns what the screen emits (keys, pastes,
// query answers) into `input`, and follows the screen's size with `resize`. When the connection
// drops, the PTY keeps running on the hub; on the next connection the session re-`attach`es and
// skips the replayed bytes it has already shown, using `seq` (a byte offset) — the screen is
// restored, not doubled.

#include "hubclient.h"
#include "vtermscreen.h"

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QtQml/qqml.h>

namespace opsdeck::termui {

class TerminalSession : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(opsdeck::transport::HubClient *client READ client WRITE setClient NOTIFY clientChanged)
    Q_PROPERTY(opsdeck::termui::VtermScreen *screen READ screen CONSTANT)
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(QString stateText READ stateText NOTIFY stateChanged)
    Q_PROPERTY(QString terminalId READ terminalId NOTIFY stateChanged)
    Q_PROPERTY(int exitCode READ exitCode NOTIFY stateChanged)
    Q_PROPERTY(int exitSignal READ exitSignal NOTIFY stateChanged)
    Q_PROPERTY(QString errorCode READ errorCode NOTIFY stateChanged)
    Q_PROPERTY(QString errorString READ errorString NOTIFY stateChanged)
    Q_PROPERTY(QString errorHint READ errorHint NOTIFY stateChanged)
    Q_PROPERTY(int window READ window WRITE setWindow NOTIFY windowChanged)
    Q_PROPERTY(QString hub READ hub WRITE setHub NOTIFY hubChanged)

public:
    // Idle: not opened yet. Reconnecting: the connection is gone, the PTY is kept by the hub.
    // Closed: the operator closed it before the hub answered (or with no connection at all).
    enum class State
    {
        Idle,
        Opening,
        Ready,
        Reconnecting,
        Exited,
        Failed,
        Closed
    };
    Q_ENUM(State)

    static constexpr int kDefaultWindow = 256 * 1024;
    // §11.5: 64 KiB per input message; raw bytes per message, so base64 stays well under it.
    static constexpr int kMaxInputBytes = 32 * 1024;

    explicit TerminalSession(QObject *parent = nullptr);
    ~TerminalSession() override;

    transport::HubClient *client() const { return m_client; }
    void setClient(transport::HubClient *client);
    VtermScreen *screen() { return &m_screen; }
    State state() const { return m_state; }
    QString stateText() const;
    QString terminalId() const { return m_terminalId; }
    int exitCode() const { return m_exitCode; }
    int exitSignal() const { return m_exitSignal; }
    QString errorCode() const { return m_errorCode; }
    QString errorString() const { return m_errorString; }
    // What the operator can do about the error, in words.
    QString errorHint() const;
    int window() const { return m_window; }
    void setWindow(int bytes);
    // The linked remote hub whose host the shell runs on (docs/protocol.md §15, its label);
    // empty: the host of the console's own hub. Takes effect at the next open().
    QString hub() const { return m_hub; }
    void setHub(const QString &label);

    // Output bytes fed to the screen (the next expected `seq`) and bytes acknowledged so far.
    // (Taken in: bytes wait at most a few event-loop turns in the paced feed before the screen
    // has them, see feedSome().)
    qint64 consumedOffset() const { return m_consumed; }
    // Output taken in but not yet fed to the screen.
    qint64 pendingBytes() const { return m_pending.size() - m_pendingPos; }
    qint64 ackedBytes() const { return m_ackedTotal; }

    // Opens a PTY of cols × rows (from Idle, Exited, Failed or Closed: a fresh screen).
    Q_INVOKABLE void open(int cols, int rows);
    // Hangs the PTY up (terminal_close); the `exit` that answers it ends the session.
    Q_INVOKABLE void close();
    Q_INVOKABLE void sendText(const QString &text) { sendInput(text.toUtf8()); }
    void sendInput(const QByteArray &bytes);

Q_SIGNALS:
    void clientChanged();
    void stateChanged();
    void windowChanged();
    void hubChanged();
    // The PTY session ended (exit) — also reached through stateChanged; handy for tests.
    void exited(int code);

private:
    void setState(State state);
    void fail(const QString &code, const QString &message);
    void onMessage(const QJsonObject &message);
    void onClientState();
    void onConnected();
    void onOutput(const QJsonObject &message);
    void acknowledge(qint64 bytes, bool flushAll);
    void feedSome();
    // Feeds everything still pending now; `ack`: acknowledge it on the current connection.
    void flushPending(bool ack);
    void sendResize();
    void attach();
    // terminal_link from the embedded hub: the link to the remote hub went down, came back, or
    // was closed for good.
    void onLinkState(const QJsonObject &message);
    void send(QJsonObject message);

    QPointer<transport::HubClient> m_client;
    VtermScreen m_screen;
    State m_state = State::Idle;
    QString m_terminalId;
    QString m_errorCode;
    QString m_errorString;
    int m_exitCode = -1;
    int m_exitSignal = 0;
    int m_window = kDefaultWindow;
    QString m_hub;
    bool m_attaching = false; // an attach is in flight: a second trigger waits for its answer
    qint64 m_consumed = 0; // next byte offset of the output stream not yet on the screen
    qint64 m_unacked = 0; // received on this connection, not yet acknowledged
    qint64 m_ackedTotal = 0;
    int m_hubCols = 0; // the size the hub last confirmed (ready) or was told (resize)
    int m_hubRows = 0;
    quint64 m_generation = 0; // bumps on open(): answers to an older open are ignored
    QTimer m_ackTimer;
    // Paced feeding: output waits here and goes to libvterm a few milliseconds per event-loop
    // turn, so a flood leaves the GUI thread time to render frames and handle keys.
    QByteArray m_pending;
    qsizetype m_pendingPos = 0;
    QTimer m_feedTimer;
};

} // namespace opsdeck::termui
