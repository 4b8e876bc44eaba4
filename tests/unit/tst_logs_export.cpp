// Exporting the Logs pane: NDJSON round trip, text of the filtered view, progress, cancel and
// failures that leave no partial file.

#include "logexporter.h"
#include "logfileparser.h"
#include "logmodel.h"

#include <QFile>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace opsdeck::logs;

namespace {
QJsonObject entry(qint64 seq, const QString &level, const QString &message, const QString &source = QStringLiteral("web-01"))
{
    return QJsonObject{{QStringLiteral("type"), QStringLiteral("log")},
                       {QStringLiteral("epoch"), QStringLiteral("e-52c1")},
                       {QStringLiteral("seq"), seq},
                       {QStringLiteral("timestamp"), QStringLiteral("2026-11-21T12:00:%1.123Z").arg(seq % 60, 2, 10, QLatin1Char('0'))},
                       {QStringLiteral("stream"), seq % 2 ? QStringLiteral("stderr") : QStringLiteral("stdout")},
                       {QStringLiteral("level"), level},
                       {QStringLiteral("source"), source},
                       {QStringLiteral("host"), QStringLiteral("edge-1")},
                       {QStringLiteral("message"), message}};
}

void fill(LogModel &model, int n)
{
    QList<QJsonObject> list;
    for (int i = 1; i <= n; ++i)
        list.append(entry(i, i % 5 == 0 ? QStringLiteral("error") : QStringLiteral("info"), QStringLiteral("entry %1").arg(i)));
    model.appendEntries(list);
}

QList<QByteArray> readLines(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<QByteArray> lines = file.readAll().split('\n');
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    return lines;
}

bool exportAndWait(LogExporter &exporter, LogModel &model, const QString &path, LogExporter::Format format,
                   LogExporter::Scope scope)
{
    QSignalSpy finished(&exporter, &LogExporter::finished);
    if (!exporter.start(&model, path, format, scope))
        return false;
    return finished.wait(10000) && finished.at(0).at(0).toBool();
}
} // namespace

class TestLogExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void ndjsonRoundTripKeepsEveryEntry()
    {
        LogModel model;
        model.appendEntries({entry(1, QStringLiteral("error"), QStringLiteral("Unhandled \"quoted\"\n\tat A (a.cpp:1)\n\tat B")),
                             entry(2, QStringLiteral("warn"), QStringLiteral("ünïcödé → ✓ and \\ backslash")),
                             entry(3, QStringLiteral("info"), QStringLiteral("control \x01 char"))});
        model.appendGap(QJsonObject{{QStringLiteral("type"), QStringLiteral("gap")}, {QStringLiteral("epoch"), QStringLiteral("e-52c1")},
                                    {QStringLiteral("reason"), QStringLiteral("retention_exceeded")},
                                    {QStringLiteral("from_seq"), 4}, {QStringLiteral("to_seq"), 9},
                                    {QStringLiteral("ts"), QStringLiteral("2026-11-21T12:01:00.000Z")}});
        QJsonObject bare = entry(10, QString(), QStringLiteral("no level, no source"), QString());
        bare.remove(QStringLiteral("level"));
        bare.remove(QStringLiteral("source"));
        model.appendEntries({bare});
        model.setLevels({QStringLiteral("error")}); // whole-history export ignores the view

        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("logs.ndjson"));
        LogExporter exporter;
        QVERIFY(exportAndWait(exporter, model, path, LogExporter::Ndjson, LogExporter::WholeHistory));

        LogModel back;
        const QList<QByteArray> lines = readLines(path);
        QCOMPARE(lines.size(), 5);
        for (const QByteArray &line : lines) {
            QJsonParseError error;
            const QJsonObject object = QJsonDocument::fromJson(line, &error).object();
            QCOMPARE(error.error, QJsonParseError::NoError);
            back.handleMessage(object);
        }
        model.setLevels({QStringLiteral("trace"), QStringLiteral("debug"), QStringLiteral("info"), QStringLiteral("warn"),
                         QStringLiteral("error"), QStringLiteral("fatal")});
        QCOMPARE(back.rowCount(), model.rowCount());
        const QList<int> roles{LogModel::SeqRole,     LogModel::TimestampMsRole, LogModel::LevelRole,
                               LogModel::StreamRole,  LogModel::SourceRole,      LogModel::HostRole,
                               LogModel::MessageRole, LogModel::LineCountRole,   LogModel::IsGapRole,
                               LogModel::EpochRole};
        for (int row = 0; row < model.rowCount(); ++row) {
            for (int role : roles)
                QCOMPARE(back.data(back.index(row), role), model.data(model.index(row), role));
        }
        QCOMPARE(back.store().gapInfo(back.positionAt(3))->toSeq, 9);
    }

    void fileTimestampsKeepTheirOffset()
    {
        LogFileParser parser("app.log");
        const std::string text = "2025-10-01T12:00:00.123+02:00 ERROR boom\n";
        parser.feed(text);
        parser.finish();
        LogModel model;
        model.appendBatch(parser.takeBatch());
        QCOMPARE(model.data(model.index(0), LogModel::TimestampIsoRole).toString(),
                 QStringLiteral("2025-10-01T12:00:00.123+02:00"));
        const QByteArray json = LogExporter::formatEntry(model.store(), model.positionAt(0), LogExporter::Ndjson);
        const QJsonObject object = QJsonDocument::fromJson(json).object();
        QCOMPARE(object.value(QStringLiteral("timestamp")).toString(), QStringLiteral("2025-10-01T12:00:00.123+02:00"));
        QCOMPARE(object.value(QStringLiteral("level")).toString(), QStringLiteral("error"));
        QCOMPARE(object.value(QStringLiteral("seq")).toInteger(), 1);
        QCOMPARE(LogExporter::formatEntry(model.store(), model.positionAt(0), LogExporter::Text),
                 QByteArray("2025-10-01T12:00:00.123+02:00 ERROR file: ERROR boom"));
    }

    void textExportOfTheFilteredViewWithProgress()
    {
        LogModel model;
        fill(model, 1000);
        model.setLevels({QStringLiteral("error")});
        model.setSearchText(QStringLiteral("entry 1"));
        const int rows = model.rowCount();
        QVERIFY(rows > 0 && rows < 200);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("view.txt"));
        LogExporter exporter;
        exporter.setSliceSize(7);
        QSignalSpy progressed(&exporter, &LogExporter::progressed);
        QSignalSpy finished(&exporter, &LogExporter::finished);
        QVERIFY(exporter.start(&model, path, LogExporter::Text, LogExporter::FilteredView));
        QVERIFY(exporter.isRunning());
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.at(0).at(2).toLongLong(), rows);
        QVERIFY(progressed.count() > 1);
        QCOMPARE(progressed.last().at(0).toLongLong(), rows);
        QCOMPARE(progressed.last().at(1).toLongLong(), rows);
        const QList<QByteArray> lines = readLines(path);
        QCOMPARE(lines.size(), rows);
        QCOMPARE(lines.first(), QByteArray("2026-11-21T12:00:10.123Z ERROR web-01@edge-1 stdout: entry 10"));
        for (const QByteArray &line : lines)
            QVERIFY(line.contains("ERROR") && line.contains("entry 1"));
    }

    void cancelLeavesNoFile()
    {
        LogModel model;
        fill(model, 5000);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("cancelled.ndjson"));
        LogExporter exporter;
        exporter.setSliceSize(100);
        QSignalSpy finished(&exporter, &LogExporter::finished);
        QSignalSpy progressed(&exporter, &LogExporter::progressed);
        QVERIFY(exporter.start(&model, path, LogExporter::Ndjson, LogExporter::WholeHistory));
        QVERIFY(progressed.wait(5000));
        exporter.cancel();
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.at(0).at(0).toBool(), false);
        QCOMPARE(finished.at(0).at(1).toString(), QStringLiteral("cancelled"));
        QVERIFY(!QFile::exists(path));
        QVERIFY(!exporter.isRunning());
    }

    void unwritablePathFailsCleanly()
    {
        LogModel model;
        fill(model, 3);
        LogExporter exporter;
        QSignalSpy finished(&exporter, &LogExporter::finished);
        QVERIFY(!exporter.start(&model, QStringLiteral("/nonexistent-dir/x.ndjson")));
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.at(0).at(0).toBool(), false);
    }

    void entriesDroppedDuringExportAreSkipped()
    {
        LogModel model(nullptr, 100);
        model.setCapacity(1000);
        fill(model, 1000);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("moving.ndjson"));
        LogExporter exporter;
        exporter.setSliceSize(50);
        QSignalSpy finished(&exporter, &LogExporter::finished);
        QSignalSpy progressed(&exporter, &LogExporter::progressed);
        QVERIFY(exporter.start(&model, path, LogExporter::Ndjson, LogExporter::WholeHistory));
        QVERIFY(progressed.wait(5000));
        // Live entries push the oldest chunks out while the export runs.
        QList<QJsonObject> more;
        for (int i = 1001; i <= 1500; ++i)
            more.append(entry(i, QStringLiteral("info"), QStringLiteral("late %1").arg(i)));
        model.appendEntries(more);
        QVERIFY(finished.wait(10000));
        QVERIFY(finished.at(0).at(0).toBool());
        const QList<QByteArray> lines = readLines(path);
        QCOMPARE(qint64(lines.size()), finished.at(0).at(2).toLongLong());
        QVERIFY(lines.size() < 1000);
        // What was written is in order and has no holes after the first kept entry.
        qint64 previous = -1;
        for (const QByteArray &line : lines) {
            const qint64 seq = QJsonDocument::fromJson(line).object().value(QStringLiteral("seq")).toInteger();
            QVERIFY(previous < 0 || seq == previous + 1 || previous == 50);
            previous = seq;
        }
    }
};

QTEST_GUILESS_MAIN(TestLogExport)
#include "tst_logs_export.moc"
