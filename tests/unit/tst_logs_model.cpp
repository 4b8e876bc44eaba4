// LogModel as a view: model contract under appends, filters, pause/resume, gaps and the
// capacity cap; dedupe by seq; multi-line rows; timestamps.

#include "logmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace opsdeck::logs;

namespace {
QJsonObject entry(qint64 seq, const QString &level = QStringLiteral("info"), const QString &message = QStringLiteral("hello"),
                  const QString &source = QStringLiteral("web-01"), const QString &stream = QStringLiteral("stdout"),
                  const QString &epoch = QStringLiteral("e-1"))
{
    return QJsonObject{{QStringLiteral("type"), QStringLiteral("log")},
                       {QStringLiteral("topic"), QStringLiteral("logs")},
                       {QStringLiteral("epoch"), epoch},
                       {QStringLiteral("seq"), seq},
                       {QStringLiteral("timestamp"), QStringLiteral("2026-11-21T12:00:00.123Z")},
                       {QStringLiteral("stream"), stream},
                       {QStringLiteral("level"), level},
                       {QStringLiteral("source"), source},
                       {QStringLiteral("host"), QStringLiteral("edge-1")},
                       {QStringLiteral("message"), message}};
}

QList<QJsonObject> entries(qint64 firstSeq, int n)
{
    QList<QJsonObject> list;
    for (int i = 0; i < n; ++i)
        list.append(entry(firstSeq + i, QStringLiteral("info"), QStringLiteral("line %1").arg(firstSeq + i)));
    return list;
}

QList<qint64> seqs(const LogModel &model)
{
    QList<qint64> out;
    for (int row = 0; row < model.rowCount(); ++row)
        out.append(model.data(model.index(row), LogModel::SeqRole).toLongLong());
    return out;
}

QList<qint64> range(qint64 from, qint64 to)
{
    QList<qint64> out;
    for (qint64 i = from; i <= to; ++i)
        out.append(i);
    return out;
}
} // namespace

class TestLogModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void modelContractThroughEveryOperation()
    {
        LogModel model(nullptr, 16);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setCapacity(64);
        model.appendEntries(entries(1, 40));
        model.appendEntries({entry(41, QStringLiteral("error"), QStringLiteral("boom\n  at x"))});
        model.setLevels({QStringLiteral("error")});
        QCOMPARE(model.rowCount(), 1);
        model.setLevels({QStringLiteral("info"), QStringLiteral("error")});
        model.setSearchText(QStringLiteral("line 1"));
        model.setFilterOnly(false);
        model.setRegex(true);
        model.setSearchText(QStringLiteral("line ("));
        model.setRegex(false);
        model.setSearchText(QString());
        model.pause();
        model.appendEntries(entries(42, 30));
        model.appendGap(QJsonObject{{QStringLiteral("type"), QStringLiteral("gap")}, {QStringLiteral("epoch"), QStringLiteral("e-1")},
                                    {QStringLiteral("reason"), QStringLiteral("retention_exceeded")},
                                    {QStringLiteral("from_seq"), 72}, {QStringLiteral("to_seq"), 80}});
        model.resume();
        model.appendEntries(entries(81, 50)); // crosses the capacity: oldest chunks are dropped
        model.toggleExpanded(0);
        model.setUtc(true);
        model.setCapacity(20);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void rolesCarryTheProtocolFields()
    {
        LogModel model;
        model.setUtc(true);
        model.appendEntries({entry(7, QStringLiteral("error"), QStringLiteral("Unhandled\n  at A\n  at B"),
                                   QStringLiteral("web-01"), QStringLiteral("stderr"))});
        const QHash<int, QByteArray> names = model.roleNames();
        for (const char *name : {"seq", "timestamp", "level", "stream", "source", "host", "message", "firstLine",
                                 "lineCount", "isGap", "matchRanges", "expanded"})
            QVERIFY2(std::find(names.begin(), names.end(), QByteArray(name)) != names.end(), name);
        QVERIFY(names.key("seq") >= Qt::UserRole + 1);
        const QModelIndex i = model.index(0);
        QCOMPARE(model.data(i, LogModel::SeqRole).toLongLong(), 7);
        QCOMPARE(model.data(i, LogModel::TimestampRole).toString(), QStringLiteral("2026-11-21 12:00:00.123"));
        QCOMPARE(model.data(i, LogModel::LevelRole).toString(), QStringLiteral("error"));
        QCOMPARE(model.data(i, LogModel::StreamRole).toString(), QStringLiteral("stderr"));
        QCOMPARE(model.data(i, LogModel::SourceRole).toString(), QStringLiteral("web-01"));
        QCOMPARE(model.data(i, LogModel::HostRole).toString(), QStringLiteral("edge-1"));
        QCOMPARE(model.data(i, LogModel::MessageRole).toString(), QStringLiteral("Unhandled\n  at A\n  at B"));
        QCOMPARE(model.data(i, LogModel::FirstLineRole).toString(), QStringLiteral("Unhandled"));
        QCOMPARE(model.data(i, LogModel::LineCountRole).toInt(), 3);
        QCOMPARE(model.data(i, LogModel::IsGapRole).toBool(), false);
        QCOMPARE(model.data(i, LogModel::EpochRole).toString(), QStringLiteral("e-1"));
    }

    void expandToggleIsPerRowAndNotified()
    {
        LogModel model;
        model.appendEntries({entry(1, QStringLiteral("error"), QStringLiteral("a\nb")), entry(2)});
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QVERIFY(!model.data(model.index(0), LogModel::ExpandedRole).toBool());
        model.toggleExpanded(0);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 0);
        QVERIFY(model.data(model.index(0), LogModel::ExpandedRole).toBool());
        QVERIFY(!model.isExpanded(1));
        // Expansion follows the entry, not the row number, across a re-filter.
        model.setLevels({QStringLiteral("error")});
        QVERIFY(model.isExpanded(0));
        model.toggleExpanded(0);
        QVERIFY(!model.isExpanded(0));
    }

    void timestampsInLocalTimeOrUtc()
    {
        qputenv("TZ", "Europe/Berlin");
        tzset();
        LogModel model;
        model.appendEntries({entry(1)});
        QCOMPARE(model.data(model.index(0), LogModel::TimestampRole).toString(), QStringLiteral("2026-11-21 13:00:00.123"));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setUtc(true);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(model.data(model.index(0), LogModel::TimestampRole).toString(), QStringLiteral("2026-11-21 12:00:00.123"));
        QCOMPARE(model.data(model.index(0), LogModel::TimestampMsRole).toLongLong(),
                 QDateTime(QDate(2026, 11, 21), QTime(12, 0, 0, 123), Qt::UTC).toMSecsSinceEpoch());
    }

    void duplicatesBySeqAreDropped()
    {
        LogModel model;
        model.appendEntries(entries(1, 5));
        model.appendEntries(entries(3, 5)); // replay overlap after a resume: 3..5 again, 6..7 new
        QCOMPARE(seqs(model), range(1, 7));
        model.appendEntries({entry(2), entry(7)});
        QCOMPARE(model.totalCount(), 7);
        // A new epoch starts its own sequence.
        model.appendEntries({entry(1, QStringLiteral("info"), QStringLiteral("x"), QStringLiteral("web-01"),
                                   QStringLiteral("stdout"), QStringLiteral("e-2"))});
        QCOMPARE(model.totalCount(), 8);
        // The old epoch still remembers where it was.
        model.appendEntries({entry(7), entry(8)});
        QCOMPARE(model.totalCount(), 9);
    }

    void pauseKeepsTheViewStillAndLosesNothing()
    {
        LogModel model;
        model.appendEntries(entries(1, 10));
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy pending(&model, &LogModel::pendingCountChanged);
        model.setPaused(true);
        for (int i = 0; i < 20; ++i)
            model.appendEntries(entries(11 + i * 50, 50));
        QCOMPARE(model.rowCount(), 10);
        QCOMPARE(inserted.count(), 0);
        QCOMPARE(model.pendingCount(), 1000);
        QCOMPARE(model.totalCount(), 1010);
        QVERIFY(pending.count() > 0);
        model.setPaused(false);
        QCOMPARE(model.pendingCount(), 0);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(seqs(model), range(1, 1010));
    }

    void pendingCountHonoursTheFilter()
    {
        LogModel model;
        model.setLevels({QStringLiteral("error")});
        model.pause();
        model.appendEntries({entry(1, QStringLiteral("info")), entry(2, QStringLiteral("error"))});
        QCOMPARE(model.pendingCount(), 1);
        // Changing the filter while paused re-evaluates what is pending; still nothing shown yet.
        model.setLevels({QStringLiteral("info"), QStringLiteral("error")});
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.pendingCount(), 2);
        model.resume();
        QCOMPARE(seqs(model), (QList<qint64>{1, 2}));
    }

    void gapIsAVisibleRowThatFiltersNeverHide()
    {
        LogModel model;
        model.appendEntries(entries(1, 3));
        model.handleMessage(QJsonObject{{QStringLiteral("type"), QStringLiteral("gap")},
                                        {QStringLiteral("topic"), QStringLiteral("logs")},
                                        {QStringLiteral("epoch"), QStringLiteral("e-1")},
                                        {QStringLiteral("reason"), QStringLiteral("retention_exceeded")},
                                        {QStringLiteral("from_seq"), 1001},
                                        {QStringLiteral("to_seq"), 1499}});
        model.handleMessage(QJsonObject{{QStringLiteral("type"), QStringLiteral("gap")},
                                        {QStringLiteral("epoch"), QStringLiteral("e-2")},
                                        {QStringLiteral("reason"), QStringLiteral("epoch_changed")}});
        QCOMPARE(model.rowCount(), 5);
        const QModelIndex gap = model.index(3);
        QVERIFY(model.data(gap, LogModel::IsGapRole).toBool());
        QCOMPARE(model.data(gap, LogModel::MessageRole).toString(), QStringLiteral("499 entries missing (retention exceeded)"));
        QCOMPARE(model.data(model.index(4), LogModel::MessageRole).toString(), QStringLiteral("entries missing (epoch changed)"));
        QVERIFY(model.store().gapInfo(model.positionAt(3)));
        QCOMPARE(model.store().gapInfo(model.positionAt(3))->toSeq, 1499);
        model.setLevels({QStringLiteral("fatal")});
        model.setSearchText(QStringLiteral("no such text"));
        QCOMPARE(model.rowCount(), 2);
        QVERIFY(model.data(model.index(0), LogModel::IsGapRole).toBool());
    }

    void relayedGapSaysWhichHubLostWhat()
    {
        LogModel model;
        model.appendEntries(entries(1, 2));
        model.handleMessage(QJsonObject{{QStringLiteral("type"), QStringLiteral("gap")},
                                        {QStringLiteral("topic"), QStringLiteral("logs")},
                                        {QStringLiteral("epoch"), QStringLiteral("e-1")},
                                        {QStringLiteral("seq"), 3},
                                        {QStringLiteral("reason"), QStringLiteral("upstream_gap")},
                                        {QStringLiteral("hub"), QStringLiteral("prod-eu")},
                                        {QStringLiteral("message"),
                                         QStringLiteral("Entries from prod-eu were lost while the link was down (epoch_changed)")}});
        QCOMPARE(model.rowCount(), 3);
        QVERIFY(model.data(model.index(2), LogModel::IsGapRole).toBool());
        QCOMPARE(model.data(model.index(2), LogModel::MessageRole).toString(),
                 QStringLiteral("Entries from prod-eu were lost while the link was down (epoch_changed)"));
    }

    void batchMessagesCarryTheirEpoch()
    {
        LogModel model;
        QJsonArray logs;
        for (int i = 1; i <= 3; ++i) {
            QJsonObject e = entry(i);
            e.remove(QStringLiteral("epoch"));
            logs.append(e);
        }
        const QJsonObject batch{{QStringLiteral("type"), QStringLiteral("batch")}, {QStringLiteral("topic"), QStringLiteral("logs")},
                                {QStringLiteral("epoch"), QStringLiteral("e-9")}, {QStringLiteral("logs"), logs},
                                {QStringLiteral("count"), 3}};
        model.handleMessage(batch);
        model.handleMessage(batch); // delivered twice: deduplicated
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.data(model.index(2), LogModel::EpochRole).toString(), QStringLiteral("e-9"));
    }

    void capacityDropsOldestChunksWithRemoveSignals()
    {
        LogModel model(nullptr, 10);
        model.setCapacity(35);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsAboutToBeRemoved);
        model.appendEntries(entries(1, 30));
        QCOMPARE(removed.count(), 0);
        model.appendEntries(entries(31, 10)); // 40 > 35: the chunk 1..10 goes
        QCOMPARE(removed.count(), 1);
        QCOMPARE(removed.at(0).at(1).toInt(), 0);
        QCOMPARE(removed.at(0).at(2).toInt(), 9);
        QCOMPARE(seqs(model), range(11, 40));
        model.appendEntries(entries(41, 100));
        QVERIFY(model.totalCount() <= 35);
        QVERIFY(model.totalCount() > 25);
        QCOMPARE(seqs(model).last(), 140);
        QCOMPARE(seqs(model), range(141 - model.totalCount(), 140));
        // With a filter the removed rows are only the visible ones of the dropped chunk.
        model.setLevels({QStringLiteral("error")});
        model.appendEntries({entry(141, QStringLiteral("error"))});
        model.appendEntries(entries(142, 30));
        QCOMPARE(seqs(model), QList<qint64>{141});
        model.appendEntries(entries(172, 40));
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.store().bytesUsed() > 0, true);
    }

    void capacityDuringPauseDropsOnlyOldEntries()
    {
        LogModel model(nullptr, 10);
        model.setCapacity(40);
        model.appendEntries(entries(1, 20));
        model.pause();
        model.appendEntries(entries(21, 30)); // 50 > 40: 1..10 leave, from the view as well
        QCOMPARE(seqs(model), range(11, 20));
        QCOMPARE(model.pendingCount(), 30);
        model.resume();
        QCOMPARE(seqs(model), range(11, 50));
    }

    void followTailAndCountsAreProperties()
    {
        LogModel model;
        QVERIFY(model.followTail());
        QSignalSpy follow(&model, &LogModel::followTailChanged);
        model.setProperty("followTail", false);
        QCOMPARE(follow.count(), 1);
        QSignalSpy appended(&model, &LogModel::rowsAppended);
        model.appendEntries(entries(1, 3));
        QCOMPARE(appended.count(), 1);
        QCOMPARE(model.property("count").toInt(), 3);
        QCOMPARE(model.property("totalCount").toInt(), 3);
        QCOMPARE(model.property("knownSources").toStringList(), QStringList{QStringLiteral("web-01")});
        QCOMPARE(model.property("knownStreams").toStringList(), QStringList{QStringLiteral("stdout")});
    }
};

QTEST_GUILESS_MAIN(TestLogModel)
#include "tst_logs_model.moc"
