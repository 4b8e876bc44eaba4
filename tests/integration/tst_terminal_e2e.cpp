// The terminal pane's whole path, without a window: the console's TerminalSession and its
// libvterm screen, over the client core, to a real HubServer (terminals on, loopback, a secret —
// as the app embeds it) and a real shell in a PTY. What an operator does: type and read, resize,
// run a full-screen program, flood the terminal, lose the connection and come back to the same
// shell with its screen, and exit.

#include "faultproxy.h"
#include "hubclient.h"
#include "hubserver.h"
#include "termsession.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace opsdeck;
using termui::TerminalSession;
using termui::VtermScreen;
using transport::HubClient;
using transport::HubClientOptions;
using transport::testing::FaultProxy;

namespace {

const QByteArray kSecret = QByteArrayLiteral("e2e-terminal-secret");

// Everything on the screen and in the scrollback, one string a line (the flood scrolls).
QString screenText(const VtermScreen &screen)
{
    QStringList lines;
    for (int index = -screen.scrollbackCount(); index < screen.rows(); ++index)
        lines.append(screen.lineText(index));
    return lines.join(u'\n');
}

int occurrences(const QString &text, const QString &needle)
{
    return int(text.count(needle));
}

} // namespace

class TestTerminalEndToEnd : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<hub::HubServer> m_hub;
    std::unique_ptr<FaultProxy> m_proxy;
    std::unique_ptr<HubClient> m_client;
    std::unique_ptr<TerminalSession> m_session;
    QTemporaryDir m_home;

    VtermScreen &screen() { return *m_session->screen(); }
    // Waits until `text` is on the screen or in the scrollback.
    bool shows(const QString &text, int timeoutMs = 20000)
    {
        if (QTest::qWaitFor([&] { return screenText(screen()).contains(text); }, timeoutMs))
            return true;
        qWarning().noquote() << "screen:\n" << screenText(screen()).right(2000);
        return false;
    }
    void type(const QString &line) { m_session->sendText(line + QStringLiteral("\r")); }
    // The visible rows only: cheap enough to poll while megabytes scroll past (the scrollback
    // holds 10,000 lines, and reading all of them every few ms would slow the flood itself).
    bool onScreen(const QString &text) const
    {
        for (int row = 0; row < m_session->screen()->rows(); ++row) {
            if (m_session->screen()->lineText(row).contains(text))
                return true;
        }
        return false;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        // A plain, predictable shell: no rc files, a prompt the test does not depend on.
        qputenv("HOME", m_home.path().toUtf8());
        qputenv("SHELL", "/bin/sh");
        qputenv("PS1", "$ ");
    }

    void init()
    {
        hub::HubConfig config;
        config.port = 0;
        config.secret = kSecret;
        config.terminalsEnabled = true;
        config.terminalShell = QStringLiteral("/bin/sh");
        m_hub = std::make_unique<hub::HubServer>(config);
        QVERIFY(m_hub->listen());
        // Between client and hub, a proxy that can cut the connection like a network would.
        m_proxy = std::make_unique<FaultProxy>(m_hub->url().port());
        QVERIFY(m_proxy->listen());

        HubClientOptions options;
        options.watchNetwork = false;
        options.backoff.baseMs = 50;
        options.backoff.capMs = 300;
        m_client = std::make_unique<HubClient>(options);
        m_client->setTokenProvider([] { return QString::fromLatin1(kSecret); });
        QUrl url = m_hub->url();
        url.setPort(m_proxy->port());
        m_client->open(url);
        QTRY_COMPARE_WITH_TIMEOUT(m_client->state(), HubClient::State::Connected, 10000);

        m_session = std::make_unique<TerminalSession>();
        m_session->setClient(m_client.get());
        m_session->open(100, 30);
        QTRY_COMPARE_WITH_TIMEOUT(m_session->state(), TerminalSession::State::Ready, 10000);
    }

    void cleanup()
    {
        m_session.reset();
        m_client.reset();
        m_proxy.reset();
        m_hub.reset();
    }

    void typedCommandShowsItsOutput()
    {
        type(QStringLiteral("printf 'MARK%s\\n' 42"));
        QVERIFY(shows(QStringLiteral("MARK42")));
        // Colours reach the cells: a red word is red on screen.
        type(QStringLiteral("printf 'x\\033[31mRED\\033[0m\\n'"));
        QVERIFY(shows(QStringLiteral("xRED")));
        for (int row = 0; row < screen().rows(); ++row) {
            const int col = screen().lineText(row).indexOf(QStringLiteral("xRED"));
            if (col >= 0 && !screen().lineText(row).contains(QStringLiteral("printf"))) {
                QCOMPARE(screen().cell(row, col + 1).fg, VtermScreen::ansiColor(1));
                return;
            }
        }
        QFAIL("the red word is not on the screen");
    }

    void resizeReachesTheShell()
    {
        screen().resize(132, 40);
        type(QStringLiteral("stty size"));
        QVERIFY(shows(QStringLiteral("40 132")));
    }

    void fullScreenProgramUsesTheAlternateScreen()
    {
        QFile file(m_home.filePath(QStringLiteral("pages.txt")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        for (int i = 1; i <= 500; ++i)
            file.write(QByteArrayLiteral("page line ") + QByteArray::number(i) + '\n');
        file.close();
        type(QStringLiteral("less ") + file.fileName());
        QTRY_VERIFY_WITH_TIMEOUT(screen().isAltScreen(), 20000);
        QVERIFY(shows(QStringLiteral("page line 1")));
        QVERIFY(!screenText(screen()).contains(QStringLiteral("page line 200")));
        m_session->sendText(QStringLiteral(" ")); // next page
        QVERIFY(shows(QStringLiteral("page line 31")));
        m_session->sendText(QStringLiteral("q"));
        QTRY_VERIFY_WITH_TIMEOUT(!screen().isAltScreen(), 20000);
    }

    // 20 MB through PTY → hub → client → libvterm, acknowledged as it is consumed; meanwhile the
    // same connection keeps answering other requests.
    void floodArrivesWholeAndTheLinkStaysResponsive()
    {
        const qint64 before = m_session->consumedOffset();
        // 2,400,000 lines of 8 digits + newline ≈ 21.6 MB of output (the PTY adds a CR per line).
        type(QStringLiteral("seq 10000001 12400000; echo FLOOD-END"));
        QTRY_VERIFY_WITH_TIMEOUT(m_session->consumedOffset() - before > 1000000, 60000);
        // A reply deletes itself after finished(): read it there.
        transport::HubReply *reply
            = m_client->request(QJsonObject {{QStringLiteral("type"), QStringLiteral("query")},
                {QStringLiteral("query"), QStringLiteral("stats")}});
        bool answered = false;
        QString errorCode = QStringLiteral("no answer");
        connect(reply, &transport::HubReply::finished, this, [&answered, &errorCode, reply] {
            answered = true;
            errorCode = reply->errorCode();
        });
        QTRY_VERIFY_WITH_TIMEOUT(answered, 20000);
        QVERIFY2(errorCode.isEmpty(), qPrintable(errorCode));
        QTRY_VERIFY_WITH_TIMEOUT(onScreen(QStringLiteral("FLOOD-END")), 600000);
        QVERIFY(m_session->consumedOffset() - before > 20000000);
        // The last numbers are on screen, whole and in order.
        const QString text = screenText(screen());
        QVERIFY(text.contains(QStringLiteral("12399999\n12400000")));
        QCOMPARE(m_session->state(), TerminalSession::State::Ready);
    }

    void cutConnectionComesBackToTheSameShellAndScreen()
    {
        type(QStringLiteral("OPSMARK=kept; printf 'BEFORE%s\\n' -cut"));
        QVERIFY(shows(QStringLiteral("BEFORE-cut")));
        const QString terminalId = m_session->terminalId();

        // Recorded, not polled: the first retry may re-attach within one QTRY poll interval.
        bool wasReconnecting = false;
        const auto watch = connect(m_session.get(), &TerminalSession::stateChanged, this, [&] {
            wasReconnecting = wasReconnecting || m_session->state() == TerminalSession::State::Reconnecting;
        });
        m_proxy->cut();
        QTRY_VERIFY_WITH_TIMEOUT(wasReconnecting, 10000);
        disconnect(watch);
        QTRY_COMPARE_WITH_TIMEOUT(m_session->state(), TerminalSession::State::Ready, 20000);
        QCOMPARE(m_session->terminalId(), terminalId);
        // The screen is restored, not doubled by the replay.
        QCOMPARE(occurrences(screenText(screen()), QStringLiteral("BEFORE-cut\n")), 1);

        type(QStringLiteral("printf 'AFTER%s\\n' \"$OPSMARK\""));
        QVERIFY(shows(QStringLiteral("AFTERkept")));
    }

    void exitEndsTheSessionWithItsCode()
    {
        QSignalSpy exited(m_session.get(), &TerminalSession::exited);
        type(QStringLiteral("exit 7"));
        QTRY_COMPARE_WITH_TIMEOUT(exited.size(), 1, 20000);
        QCOMPARE(exited.first().first().toInt(), 7);
        QCOMPARE(m_session->state(), TerminalSession::State::Exited);
        QCOMPARE(m_session->exitCode(), 7);
    }
};

QTEST_GUILESS_MAIN(TestTerminalEndToEnd)
#include "tst_terminal_e2e.moc"
