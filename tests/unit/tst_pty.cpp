// The PTY layer (hub/terminal): a real /bin/sh on a pseudo terminal, and the terminal session's
// UTF-8 boundaries, ring and flow control against a scripted PTY.

#include "ptyprocess.h"
#include "scrollbackring.h"
#include "terminalsession.h"
#include "utf8boundary.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTest>
#include <csignal>

using namespace opsdeck::terminal;

namespace {
// A started /bin/sh whose output is collected as it arrives.
struct Shell
{
    std::unique_ptr<PtyProcess> pty = PtyProcess::create();
    QByteArray output;

    bool start(QStringList arguments = {}, int cols = 80, int rows = 24)
    {
        QObject::connect(
            pty.get(), &PtyProcess::readyRead, pty.get(), [this] { output += pty->read(65536); });
        PtyProcess::StartOptions options;
        options.program = QStringLiteral("/bin/sh");
        options.arguments = arguments;
        options.environment = PtyProcess::terminalEnvironment();
        options.cols = cols;
        options.rows = rows;
        return pty->start(options);
    }
};

// Bytes the process has written so far (/proc/PID/io), -1 when unreadable.
qint64 bytesWritten(qint64 pid)
{
    QFile io(QStringLiteral("/proc/%1/io").arg(pid));
    if (!io.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : io.readAll().split('\n')) {
        if (line.startsWith("wchar:"))
            return line.mid(6).trimmed().toLongLong();
    }
    return -1;
}

// A PTY whose output the test scripts, to drive TerminalSession deterministically.
class ScriptedPty : public PtyProcess
{
public:
    bool start(const StartOptions &) override { return true; }
    qint64 pid() const override { return 4242; }
    bool isRunning() const override { return !ended; }
    QByteArray read(qint64 maxBytes) override
    {
        const QByteArray out = pending.left(maxBytes);
        pending.remove(0, out.size());
        return out;
    }
    void setReadingEnabled(bool enabled) override { reading = enabled; }
    bool isReadingEnabled() const override { return reading; }
    void write(const QByteArray &bytes) override { input += bytes; }
    qint64 pendingInputBytes() const override { return 0; }
    bool resize(int, int) override { return true; }
    void hangup(int) override { end(129, 1); }
    void kill() override { end(137, 9); }

    // Output the "program" wrote; offered to the session while it reads.
    void produce(const QByteArray &bytes)
    {
        pending += bytes;
        offer();
    }
    void offer()
    {
        while (reading && !pending.isEmpty()) {
            const qsizetype before = pending.size();
            Q_EMIT readyRead();
            if (pending.size() == before)
                break;
        }
    }
    void end(int code, int signal)
    {
        ended = true;
        Q_EMIT finished(code, signal);
    }

    QByteArray pending;
    QByteArray input;
    bool reading = true;
    bool ended = false;
};

QByteArray payloadOf(const QJsonObject &output)
{
    if (output.contains(QLatin1StringView("data_b64")))
        return QByteArray::fromBase64(output.value(QLatin1StringView("data_b64")).toString().toLatin1());
    return output.value(QLatin1StringView("data")).toString().toUtf8();
}
} // namespace

