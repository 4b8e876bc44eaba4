// LogFileTailer (hub/logsource): appends in order, partial lines, rotation without loss,
// copytruncate, files that appear/disappear, stack traces as one entry, invalid UTF-8.
// Waits are QTRY_* on what the tailer delivers or reports, with generous timeouts: the machine
// running this is shared and loaded.

#include "logfiletailer.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <cstdlib>
#include <ctime>
#include <sys/stat.h>

using namespace opsdeck::logsource;
using opsdeck::logs::LogLevel;

namespace {
constexpr int kWaitMs = 30000;

void append(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Append))
        qFatal("cannot append to %s", qPrintable(path));
    file.write(bytes);
}

quint64 inodeOf(const QString &path)
{
    struct stat st
    {
    };
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? quint64(st.st_ino) : 0;
}

QByteArray fixture(const char *name)
{
    QFile file(QStringLiteral(OPSDECK_LOGS_FIXTURES "/") + QLatin1StringView(name));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", name);
    return file.readAll();
}

qint64 utcMs(int y, int mo, int d, int h, int mi, int s, int ms = 0)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi, s, ms), Qt::UTC).toMSecsSinceEpoch();
}

// Collects what a tailer delivers.
struct Received
{
    explicit Received(LogFileTailer &tailer)
    {
        QObject::connect(&tailer, &LogFileTailer::entriesReady, &tailer,
            [this](const QList<TailedEntry> &batch) { entries += batch; });
    }
    QStringList messages() const
    {
        QStringList out;
        for (const TailedEntry &entry : entries)
            out.append(entry.message);
        return out;
    }
    QList<TailedEntry> entries;
};

LogFileTailerOptions fastOptions(const QString &path)
{
    LogFileTailerOptions options;
    options.path = path;
    options.pollIntervalMs = 50; // the fallback, so a missed inotify event costs little time
    options.entryQuietMs = 100;
    return options;
}
} // namespace

