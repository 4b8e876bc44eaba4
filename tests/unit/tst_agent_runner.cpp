// CommandRunner with real programs: allow-list, no shell, streamed lines, timeout, cancel,
// output cap, waiting for a free slot, and the seed 000 queue counts.

#include "commandrunner.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace opsdeck::agent;

namespace {
struct Line
{
    QString syncId;
    QString stream;
    QString text;
};

// Records everything a runner reports.
struct Recorder
{
    explicit Recorder(CommandRunner &runner)
    {
        QObject::connect(&runner, &CommandRunner::outputLine, &runner,
                         [this](const QString &id, const QString &stream, const QString &text) {
                             lines.append(Line{id, stream, text});
                         });
        QObject::connect(&runner, &CommandRunner::finished, &runner,
                         [this](const RunResult &result) { results.insert(result.syncId, result); });
    }
    bool waitFor(const QString &syncId, int timeoutMs = 10000)
    {
        return QTest::qWaitFor([&] { return results.contains(syncId); }, timeoutMs);
    }
    QStringList linesOf(const QString &syncId, const QString &stream) const
    {
        QStringList out;
        for (const Line &line : lines) {
            if (line.syncId == syncId && line.stream == stream)
                out.append(line.text);
        }
        return out;
    }
    QList<Line> lines;
    QHash<QString, RunResult> results;
};

CommandRunnerOptions allowing(const QStringList &programs)
{
    CommandRunnerOptions options;
    options.allow = programs;
    return options;
}
} // namespace

