// A real opsdeck-hub following log files (--log-file, --self-log): a WebSocket client subscribed
// to `logs` receives what is appended to the file, with the file's source name, the parsed level
// and timestamp, this host and stream "file"; rotation on the way loses nothing.

#include "hubtesthelpers.h"

#include <QDateTime>
#include <QFile>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace opsdeck::testing;

namespace {
constexpr int kWaitMs = 30000;

void append(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Append))
        qFatal("cannot append to %s", qPrintable(path));
    file.write(bytes);
}

QString field(const QJsonObject &entry, const char *key)
{
    return entry.value(QLatin1StringView(key)).toString();
}
} // namespace

class TestHubLogFile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { QVERIFY(m_dir.isValid()); }

    void appendedLinesReachSubscribers()
    {
        const QString path = m_dir.filePath(QStringLiteral("payments.log"));
        append(path, "2025-10-01T11:59:59Z INFO written before the hub started\n");
        HubProcess hub({QStringLiteral("--fleet"), QStringLiteral("none"), QStringLiteral("--log-file"),
            path + QStringLiteral("=payments-api")});
        QVERIFY2(hub.start(), qPrintable(hub.errorString()));

        TestClient client;
        QVERIFY(client.open(hub.url()));
        const QString sub = client
                                .subscribe(msg({{QStringLiteral("topic"), QStringLiteral("logs")},
                                    {QStringLiteral("history"), 1000}}))
                                .value(QLatin1StringView("sub"))
                                .toString();
        QVERIFY(!sub.isEmpty());

        append(path,
            "2025-10-01T12:00:00.123Z ERROR charge failed: card declined\n"
            "2025-10-01T12:00:01+02:00 WARN retrying in 5 s\n"
            "a line without a stamp\n");
        QVERIFY(client.waitForLogEntries(sub, 2, kWaitMs));
        QList<QJsonObject> entries = client.logEntries(sub);
        // The existing line is not replayed: tailing starts at the end, like tail -F.
        QCOMPARE(field(entries.at(0), "message"), QStringLiteral("ERROR charge failed: card declined"));
        QCOMPARE(field(entries.at(0), "source"), QStringLiteral("payments-api"));
        QCOMPARE(field(entries.at(0), "level"), QStringLiteral("error"));
        QCOMPARE(field(entries.at(0), "stream"), QStringLiteral("file"));
        QCOMPARE(field(entries.at(0), "timestamp"), QStringLiteral("2025-10-01T12:00:00.123Z"));
        QCOMPARE(field(entries.at(0), "host"), QSysInfo::machineHostName());
        QCOMPARE(field(entries.at(1), "level"), QStringLiteral("warn"));
        QCOMPARE(field(entries.at(1), "timestamp"), QStringLiteral("2025-10-01T10:00:01.000Z"));

        // A stamped file groups an unstamped line with the entry above it (a trace's shape).
        QCOMPARE(
            field(entries.at(1), "message"), QStringLiteral("WARN retrying in 5 s\na line without a stamp"));

        // Rotation: the lines written just before the rename and those in the new file all arrive.
        append(path, "2025-10-01T12:00:02Z INFO last line of the old file\n");
        QVERIFY(QFile::rename(path, path + QStringLiteral(".1")));
        append(path, "2025-10-01T12:00:03Z INFO first line of the new file\n");
        QVERIFY(client.waitForLogEntries(sub, 4, kWaitMs));
        entries = client.logEntries(sub);
        QCOMPARE(field(entries.at(2), "message"), QStringLiteral("INFO last line of the old file"));
        QCOMPARE(field(entries.at(3), "message"), QStringLiteral("INFO first line of the new file"));
        QVERIFY(isContiguous(entries));
        QCOMPARE(hub.terminate(), 0);
    }

    void defaultSourceIsTheBaseNameAndSelfLogPublishes()
    {
        const QString path = m_dir.filePath(QStringLiteral("not-yet/worker.log"));
        HubProcess hub({QStringLiteral("--fleet"), QStringLiteral("none"), QStringLiteral("--self-log"),
            QStringLiteral("--log-from-start"), QStringLiteral("--log-file"), path});
        QVERIFY2(hub.start(), qPrintable(hub.errorString()));

        TestClient client;
        QVERIFY(client.open(hub.url()));
        const QString sub = client
                                .subscribe(msg({{QStringLiteral("topic"), QStringLiteral("logs")},
                                    {QStringLiteral("history"), 1000}}))
                                .value(QLatin1StringView("sub"))
                                .toString();
        auto find = [&](const QString &source, const QString &text) -> std::optional<QJsonObject> {
            for (const QJsonObject &entry : client.logEntries(sub)) {
                if (field(entry, "source") == source && field(entry, "message").contains(text))
                    return entry;
            }
            return std::nullopt;
        };
        // The hub's own log says the file is missing; with --self-log that line is an entry too.
        QTRY_VERIFY_WITH_TIMEOUT(
            find(QStringLiteral("opsdeck-hub"), QStringLiteral("does not exist yet")), kWaitMs);
        const QJsonObject self = *find(QStringLiteral("opsdeck-hub"), QStringLiteral("does not exist yet"));
        QCOMPARE(field(self, "level"), QStringLiteral("info"));
        QCOMPARE(field(self, "stream"), QStringLiteral("stderr"));

        QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("not-yet")));
        append(path, "job 17 done\n");
        QTRY_VERIFY_WITH_TIMEOUT(find(QStringLiteral("worker"), QStringLiteral("job 17 done")), kWaitMs);
        const QJsonObject line = *find(QStringLiteral("worker"), QStringLiteral("job 17 done"));
        QCOMPARE(field(line, "level"), QStringLiteral("info"));
        // No stamp in the line: the time it was read.
        const qint64 at
            = QDateTime::fromString(field(line, "timestamp"), Qt::ISODateWithMs).toMSecsSinceEpoch();
        QVERIFY(qAbs(at - QDateTime::currentMSecsSinceEpoch()) < 10 * 60 * 1000);
        // The hub's stderr still has its log (self-log adds a copy, it does not take it away).
        QTRY_VERIFY_WITH_TIMEOUT(hub.standardError().contains("does not exist yet"), kWaitMs);
        QCOMPARE(hub.terminate(), 0);
    }

    void badLogFileFlagIsRefused()
    {
        QProcess process;
        process.start(HubProcess::binaryPath(), {QStringLiteral("--log-file"), QStringLiteral("=name")});
        QVERIFY(process.waitForFinished(kWaitMs));
        QCOMPARE(process.exitCode(), 2);
        QVERIFY(process.readAllStandardError().contains("--log-file takes PATH or PATH=NAME"));
        process.start(HubProcess::binaryPath(), {QStringLiteral("--help")});
        QVERIFY(process.waitForFinished(kWaitMs));
        const QByteArray help = process.readAllStandardOutput();
        QVERIFY(help.contains("--log-file PATH[=NAME]"));
        QVERIFY(help.contains("--log-from-start"));
        QVERIFY(help.contains("--self-log"));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestHubLogFile)
#include "tst_hub_log_file.moc"
