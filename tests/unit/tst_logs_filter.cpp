// Filter semantics of the Logs pane, mirroring the hub's EntryFilter: levels, sources, streams,
// case-insensitive text or regex; filter-only vs highlight mode; invalid regexes.

#include "logmodel.h"

#include <QSignalSpy>
#include <QTest>

using namespace opsdeck::logs;

namespace {
QJsonObject entry(qint64 seq, const QString &level, const QString &source, const QString &stream, const QString &message)
{
    QJsonObject e{{QStringLiteral("type"), QStringLiteral("log")},
                  {QStringLiteral("epoch"), QStringLiteral("e-1")},
                  {QStringLiteral("seq"), seq},
                  {QStringLiteral("timestamp"), QStringLiteral("2026-11-21T12:00:00Z")},
                  {QStringLiteral("message"), message}};
    if (!level.isEmpty())
        e.insert(QStringLiteral("level"), level);
    if (!source.isEmpty())
        e.insert(QStringLiteral("source"), source);
    if (!stream.isEmpty())
        e.insert(QStringLiteral("stream"), stream);
    return e;
}

// seq 1..8 with a spread of levels, sources, streams and texts.
void fill(LogModel &model)
{
    model.appendEntries({
        entry(1, QStringLiteral("info"), QStringLiteral("web-01"), QStringLiteral("stdout"), QStringLiteral("GET /api/orders 200")),
        entry(2, QStringLiteral("warn"), QStringLiteral("web-01"), QStringLiteral("stderr"), QStringLiteral("slow request: Timeout soon")),
        entry(3, QStringLiteral("error"), QStringLiteral("worker-02"), QStringLiteral("stderr"), QStringLiteral("Connection TIMEOUT after 30s")),
        entry(4, QStringLiteral("debug"), QStringLiteral("worker-02"), QStringLiteral("stdout"), QStringLiteral("cache hit ratio 0.93")),
        entry(5, QStringLiteral("fatal"), QStringLiteral("db-01"), QStringLiteral("stderr"), QStringLiteral("Größe überschritten: disk full")),
        entry(6, QString(), QString(), QString(), QStringLiteral("plain line without fields")),
        entry(7, QStringLiteral("trace"), QStringLiteral("web-01"), QStringLiteral("stdout"), QStringLiteral("enter handler id=42")),
        entry(8, QStringLiteral("error"), QStringLiteral("web-01"), QStringLiteral("stderr"), QStringLiteral("Unhandled exception\n  at OrderService.place (orders.cpp:88)")),
    });
}

QList<qint64> seqs(const LogModel &model)
{
    QList<qint64> out;
    for (int row = 0; row < model.rowCount(); ++row)
        out.append(model.data(model.index(row), LogModel::SeqRole).toLongLong());
    return out;
}
} // namespace

