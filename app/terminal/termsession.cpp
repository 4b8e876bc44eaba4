#include "termsession.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <algorithm>

namespace opsdeck::termui {

using transport::HubClient;
using transport::HubReply;

namespace {
    QLatin1StringView L(const char *s)
    {
        return QLatin1StringView(s);
    }
} // namespace

TerminalSession::TerminalSession(QObject *parent)
    : QObject(parent)
{
    connect(&m_screen, &VtermScreen::output, this, &TerminalSession::sendInput);
    connect(&m_screen, &VtermScreen::sizeChanged, this, &TerminalSession::sendResize);
    // Small output leaves a remainder below the ack step; it is acknowledged once output pauses,
    // so the hub's count of unacknowledged bytes drains to zero between bursts.
    m_ackTimer.setSingleShot(true);
    m_ackTimer.setInterval(50);
    connect(&m_ackTimer, &QTimer::timeout, this, [this] { acknowledge(0, true); });
    m_feedTimer.setSingleShot(true);
    m_feedTimer.setInterval(0);
    connect(&m_feedTimer, &QTimer::timeout, this, &TerminalSession::feedSome);
}

TerminalSession::~TerminalSession() = default;

void TerminalSession::setClient(HubClient *client)
{
    if (m_client == client)
        return;
    if (m_client)
        disconnect(m_client, nullptr, this, nullptr);
    m_client = client;
    if (m_client) {
        connect(m_client, &HubClient::messageReceived, this, &TerminalSession::onMessage);
        connect(m_client, &HubClient::stateChanged, this, &TerminalSession::onClientState);
        connect(m_client, &HubClient::connected, this, &TerminalSession::onConnected);
    }
    Q_EMIT clientChanged();
}

void TerminalSession::setWindow(int bytes)
{
    bytes = std::clamp(bytes, 16 * 1024, 4 * 1024 * 1024);
    if (bytes == m_window)
        return;
    m_window = bytes;
    Q_EMIT windowChanged();
}

void TerminalSession::setHub(const QString &label)
{
    if (label == m_hub)
        return;
    m_hub = label;
    Q_EMIT hubChanged();
}

void TerminalSession::setState(State state)
{
    if (state == m_state)
        return;
    qCDebug(lcTermUi) << "terminal" << m_terminalId << m_state << "->" << state;
    m_state = state;
    Q_EMIT stateChanged();
}

void TerminalSession::fail(const QString &code, const QString &message)
{
    m_errorCode = code;
    m_errorString = message;
    qCWarning(lcTermUi) << "terminal" << m_terminalId << "failed:" << code << message;
    setState(State::Failed);
}

void TerminalSession::open(int cols, int rows)
{
    if (m_state == State::Opening || m_state == State::Ready || m_state == State::Reconnecting)
        return;
    if (!m_client) {
        fail(QStringLiteral("NO_CONNECTION"), tr("The console has no hub connection."));
        return;
    }
    ++m_generation;
    m_terminalId.clear();
    m_errorCode.clear();
    m_errorString.clear();
    m_exitCode = -1;
    m_exitSignal = 0;
    m_consumed = 0;
    m_unacked = 0;
    m_pending.clear();
    m_pendingPos = 0;
    m_feedTimer.stop();
    m_screen.reset();
    m_screen.resize(cols, rows);
    m_hubCols = m_screen.cols();
    m_hubRows = m_screen.rows();
    setState(State::Opening);

    QJsonObject request {{L("type"), L("terminal_open")}, {L("cols"), m_screen.cols()},
        {L("rows"), m_screen.rows()}, {L("encoding"), L("base64")}, {L("window"), m_window}};
    if (!m_hub.isEmpty())
        request.insert(L("hub"), m_hub);
    m_attaching = false;
    HubReply *reply = m_client->request(request);
    const quint64 generation = m_generation;
    connect(reply, &HubReply::finished, this, [this, reply, generation] {
        reply->deleteLater();
        if (generation != m_generation || m_state != State::Opening)
            return;
        if (!reply->errorCode().isEmpty()) {
            fail(reply->errorCode(), reply->errorMessage());
            return;
        }
        m_terminalId = reply->result().value(L("terminal")).toString();
        if (m_terminalId.isEmpty())
            fail(QStringLiteral("BAD_MESSAGE"), tr("The hub opened a terminal without saying which."));
        else
            Q_EMIT stateChanged(); // the id is known; `ready` follows
    });
}

void TerminalSession::close()
{
    ++m_generation; // an open still in flight no longer matters
    if (!m_terminalId.isEmpty() && (m_state == State::Ready || m_state == State::Reconnecting)) {
        send(QJsonObject {{L("type"), L("terminal_close")}, {L("terminal"), m_terminalId}});
        return; // the hub answers with `exit`
    }
    if (m_state == State::Opening || m_state == State::Idle)
        setState(State::Closed);
}

void TerminalSession::send(QJsonObject message)
{
    if (m_client)
        m_client->send(std::move(message));
}

void TerminalSession::sendInput(const QByteArray &bytes)
{
    // Keys typed while the PTY is unreachable are dropped rather than replayed later into
    // whatever program then has the terminal (the item shows input as disabled meanwhile).
    if (m_state != State::Ready || m_terminalId.isEmpty() || bytes.isEmpty())
        return;
    for (qsizetype at = 0; at < bytes.size(); at += kMaxInputBytes) {
        const QByteArray chunk = bytes.mid(at, kMaxInputBytes);
        send(QJsonObject {{L("type"), L("input")}, {L("terminal"), m_terminalId},
            {L("data_b64"), QString::fromLatin1(chunk.toBase64())}});
    }
}

void TerminalSession::sendResize()
{
    if (m_state != State::Ready || m_terminalId.isEmpty())
        return;
    if (m_screen.cols() == m_hubCols && m_screen.rows() == m_hubRows)
        return;
    m_hubCols = m_screen.cols();
    m_hubRows = m_screen.rows();
    send(QJsonObject {{L("type"), L("resize")}, {L("terminal"), m_terminalId}, {L("cols"), m_hubCols},
        {L("rows"), m_hubRows}});
}

void TerminalSession::onMessage(const QJsonObject &message)
{
    if (m_terminalId.isEmpty() || message.value(L("terminal")).toString() != m_terminalId)
        return;
    const QString type = message.value(L("type")).toString();
    if (type == L("output")) {
        onOutput(message);
    } else if (type == L("ready")) {
        m_hubCols = message.value(L("cols")).toInt(m_hubCols);
        m_hubRows = message.value(L("rows")).toInt(m_hubRows);
        if (m_state == State::Opening || m_state == State::Reconnecting)
            setState(State::Ready);
        // The view may have changed size while the hub was away.
        sendResize();
    } else if (type == L("terminal_link")) {
        onLinkState(message);
    } else if (type == L("exit")) {
        // The program's last words are on the screen before the tab says it exited.
        flushPending(false);
        m_ackTimer.stop();
        m_exitCode = message.value(L("code")).toInt();
        m_exitSignal = message.value(L("signal")).toInt();
        setState(State::Exited);
        Q_EMIT exited(m_exitCode);
    }
}

void TerminalSession::onOutput(const QJsonObject &message)
{
    QByteArray data;
    if (message.contains(L("data_b64")))
        data = QByteArray::fromBase64(message.value(L("data_b64")).toString().toLatin1());
    else
        data = message.value(L("data")).toString().toUtf8(); // a seed-001 hub ignoring `encoding`
    const qint64 length = data.size();
    const QJsonValue seqValue = message.value(L("seq"));
    if (seqValue.isDouble()) {
        const qint64 seq = qint64(seqValue.toDouble());
        if (seq + length <= m_consumed) {
            data.clear(); // all of it is already on the screen (replay after attach)
        } else if (seq < m_consumed) {
            data = data.mid(m_consumed - seq); // the tail is new
        } else if (seq > m_consumed) {
            // The hub's 1 MiB ring no longer held what we missed: the screen has a hole.
            qCWarning(lcTermUi) << "terminal" << m_terminalId << "lost" << (seq - m_consumed)
                                << "output bytes while disconnected";
        }
        m_consumed = std::max(m_consumed, seq + length);
    } else {
        m_consumed += length;
    }
    // Replayed bytes count against the window as much as new ones: every byte is acknowledged —
    // those already on the screen now, the new ones once they are fed (so the window still bounds
    // what waits here).
    acknowledge(length - data.size(), false);
    // Drop what was already fed, so the buffer stays within the window under a steady flow.
    if (m_pendingPos > 0) {
        m_pending.remove(0, m_pendingPos);
        m_pendingPos = 0;
    }
    m_pending += data;
    if (!m_feedTimer.isActive() && pendingBytes() > 0)
        m_feedTimer.start();
}

// Feeds for about a frame's worth of time, then yields to the event loop: libvterm handles a
// flood in slices, and the window renders and takes keystrokes in between instead of freezing
// until the whole window of output has been parsed.
void TerminalSession::feedSome()
{
    constexpr qsizetype kSlice = 4096;
    constexpr qint64 kBudgetNs = 6'000'000;
    QElapsedTimer budget;
    budget.start();
    while (pendingBytes() > 0 && budget.nsecsElapsed() < kBudgetNs) {
        const qsizetype n = std::min<qsizetype>(kSlice, pendingBytes());
        m_screen.feed(QByteArray::fromRawData(m_pending.constData() + m_pendingPos, n));
        m_pendingPos += n;
        acknowledge(n, false);
    }
    if (pendingBytes() > 0) {
        m_feedTimer.start();
    } else {
        m_pending.clear();
        m_pendingPos = 0;
    }
}

void TerminalSession::flushPending(bool ack)
{
    m_feedTimer.stop();
    const qint64 n = pendingBytes();
    if (n > 0)
        m_screen.feed(m_pending.mid(m_pendingPos));
    m_pending.clear();
    m_pendingPos = 0;
    if (ack && n > 0)
        acknowledge(n, false);
}

// Acknowledges in steps of at most half the window (§11.4) as soon as a quarter has built up,
// so the hub always has room to keep the PTY flowing while acks are in flight. Never less than
// an eighth: smaller acks would be chatter on the link, and a remainder below that is harmless
// (the hub only stops at a full window) — it is acknowledged once output pauses and enough has
// built up, or travels with the next burst. (The hub never refuses an ack, §11.5.)
void TerminalSession::acknowledge(qint64 bytes, bool flushAll)
{
    m_unacked += bytes;
    const qint64 step = m_window / 2;
    const qint64 minimum = m_window / 8;
    const qint64 threshold = flushAll ? minimum : m_window / 4;
    while (m_unacked >= threshold && m_unacked >= minimum && !m_terminalId.isEmpty()) {
        const qint64 n = std::min(m_unacked, step);
        send(QJsonObject {{L("type"), L("ack")}, {L("terminal"), m_terminalId}, {L("bytes"), n}});
        m_unacked -= n;
        m_ackedTotal += n;
    }
    if (m_unacked >= minimum)
        m_ackTimer.start();
}

void TerminalSession::onClientState()
{
    if (!m_client)
        return;
    const HubClient::State s = m_client->state();
    if (s == HubClient::State::Connected)
        return;
    if (m_state == State::Ready || (m_state == State::Opening && !m_terminalId.isEmpty()))
        setState(State::Reconnecting);
    if (s == HubClient::State::Failed && (m_state == State::Reconnecting || m_state == State::Opening))
        fail(QStringLiteral("CONNECTION_FAILED"), m_client->failureMessage());
}

void TerminalSession::onConnected()
{
    if (m_state == State::Reconnecting && !m_terminalId.isEmpty())
        attach();
}

void TerminalSession::onLinkState(const QJsonObject &message)
{
    const QString state = message.value(L("state")).toString();
    if (state == L("down")) {
        // The remote shell runs on; what reaches us of its output stops until we re-attach.
        if (m_state == State::Ready || (m_state == State::Opening && !m_terminalId.isEmpty()))
            setState(State::Reconnecting);
    } else if (state == L("up")) {
        if (m_state == State::Reconnecting && m_client && m_client->state() == HubClient::State::Connected)
            attach();
    } else if (state == L("closed")) {
        if (m_state == State::Ready || m_state == State::Reconnecting || m_state == State::Opening) {
            flushPending(false);
            fail(QStringLiteral("LINK_CLOSED"), message.value(L("message")).toString());
        }
    }
}

void TerminalSession::attach()
{
    if (m_attaching)
        return;
    m_attaching = true;
    // A new connection starts with an empty window: what the old one had in flight is gone.
    // Output still waiting for the screen belongs to the old account: show it, ack nothing.
    flushPending(false);
    m_ackTimer.stop();
    m_unacked = 0;
    HubReply *reply = m_client->request(
        QJsonObject {{L("type"), L("attach")}, {L("terminal"), m_terminalId}, {L("window"), m_window}});
    const quint64 generation = m_generation;
    connect(reply, &HubReply::finished, this, [this, reply, generation] {
        reply->deleteLater();
        if (generation != m_generation)
            return;
        m_attaching = false;
        if (m_state != State::Reconnecting)
            return;
        if (reply->errorCode() == L("HUB_UNAVAILABLE")) {
            // The remote hub's link is down again: `terminal_link up` brings us back here.
            return;
        }
        if (reply->errorCode() == L("NOT_FOUND")) {
            fail(reply->errorCode(), tr("The terminal ended while the console was disconnected."));
        } else if (!reply->errorCode().isEmpty()) {
            fail(reply->errorCode(), reply->errorMessage());
        }
        // Success: the replay and `ready` follow.
    });
}

QString TerminalSession::stateText() const
{
    switch (m_state) {
    case State::Idle:
        return tr("not started");
    case State::Opening:
        return tr("opening…");
    case State::Ready:
        return tr("ready");
    case State::Reconnecting:
        return tr("reconnecting — session kept");
    case State::Exited:
        return m_exitSignal != 0 ? tr("exited (signal %1)").arg(m_exitSignal)
                                 : tr("exited (code %1)").arg(m_exitCode);
    case State::Failed:
        return tr("failed");
    case State::Closed:
        return tr("closed");
    }
    return {};
}

QString TerminalSession::errorHint() const
{
    if (m_state != State::Failed)
        return {};
    if (m_errorCode == L("FORBIDDEN"))
        return tr("Terminals need a hub started with terminals enabled — on loopback with a secret for "
                  "local use, or your operator role in dev/prod. Ask the hub's admin, then press Try again.");
    if (m_errorCode == L("UNKNOWN_TYPE"))
        return tr("This hub does not serve terminals yet (it predates protocol §11). Update the hub, "
                  "then press Try again. Meanwhile, run commands on an agent from the Agents pane (Ctrl+1).");
    if (m_errorCode == L("NOT_FOUND"))
        return tr("Its output is still shown above. Open a new tab for a fresh shell.");
    if (m_errorCode == L("HUB_UNAVAILABLE"))
        return tr("The shell opens on %1's host through the console's link to it. Sign in to %1 (top bar) or wait "
                  "for the link to come back, then press Try again.")
            .arg(m_hub.isEmpty() ? tr("the remote hub") : m_hub);
    if (m_errorCode == L("LINK_CLOSED"))
        return tr("The console stopped linking to %1 (another profile, or signed out); the shell there ends after "
                  "its grace period. Open a new tab for a shell on the current hub.")
            .arg(m_hub.isEmpty() ? tr("the remote hub") : m_hub);
    if (m_errorCode == L("LIMIT_EXCEEDED") || m_errorCode == L("TERMINAL_LIMIT"))
        return tr("Close a terminal you no longer need, then try again.");
    return tr("Check the connection indicator in the top bar, then try again.");
}

} // namespace opsdeck::termui