class TestAgentRunner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        for (const char *program : {"echo", "sleep", "sh", "seq", "false"}) {
            if (QStandardPaths::findExecutable(QString::fromLatin1(program)).isEmpty())
                QSKIP(qPrintable(QStringLiteral("%1 is not on PATH").arg(QString::fromLatin1(program))));
        }
    }

    void allowedProgramRunsAndStreamsItsLines()
    {
        CommandRunner runner(allowing({QStringLiteral("echo")}));
        Recorder recorder(runner);
        runner.start(RunRequest{QStringLiteral("c-1"), QStringLiteral("echo hello agent"), 10000});
        QCOMPARE(runner.activeIds(), QStringList{QStringLiteral("c-1")});
        QVERIFY(recorder.waitFor(QStringLiteral("c-1")));
        const RunResult result = recorder.results.value(QStringLiteral("c-1"));
        QVERIFY2(result.success, qPrintable(result.errorMessage));
        QCOMPARE(result.commandName, QStringLiteral("echo"));
        QCOMPARE(result.text, QStringLiteral("hello agent\n"));
        QVERIFY(result.errorCode.isEmpty());
        QCOMPARE(recorder.linesOf(QStringLiteral("c-1"), QStringLiteral("stdout")), QStringList{QStringLiteral("hello agent")});
        QCOMPARE(runner.processed(), 1);
        QCOMPARE(runner.succeeded(), 1);
        QCOMPARE(runner.failed(), 0);
        QVERIFY(runner.activeIds().isEmpty());
    }

    void argumentsAreNotInterpretedByAShell()
    {
        CommandRunner runner(allowing({QStringLiteral("echo")}));
        Recorder recorder(runner);
        runner.start(RunRequest{QStringLiteral("c-2"), QStringLiteral("echo \"$HOME; ls\" `id` \"a b\""), 10000});
        QVERIFY(recorder.waitFor(QStringLiteral("c-2")));
        QCOMPARE(recorder.results.value(QStringLiteral("c-2")).text, QStringLiteral("$HOME; ls `id` a b\n"));
    }

    void stderrLinesAreStreamedAsStderr()
    {
        CommandRunner runner(allowing({QStringLiteral("sh")}));
        Recorder recorder(runner);
        runner.start(RunRequest{QStringLiteral("c-3"), QStringLiteral("sh -c \"echo out; echo err >&2; printf tail\""), 10000});
        QVERIFY(recorder.waitFor(QStringLiteral("c-3")));
        QCOMPARE(recorder.linesOf(QStringLiteral("c-3"), QStringLiteral("stdout")),
                 (QStringList{QStringLiteral("out"), QStringLiteral("tail")}));
        QCOMPARE(recorder.linesOf(QStringLiteral("c-3"), QStringLiteral("stderr")), QStringList{QStringLiteral("err")});
        QVERIFY(recorder.results.value(QStringLiteral("c-3")).success);
    }

    void disallowedProgramIsRefusedWithTheAllowList()
    {
        CommandRunner runner(allowing({QStringLiteral("echo"), QStringLiteral("uptime")}));
        Recorder recorder(runner);
        runner.start(RunRequest{QStringLiteral("c-4"), QStringLiteral("rm -rf /tmp/nothing"), 10000});
        QVERIFY(recorder.waitFor(QStringLiteral("c-4")));
        const RunResult result = recorder.results.value(QStringLiteral("c-4"));
        QVERIFY(!result.success);
        QCOMPARE(result.errorCode, QStringLiteral("COMMAND_FAILED"));
        QCOMPARE(result.errorMessage, QStringLiteral("not allowed: rm (allowed: status, echo, uptime)"));
        QVERIFY(recorder.lines.isEmpty());
        QCOMPARE(runner.failed(), 1);
        // A path is not a way around the list either.
        runner.start(RunRequest{QStringLiteral("c-5"), QStringLiteral("/bin/echo hi"), 10000});
        QVERIFY(recorder.waitFor(QStringLiteral("c-5")));
        QVERIFY(recorder.results.value(QStringLiteral("c-5")).errorMessage.startsWith(QStringLiteral("not allowed: /bin/echo")));
    }

    void nonZeroExitFailsWithItsStatus()
    {
        CommandRunner runner(allowing({QStringLiteral("false")}));
        Recorder recorder(runner);
        runner.start(RunRequest{QStringLiteral("c-6"), QStringLiteral("false"), 10000});
        QVERIFY(recorder.waitFor(QStringLiteral("c-6")));
        const RunResult result = recorder.results.value(QStringLiteral("c-6"));
        QVERIFY(!result.success);
        QCOMPARE(result.errorCode, QStringLiteral("COMMAND_FAILED"));
        QCOMPARE(result.errorMessage, QStringLiteral("false exited with status 1"));
    }

    void allowedButMissingProgramSaysSo()
    {
        CommandRunner runner(allowing({QStringLiteral("opsdeck-no-such-program")}));
        Recorder recorder(runner);
        runner.start(RunRequest{QStringLiteral("c-7"), QStringLiteral("opsdeck-no-such-program --x"), 10000});
        QVERIFY(recorder.waitFor(QStringLiteral("c-7")));
        QVERIFY(recorder.results.value(QStringLiteral("c-7")).errorMessage.contains(QStringLiteral("not found on this agent's PATH")));
    }

    void timeoutStopsTheProgram()
    {
        CommandRunner runner(allowing({QStringLiteral("sleep")}));
        Recorder recorder(runner);
        runner.start(RunRequest{QStringLiteral("c-8"), QStringLiteral("sleep 60"), 200});
        QVERIFY(recorder.waitFor(QStringLiteral("c-8"), 20000));
        const RunResult result = recorder.results.value(QStringLiteral("c-8"));
        QVERIFY(!result.success);
        QCOMPARE(result.errorCode, QStringLiteral("COMMAND_TIMEOUT"));
        QCOMPARE(result.errorMessage, QStringLiteral("sleep did not finish within 200 ms and was stopped"));
        QCOMPARE(runner.runningCount(), 0);
    }

    void programIgnoringTerminateIsKilled()
    {
        CommandRunnerOptions options = allowing({QStringLiteral("sh")});
        options.killGraceMs = 200;
        CommandRunner runner(options);
        Recorder recorder(runner);
        // Traps SIGTERM, so only the kill after the grace period ends it.
        runner.start(RunRequest{QStringLiteral("c-9"), QStringLiteral("sh -c \"trap '' TERM; echo ready; while :; do sleep 0.1; done\""), 60000});
        QTRY_VERIFY_WITH_TIMEOUT(!recorder.linesOf(QStringLiteral("c-9"), QStringLiteral("stdout")).isEmpty(), 10000);
        QVERIFY(runner.cancel(QStringLiteral("c-9"), QStringLiteral("stop it")));
        QVERIFY(recorder.waitFor(QStringLiteral("c-9"), 20000));
        QCOMPARE(recorder.results.value(QStringLiteral("c-9")).errorCode, QStringLiteral("CANCELLED"));
        QCOMPARE(recorder.results.value(QStringLiteral("c-9")).errorMessage, QStringLiteral("stop it"));
    }

    void cancelStopsARunningCommand()
    {
        CommandRunner runner(allowing({QStringLiteral("sleep")}));
        Recorder recorder(runner);
        runner.start(RunRequest{QStringLiteral("c-10"), QStringLiteral("sleep 60"), 60000});
        QTRY_COMPARE_WITH_TIMEOUT(runner.runningCount(), 1, 5000);
        QVERIFY(runner.cancel(QStringLiteral("c-10")));
        QVERIFY(recorder.waitFor(QStringLiteral("c-10"), 20000));
        const RunResult result = recorder.results.value(QStringLiteral("c-10"));
        QCOMPARE(result.errorCode, QStringLiteral("CANCELLED"));
        QVERIFY(!runner.cancel(QStringLiteral("c-10"))); // finished: unknown now
        QCOMPARE(runner.processed(), 1);
        QCOMPARE(runner.failed(), 1);
    }

    void outputIsCappedWithANote()
    {
        CommandRunnerOptions options = allowing({QStringLiteral("seq")});
        options.maxOutputBytes = 1000;
        CommandRunner runner(options);
        Recorder recorder(runner);
        runner.start(RunRequest{QStringLiteral("c-11"), QStringLiteral("seq 1 200000"), 30000});
        QVERIFY(recorder.waitFor(QStringLiteral("c-11"), 30000));
        const RunResult result = recorder.results.value(QStringLiteral("c-11"));
        QVERIFY(result.success);
        // seq 1 200000 writes 1,288,895 bytes.
        QVERIFY2(result.text.endsWith(QStringLiteral("\n[output truncated: kept 1000 of 1288895 bytes]")), qPrintable(result.text.right(80)));
        QVERIFY(result.text.startsWith(QStringLiteral("1\n2\n3\n")));
        // Streaming stops at the cap too: the lines kept, then one note.
        const QStringList out = recorder.linesOf(QStringLiteral("c-11"), QStringLiteral("stdout"));
        QVERIFY(out.size() < 300);
        QCOMPARE(out.first(), QStringLiteral("1"));
        const QStringList notes = recorder.linesOf(QStringLiteral("c-11"), QStringLiteral("stderr"));
        QCOMPARE(notes, QStringList{QStringLiteral("[opsdeck-agent: output beyond 1000 bytes is not kept or streamed]")});
    }

    void commandsBeyondTheConcurrencyLimitWait()
    {
        CommandRunnerOptions options = allowing({QStringLiteral("sleep"), QStringLiteral("echo")});
        options.maxConcurrent = 1;
        CommandRunner runner(options);
        Recorder recorder(runner);
        QSignalSpy queue(&runner, &CommandRunner::queueChanged);
        runner.start(RunRequest{QStringLiteral("a"), QStringLiteral("sleep 60"), 60000});
        runner.start(RunRequest{QStringLiteral("b"), QStringLiteral("echo after"), 60000});
        QCOMPARE(runner.activeIds(), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
        QCOMPARE(runner.runningCount(), 1);
        QCOMPARE(runner.currentTask(), QStringLiteral("sleep 60"));
        QVERIFY(queue.size() >= 2);
        QTest::qWait(0);
        QVERIFY(!recorder.results.contains(QStringLiteral("b")));
        QVERIFY(runner.cancel(QStringLiteral("a")));
        QVERIFY(recorder.waitFor(QStringLiteral("b"), 20000));
        QVERIFY(recorder.results.value(QStringLiteral("b")).success);
        QCOMPARE(recorder.results.value(QStringLiteral("a")).errorCode, QStringLiteral("CANCELLED"));
        QCOMPARE(runner.processed(), 2);
        QCOMPARE(runner.succeeded(), 1);
        QCOMPARE(runner.failed(), 1);
    }

    void waitingCommandTimesOutWithoutRunning()
    {
        CommandRunnerOptions options = allowing({QStringLiteral("sleep")});
        options.maxConcurrent = 1;
        CommandRunner runner(options);
        Recorder recorder(runner);
        runner.start(RunRequest{QStringLiteral("a"), QStringLiteral("sleep 60"), 60000});
        runner.start(RunRequest{QStringLiteral("b"), QStringLiteral("sleep 60"), 100});
        QVERIFY(recorder.waitFor(QStringLiteral("b")));
        QCOMPARE(recorder.results.value(QStringLiteral("b")).errorCode, QStringLiteral("COMMAND_TIMEOUT"));
        QVERIFY(recorder.results.value(QStringLiteral("b")).errorMessage.contains(QStringLiteral("free slot")));
        QCOMPARE(runner.activeIds(), QStringList{QStringLiteral("a")});
        runner.cancelAll(QStringLiteral("done"));
        QVERIFY(recorder.waitFor(QStringLiteral("a"), 20000));
    }

    void builtinStatusAnswersFromTheProvider()
    {
        CommandRunner runner(allowing({}));
        runner.setStatusProvider([] { return QStringLiteral("all fine"); });
        Recorder recorder(runner);
        runner.start(RunRequest{QStringLiteral("s"), QStringLiteral("status"), 1000});
        QVERIFY(recorder.waitFor(QStringLiteral("s")));
        QVERIFY(recorder.results.value(QStringLiteral("s")).success);
        QCOMPARE(recorder.results.value(QStringLiteral("s")).text, QStringLiteral("all fine"));
        QCOMPARE(runner.refusal(QStringLiteral("")), QStringLiteral("empty command"));
    }
};

QTEST_GUILESS_MAIN(TestAgentRunner)
#include "tst_agent_runner.moc"