class TestPty : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shellEchoesAMarker()
    {
        Shell shell;
        QVERIFY2(shell.start(), qPrintable(shell.pty->errorString()));
        QVERIFY(shell.pty->pid() > 0);
        // Quoting splits the marker in the echoed command line, so only the output matches.
        shell.pty->write("echo MARK''ER-1; echo \"$TERM $COLORTERM\"\n");
        QTRY_VERIFY_WITH_TIMEOUT(shell.output.contains("MARKER-1"), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(shell.output.contains("xterm-256color truecolor"), 20000);
    }

    void sttySizeFollowsResize()
    {
        Shell shell;
        QVERIFY(shell.start({}, 120, 30));
        shell.pty->write("stty size\n");
        QTRY_VERIFY_WITH_TIMEOUT(shell.output.contains("30 120"), 20000);
        QVERIFY(shell.pty->resize(100, 40));
        shell.pty->write("stty size\n");
        QTRY_VERIFY_WITH_TIMEOUT(shell.output.contains("40 100"), 20000);
    }

    void exitCodeIsReported()
    {
        Shell shell;
        QVERIFY(shell.start());
        QSignalSpy finished(shell.pty.get(), &PtyProcess::finished);
        shell.pty->write("echo BYE''BYE; exit 3\n");
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
        QCOMPARE(finished.first().at(0).toInt(), 3);
        QCOMPARE(finished.first().at(1).toInt(), 0);
        // Output written before the exit arrived before `finished`.
        QVERIFY(shell.output.contains("BYEBYE"));
        QVERIFY(!shell.pty->isRunning());
    }

    void hangupEndsTheShell()
    {
        Shell shell;
        QVERIFY(shell.start());
        QSignalSpy finished(shell.pty.get(), &PtyProcess::finished);
        shell.pty->hangup(2000);
        // A shell may catch SIGHUP and exit on its own terms; it must be gone either way.
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
        QVERIFY(!shell.pty->isRunning());
    }

    void hangupKillsAProgramThatIgnoresIt()
    {
        Shell shell;
        QVERIFY(
            shell.start({QStringLiteral("-c"), QStringLiteral("trap '' HUP; echo READY; exec sleep 600")}));
        QTRY_VERIFY_WITH_TIMEOUT(shell.output.contains("READY"), 20000);
        QSignalSpy finished(shell.pty.get(), &PtyProcess::finished);
        shell.pty->hangup(300);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
        QCOMPARE(finished.first().at(1).toInt(), SIGKILL);
        QCOMPARE(finished.first().at(0).toInt(), 128 + SIGKILL);
    }

    void pausedReadingBlocksTheProgram()
    {
        Shell shell;
        QVERIFY(shell.start({QStringLiteral("-c"), QStringLiteral("exec yes")}));
        const qint64 pid = shell.pty->pid();
        if (bytesWritten(pid) < 0)
            QSKIP("/proc/PID/io is not readable here");
        QTRY_VERIFY_WITH_TIMEOUT(shell.output.size() > 100000, 20000);
        shell.pty->setReadingEnabled(false);
        // Once the terminal's buffer is full, `yes` blocks in write(): its count stops. Stable
        // means unchanged for a whole second (a loaded machine may just not schedule it briefly).
        qint64 last = bytesWritten(pid);
        QElapsedTimer unchanged;
        unchanged.start();
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const qint64 now = bytesWritten(pid);
                if (now != last) {
                    last = now;
                    unchanged.restart();
                }
                return unchanged.elapsed() > 1000;
            }(),
            30000);
        const qsizetype received = shell.output.size();
        QTest::qWait(500); // an observation window: nothing may move during it
        QCOMPARE(bytesWritten(pid), last);
        QCOMPARE(shell.output.size(), received);
        shell.pty->setReadingEnabled(true);
        QTRY_VERIFY_WITH_TIMEOUT(bytesWritten(pid) > last, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(shell.output.size() > received, 20000);
    }

    void utf8TailDetection()
    {
        QCOMPARE(incompleteUtf8Tail(""), 0);
        QCOMPARE(incompleteUtf8Tail("abc"), 0);
        QCOMPARE(incompleteUtf8Tail("a\xE2\x82\xAC"), 0); // € complete
        QCOMPARE(incompleteUtf8Tail("a\xE2\x82"), 2); // € missing one byte
        QCOMPARE(incompleteUtf8Tail("a\xE2"), 1);
        QCOMPARE(incompleteUtf8Tail("\xF0\x9F\x98"), 3); // 😀 missing one byte
        QCOMPARE(incompleteUtf8Tail("\xF0\x9F\x98\x80"), 0);
        QCOMPARE(incompleteUtf8Tail("\xC3"), 1); // é missing one byte
        QCOMPARE(incompleteUtf8Tail("x\x80"), 0); // stray continuation: invalid
        QCOMPARE(incompleteUtf8Tail("x\xFF"), 0); // never valid
        QCOMPARE(incompleteUtf8Tail("x\xC0"), 0); // overlong lead: never valid
    }

    void scrollbackRingKeepsTheNewestBytes()
    {
        ScrollbackRing ring(10);
        ring.append(QByteArray("0123456"));
        QCOMPARE(ring.read(0, 100), QByteArray("0123456"));
        ring.append(QByteArray("789ab"));
        QCOMPARE(ring.head(), 12);
        QCOMPARE(ring.oldest(), 2);
        QCOMPARE(ring.read(0, 100), QByteArray("23456789ab"));
        QCOMPARE(ring.read(5, 3), QByteArray("567"));
        ring.append(QByteArray("ABCDEFGHIJKLMNOP")); // more than the capacity at once
        QCOMPARE(ring.head(), 28);
        QCOMPARE(ring.read(ring.oldest(), 100), QByteArray("GHIJKLMNOP"));
    }

    void utf8OutputNeverSplitsACharacter()
    {
        auto owned = std::make_unique<ScriptedPty>();
        ScriptedPty *pty = owned.get();
        TerminalSession session(
            QStringLiteral("t-1"), QStringLiteral("me"), std::move(owned), 80, 24, 1024, 60000);
        QList<QJsonObject> sent;
        session.attach(
            1, [&](const QJsonObject &m) { sent.append(m); }, Encoding::Utf8, 16384, false);
        session.deliver();
        QCOMPARE(sent.size(), 1);
        QCOMPARE(sent.first().value(QLatin1StringView("type")).toString(), QStringLiteral("ready"));
        pty->produce("a\xE2\x82"); // "a" and the first two bytes of "€"
        pty->produce("\xAC b \xF0\x9F\x98"); // the rest of "€", then most of "😀"
        pty->produce("\x80");
        QCOMPARE(sent.size(), 4);
        QCOMPARE(sent[1].value(QLatin1StringView("data")).toString(), QStringLiteral("a"));
        QCOMPARE(sent[1].value(QLatin1StringView("seq")).toInteger(), 0);
        QCOMPARE(sent[2].value(QLatin1StringView("data")).toString(), QString::fromUtf8("\xE2\x82\xAC b "));
        QCOMPARE(sent[2].value(QLatin1StringView("seq")).toInteger(), 1);
        QCOMPARE(sent[3].value(QLatin1StringView("data")).toString(), QString::fromUtf8("\xF0\x9F\x98\x80"));
        QCOMPARE(sent[3].value(QLatin1StringView("seq")).toInteger(), 7);
        // Invalid bytes become U+FFFD; an unfinished character at the very end goes out as one.
        pty->produce("\xFFz\xE2");
        pty->end(0, 0);
        QCOMPARE(sent[4].value(QLatin1StringView("data")).toString(), QString::fromUtf8("\xEF\xBF\xBDz"));
        QCOMPARE(sent[5].value(QLatin1StringView("data")).toString(), QString::fromUtf8("\xEF\xBF\xBD"));
        QCOMPARE(sent.last().value(QLatin1StringView("type")).toString(), QStringLiteral("exit"));
    }

    void windowPausesReadingUntilAcked()
    {
        auto owned = std::make_unique<ScriptedPty>();
        ScriptedPty *pty = owned.get();
        TerminalSession session(
            QStringLiteral("t-2"), QStringLiteral("me"), std::move(owned), 80, 24, 1 << 20, 60000);
        QByteArray received;
        qint64 expectedSeq = 0;
        bool contiguous = true;
        session.attach(
            1,
            [&](const QJsonObject &m) {
                if (m.value(QLatin1StringView("type")).toString() != QLatin1StringView("output"))
                    return;
                contiguous &= m.value(QLatin1StringView("seq")).toInteger() == expectedSeq;
                const QByteArray bytes = payloadOf(m);
                expectedSeq += bytes.size();
                received += bytes;
            },
            Encoding::Base64, 16384, false);
        session.deliver();
        pty->produce(QByteArray(100000, 'x'));
        QCOMPARE(received.size(), 16384);
        QVERIFY(!pty->reading);
        QCOMPARE(session.unacknowledged(), 16384);
        session.ack(8192);
        QCOMPARE(received.size(), 16384); // reading resumed, but the scripted PTY needs a nudge
        QVERIFY(pty->reading);
        pty->offer();
        QCOMPARE(received.size(), 16384 + 8192);
        while (received.size() < 100000) {
            session.ack(8192);
            pty->offer();
            QVERIFY(session.unacknowledged() <= 16384);
        }
        QVERIFY(contiguous);
        QCOMPARE(received, QByteArray(100000, 'x'));
    }

    void reattachReplaysTheRingPacedByTheWindow()
    {
        auto owned = std::make_unique<ScriptedPty>();
        ScriptedPty *pty = owned.get();
        TerminalSession session(
            QStringLiteral("t-3"), QStringLiteral("me"), std::move(owned), 80, 24, 40000, 60000);
        session.attach(
            1, [](const QJsonObject &) {}, Encoding::Base64, 1 << 20, false);
        session.deliver();
        session.detach();
        QVERIFY(pty->reading); // detached: the program runs on, the ring keeps the newest bytes
        pty->produce(QByteArray(30000, 'a') + QByteArray(30000, 'b'));
        QList<QJsonObject> sent;
        const qint64 from = session.attach(
            2, [&](const QJsonObject &m) { sent.append(m); }, Encoding::Base64, 16384, true);
        QCOMPARE(from, 20000);
        session.deliver();
        QCOMPARE(sent.size(), 1); // the window holds the rest of the replay back
        QVERIFY(sent.first().value(QLatin1StringView("replay")).toBool());
        QVERIFY(!pty->reading);
        while (sent.last().value(QLatin1StringView("type")).toString() != QLatin1StringView("ready"))
            session.ack(16384);
        QByteArray replayed;
        for (const QJsonObject &m : std::as_const(sent)) {
            if (m.value(QLatin1StringView("type")).toString() == QLatin1StringView("output"))
                replayed += payloadOf(m);
        }
        QCOMPARE(replayed, QByteArray(10000, 'a') + QByteArray(30000, 'b'));
    }
};

QTEST_GUILESS_MAIN(TestPty)
#include "tst_pty.moc"