class TestLogFilter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void levelToggles()
    {
        LogModel model;
        fill(model);
        QCOMPARE(model.levels().size(), 6);
        model.setLevels({QStringLiteral("error"), QStringLiteral("fatal")});
        // An entry without a level is never excluded (as on the hub).
        QCOMPARE(seqs(model), (QList<qint64>{3, 5, 6, 8}));
        model.setLevelEnabled(QStringLiteral("warn"), true);
        QVERIFY(model.isLevelEnabled(QStringLiteral("warn")));
        QCOMPARE(seqs(model), (QList<qint64>{2, 3, 5, 6, 8}));
        model.setLevelEnabled(QStringLiteral("error"), false);
        QCOMPARE(seqs(model), (QList<qint64>{2, 5, 6}));
        // New entries obey the active filter.
        model.appendEntries({entry(9, QStringLiteral("error"), {}, {}, QStringLiteral("x")),
                             entry(10, QStringLiteral("warning"), {}, {}, QStringLiteral("y"))});
        QCOMPARE(seqs(model), (QList<qint64>{2, 5, 6, 10}));
    }

    void sourceAndStreamFilters()
    {
        LogModel model;
        fill(model);
        model.setSources({QStringLiteral("worker-02"), QStringLiteral("db-01")});
        QCOMPARE(seqs(model), (QList<qint64>{3, 4, 5, 6}));
        model.setStreams({QStringLiteral("stderr")});
        QCOMPARE(seqs(model), (QList<qint64>{3, 5, 6}));
        model.setSources({});
        QCOMPARE(seqs(model), (QList<qint64>{2, 3, 5, 6, 8}));
        // Seed 001's "all" lifts the stream filter.
        model.setStreams({QStringLiteral("all")});
        QCOMPARE(model.rowCount(), 8);
        // A source seen for the first time after the filter was set is matched too.
        model.setSources({QStringLiteral("new-01")});
        model.appendEntries({entry(9, QStringLiteral("info"), QStringLiteral("new-01"), QStringLiteral("stdout"), QStringLiteral("hi")),
                             entry(10, QStringLiteral("info"), QStringLiteral("other"), QStringLiteral("stdout"), QStringLiteral("hi"))});
        QCOMPARE(seqs(model), (QList<qint64>{6, 9}));
    }

    void textSearchIsCaseInsensitiveSubstring()
    {
        LogModel model;
        fill(model);
        model.setSearchText(QStringLiteral("timeout"));
        QCOMPARE(seqs(model), (QList<qint64>{2, 3}));
        model.setSearchText(QStringLiteral("ORDERSERVICE.place")); // second line of a multi-line entry
        QCOMPARE(seqs(model), (QList<qint64>{8}));
        model.setSearchText(QStringLiteral("grÖße"));
        QCOMPARE(seqs(model), QList<qint64>{5});
        model.setSearchText(QStringLiteral("üBER"));
        QCOMPARE(seqs(model), QList<qint64>{5});
        model.setSearchText(QString());
        QCOMPARE(model.rowCount(), 8);
        // Combined with the other criteria.
        model.setSearchText(QStringLiteral("timeout"));
        model.setLevels({QStringLiteral("error")});
        QCOMPARE(seqs(model), QList<qint64>{3});
    }

    void regexSearch()
    {
        LogModel model;
        fill(model);
        model.setRegex(true);
        model.setSearchText(QStringLiteral("^(get|enter)\\b"));
        QCOMPARE(seqs(model), (QList<qint64>{1, 7}));
        model.setSearchText(QStringLiteral("id=\\d+"));
        QCOMPARE(seqs(model), QList<qint64>{7});
        model.setSearchText(QStringLiteral("größe"));
        QCOMPARE(seqs(model), QList<qint64>{5});
    }

    void invalidRegexIsReportedNotFatal()
    {
        LogModel model;
        fill(model);
        QSignalSpy error(&model, &LogModel::filterErrorChanged);
        model.setRegex(true);
        model.setSearchText(QStringLiteral("timeout("));
        QCOMPARE(error.count(), 1);
        QVERIFY(!model.filterError().isEmpty());
        QVERIFY(!model.property("filterError").toString().isEmpty());
        // The broken text criterion is inactive rather than hiding everything.
        QCOMPARE(model.rowCount(), 8);
        model.setSearchText(QStringLiteral("timeout(s)?"));
        QVERIFY(model.filterError().isEmpty());
        QCOMPARE(error.count(), 2);
        QCOMPARE(seqs(model), (QList<qint64>{2, 3}));
        // Toggling regex off makes the same text a plain substring: valid again.
        model.setSearchText(QStringLiteral("("));
        QVERIFY(!model.filterError().isEmpty());
        model.setRegex(false);
        QVERIFY(model.filterError().isEmpty());
        QCOMPARE(seqs(model), QList<qint64>{8}); // "place (orders.cpp:88)"
    }

    void highlightModeKeepsRowsAndExposesRanges()
    {
        LogModel model;
        fill(model);
        model.setFilterOnly(false);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setSearchText(QStringLiteral("timeout"));
        QCOMPARE(reset.count(), 0);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(model.rowCount(), 8);
        QVERIFY(!model.data(model.index(0), LogModel::MatchesRole).toBool());
        QVERIFY(model.data(model.index(1), LogModel::MatchesRole).toBool());
        const QVariantList ranges = model.data(model.index(1), LogModel::MatchRangesRole).toList();
        QCOMPARE(ranges.size(), 1);
        QCOMPARE(ranges.at(0).toMap().value(QStringLiteral("start")).toInt(), 14);
        QCOMPARE(ranges.at(0).toMap().value(QStringLiteral("length")).toInt(), 7);
        QCOMPARE(model.findMatch(-1), 1);
        QCOMPARE(model.findMatch(1), 2);
        QCOMPARE(model.findMatch(2), -1);
        QCOMPARE(model.findMatch(8, false), 2);
        // Regex ranges: every match.
        model.setRegex(true);
        model.setSearchText(QStringLiteral("o\\w"));
        const QVariantList regexRanges = model.data(model.index(0), LogModel::MatchRangesRole).toList();
        QCOMPARE(regexRanges.size(), 1); // "or" in orders
        // Switching to filter-only applies the text as a filter.
        model.setRegex(false);
        model.setSearchText(QStringLiteral("timeout"));
        model.setFilterOnly(true);
        QCOMPARE(seqs(model), (QList<qint64>{2, 3}));
        // Level filters still filter in highlight mode.
        model.setFilterOnly(false);
        model.setLevels({QStringLiteral("warn")});
        QCOMPARE(seqs(model), (QList<qint64>{2, 6}));
    }

    void rowsTextForTheClipboard()
    {
        LogModel model;
        model.setUtc(true);
        fill(model);
        QCOMPARE(model.rowsText(2, 2), QStringLiteral("2026-11-21 12:00:00.000 ERROR worker-02 stderr: Connection TIMEOUT after 30s"));
    }
};

QTEST_GUILESS_MAIN(TestLogFilter)
#include "tst_logs_filter.moc"
