// Keystroke echo latency through the hub. The hub's shell is /bin/cat: the PTY's line
// discipline (cooked mode) echoes each byte at once, so the time is the console's and the hub's
// round trip, not a program's. One byte in flight at a time, paced so the 200 messages/s
// terminal cap (§11.5) is never the limit.

#include "benchterm.h"
#include "hubclient.h"
#include "termsession.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QTimer>
#include <QWebSocket>
#include <functional>

namespace opsdeck::bench {

using termui::TerminalSession;
using transport::HubClient;

namespace {
    constexpr int kEchoTimeoutMs = 5000;

    QLatin1StringView L(const char *s)
    {
        return QLatin1StringView(s);
    }

    // Runs the event loop until `done` (checked after every event batch) or the deadline.
    bool waitFor(const std::function<bool()> &done, int timeoutMs)
    {
        const QDeadlineTimer deadline(timeoutMs);
        while (!done()) {
            if (deadline.hasExpired())
                return false;
            QEventLoop loop;
            QTimer::singleShot(1, &loop, &QEventLoop::quit);
            loop.exec(QEventLoop::WaitForMoreEvents);
        }
        return true;
    }

    void pause(int ms)
    {
        QEventLoop loop;
        QTimer::singleShot(ms, &loop, &QEventLoop::quit);
        loop.exec();
    }

    char keyFor(int i)
    {
        return char('a' + i % 26);
    }
} // namespace

EchoResult echoThroughSession(const QUrl &url, const QByteArray &secret, int keystrokes, int cols, const QString &hub)
{
    EchoResult result;
    transport::HubClientOptions options;
    options.watchNetwork = false;
    HubClient client(options);
    client.setTokenProvider([secret] { return QString::fromLatin1(secret); });
    client.open(url);
    if (!waitFor([&] { return client.state() == HubClient::State::Connected; }, 10000)) {
        result.error = QStringLiteral("session echo: no connection");
        return result;
    }
    TerminalSession session;
    session.setClient(&client);
    session.setHub(hub);
    session.open(cols, 24);
    if (!waitFor([&] { return session.state() == TerminalSession::State::Ready; }, 10000)) {
        result.error = QStringLiteral("session echo: the terminal did not become ready");
        return result;
    }
    // The time a byte is on the screen: the screen reports after each feed.
    QElapsedTimer clock;
    qint64 seenAtNs = -1;
    qint64 want = 0;
    QObject::connect(session.screen(), &termui::VtermScreen::damaged, &session, [&] {
        if (seenAtNs < 0 && session.consumedOffset() >= want)
            seenAtNs = clock.nsecsElapsed();
    });
    pause(200); // whatever the PTY says at start (nothing for cat) has arrived
    const qint64 base = session.consumedOffset();
    for (int i = 0; i < keystrokes; ++i) {
        want = base + i + 1;
        seenAtNs = -1;
        clock.start();
        session.sendInput(QByteArray(1, keyFor(i)));
        if (!waitFor([&] { return seenAtNs >= 0; }, kEchoTimeoutMs)) {
            result.error = QStringLiteral("session echo: keystroke %1 never came back").arg(i);
            break;
        }
        result.ms.append(double(seenAtNs) / 1e6);
        // The echo must be the byte, where the line discipline put it.
        const auto cell = session.screen()->cell(i / cols, i % cols);
        if (cell.ch != char32_t(keyFor(i))) {
            result.error = QStringLiteral("session echo: keystroke %1 is not on the screen").arg(i);
            break;
        }
        pause(kEchoPaceMs);
    }
    session.close();
    waitFor([&] { return session.state() == TerminalSession::State::Exited; }, 3000);
    client.close();
    return result;
}

EchoResult echoRawWebSocket(const QUrl &url, const QByteArray &secret, int keystrokes, int cols)
{
    EchoResult result;
    QWebSocket socket;
    QString terminal;
    bool ready = false;
    QByteArray echoed;
    QElapsedTimer clock;
    qint64 seenAtNs = -1;
    qsizetype want = 0;
    QObject::connect(&socket, &QWebSocket::textMessageReceived, &socket, [&](const QString &text) {
        const QJsonObject m = QJsonDocument::fromJson(text.toUtf8()).object();
        const QString type = m.value(L("type")).toString();
        if (type == L("response") && m.value(L("id")).toString() == L("open"))
            terminal = m.value(L("result")).toObject().value(L("terminal")).toString();
        else if (type == L("ready"))
            ready = true;
        else if (type == L("output")) {
            echoed += QByteArray::fromBase64(m.value(L("data_b64")).toString().toLatin1());
            if (seenAtNs < 0 && echoed.size() >= want)
                seenAtNs = clock.nsecsElapsed();
        }
    });
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + secret);
    socket.open(request);
    if (!waitFor([&] { return socket.state() == QAbstractSocket::ConnectedState; }, 10000)) {
        result.error = QStringLiteral("raw echo: no connection");
        return result;
    }
    const auto send = [&](const QJsonObject &message) {
        socket.sendTextMessage(QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact)));
    };
    send({{L("type"), L("terminal_open")}, {L("id"), L("open")}, {L("cols"), cols}, {L("rows"), 24},
        {L("encoding"), L("base64")}});
    if (!waitFor([&] { return ready && !terminal.isEmpty(); }, 10000)) {
        result.error = QStringLiteral("raw echo: the terminal did not become ready");
        return result;
    }
    pause(200);
    const qsizetype base = echoed.size();
    for (int i = 0; i < keystrokes; ++i) {
        const QByteArray key(1, keyFor(i));
        want = base + i + 1;
        seenAtNs = -1;
        clock.start();
        send({{L("type"), L("input")}, {L("terminal"), terminal},
            {L("data_b64"), QString::fromLatin1(key.toBase64())}});
        if (!waitFor([&] { return seenAtNs >= 0; }, kEchoTimeoutMs)) {
            result.error = QStringLiteral("raw echo: keystroke %1 never came back").arg(i);
            break;
        }
        result.ms.append(double(seenAtNs) / 1e6);
        if (echoed.at(want - 1) != key.at(0)) {
            result.error = QStringLiteral("raw echo: keystroke %1 came back as something else").arg(i);
            break;
        }
        pause(kEchoPaceMs);
    }
    send({{L("type"), L("terminal_close")}, {L("id"), L("close")}, {L("terminal"), terminal}});
    pause(100);
    socket.close();
    waitFor([&] { return socket.state() == QAbstractSocket::UnconnectedState; }, 3000);
    return result;
}

} // namespace opsdeck::bench
