// The command line and environment block ConPtyProcess hands to CreateProcessW (Windows only,
// but plain string work tested here on every platform). The quoting is checked by splitting the
// line again with the C runtime's documented rules, the way the started program will.

#include "windowscommandline.h"

#include <QTest>

using namespace opsdeck::terminal;

namespace {
// The Microsoft C runtime's argv parsing ("Parsing C++ command-line arguments"): 2n
// backslashes before a quote give n and the quote opens or closes; 2n+1 give n and a literal
// quote; backslashes elsewhere are literal; blanks outside quotes separate arguments. argv[0]
// (the program) is taken up to the next quote or blank, without escapes.
QStringList splitLikeTheCRuntime(const QString &line)
{
    QStringList argv;
    qsizetype i = 0;
    QString program;
    if (line.startsWith(u'"')) {
        const qsizetype close = line.indexOf(u'"', 1);
        program = line.mid(1, close - 1);
        i = close + 1;
    } else {
        while (i < line.size() && line[i] != u' ' && line[i] != u'\t')
            program += line[i++];
    }
    argv << program;
    while (true) {
        while (i < line.size() && (line[i] == u' ' || line[i] == u'\t'))
            ++i;
        if (i >= line.size())
            break;
        QString argument;
        bool quoted = false;
        while (i < line.size() && (quoted || (line[i] != u' ' && line[i] != u'\t'))) {
            qsizetype backslashes = 0;
            while (i < line.size() && line[i] == u'\\') {
                ++backslashes;
                ++i;
            }
            if (i < line.size() && line[i] == u'"') {
                argument += QString(backslashes / 2, u'\\');
                if (backslashes % 2 == 1)
                    argument += u'"';
                else
                    quoted = !quoted;
                ++i;
            } else {
                argument += QString(backslashes, u'\\');
                if (i < line.size() && (quoted || (line[i] != u' ' && line[i] != u'\t')))
                    argument += line[i++];
            }
        }
        argv << argument;
    }
    return argv;
}
} // namespace

class TestWindowsCommandLine : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void plainArgumentsStayAsTheyAre()
    {
        QCOMPARE(windows::quoteArgument(QStringLiteral("/c")), QStringLiteral("/c"));
        QCOMPARE(windows::quoteArgument(QStringLiteral("C:\\dir\\file.txt")), QStringLiteral("C:\\dir\\file.txt"));
    }

    void quotingFollowsTheRuntimeRules()
    {
        QCOMPARE(windows::quoteArgument(QString()), QStringLiteral("\"\""));
        QCOMPARE(windows::quoteArgument(QStringLiteral("a b")), QStringLiteral("\"a b\""));
        QCOMPARE(windows::quoteArgument(QStringLiteral("a\"b")), QStringLiteral("\"a\\\"b\""));
        // A backslash before a quote is doubled; at the end it is doubled for the closing quote.
        QCOMPARE(windows::quoteArgument(QStringLiteral("a\\\"b")), QStringLiteral("\"a\\\\\\\"b\""));
        QCOMPARE(windows::quoteArgument(QStringLiteral("C:\\with space\\")),
            QStringLiteral("\"C:\\with space\\\\\""));
    }

    void everyArgumentComesBackWhole()
    {
        const QStringList arguments {QStringLiteral("/k"), QString(), QStringLiteral("two words"),
            QStringLiteral("tab\there"), QStringLiteral("\""), QStringLiteral("\\"), QStringLiteral("\\\\"),
            QStringLiteral("end\\"), QStringLiteral("\\\"mixed\\\\\" \\"), QStringLiteral("C:\\Program Files\\x\\"),
            QStringLiteral("echo \"hi\" & exit"), QStringLiteral("ünïcödé ✓")};
        const QString program = QStringLiteral("C:\\Program Files\\PowerShell\\7\\pwsh.exe");
        const QString line = windows::commandLine(program, arguments);
        QCOMPARE(splitLikeTheCRuntime(line), QStringList {program} + arguments);
    }

    void environmentIsSortedWithoutRegardToCase()
    {
        const QString block = windows::environmentBlock({QStringLiteral("b=2"), QStringLiteral("Path=C:\\bin"),
            QStringLiteral("A=1"), QStringLiteral("=C:=C:\\work"), QStringLiteral("PATHEXT=.EXE"),
            QStringLiteral("TERM=xterm-256color")});
        QCOMPARE(block,
            QStringLiteral("=C:=C:\\work") + QChar(0) + QStringLiteral("A=1") + QChar(0) + QStringLiteral("b=2")
                + QChar(0) + QStringLiteral("Path=C:\\bin") + QChar(0) + QStringLiteral("PATHEXT=.EXE") + QChar(0)
                + QStringLiteral("TERM=xterm-256color") + QChar(0) + QChar(0));
    }

    void environmentBlockIsAlwaysTerminated()
    {
        QCOMPARE(windows::environmentBlock({}), QString(2, QChar(0)));
        // An entry holding a NUL would end the block early; an empty one would end it at once.
        const QString withNul = QStringLiteral("BAD=a") + QChar(0) + QStringLiteral("b");
        QCOMPARE(windows::environmentBlock({withNul, QString(), QStringLiteral("OK=1")}),
            QStringLiteral("OK=1") + QChar(0) + QChar(0));
    }
};

QTEST_GUILESS_MAIN(TestWindowsCommandLine)
#include "tst_windowscommandline.moc"
