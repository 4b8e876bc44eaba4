// Local log files: timestamps (ISO 8601 with offsets, syslog), level detection, JSON lines and
// multi-line grouping of Java/Python/C++ traces; streaming across block boundaries; the loader.

#include "logfileloader.h"
#include "logfileparser.h"
#include "logmodel.h"

#include <QDateTime>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cstdlib>
#include <ctime>

using namespace opsdeck::logs;

namespace {
struct Parsed
{
    qint64 seq;
    bool hasTimestamp;
    qint64 ms;
    int offsetMin;
    LogLevel level;
    QString source, host, message;
};

QString fixture(const char *name)
{
    return QStringLiteral(OPSDECK_LOGS_FIXTURES "/") + QLatin1StringView(name);
}

QList<Parsed> parseBytes(const QByteArray &bytes, qsizetype blockSize)
{
    LogFileParser parser("test.log");
    QList<Parsed> out;
    auto drain = [&] {
        const auto batch = parser.takeBatch();
        for (const auto &item : batch->items) {
            const LogEntryInput in = batch->input(item);
            out.append({item.seq, item.hasTimestamp, item.timestampMs, item.utcOffsetMin, item.level,
                        QString::fromUtf8(in.source.data(), qsizetype(in.source.size())),
                        QString::fromUtf8(in.host.data(), qsizetype(in.host.size())),
                        QString::fromUtf8(in.message.data(), qsizetype(in.message.size()))});
        }
    };
    for (qsizetype at = 0; at < bytes.size(); at += blockSize) {
        const QByteArray block = bytes.mid(at, blockSize);
        parser.feed(std::string_view(block.constData(), std::size_t(block.size())));
        drain();
    }
    parser.finish();
    drain();
    return out;
}

QList<Parsed> parseFixture(const char *name, qsizetype blockSize = 1 << 20)
{
    QFile file(fixture(name));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", name);
    return parseBytes(file.readAll(), blockSize);
}

qint64 utcMs(int y, int mo, int d, int h, int mi, int s, int ms = 0)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi, s, ms), Qt::UTC).toMSecsSinceEpoch();
}
} // namespace

class TestLogParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // Stamps without an offset are local time; pin the zone so expectations are fixed.
        qputenv("TZ", "UTC");
        tzset();
    }

    void isoTimestampsWithOffsets()
    {
        const auto e = parseFixture("iso_offsets.log");
        QCOMPARE(e.size(), 6);
        QCOMPARE(e[0].ms, utcMs(2025, 10, 1, 10, 0, 0, 123));
        QCOMPARE(e[0].offsetMin, 120);
        QCOMPARE(e[0].level, LogLevel::Info);
        QCOMPARE(e[0].message, QStringLiteral("INFO [main] Server started on port 8080"));
        QCOMPARE(e[1].ms, utcMs(2025, 10, 1, 10, 0, 1, 500));
        QCOMPARE(e[1].offsetMin, 0);
        QCOMPARE(e[1].level, LogLevel::Warn);
        QCOMPARE(e[2].ms, utcMs(2025, 10, 1, 10, 0, 2, 750)); // "12:00:02,750+0200"
        QCOMPARE(e[2].level, LogLevel::Error);
        QCOMPARE(e[3].ms, utcMs(2025, 10, 1, 10, 0, 3)); // bracketed stamp
        QCOMPARE(e[3].level, LogLevel::Debug);           // "[debug]"
        QCOMPARE(e[3].message, QStringLiteral("[debug] cache warmed"));
        QCOMPARE(e[4].ms, utcMs(2025, 10, 1, 6, 30, 4));
        QCOMPARE(e[4].offsetMin, 330);
        QCOMPARE(e[4].level, LogLevel::Error); // "level=error"
        QCOMPARE(e[5].ms, utcMs(2025, 10, 1, 19, 0, 5, 999));
        QCOMPARE(e[5].offsetMin, -420);
        QCOMPARE(e[5].level, LogLevel::Trace);
        for (int i = 0; i < e.size(); ++i)
            QCOMPARE(e[i].seq, i + 1); // a file entry's seq is its first line's number
    }

    void syslogLines()
    {
        const auto e = parseFixture("syslog.log");
        QCOMPARE(e.size(), 4);
        QCOMPARE(e[0].host, QStringLiteral("edge-1"));
        QCOMPARE(e[0].source, QStringLiteral("sshd"));
        QCOMPARE(e[0].message, QStringLiteral("Accepted publickey for deploy from 10.0.0.5"));
        QCOMPARE(e[0].level, LogLevel::Unknown);
        const QDateTime first = QDateTime::fromMSecsSinceEpoch(e[0].ms, Qt::UTC);
        QCOMPARE(first.date().month(), 11);
        QCOMPARE(first.date().day(), 21);
        QCOMPARE(first.time(), QTime(12, 0, 1));
        // The year is not written: never more than a day in the future.
        QVERIFY(e[0].ms <= QDateTime::currentMSecsSinceEpoch() + 86400000);
        QCOMPARE(e[1].host, QStringLiteral("edge-2"));
        QCOMPARE(e[1].source, QStringLiteral("kernel"));
        QCOMPARE(QDateTime::fromMSecsSinceEpoch(e[1].ms, Qt::UTC).date().day(), 2);
        QCOMPARE(e[2].level, LogLevel::Error); // <11>: facility 1, severity 3 (err)
        QCOMPARE(e[2].source, QStringLiteral("cron"));
        QCOMPARE(e[3].level, LogLevel::Error); // nginx's "[error]"
        QCOMPARE(e[3].source, QStringLiteral("nginx"));
    }

    void jsonLines()
    {
        const auto e = parseFixture("json_lines.log");
        QCOMPARE(e.size(), 4);
        QCOMPARE(e[0].ms, utcMs(2025, 10, 1, 12, 0, 0));
        QCOMPARE(e[0].level, LogLevel::Info);
        QCOMPARE(e[0].message, QStringLiteral("request served"));
        QCOMPARE(e[0].source, QStringLiteral("api"));
        QCOMPARE(e[0].host, QStringLiteral("edge-1"));
        QCOMPARE(e[1].ms, utcMs(2025, 10, 1, 10, 0, 1));
        QCOMPARE(e[1].level, LogLevel::Warn);
        QCOMPARE(e[1].message, QStringLiteral("retrying in 5s"));
        QCOMPARE(e[2].ms, qint64(1759320002500));
        QCOMPARE(e[2].level, LogLevel::Error);
        QCOMPARE(e[2].message, QStringLiteral("job failed\nTraceback (most recent call last):\n  File \"job.py\", line 3"));
        QVERIFY(!e[3].hasTimestamp);
        QCOMPARE(e[3].level, LogLevel::Debug);
    }

    void javaTraceIsGroupedWithItsFirstLine()
    {
        const auto e = parseFixture("java_trace.log");
        QCOMPARE(e.size(), 3);
        QCOMPARE(e[1].level, LogLevel::Error);
        QCOMPARE(e[1].seq, 2);
        const QStringList lines = e[1].message.split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 7);
        QCOMPARE(lines.first(), QStringLiteral("ERROR [http-1] c.e.OrderController - Request failed"));
        QCOMPARE(lines.at(4), QStringLiteral("Caused by: java.sql.SQLException: timeout"));
        QCOMPARE(lines.last(), QStringLiteral("\t... 42 more")); // CRLF line ends are stripped
        QCOMPARE(e[2].seq, 9);
        QCOMPARE(e[2].ms, utcMs(2025, 10, 1, 12, 0, 2)); // no offset: local time (UTC here)
    }

    void pythonTraceIsGroupedWithItsFirstLine()
    {
        const auto e = parseFixture("python_trace.log");
        QCOMPARE(e.size(), 3);
        const QStringList lines = e[1].message.split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 7);
        QCOMPARE(lines.at(1), QStringLiteral("Traceback (most recent call last):"));
        QCOMPARE(lines.last(), QStringLiteral("ZeroDivisionError: division by zero")); // trailing blank dropped
        QCOMPARE(e[2].message, QStringLiteral("INFO worker restarted"));
        QCOMPARE(e[2].seq, 10);
    }

    void cppBacktraceInAnUnstampedFile()
    {
        const auto e = parseFixture("cpp_trace.log");
        QCOMPARE(e.size(), 3);
        QCOMPARE(e[0].message.count(QLatin1Char('\n')), 1); // "  what():" joins the terminate line
        QVERIFY(e[1].message.startsWith(QStringLiteral("Aborted (core dumped)\n#0 ")));
        QCOMPARE(e[1].message.count(QLatin1Char('\n')), 3);
        QCOMPARE(e[2].message, QStringLiteral("starting over"));
        QVERIFY(!e[0].hasTimestamp);
    }

    void blockBoundariesDoNotChangeTheResult()
    {
        for (const char *name : {"java_trace.log", "python_trace.log", "syslog.log", "json_lines.log"}) {
            const auto whole = parseFixture(name);
            for (qsizetype block : {1, 7, 64}) {
                const auto split = parseFixture(name, block);
                QCOMPARE(split.size(), whole.size());
                for (int i = 0; i < whole.size(); ++i) {
                    QCOMPARE(split[i].message, whole[i].message);
                    QCOMPARE(split[i].ms, whole[i].ms);
                }
            }
        }
        // A last line without '\n' is not lost.
        const auto tail = parseBytes(QByteArrayLiteral("2025-10-01T12:00:00Z a\n2025-10-01T12:00:01Z b"), 5);
        QCOMPARE(tail.size(), 2);
        QCOMPARE(tail[1].message, QStringLiteral("b"));
    }

    void levelWords_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("level");
        QTest::newRow("upper") << "ERROR something" << int(LogLevel::Error);
        QTest::newRow("bracket") << "[warn] disk" << int(LogLevel::Warn);
        QTest::newRow("kv") << "ts=1 level=debug msg=x" << int(LogLevel::Debug);
        QTest::newRow("warning") << "Warning: deprecated" << int(LogLevel::Warn);
        QTest::newRow("fatal") << "FATAL out of memory" << int(LogLevel::Fatal);
        QTest::newRow("critical") << "CRITICAL db down" << int(LogLevel::Fatal);
        QTest::newRow("trace") << "<trace> enter" << int(LogLevel::Trace);
        QTest::newRow("whole-word") << "errors=0 informational" << int(LogLevel::Unknown);
        QTest::newRow("none") << "all good" << int(LogLevel::Unknown);
    }

    void levelWords()
    {
        QFETCH(QString, text);
        QFETCH(int, level);
        const QByteArray utf8 = text.toUtf8();
        QCOMPARE(int(LogFileParser::detectLevel(std::string_view(utf8.constData(), std::size_t(utf8.size())))), level);
    }

    void loaderFillsAModelWithProgress()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("big.log"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        for (int i = 0; i < 50000; ++i) {
            file.write(QStringLiteral("2025-10-01T12:00:00.%1Z %2 line %3\n")
                           .arg(i % 1000, 3, 10, QLatin1Char('0'))
                           .arg(i % 10 == 0 ? QStringLiteral("ERROR") : QStringLiteral("INFO"))
                           .arg(i)
                           .toUtf8());
            if (i % 1000 == 0)
                file.write("\tat continuation\n");
        }
        file.close();
        LogModel model;
        LogFileLoader loader;
        QSignalSpy finished(&loader, &LogFileLoader::finished);
        QSignalSpy progressed(&loader, &LogFileLoader::progressed);
        QVERIFY(loader.load(path, &model));
        QVERIFY(loader.isRunning());
        QVERIFY(!loader.load(path, &model)); // one at a time
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.at(0).at(0).toBool(), true);
        QCOMPARE(finished.at(0).at(2).toLongLong(), 50050);
        QVERIFY(!loader.isRunning());
        QCOMPARE(loader.progress(), 1.0);
        QVERIFY(progressed.count() >= 1);
        QCOMPARE(model.rowCount(), 50000);
        QCOMPARE(model.data(model.index(1), LogModel::MessageRole).toString(), QStringLiteral("INFO line 1"));
        QCOMPARE(model.data(model.index(0), LogModel::LineCountRole).toInt(), 2);
        QCOMPARE(model.data(model.index(0), LogModel::EpochRole).toString(), QStringLiteral("big.log"));
        QCOMPARE(model.data(model.index(0), LogModel::StreamRole).toString(), QStringLiteral("file"));
        model.setLevels({QStringLiteral("error")});
        QCOMPARE(model.rowCount(), 5000);
    }

    void loaderReportsErrorsAndCancel()
    {
        LogModel model;
        LogFileLoader loader;
        QSignalSpy finished(&loader, &LogFileLoader::finished);
        QVERIFY(loader.load(QStringLiteral("/nonexistent/file.log"), &model));
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.at(0).at(0).toBool(), false);
        QVERIFY(!loader.errorString().isEmpty());

        QVERIFY(loader.load(fixture("java_trace.log"), &model));
        loader.cancel();
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.at(1).at(0).toBool(), false);
        QCOMPARE(finished.at(1).at(1).toString(), QStringLiteral("cancelled"));
    }
};

QTEST_GUILESS_MAIN(TestLogParser)
#include "tst_logs_parser.moc"
