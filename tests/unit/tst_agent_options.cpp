// opsdeck-agent's command line, token file check, log batching and /proc parsing.

#include "agentoptions.h"
#include "logbatcher.h"
#include "processmetrics.h"

#include <QFile>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace opsdeck::agent;

namespace {
QStringList args(const char *text)
{
    return QString::fromLatin1(text).split(QLatin1Char(' '), Qt::SkipEmptyParts);
}

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &content, QFileDevice::Permissions permissions)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write(content);
    file.close();
    file.setPermissions(permissions);
    return path;
}

QJsonObject entry(const QString &message)
{
    return QJsonObject{{QStringLiteral("timestamp"), QStringLiteral("2026-11-21T12:00:00.000Z")},
                       {QStringLiteral("stream"), QStringLiteral("stdout")},
                       {QStringLiteral("message"), message}};
}
} // namespace

class TestAgentOptions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fullCommandLine()
    {
        const AgentCliResult result = parseAgentArguments(
            args("--hub ws://127.0.0.1:8765 --token-file /etc/opsdeck/agent.token --name web-01 --allow uptime "
                 "--allow df --allow uptime --log-file /var/log/a.log --log-file /var/log/b.log --kind web "
                 "--max-concurrent 2 --host edge-1"));
        QVERIFY2(result.options, qPrintable(result.error));
        const AgentOptions &o = *result.options;
        QCOMPARE(o.hubUrl.toString(), QStringLiteral("ws://127.0.0.1:8765/api/v1/ws/agent"));
        QCOMPARE(o.tokenFile, QStringLiteral("/etc/opsdeck/agent.token"));
        QCOMPARE(o.name, QStringLiteral("web-01"));
        QCOMPARE(o.allow, (QStringList{QStringLiteral("uptime"), QStringLiteral("df")}));
        QCOMPARE(o.logFiles, (QStringList{QStringLiteral("/var/log/a.log"), QStringLiteral("/var/log/b.log")}));
        QCOMPARE(o.kind, QStringLiteral("web"));
        QCOMPARE(o.maxConcurrent, 2);
        QCOMPARE(o.host, QStringLiteral("edge-1"));
    }

    void agentPathIsAppendedWhenMissing_data()
    {
        QTest::addColumn<QString>("given");
        QTest::addColumn<QString>("expected");
        QTest::newRow("bare") << "ws://h:1" << "ws://h:1/api/v1/ws/agent";
        QTest::newRow("slash") << "ws://h:1/" << "ws://h:1/api/v1/ws/agent";
        QTest::newRow("already") << "wss://h/api/v1/ws/agent" << "wss://h/api/v1/ws/agent";
        QTest::newRow("prefix") << "wss://h/opsdeck/" << "wss://h/opsdeck/api/v1/ws/agent";
    }
    void agentPathIsAppendedWhenMissing()
    {
        QFETCH(QString, given);
        QFETCH(QString, expected);
        QString error;
        const auto url = agentUrl(given, &error);
        QVERIFY2(url, qPrintable(error));
        QCOMPARE(url->toString(), expected);
    }

    void refusals_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("needle");
        QTest::newRow("no hub") << "--token-file t --name a" << "--hub is required";
        QTest::newRow("no token") << "--hub ws://h:1 --name a" << "--token-file is required";
        QTest::newRow("no name") << "--hub ws://h:1 --token-file t" << "--name is required";
        QTest::newRow("http") << "--hub http://h:1 --token-file t --name a" << "ws:// or wss://";
        QTest::newRow("token in url") << "--hub ws://h:1/?token=x --token-file t --name a" << "--token-file";
        QTest::newRow("bad name") << "--hub ws://h:1 --token-file t --name a/b" << "not a valid agent name";
        QTest::newRow("bad allow") << "--hub ws://h:1 --token-file t --name a --allow=" << "--allow takes one program";
        QTest::newRow("concurrency") << "--hub ws://h:1 --token-file t --name a --max-concurrent 0" << "--max-concurrent must be";
        QTest::newRow("unknown") << "--hub ws://h:1 --token-file t --name a --frobnicate" << "frobnicate";
        QTest::newRow("positional") << "--hub ws://h:1 --token-file t --name a extra" << "unexpected argument 'extra'";
    }
    void refusals()
    {
        QFETCH(QString, line);
        QFETCH(QString, needle);
        const AgentCliResult result = parseAgentArguments(line.split(QLatin1Char(' ')));
        QVERIFY(!result.options);
        QVERIFY2(result.error.contains(needle), qPrintable(result.error));
    }

    void tokenFileMustBePrivate()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const auto owner = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
        const QString good = writeFile(dir, QStringLiteral("good"), "agent-token-web-01\nignored\n", owner);
        const TokenFileResult read = readTokenFile(good);
        QCOMPARE(read.token, QStringLiteral("agent-token-web-01"));
        QVERIFY(read.error.isEmpty());

        const QString open = writeFile(dir, QStringLiteral("open"), "agent-token-web-01\n", owner | QFileDevice::ReadOther);
        const TokenFileResult refused = readTokenFile(open);
        QVERIFY(refused.token.isEmpty());
        QVERIFY2(refused.error.contains(QStringLiteral("chmod 600")), qPrintable(refused.error));
        QVERIFY(!refused.error.contains(QStringLiteral("agent-token"))); // never the token

        const QString group = writeFile(dir, QStringLiteral("group"), "t\n", owner | QFileDevice::ReadGroup);
        QVERIFY(readTokenFile(group).token.isEmpty());

        const QString empty = writeFile(dir, QStringLiteral("empty"), "\n", owner);
        QVERIFY(readTokenFile(empty).error.contains(QStringLiteral("is empty")));
        QVERIFY(readTokenFile(dir.filePath(QStringLiteral("missing"))).error.contains(QStringLiteral("does not exist")));
        QVERIFY(readTokenFile(dir.path()).error.contains(QStringLiteral("not a regular file")));
    }

    void batcherSendsOneLogOrABatch()
    {
        LogBatcher batcher(LogBatcherOptions{3, 50, 10});
        QSignalSpy ready(&batcher, &LogBatcher::ready);
        batcher.setOnline(true);
        batcher.add(entry(QStringLiteral("one")));
        QTRY_COMPARE(ready.size(), 1);
        QJsonObject message = ready.takeFirst().at(0).toJsonObject();
        QCOMPARE(message.value(QLatin1StringView("type")).toString(), QStringLiteral("log"));
        QCOMPARE(message.value(QLatin1StringView("message")).toString(), QStringLiteral("one"));

        for (const char *text : {"a", "b", "c", "d"})
            batcher.add(entry(QString::fromLatin1(text)));
        // Three make a full batch at once; the fourth waits for the interval.
        QCOMPARE(ready.size(), 1);
        message = ready.takeFirst().at(0).toJsonObject();
        QCOMPARE(message.value(QLatin1StringView("type")).toString(), QStringLiteral("batch"));
        QCOMPARE(message.value(QLatin1StringView("count")).toInt(), 3);
        QCOMPARE(message.value(QLatin1StringView("logs")).toArray().at(2).toObject().value(QLatin1StringView("message")).toString(),
                 QStringLiteral("c"));
        QTRY_COMPARE(ready.size(), 1);
        QCOMPARE(ready.takeFirst().at(0).toJsonObject().value(QLatin1StringView("message")).toString(), QStringLiteral("d"));
    }

    void batcherOfflineKeepsTheNewestAndReportsTheLoss()
    {
        LogBatcher batcher(LogBatcherOptions{100, 20, 5});
        QSignalSpy ready(&batcher, &LogBatcher::ready);
        for (int i = 0; i < 8; ++i)
            batcher.add(entry(QString::number(i)));
        QCOMPARE(ready.size(), 0);
        QCOMPARE(batcher.buffered(), 5);
        QCOMPARE(batcher.droppedTotal(), 3);
        batcher.setOnline(true);
        QTRY_COMPARE(ready.size(), 1);
        const QJsonArray logs = ready.takeFirst().at(0).toJsonObject().value(QLatin1StringView("logs")).toArray();
        QCOMPARE(logs.size(), 6);
        const QJsonObject note = logs.at(0).toObject();
        QCOMPARE(note.value(QLatin1StringView("level")).toString(), QStringLiteral("warn"));
        QVERIFY(note.value(QLatin1StringView("message")).toString().contains(QStringLiteral("3 log entries were dropped")));
        QCOMPARE(logs.at(1).toObject().value(QLatin1StringView("message")).toString(), QStringLiteral("3"));
        QCOMPARE(logs.at(5).toObject().value(QLatin1StringView("message")).toString(), QStringLiteral("7"));
    }

    void procParsers()
    {
        // A command name with spaces and parentheses must not shift the fields.
        const QByteArray stat = "4242 (my (odd) agent) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 75 0 0 20 0 3 0 100 0 0";
        QCOMPARE(ProcessMetrics::parseStatCpuTicks(stat), 325);
        QCOMPARE(ProcessMetrics::parseStatCpuTicks("garbage"), -1);
        const QByteArray status = "Name:\tagent\nVmPeak:\t  9000 kB\nVmRSS:\t   20480 kB\nThreads:\t3\n";
        QCOMPARE(ProcessMetrics::parseKibField(status, "VmRSS:"), 20480);
        QCOMPARE(ProcessMetrics::parseKibField(status, "VmSwap:"), -1);
        ProcessMetrics metrics;
        const ProcessSample sample = metrics.sample();
        QVERIFY(sample.cpuPercent >= 0);
#ifdef Q_OS_LINUX
        QVERIFY(sample.rssMiB > 0);
        QVERIFY(sample.memoryLimitMiB >= sample.rssMiB);
#endif
    }
};

QTEST_GUILESS_MAIN(TestAgentOptions)
#include "tst_agent_options.moc"
