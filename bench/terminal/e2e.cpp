// Throughput end to end: the hub's PTY runs `cat FILE`, its output goes hub → HubClient →
// TerminalSession → VtermScreen, and a TerminalItem in a QQuickWindow repaints as the screen
// changes — the console's own path, with the hub on its own thread as the console embeds it.

#include "benchterm.h"
#include "hubclient.h"
#include "terminalitem.h"
#include "termsession.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QQuickWindow>
#include <QTimer>
#include <algorithm>
#include <atomic>
#include <functional>

namespace opsdeck::bench {

using termui::TerminalItem;
using termui::TerminalSession;
using transport::HubClient;

namespace {
    // Runs the event loop until `done` or the deadline; false on timeout.
    bool spinUntil(const std::function<bool()> &done, const QDeadlineTimer &deadline)
    {
        while (!done()) {
            if (deadline.hasExpired())
                return false;
            QEventLoop loop;
            QTimer::singleShot(5, &loop, &QEventLoop::quit);
            loop.exec();
        }
        return true;
    }
} // namespace

E2eResult runEndToEnd(
    const QUrl &url, const QByteArray &secret, qint64 expectedBytes, int cols, int rows, int timeoutMs)
{
    E2eResult result;
    const QDeadlineTimer deadline(timeoutMs);

    transport::HubClientOptions options;
    options.watchNetwork = false;
    HubClient client(options);
    client.setTokenProvider([secret] { return QString::fromLatin1(secret); });
    client.open(url);
    if (!spinUntil([&] { return client.state() == HubClient::State::Connected; }, deadline)) {
        result.error = QStringLiteral("the client did not connect to the hub");
        return result;
    }

    TerminalSession session;
    session.setClient(&client);
    QQuickWindow window;
    window.setColor(Qt::black);
    auto *item = new TerminalItem(window.contentItem());
    // Exactly cols × rows cells (the item keeps kPadding around the grid), like `-geometry`.
    const qreal width = 2 * TerminalItem::kPadding + cols * item->cellWidth() + 0.5;
    const qreal height = 2 * TerminalItem::kPadding + rows * item->cellHeight() + 0.5;
    item->setSize(QSizeF(width, height));
    window.resize(int(width), int(height));
    item->setScreen(session.screen());
    item->updateGridSize();
    if (item->cols() != cols || item->rows() != rows) {
        result.error = QStringLiteral("the item's grid is %1x%2, not %3x%4")
                           .arg(item->cols())
                           .arg(item->rows())
                           .arg(cols)
                           .arg(rows);
        return result;
    }
    // frameSwapped comes from the render thread with the threaded render loop.
    std::atomic<int> frames {0};
    QObject::connect(
        &window, &QQuickWindow::frameSwapped, &window, [&frames] { ++frames; }, Qt::DirectConnection);
    window.show();
    if (!spinUntil([&] { return frames.load() > 0; }, deadline)) {
        result.error = QStringLiteral("the window never showed a frame");
        return result;
    }

    // The last moment a byte reached the screen: output stops before `exit` arrives.
    QElapsedTimer clock;
    qint64 lastByteNs = -1;
    qint64 lastConsumed = 0;
    int framesAtLastByte = 0;
    QObject::connect(session.screen(), &termui::VtermScreen::damaged, &window, [&] {
        if (session.consumedOffset() != lastConsumed) {
            lastConsumed = session.consumedOffset();
            lastByteNs = clock.nsecsElapsed();
            framesAtLastByte = frames.load();
        }
    });
    bool exited = false;
    QObject::connect(&session, &TerminalSession::exited, &window, [&](int code) {
        exited = true;
        result.exitCode = code;
    });
    const int framesBefore = frames.load();
    clock.start();
    session.open(cols, rows);
    if (!spinUntil([&] { return exited || session.state() == TerminalSession::State::Failed; }, deadline)) {
        result.error = QStringLiteral("timed out after %1 of %2 bytes")
                           .arg(session.consumedOffset())
                           .arg(expectedBytes);
        return result;
    }
    if (!exited) {
        result.error
            = QStringLiteral("the session failed: %1 %2").arg(session.errorCode(), session.errorString());
        return result;
    }
    // The last byte is on the screen once a frame after it has been swapped.
    spinUntil([&] { return frames.load() > framesAtLastByte; }, QDeadlineTimer(2000));
    result.seconds = double(lastByteNs) / 1e9;
    result.consumed = session.consumedOffset();
    // Frames after that one are the cursor blinking on an idle screen.
    result.frames = std::min(frames.load(), framesAtLastByte + 1) - framesBefore;
    if (result.consumed != expectedBytes)
        result.error = QStringLiteral("%1 bytes reached the screen, %2 expected")
                           .arg(result.consumed)
                           .arg(expectedBytes);
    client.close();
    return result;
}

} // namespace opsdeck::bench
