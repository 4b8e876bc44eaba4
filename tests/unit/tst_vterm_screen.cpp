// VtermScreen: escape sequences in, the cells, colours, cursor and scrollback a renderer needs out.

#include "vtermscreen.h"

#include <QSignalSpy>
#include <QTest>

using namespace opsdeck::termui;

class TestVtermScreen : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void plainTextAndCursor()
    {
        VtermScreen screen;
        screen.resize(20, 5);
        QSignalSpy damaged(&screen, &VtermScreen::damaged);
        screen.takeDamage();
        screen.feed("hello\r\nworld");
        QCOMPARE(screen.lineText(0), QStringLiteral("hello"));
        QCOMPARE(screen.lineText(1), QStringLiteral("world"));
        QCOMPARE(screen.cursor(), QPoint(5, 1));
        QCOMPARE(damaged.count(), 1); // one feed, one report
        const QRect damage = screen.takeDamage();
        QVERIFY(damage.contains(QPoint(0, 0)));
        QVERIFY(damage.contains(QPoint(4, 1)));
        QVERIFY(screen.takeDamage().isEmpty());

        screen.feed("\x1b[3;7H");
        QCOMPARE(screen.cursor(), QPoint(6, 2));
        screen.feed("\x1b[?25l");
        QVERIFY(!screen.isCursorVisible());
        screen.feed("\x1b[?25h\x1b[4 q");
        QVERIFY(screen.isCursorVisible());
        QCOMPARE(screen.cursorShape(), VtermScreen::CursorShape::Underline);
        QVERIFY(!screen.cursorBlinks());
        screen.feed("\x1b[5 q");
        QCOMPARE(screen.cursorShape(), VtermScreen::CursorShape::Bar);
        QVERIFY(screen.cursorBlinks());
    }

    void sixteenColours()
    {
        VtermScreen screen;
        screen.feed("\x1b[31mR\x1b[0mD\x1b[1;92mB\x1b[44mb");
        QCOMPARE(screen.cell(0, 0).ch, char32_t('R'));
        QCOMPARE(screen.cell(0, 0).fg, VtermScreen::ansiColor(1));
        QVERIFY(!screen.cell(0, 0).has(TerminalCell::DefaultFg));
        QVERIFY(screen.cell(0, 0).has(TerminalCell::DefaultBg));
        QVERIFY(screen.cell(0, 1).has(TerminalCell::DefaultFg));
        QCOMPARE(screen.cell(0, 1).fg, screen.defaultForeground().rgb());
        QCOMPARE(screen.cell(0, 2).fg, VtermScreen::ansiColor(10));
        QVERIFY(screen.cell(0, 2).has(TerminalCell::Bold));
        QCOMPARE(screen.cell(0, 3).bg, VtermScreen::ansiColor(4));
        QVERIFY(!screen.cell(0, 3).has(TerminalCell::DefaultBg));
    }

    void colours256AndTruecolor()
    {
        VtermScreen screen;
        screen.feed("\x1b[38;5;196mA\x1b[48;5;21mB\x1b[38;5;244mC\x1b[0m"
                    "\x1b[38;2;18;52;86mD\x1b[48;2;200;100;50mE");
        QCOMPARE(screen.cell(0, 0).fg, qRgb(0xff, 0, 0)); // cube 5,0,0
        QCOMPARE(screen.cell(0, 1).bg, qRgb(0, 0, 0xff)); // cube 0,0,5
        const QRgb grey = screen.cell(0, 2).fg; // grey ramp: r = g = b, mid-grey
        QVERIFY(qRed(grey) == qGreen(grey) && qGreen(grey) == qBlue(grey));
        QVERIFY(qRed(grey) > 0x60 && qRed(grey) < 0xa0);
        QCOMPARE(screen.cell(0, 3).fg, qRgb(18, 52, 86));
        QCOMPARE(screen.cell(0, 4).bg, qRgb(200, 100, 50));
        QCOMPARE(screen.cell(0, 4).fg, qRgb(18, 52, 86));
    }

    void attributes()
    {
        VtermScreen screen;
        screen.feed("\x1b[1mb\x1b[0;3mi\x1b[0;4mu\x1b[0;7mv\x1b[0;9ms\x1b[0mn");
        QVERIFY(screen.cell(0, 0).has(TerminalCell::Bold));
        QVERIFY(screen.cell(0, 1).has(TerminalCell::Italic));
        QVERIFY(!screen.cell(0, 1).has(TerminalCell::Bold));
        QVERIFY(screen.cell(0, 2).has(TerminalCell::Underline));
        QVERIFY(screen.cell(0, 3).has(TerminalCell::Inverse));
        QVERIFY(screen.cell(0, 4).has(TerminalCell::Strike));
        const TerminalCell plain = screen.cell(0, 5);
        QCOMPARE(plain.attrs, quint8(TerminalCell::DefaultFg | TerminalCell::DefaultBg));
    }

    void wideCharsAndUtf8SplitAcrossFeeds()
    {
        VtermScreen screen;
        const QByteArray text = QStringLiteral("a日b").toUtf8(); // 日 is 3 bytes, 2 cells
        screen.feed(text.left(2)); // 'a' + first byte of 日
        screen.feed(text.mid(2, 1));
        screen.feed(text.mid(3));
        QCOMPARE(screen.cell(0, 0).ch, char32_t('a'));
        QCOMPARE(screen.cell(0, 1).ch, char32_t(0x65e5));
        QCOMPARE(screen.cell(0, 1).width, quint8(2));
        QCOMPARE(screen.cell(0, 2).width, quint8(0)); // right half
        QCOMPARE(screen.cell(0, 3).ch, char32_t('b'));
        QCOMPARE(screen.cursor(), QPoint(4, 0));
        QCOMPARE(screen.lineText(0), QStringLiteral("a日b"));

        const QByteArray emoji = QStringLiteral("\U0001F600").toUtf8(); // 4 bytes
        screen.feed("\r\n");
        for (char byte : emoji)
            screen.feed(QByteArray(1, byte));
        QCOMPARE(screen.cell(1, 0).ch, char32_t(0x1F600));
    }

    void altScreenKeepsPrimary()
    {
        VtermScreen screen;
        screen.resize(20, 4);
        QSignalSpy alt(&screen, &VtermScreen::altScreenChanged);
        screen.feed("primary");
        screen.feed("\x1b[?1049h\x1b[2J\x1b[Hfull-screen app");
        QVERIFY(screen.isAltScreen());
        QCOMPARE(screen.lineText(0), QStringLiteral("full-screen app"));
        // Lines scrolled off the alternate screen never reach the scrollback.
        screen.feed("\r\n1\r\n2\r\n3\r\n4\r\n5");
        QCOMPARE(screen.scrollbackCount(), 0);
        screen.feed("\x1b[?1049l");
        QVERIFY(!screen.isAltScreen());
        QCOMPARE(screen.lineText(0), QStringLiteral("primary"));
        QCOMPARE(alt.count(), 2);
    }

    void titleFromOsc()
    {
        VtermScreen screen;
        QSignalSpy title(&screen, &VtermScreen::titleChanged);
        screen.feed("\x1b]2;ops@edge-1: ~\x07");
        QCOMPARE(screen.title(), QStringLiteral("ops@edge-1: ~"));
        QCOMPARE(title.count(), 1);
    }

    void scrollbackIsCappedAndPoppedOnResize()
    {
        VtermScreen screen;
        screen.resize(10, 5);
        QSignalSpy pushed(&screen, &VtermScreen::scrollbackChanged);
        QByteArray bytes;
        for (int i = 0; i < 12000; ++i)
            bytes += QByteArray::number(i) + "\r\n";
        screen.feed(bytes);
        QCOMPARE(screen.scrollbackCount(), VtermScreen::kScrollbackLines);
        QCOMPARE(pushed.count(), 1);
        // 12,000 lines + the empty cursor line on a 5-row screen: 11,996 went up; the oldest
        // 1,996 fell off the end.
        QCOMPARE(pushed.first().first().toInt(), 11996);
        QCOMPARE(screen.lineText(-VtermScreen::kScrollbackLines), QStringLiteral("1996"));
        QCOMPARE(screen.lineText(-1), QStringLiteral("11995"));
        QCOMPARE(screen.lineText(0), QStringLiteral("11996"));
        QCOMPARE(screen.lineText(3), QStringLiteral("11999"));

        // Growing the screen takes lines back from the scrollback.
        screen.resize(10, 8);
        QCOMPARE(screen.scrollbackCount(), VtermScreen::kScrollbackLines - 3);
        QCOMPARE(screen.lineText(0), QStringLiteral("11993"));
        QCOMPARE(pushed.last().first().toInt(), -3);
    }

    void scrollbackKeepsColours()
    {
        VtermScreen screen;
        screen.resize(10, 2);
        screen.feed("\x1b[38;2;1;2;3mx\x1b[0m\r\n\r\n\r\n");
        QCOMPARE(screen.scrollbackCount(), 2);
        const TerminalLine line = screen.line(-2);
        QCOMPARE(line.size(), 1); // trailing blanks trimmed
        QCOMPARE(line.first().fg, qRgb(1, 2, 3));
        // And they come back intact when the screen grows again.
        screen.resize(10, 4);
        QCOMPARE(screen.cell(0, 0).fg, qRgb(1, 2, 3));
        QCOMPARE(screen.cell(0, 0).ch, char32_t('x'));
    }

    void answersQueries()
    {
        VtermScreen screen;
        QSignalSpy output(&screen, &VtermScreen::output);
        screen.feed("abc\x1b[6n"); // DSR: cursor position report
        QCOMPARE(output.count(), 1);
        QCOMPARE(output.first().first().toByteArray(), QByteArray("\x1b[1;4R"));
        output.clear();
        screen.feed("\x1b[c"); // primary DA
        QVERIFY(!output.isEmpty());
        QVERIFY(output.first().first().toByteArray().startsWith("\x1b[?"));
    }

    void defaultColoursFollowTheTheme()
    {
        VtermScreen screen;
        screen.feed("x");
        screen.takeDamage();
        screen.setDefaultBackground(QColor(QStringLiteral("#f4f6f9")));
        QCOMPARE(screen.cell(0, 0).bg, qRgb(0xf4, 0xf6, 0xf9));
        QCOMPARE(screen.takeDamage(), QRect(0, 0, screen.cols(), screen.rows()));
    }

    void resetClearsEverything()
    {
        VtermScreen screen;
        screen.resize(10, 2);
        screen.feed("\x1b]2;t\x07"
                    "a\r\nb\r\nc");
        QVERIFY(screen.scrollbackCount() > 0);
        screen.reset();
        QCOMPARE(screen.scrollbackCount(), 0);
        QVERIFY(screen.title().isEmpty());
        QVERIFY(screen.lineText(0).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestVtermScreen)
#include "tst_vterm_screen.moc"
