#pragma once

// One terminal of docs/protocol.md §11: a PTY program, its output stream (`seq` is the byte
// offset), the scrollback ring for re-attach, and credit flow control towards the one
// connection it is attached to.
//
// All output passes through the ring: the attached connection has a cursor into it and is sent
// what lies after the cursor, as far as its window allows. Replay after an attach is therefore
// the same operation as live delivery, paced by the same window; the PTY is read only once the
// cursor has caught up and the window has room, so an unread program blocks instead of the hub
// buffering without bound. Detached, the ring keeps the newest bytes and the program runs on.

#include "ptyprocess.h"
#include "scrollbackring.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>
#include <QTimer>
#include <functional>
#include <memory>

namespace opsdeck::terminal {

enum class Encoding
{
    Utf8,
    Base64
};

class TerminalSession : public QObject
{
    Q_OBJECT
public:
    using Sink = std::function<void(const QJsonObject &message)>;

    // `pty` is already started with a `cols` × `rows` terminal.
    TerminalSession(QString id, QString identity, std::unique_ptr<PtyProcess> pty, int cols, int rows,
        qint64 scrollbackBytes, int graceMs, QObject *parent = nullptr);
    ~TerminalSession() override;

    const QString &id() const { return m_id; }
    const QString &identity() const { return m_identity; }
    qint64 pid() const { return m_pid; }
    int cols() const { return m_cols; }
    int rows() const { return m_rows; }
    bool hasExited() const { return m_exited; }
    bool isAttached() const { return bool(m_sink); }
    quint64 connection() const { return m_connection; }
    Encoding encoding() const { return m_encoding; }

    // Attaches a connection (replacing any other). Returns the seq the delivery starts from;
    // nothing is sent until deliver(), so the caller answers the request first.
    qint64 attach(quint64 connection, Sink sink, Encoding encoding, qint64 window, bool replay);
    // Sends what the window allows: replay (replay:true), then `ready`, then live output, and
    // `exit` once the program ended and all its output went out.
    void deliver();
    // The connection is gone or asked to detach: keep running for the grace period.
    void detach();
    // The connection is gone: detach if it is the attached one, and forget it as the requester
    // of a pending close (its sink must never be called again).
    void forgetConnection(quint64 connection);
    // Forgets every connection without a grace period or any further message (hub shutdown).
    void dropSinks();

    void write(const QByteArray &bytes);
    qint64 pendingInputBytes() const;
    bool resize(int cols, int rows);
    // The client consumed `bytes` more output bytes.
    void ack(qint64 bytes);
    // terminal_close: hang up; `exit` goes to the attached connection and to `requester`
    // (when it is another one), carrying `requestId`.
    void close(const Sink &requester = {}, quint64 requesterConnection = 0, const QString &requestId = {});
    // Hang-up without anyone waiting (grace over, idle, hub shutdown).
    void hangup();

    qint64 idleMs() const { return m_idle.elapsed(); }
    qint64 unacknowledged() const { return m_sent - m_acked; }
    qint64 window() const { return m_window; }
    bool isReadingPaused() const { return !m_pty || !m_pty->isReadingEnabled(); }
    qint64 outputBytes() const { return m_ring.head(); }

Q_SIGNALS:
    // The session is over (exit delivered, closed, or the grace period of an ended program
    // passed): its owner removes it.
    void done(opsdeck::terminal::TerminalSession *session);

private:
    void onReadyRead();
    void onFinished(int exitCode, int signal);
    void updateReading();
    bool onlyHeldTailPending() const;
    QJsonObject exitMessage(const QString &requestId) const;
    void finishClose();

    QString m_id;
    QString m_identity;
    std::unique_ptr<PtyProcess> m_pty;
    qint64 m_pid = 0;
    ScrollbackRing m_ring;
    int m_cols = 80;
    int m_rows = 24;

    Sink m_sink;
    quint64 m_connection = 0;
    Encoding m_encoding = Encoding::Base64;
    qint64 m_window = 256 * 1024;
    qint64 m_cursor = 0; // next stream offset to send to the attached connection
    qint64 m_sent = 0; // stream offsets: sent - acked is what the client holds unacknowledged
    qint64 m_acked = 0;
    bool m_readySent = false;

    bool m_exited = false;
    bool m_exitSent = false;
    int m_exitCode = 0;
    int m_exitSignal = 0;
    bool m_closing = false;
    Sink m_closeRequester;
    quint64 m_closeRequesterConnection = 0;
    QString m_closeRequestId;

    QTimer m_grace;
    QElapsedTimer m_idle;
};

} // namespace opsdeck::terminal