class TestLogTailer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // Stamps without an offset are local time; pin the zone so expectations are fixed.
        qputenv("TZ", "UTC");
        tzset();
    }

    void init() { QVERIFY(m_dir.isValid()); }

    void appendsArriveInOrder()
    {
        const QString path = m_dir.filePath(QStringLiteral("append.log"));
        append(path, "written before the tailer started\n");
        LogFileTailer tailer(fastOptions(path));
        Received got(tailer);
        tailer.start();
        QVERIFY(tailer.isFileOpen());
        QStringList expected;
        for (int i = 0; i < 200; ++i) {
            expected.append(QStringLiteral("line %1").arg(i));
            append(path, expected.last().toUtf8() + '\n');
        }
        QTRY_COMPARE_WITH_TIMEOUT(got.entries.size(), expected.size(), kWaitMs);
        QCOMPARE(got.messages(), expected);
        QVERIFY(!got.entries.first().timeFromLine);
        QVERIFY(qAbs(got.entries.first().timeMs - QDateTime::currentMSecsSinceEpoch()) < 600000);
    }

    void fromStartReadsWhatIsThere()
    {
        const QString path = m_dir.filePath(QStringLiteral("start.log"));
        append(path, "one\ntwo\n");
        LogFileTailerOptions options = fastOptions(path);
        options.fromStart = true;
        LogFileTailer tailer(options);
        Received got(tailer);
        tailer.start();
        QTRY_COMPARE_WITH_TIMEOUT(got.messages(), QStringList({"one", "two"}), kWaitMs);
    }

    void partialLineWaitsForItsNewline()
    {
        const QString path = m_dir.filePath(QStringLiteral("partial.log"));
        append(path, "");
        LogFileTailerOptions options = fastOptions(path);
        options.partialLineMs = 600000;
        LogFileTailer tailer(options);
        Received got(tailer);
        tailer.start();
        append(path, "hello wor");
        QTRY_COMPARE_WITH_TIMEOUT(tailer.offset(), qint64(9), kWaitMs);
        // Absence cannot be awaited: give the quiet timer a few rounds to (wrongly) flush.
        QTest::qWait(4 * options.entryQuietMs);
        QVERIFY(got.entries.isEmpty());
        append(path, "ld\nnext\n");
        QTRY_COMPARE_WITH_TIMEOUT(got.messages(), QStringList({"hello world", "next"}), kWaitMs);
    }

    void partialLineFlushedAfterTimeout()
    {
        const QString path = m_dir.filePath(QStringLiteral("partial-timeout.log"));
        append(path, "");
        LogFileTailerOptions options = fastOptions(path);
        options.partialLineMs = 300;
        LogFileTailer tailer(options);
        Received got(tailer);
        tailer.start();
        append(path, "prompt without newline");
        QTRY_COMPARE_WITH_TIMEOUT(got.messages(), QStringList({"prompt without newline"}), kWaitMs);
    }

    void rotationLosesNoLine()
    {
        // logrotate's default: rename the file, create a new one at the path. The writer writes
        // its last lines just before the rename, so the tailer has to finish the old file after
        // noticing the new one. Between rotations the test only waits for the tailer to have
        // *opened* the new file: a file rotated away before anyone opened it cannot be followed.
        const QString path = m_dir.filePath(QStringLiteral("rotate.log"));
        append(path, "");
        LogFileTailer tailer(fastOptions(path));
        Received got(tailer);
        tailer.start();
        QStringList written;
        QHash<QString, int> fileOf;
        auto write = [&](int file, int count) {
            for (int i = 0; i < count; ++i) {
                written.append(QStringLiteral("file %1 line %2").arg(file).arg(i));
                fileOf.insert(written.last(), file);
                append(path, written.last().toUtf8() + '\n');
            }
        };
        constexpr int kRotations = 25;
        for (int file = 0; file < kRotations; ++file) {
            write(file, 40);
            QVERIFY(QFile::rename(path, path + QStringLiteral(".%1").arg(file)));
            append(path, "");
            const quint64 next = inodeOf(path);
            write(file + 1, 10);
            QTRY_VERIFY_WITH_TIMEOUT(tailer.isFileOpen() && tailer.inode() == next, kWaitMs);
        }
        write(kRotations, 40);
        QTRY_COMPARE_WITH_TIMEOUT(got.entries.size(), written.size(), kWaitMs);
        const QStringList received = got.messages();
        QCOMPARE(
            QSet<QString>(received.begin(), received.end()), QSet<QString>(written.begin(), written.end()));
        for (int file = 0; file <= kRotations; ++file) {
            auto perFile = [&](const QStringList &lines) {
                QStringList out;
                for (const QString &line : lines)
                    if (fileOf.value(line) == file)
                        out.append(line);
                return out;
            };
            QCOMPARE(perFile(received), perFile(written));
        }
    }

    void copytruncateRestartsFromZero()
    {
        const QString path = m_dir.filePath(QStringLiteral("truncate.log"));
        append(path, "");
        LogFileTailer tailer(fastOptions(path));
        Received got(tailer);
        bool truncated = false;
        connect(&tailer, &LogFileTailer::fileTruncated, this, [&] { truncated = true; });
        tailer.start();
        for (int i = 0; i < 20; ++i)
            append(path, QByteArray("before truncation ") + QByteArray::number(i) + '\n');
        QTRY_COMPARE_WITH_TIMEOUT(got.entries.size(), 20, kWaitMs);
        QVERIFY(QFile::resize(path, 0));
        append(path, "after 1\nafter 2\n");
        QTRY_COMPARE_WITH_TIMEOUT(got.entries.size(), 22, kWaitMs);
        QVERIFY(truncated);
        QCOMPARE(got.messages().mid(20), QStringList({"after 1", "after 2"}));
    }

    void fileCreatedAfterStart()
    {
        const QString path = m_dir.filePath(QStringLiteral("later/created.log"));
        LogFileTailer tailer(fastOptions(path));
        Received got(tailer);
        tailer.start();
        QVERIFY(!tailer.isFileOpen());
        QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("later")));
        append(path, "first\nsecond\n");
        // A file that appears later is read from its start: nothing in it is older than the hub.
        QTRY_COMPARE_WITH_TIMEOUT(got.messages(), QStringList({"first", "second"}), kWaitMs);
    }

    void deletedAndRecreated()
    {
        const QString path = m_dir.filePath(QStringLiteral("recreate.log"));
        append(path, "");
        LogFileTailer tailer(fastOptions(path));
        Received got(tailer);
        tailer.start();
        append(path, "a\nb\n");
        QTRY_COMPARE_WITH_TIMEOUT(got.entries.size(), 2, kWaitMs);
        QVERIFY(QFile::remove(path));
        QTRY_VERIFY_WITH_TIMEOUT(!tailer.isFileOpen(), kWaitMs);
        append(path, "c\n");
        QTRY_COMPARE_WITH_TIMEOUT(got.messages(), QStringList({"a", "b", "c"}), kWaitMs);
    }

    void javaStackTraceIsOneEntry()
    {
        const QString path = m_dir.filePath(QStringLiteral("java.log"));
        append(path, "");
        LogFileTailer tailer(fastOptions(path));
        Received got(tailer);
        tailer.start();
        append(path, fixture("java_trace.log"));
        QTRY_COMPARE_WITH_TIMEOUT(got.entries.size(), 3, kWaitMs);
        const TailedEntry &trace = got.entries.at(1);
        QCOMPARE(trace.level, LogLevel::Error);
        QVERIFY(trace.timeFromLine);
        QCOMPARE(trace.timeMs, utcMs(2025, 10, 1, 12, 0, 1));
        QVERIFY(trace.message.startsWith(
            QStringLiteral("ERROR [http-1] c.e.OrderController - Request failed\n")));
        QVERIFY(trace.message.contains(
            QStringLiteral("\tat com.example.OrderService.place(OrderService.java:88)")));
        QVERIFY(trace.message.endsWith(QStringLiteral("... 42 more")));
        QCOMPARE(got.entries.at(2).level, LogLevel::Info);
    }

    void pythonTraceCompletesWithoutANextLine()
    {
        // The trace is the last thing in the file: it must not wait for the next stamped line.
        const QString path = m_dir.filePath(QStringLiteral("python.log"));
        append(path, "");
        LogFileTailer tailer(fastOptions(path));
        Received got(tailer);
        tailer.start();
        const QByteArray all = fixture("python_trace.log");
        append(path, all.left(all.indexOf("\n\n") + 1));
        QTRY_COMPARE_WITH_TIMEOUT(got.entries.size(), 2, kWaitMs);
        const TailedEntry &trace = got.entries.at(1);
        QCOMPARE(trace.level, LogLevel::Error);
        QCOMPARE(trace.timeMs, utcMs(2025, 10, 1, 12, 0, 1));
        QVERIFY(trace.message.contains(QStringLiteral("Traceback (most recent call last):")));
        QVERIFY(trace.message.endsWith(QStringLiteral("ZeroDivisionError: division by zero")));
    }

    void invalidUtf8DoesNotBreakTheStream()
    {
        const QString path = m_dir.filePath(QStringLiteral("bytes.log"));
        append(path, "");
        LogFileTailer tailer(fastOptions(path));
        Received got(tailer);
        tailer.start();
        append(path, "ok 1\nbad \xff\xfe bytes\ncut \xe2\x82\n\xc3\xa9t\xc3\xa9\nok 2\n");
        QTRY_COMPARE_WITH_TIMEOUT(got.entries.size(), 5, kWaitMs);
        const QStringList m = got.messages();
        QCOMPARE(m.at(0), QStringLiteral("ok 1"));
        QVERIFY(m.at(1).contains(QChar(0xFFFD)));
        QVERIFY(m.at(1).endsWith(QStringLiteral(" bytes")));
        QVERIFY(m.at(2).contains(QChar(0xFFFD)));
        QCOMPARE(m.at(3), QString::fromUtf8("\xc3\xa9t\xc3\xa9"));
        QCOMPARE(m.at(4), QStringLiteral("ok 2"));
    }

    void endlessLineIsCut()
    {
        const QString path = m_dir.filePath(QStringLiteral("long.log"));
        append(path, "");
        LogFileTailerOptions options = fastOptions(path);
        options.maxLineBytes = 8192;
        options.maxEntryBytes = 8192;
        LogFileTailer tailer(options);
        Received got(tailer);
        tailer.start();
        append(path, QByteArray(1 << 20, 'x') + "\nafter\n");
        QTRY_VERIFY_WITH_TIMEOUT(
            !got.entries.isEmpty() && got.entries.last().message == QStringLiteral("after"), kWaitMs);
        for (const TailedEntry &entry : got.entries)
            QVERIFY(entry.message.size() < 8192 + 100);
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestLogTailer)
#include "tst_log_tailer.moc"
