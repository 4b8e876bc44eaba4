// Local log files: timestamps (ISO 8601 with offsets, syslog, nginx error log, nginx/Apache access
// lines), level detection, JSON lines and multi-line grouping of Java/Python/C++ traces; streaming
// across block boundaries; the loader.

#include "logfileloader.h"
#include "logfileparser.h"
#include "logmodel.h"

#include <QDateTime>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cstdlib>
#include <cstring>
#include <ctime>
#include <memory>

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

    void nginxAccessLinesAreEntriesWithTheirOwnTime()
    {
        const auto e = parseFixture("nginx_access.log");
        QCOMPARE(e.size(), 7); // an unstamped file: without the access stamp still 7, but untimed
        for (int i = 0; i < e.size(); ++i) {
            QVERIFY(e[i].hasTimestamp);
            QCOMPARE(e[i].seq, i + 1);
            QCOMPARE(e[i].ms, utcMs(2025, 10, 1, 10, 0, i)); // "+0200" honoured
            QCOMPARE(e[i].offsetMin, 120);
            QVERIFY(e[i].host.isEmpty()); // the client address is not the logging host
        }
        QCOMPARE(e[0].message, QStringLiteral("203.0.113.7 - - [01/Oct/2025:12:00:00 +0200] \"GET /api/orders?page=2 "
                                              "HTTP/1.1\" 200 5120 \"https://ops.example.com/\" \"Mozilla/5.0 (X11; "
                                              "Linux x86_64)\""));
        // The level is the status's, not a word of the request ("/api/error-report" is a 201).
        const LogLevel expected[] = {LogLevel::Info, LogLevel::Info, LogLevel::Info, LogLevel::Warn,
                                     LogLevel::Warn, LogLevel::Error, LogLevel::Warn};
        for (int i = 0; i < e.size(); ++i)
            QCOMPARE(e[i].level, expected[i]);
    }

    void apacheCombinedAndCommonLines()
    {
        const auto e = parseFixture("apache_combined.log");
        QCOMPARE(e.size(), 5);
        for (int i = 0; i < e.size(); ++i) {
            QCOMPARE(e[i].ms, utcMs(2025, 10, 10, 20, 55, 36 + i)); // "-0700"
            QCOMPARE(e[i].offsetMin, -420);
        }
        QCOMPARE(e[0].level, LogLevel::Info);
        QCOMPARE(e[1].level, LogLevel::Error); // 500, "-" bytes
        QCOMPARE(e[2].level, LogLevel::Info);  // 301, Common Log Format (no referer, agent)
        QCOMPARE(e[3].level, LogLevel::Warn);  // 403 after a request with \" inside, host by name
        QCOMPARE(e[4].level, LogLevel::Info);  // %u with a space
        QVERIFY(e[3].message.startsWith(QStringLiteral("mail.example.org - - [10/Oct/2025:13:55:39 -0700]")));
    }

    void accessLinesInAStampedFileAreNotContinuations()
    {
        const auto e = parseFixture("access_mixed.log");
        QCOMPARE(e.size(), 8);
        const qint64 seqs[] = {1, 2, 3, 7, 8, 9, 10, 11};
        for (int i = 0; i < e.size(); ++i) {
            QCOMPARE(e[i].seq, seqs[i]);
            QVERIFY(!e[i].message.contains(QLatin1Char('\n')) || i == 2);
        }
        QCOMPARE(e[1].ms, utcMs(2025, 10, 1, 10, 0, 0));
        QCOMPARE(e[1].level, LogLevel::Info);
        QVERIFY(e[1].message.startsWith(QStringLiteral("10.0.3.21 - - [")));
        // The stack trace still groups with its line, and stops at the next access line.
        QCOMPARE(e[2].level, LogLevel::Error);
        QCOMPARE(e[2].message.count(QLatin1Char('\n')), 3);
        QCOMPARE(e[3].ms, utcMs(2025, 10, 1, 10, 0, 1));
        QCOMPARE(e[3].level, LogLevel::Error); // 500
        QCOMPARE(e[4].host, QStringLiteral("edge-3"));
        QCOMPARE(e[5].ms, utcMs(2025, 10, 1, 10, 0, 3));
        QCOMPARE(e[5].level, LogLevel::Warn); // 404
        QCOMPARE(e[6].source, QStringLiteral("api"));
        QCOMPARE(e[7].ms, utcMs(2025, 10, 1, 10, 0, 5));
    }

    void accessLinesWithIpv6Clients()
    {
        const auto e = parseFixture("access_ipv6.log");
        QCOMPARE(e.size(), 5);
        for (int i = 0; i < e.size(); ++i) {
            QVERIFY(e[i].hasTimestamp);
            QCOMPARE(e[i].ms, utcMs(2025, 10, 1, 12, 0, i));
            QCOMPARE(e[i].offsetMin, 0);
        }
        QVERIFY(e[1].message.startsWith(QStringLiteral("::1 - - ")));
        QCOMPARE(e[2].level, LogLevel::Error); // 503, zone-scoped link-local client
        QCOMPARE(e[3].level, LogLevel::Warn);  // 410, IPv4-mapped client
        QCOMPARE(e[4].level, LogLevel::Info);  // 204, full-length address, CLF
    }

    void accessLineOffsetsAreConvertedToUtc()
    {
        const auto e = parseFixture("access_offsets.log");
        QCOMPARE(e.size(), 6);
        QCOMPARE(e[0].ms, utcMs(2025, 10, 1, 19, 0, 0));
        QCOMPARE(e[0].offsetMin, -420);
        QCOMPARE(e[1].ms, utcMs(2025, 10, 1, 6, 30, 0));
        QCOMPARE(e[1].offsetMin, 330);
        QCOMPARE(e[2].ms, utcMs(2026, 1, 1, 6, 59, 59)); // across the year, forwards
        QCOMPARE(e[3].ms, utcMs(2025, 12, 31, 20, 45, 0)); // and backwards
        QCOMPARE(e[4].ms, utcMs(2024, 2, 29, 0, 0, 0));
        QCOMPARE(e[5].ms, utcMs(2025, 10, 1, 21, 30, 0, 250)); // fraction, "-0930"
        QCOMPARE(e[5].offsetMin, -570);
    }

    void nginxErrorLogLines()
    {
        const auto e = parseFixture("nginx_error.log");
        QCOMPARE(e.size(), 9);
        for (int i = 0; i < e.size(); ++i) {
            QVERIFY(e[i].hasTimestamp);
            // No offset written: local time, which is UTC here.
            QCOMPARE(e[i].ms, utcMs(2025, 10, 1, 12, 0, i < 2 ? 0 : i - 1));
        }
        QCOMPARE(e[0].message, QStringLiteral("[notice] 1#1: using the \"epoll\" event method"));
        const LogLevel expected[] = {LogLevel::Info,  LogLevel::Info,  LogLevel::Warn, LogLevel::Error, LogLevel::Fatal,
                                     LogLevel::Fatal, LogLevel::Fatal, LogLevel::Info, LogLevel::Debug};
        for (int i = 0; i < e.size(); ++i)
            QCOMPARE(e[i].level, expected[i]);
    }

    void accessLineWithoutAStatusHasNoLevel()
    {
        // A stamp in the access-log position still starts an entry; with no status after it the
        // request's words ("/error") do not make up a level.
        const QByteArray line = "10.0.0.1 - - [01/Oct/2025:12:00:00 +0200] GET /error (truncated)";
        LogFileParser::Line out;
        LogFileParser::parseLine(std::string_view(line.constData(), std::size_t(line.size())), out);
        QVERIFY(out.startsEntry);
        QCOMPARE(qint64(out.time.msUtc), utcMs(2025, 10, 1, 10, 0, 0));
        QCOMPARE(out.level, LogLevel::Unknown);
    }

    void everyPrefixOfAnAccessLineIsReadSafely()
    {
        // The stamp is parsed by hand: a line cut anywhere (a tailer's partial line, a truncated
        // file) must neither read past its end (ASan builds copy each prefix into a buffer of
        // exactly its size) nor start an entry before the stamp's ']' is there.
        for (const char *name : {"nginx_access.log", "apache_combined.log", "access_ipv6.log", "access_offsets.log"}) {
            QFile file(fixture(name));
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QList<QByteArray> lines = file.readAll().split('\n');
            for (const QByteArray &line : lines) {
                if (line.isEmpty())
                    continue;
                const qsizetype close = line.indexOf(']', line.indexOf(" ["));
                QVERIFY(close > 0);
                for (qsizetype n = 0; n <= line.size(); ++n) {
                    const auto exact = std::make_unique<char[]>(std::size_t(n));
                    std::memcpy(exact.get(), line.constData(), std::size_t(n));
                    LogFileParser::Line out;
                    LogFileParser::parseLine(std::string_view(exact.get(), std::size_t(n)), out);
                    QCOMPARE(out.startsEntry, n > close);
                }
            }
        }
    }

    void notAccessLines_data()
    {
        QTest::addColumn<QString>("line");
        QTest::newRow("stamp first") << "[01/Oct/2025:12:00:00 +0200] GET / 200";
        QTest::newRow("host only") << "10.0.0.1 [01/Oct/2025:12:00:00 +0200] \"GET / HTTP/1.1\" 200 1";
        QTest::newRow("no offset") << "10.0.0.1 - - [01/Oct/2025:12:00:00] \"GET / HTTP/1.1\" 200 1";
        QTest::newRow("bad month") << "10.0.0.1 - - [01/Okt/2025:12:00:00 +0200] \"GET / HTTP/1.1\" 200 1";
        QTest::newRow("bad hour") << "10.0.0.1 - - [01/Oct/2025:25:00:00 +0200] \"GET / HTTP/1.1\" 200 1";
        QTest::newRow("unclosed") << "10.0.0.1 - - [01/Oct/2025:12:00:00 +0200 \"GET / HTTP/1.1\" 200 1";
        QTest::newRow("indented") << "  10.0.0.1 - - [01/Oct/2025:12:00:00 +0200] \"GET / HTTP/1.1\" 200 1";
        QTest::newRow("prose") << "see the access log for details [ticket 42]";
        QTest::newRow("slash date, no time") << "2025/10/01 maintenance window";
    }

    void notAccessLines()
    {
        QFETCH(QString, line);
        const QByteArray utf8 = line.toUtf8();
        LogFileParser::Line out;
        LogFileParser::parseLine(std::string_view(utf8.constData(), std::size_t(utf8.size())), out);
        QVERIFY(!out.startsEntry);
        QCOMPARE(out.time.length, std::size_t(0));
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
        for (const char *name : {"java_trace.log", "python_trace.log", "syslog.log", "json_lines.log", "access_mixed.log",
                                 "nginx_error.log", "apache_combined.log"}) {
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
