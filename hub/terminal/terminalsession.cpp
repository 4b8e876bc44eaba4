#include "terminalsession.h"

#include "terminallog.h"
#include "utf8boundary.h"

#include <algorithm>

namespace opsdeck::terminal {

namespace {
    // Raw bytes per `output` message: base64 makes 87 KiB of it, far below the 1 MiB frame limit
    // even in utf8 encoding where JSON escapes control characters.
    constexpr qint64 kMaxChunk = 64 * 1024;
} // namespace

TerminalSession::TerminalSession(QString id, QString identity, std::unique_ptr<PtyProcess> pty, int cols,
    int rows, qint64 scrollbackBytes, int graceMs, QObject *parent)
    : QObject(parent)
    , m_id(std::move(id))
    , m_identity(std::move(identity))
    , m_pty(std::move(pty))
    , m_pid(m_pty->pid())
    , m_ring(scrollbackBytes)
    , m_cols(cols)
    , m_rows(rows)
{
    connect(m_pty.get(), &PtyProcess::readyRead, this, &TerminalSession::onReadyRead);
    connect(m_pty.get(), &PtyProcess::finished, this, &TerminalSession::onFinished);
    m_grace.setSingleShot(true);
    m_grace.setInterval(graceMs);
    connect(&m_grace, &QTimer::timeout, this, [this] {
        qCInfo(lcTerminal) << m_id << "grace period over";
        if (m_exited)
            Q_EMIT done(this);
        else
            hangup();
    });
    m_idle.start();
    updateReading();
}

TerminalSession::~TerminalSession()
{
    // The PTY's destructor kills and reaps a program that is still running; nothing of that
    // may reach a connection any more.
    if (m_pty)
        m_pty->disconnect(this);
}

qint64 TerminalSession::attach(quint64 connection, Sink sink, Encoding encoding, qint64 window, bool replay)
{
    m_grace.stop();
    m_sink = std::move(sink);
    m_connection = connection;
    m_encoding = encoding;
    m_window = window;
    m_readySent = false;
    m_cursor = replay ? m_ring.oldest() : m_ring.head();
    if (replay && encoding == Encoding::Utf8) {
        // The ring may begin inside a UTF-8 sequence; start at the next whole character.
        const QByteArray start = m_ring.read(m_cursor, 3);
        for (char byte : start) {
            if ((static_cast<unsigned char>(byte) & 0xC0) != 0x80)
                break;
            ++m_cursor;
        }
    }
    // A new attachment starts a new credit account: acks of an earlier one mean nothing here.
    m_sent = m_acked = m_cursor;
    updateReading();
    qCInfo(lcTerminal) << m_id << "attached to connection" << connection << "from seq" << m_cursor;
    return m_cursor;
}

bool TerminalSession::onlyHeldTailPending() const
{
    const qint64 pending = m_ring.head() - m_cursor;
    if (pending <= 0)
        return true;
    if (m_encoding != Encoding::Utf8 || pending > 3 || m_exited)
        return false;
    return incompleteUtf8Tail(m_ring.read(m_cursor, pending)) == pending;
}

void TerminalSession::deliver()
{
    if (!m_sink || m_closing) {
        updateReading();
        return;
    }
    const qint64 head = m_ring.head();
    m_cursor = std::max(m_cursor, m_ring.oldest());
    while (m_cursor < head) {
        const qint64 room = m_window - (m_sent - m_acked);
        if (room <= 0)
            break;
        qint64 n = std::min({head - m_cursor, room, kMaxChunk});
        QByteArray bytes = m_ring.read(m_cursor, n);
        QJsonObject output {{QStringLiteral("type"), QStringLiteral("output")},
            {QStringLiteral("terminal"), m_id}, {QStringLiteral("seq"), m_cursor}};
        if (m_encoding == Encoding::Utf8) {
            // Never split a character across messages; only the program's very last bytes,
            // when they never became a character, go out as they are (and decode to U+FFFD).
            const qsizetype tail = incompleteUtf8Tail(bytes);
            const bool last = m_exited && m_cursor + n == head;
            if (tail > 0 && !last) {
                bytes.chop(tail);
                n -= tail;
            }
            if (n == 0)
                break;
            output.insert(QStringLiteral("data"), QString::fromUtf8(bytes));
        } else {
            output.insert(QStringLiteral("data_b64"), QString::fromLatin1(bytes.toBase64()));
        }
        if (!m_readySent)
            output.insert(QStringLiteral("replay"), true);
        m_cursor += n;
        m_sent += n;
        m_sink(output);
    }
    if (!m_readySent && onlyHeldTailPending()) {
        m_readySent = true;
        m_sink(QJsonObject {{QStringLiteral("type"), QStringLiteral("ready")},
            {QStringLiteral("terminal"), m_id}, {QStringLiteral("cols"), m_cols},
            {QStringLiteral("rows"), m_rows}});
    }
    if (m_readySent && m_exited && !m_exitSent && m_cursor >= head) {
        m_exitSent = true;
        m_sink(exitMessage({}));
        Q_EMIT done(this);
        return;
    }
    updateReading();
}

void TerminalSession::updateReading()
{
    if (!m_pty || m_exited)
        return;
    bool enable = true;
    if (m_sink && !m_closing) {
        const qint64 pending = m_ring.head() - m_cursor;
        enable = m_readySent && onlyHeldTailPending() && (m_sent - m_acked) + pending < m_window;
    }
    m_pty->setReadingEnabled(enable);
}

void TerminalSession::onReadyRead()
{
    qint64 max = kMaxChunk;
    if (m_sink && !m_closing) {
        const qint64 pending = m_ring.head() - m_cursor;
        max = (m_readySent && onlyHeldTailPending()) ? std::min(max, m_window - (m_sent - m_acked) - pending)
                                                     : 0;
    }
    if (max <= 0) {
        m_pty->setReadingEnabled(false);
        return;
    }
    const QByteArray bytes = m_pty->read(max);
    if (m_closing || bytes.isEmpty())
        return; // after a hang-up, output is discarded
    m_ring.append(bytes);
    m_idle.restart();
    deliver();
}

void TerminalSession::onFinished(int exitCode, int signal)
{
    m_exited = true;
    m_exitCode = exitCode;
    m_exitSignal = signal;
    qCInfo(lcTerminal) << m_id << "pid" << m_pid << "ended with" << exitCode << "signal" << signal;
    if (m_closing) {
        finishClose();
        return;
    }
    if (m_sink) {
        deliver();
    } else if (!m_grace.isActive()) {
        // Detached: kept for the grace period, so a re-attach still learns how it ended.
        m_grace.start();
    }
}

void TerminalSession::detach()
{
    if (!m_sink)
        return;
    qCInfo(lcTerminal) << m_id << "detached from connection" << m_connection;
    m_sink = {};
    m_connection = 0;
    if (!m_closing)
        m_grace.start();
    updateReading();
}

void TerminalSession::forgetConnection(quint64 connection)
{
    if (m_closeRequesterConnection == connection) {
        m_closeRequester = {};
        m_closeRequesterConnection = 0;
    }
    if (m_connection == connection)
        detach();
}

void TerminalSession::dropSinks()
{
    m_sink = {};
    m_connection = 0;
    m_closeRequester = {};
    m_closeRequesterConnection = 0;
}

void TerminalSession::write(const QByteArray &bytes)
{
    if (m_closing || m_exited || !m_pty)
        return;
    m_pty->write(bytes);
    m_idle.restart();
}

qint64 TerminalSession::pendingInputBytes() const
{
    return m_pty ? m_pty->pendingInputBytes() : 0;
}

bool TerminalSession::resize(int cols, int rows)
{
    if (m_exited || !m_pty)
        return false;
    m_cols = cols;
    m_rows = rows;
    return m_pty->resize(cols, rows);
}

void TerminalSession::ack(qint64 bytes)
{
    // More than was sent is clamped: an ack may race a re-attach that reset the account.
    m_acked = std::min(m_sent, m_acked + std::max<qint64>(0, bytes));
    deliver();
}

void TerminalSession::close(const Sink &requester, quint64 requesterConnection, const QString &requestId)
{
    if (m_closing)
        return;
    if (requesterConnection != m_connection) {
        m_closeRequester = requester;
        m_closeRequesterConnection = requesterConnection;
    }
    m_closeRequestId = requestId;
    hangup();
}

void TerminalSession::hangup()
{
    if (m_closing)
        return;
    m_closing = true;
    m_grace.stop();
    if (m_exited) {
        finishClose();
        return;
    }
    m_pty->hangup();
}

void TerminalSession::finishClose()
{
    if (m_exitSent)
        return;
    m_exitSent = true;
    const QJsonObject exit = exitMessage(m_closeRequestId);
    if (m_sink)
        m_sink(exit);
    if (m_closeRequester)
        m_closeRequester(exit);
    Q_EMIT done(this);
}

QJsonObject TerminalSession::exitMessage(const QString &requestId) const
{
    QJsonObject exit {{QStringLiteral("type"), QStringLiteral("exit")}, {QStringLiteral("terminal"), m_id},
        {QStringLiteral("code"), m_exitCode}, {QStringLiteral("signal"), m_exitSignal}};
    if (!requestId.isEmpty())
        exit.insert(QStringLiteral("id"), requestId);
    return exit;
}

} // namespace opsdeck::terminal
