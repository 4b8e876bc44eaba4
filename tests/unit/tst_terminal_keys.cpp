// Keyboard and paste encoding: Qt key events in, the bytes an xterm-compatible terminal sends out.

#include "vtermscreen.h"

#include <QSignalSpy>
#include <QTest>

using namespace opsdeck::termui;

class TestTerminalKeys : public QObject
{
    Q_OBJECT

    static QByteArray bytesOf(
        VtermScreen &screen, int key, Qt::KeyboardModifiers mods = Qt::NoModifier, const QString &text = {})
    {
        QByteArray out;
        auto connection = connect(&screen, &VtermScreen::output, [&out](const QByteArray &b) { out += b; });
        screen.sendKey(key, mods, text);
        disconnect(connection);
        return out;
    }

private Q_SLOTS:
    void keys_data()
    {
        QTest::addColumn<int>("key");
        QTest::addColumn<int>("mods");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QByteArray>("expected");
        const int none = Qt::NoModifier;
        const int ctrl = Qt::ControlModifier;
        const int alt = Qt::AltModifier;
        const int shift = Qt::ShiftModifier;
        QTest::newRow("a") << int(Qt::Key_A) << none << "a" << QByteArray("a");
        QTest::newRow("A") << int(Qt::Key_A) << shift << "A" << QByteArray("A");
        QTest::newRow("é") << int(Qt::Key_Eacute) << none << "é" << QStringLiteral("é").toUtf8();
        QTest::newRow("enter") << int(Qt::Key_Return) << none << "\r" << QByteArray("\r");
        QTest::newRow("tab") << int(Qt::Key_Tab) << none << "\t" << QByteArray("\t");
        QTest::newRow("shift-tab") << int(Qt::Key_Backtab) << shift << "" << QByteArray("\x1b[Z");
        QTest::newRow("esc") << int(Qt::Key_Escape) << none << "\x1b" << QByteArray("\x1b");
        QTest::newRow("backspace") << int(Qt::Key_Backspace) << none << "\b" << QByteArray("\x7f");
        QTest::newRow("up") << int(Qt::Key_Up) << none << "" << QByteArray("\x1b[A");
        QTest::newRow("down") << int(Qt::Key_Down) << none << "" << QByteArray("\x1b[B");
        QTest::newRow("right") << int(Qt::Key_Right) << none << "" << QByteArray("\x1b[C");
        QTest::newRow("left") << int(Qt::Key_Left) << none << "" << QByteArray("\x1b[D");
        QTest::newRow("ctrl-left") << int(Qt::Key_Left) << ctrl << "" << QByteArray("\x1b[1;5D");
        QTest::newRow("home") << int(Qt::Key_Home) << none << "" << QByteArray("\x1b[H");
        QTest::newRow("end") << int(Qt::Key_End) << none << "" << QByteArray("\x1b[F");
        QTest::newRow("pgup") << int(Qt::Key_PageUp) << none << "" << QByteArray("\x1b[5~");
        QTest::newRow("pgdn") << int(Qt::Key_PageDown) << none << "" << QByteArray("\x1b[6~");
        QTest::newRow("delete") << int(Qt::Key_Delete) << none << "" << QByteArray("\x1b[3~");
        QTest::newRow("f1") << int(Qt::Key_F1) << none << "" << QByteArray("\x1bOP");
        QTest::newRow("f4") << int(Qt::Key_F4) << none << "" << QByteArray("\x1bOS");
        QTest::newRow("f5") << int(Qt::Key_F5) << none << "" << QByteArray("\x1b[15~");
        QTest::newRow("f12") << int(Qt::Key_F12) << none << "" << QByteArray("\x1b[24~");
        QTest::newRow("ctrl-c") << int(Qt::Key_C) << ctrl << "\x03" << QByteArray("\x03");
        QTest::newRow("ctrl-shift-c-is-still-etx")
            << int(Qt::Key_C) << (ctrl | shift) << "" << QByteArray("\x03");
        QTest::newRow("ctrl-d") << int(Qt::Key_D) << ctrl << "\x04" << QByteArray("\x04");
        QTest::newRow("ctrl-z") << int(Qt::Key_Z) << ctrl << "\x1a" << QByteArray("\x1a");
        QTest::newRow("ctrl-space") << int(Qt::Key_Space) << ctrl << "" << QByteArray(1, '\0');
        QTest::newRow("ctrl-backslash") << int(Qt::Key_Backslash) << ctrl << "" << QByteArray("\x1c");
        QTest::newRow("alt-x") << int(Qt::Key_X) << alt << "x"
                               << QByteArray("\x1b"
                                             "x");
        QTest::newRow("alt-shift-x") << int(Qt::Key_X) << (alt | shift) << "X"
                                     << QByteArray("\x1b"
                                                   "X");
        QTest::newRow("alt-dot") << int(Qt::Key_Period) << alt << "." << QByteArray("\x1b.");
        QTest::newRow("ctrl-alt-a") << int(Qt::Key_A) << (ctrl | alt) << "" << QByteArray("\x1b\x01");
        QTest::newRow("alt-backspace") << int(Qt::Key_Backspace) << alt << "" << QByteArray("\x1b\x7f");
        QTest::newRow("shift-alone") << int(Qt::Key_Shift) << shift << "" << QByteArray();
        QTest::newRow("ctrl-alone") << int(Qt::Key_Control) << ctrl << "" << QByteArray();
    }
    void keys()
    {
        QFETCH(int, key);
        QFETCH(int, mods);
        QFETCH(QString, text);
        QFETCH(QByteArray, expected);
        VtermScreen screen;
        QCOMPARE(bytesOf(screen, key, Qt::KeyboardModifiers(mods), text), expected);
    }

    void applicationCursorKeys()
    {
        VtermScreen screen;
        screen.feed("\x1b[?1h"); // DECCKM, as vim and less set it
        QCOMPARE(bytesOf(screen, Qt::Key_Up), QByteArray("\x1bOA"));
        screen.feed("\x1b[?1l");
        QCOMPARE(bytesOf(screen, Qt::Key_Up), QByteArray("\x1b[A"));
    }

    void pastePlain()
    {
        VtermScreen screen;
        QSignalSpy output(&screen, &VtermScreen::output);
        screen.paste(QStringLiteral("ls\r\necho é\n"));
        QByteArray all;
        for (const auto &args : output)
            all += args.first().toByteArray();
        QCOMPARE(all, QStringLiteral("ls\recho é\r").toUtf8());
    }

    void pasteBracketedWhenAsked()
    {
        VtermScreen screen;
        screen.feed("\x1b[?2004h");
        QSignalSpy output(&screen, &VtermScreen::output);
        // An end marker inside the text must not end the bracket early.
        screen.paste(QStringLiteral("rm -rf x\x1b[201~\nreboot\n"));
        QByteArray all;
        for (const auto &args : output)
            all += args.first().toByteArray();
        QCOMPARE(all, QByteArray("\x1b[200~rm -rf x\rreboot\r\x1b[201~"));

        screen.feed("\x1b[?2004l");
        output.clear();
        screen.paste(QStringLiteral("x"));
        QCOMPARE(output.count(), 1);
        QCOMPARE(output.first().first().toByteArray(), QByteArray("x"));
    }
};

QTEST_GUILESS_MAIN(TestTerminalKeys)
#include "tst_terminal_keys.moc"
