// HistoryStore (hub/storage): round trip, batching and the flush on close, retention by count and
// by age, filtered backwards paging, and topics that resume their epoch and seq on a reopened store.

#include "historyarchive.h"
#include "historystore.h"

#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace opsdeck::hub;
using namespace opsdeck::hub::storage;

namespace {
HistoryEntry makeEntry(quint64 seq, const QString &source = QStringLiteral("web-01"),
    const QString &level = QStringLiteral("info"), const QString &stream = QStringLiteral("stdout"),
    const QString &text = QStringLiteral("hello"), qint64 timeMs = 0)
{
    HistoryEntry entry;
    entry.topic = QStringLiteral("logs");
    entry.epoch = QStringLiteral("e-test");
    entry.seq = seq;
    entry.timeMs = timeMs > 0 ? timeMs : QDateTime::currentMSecsSinceEpoch();
    entry.source = source;
    entry.level = level;
    entry.stream = stream;
    entry.text = text;
    entry.json
        = QJsonDocument(QJsonObject {{QStringLiteral("seq"), qint64(seq)}, {QStringLiteral("message"), text}})
              .toJson(QJsonDocument::Compact);
    return entry;
}

QList<quint64> seqsOf(const std::vector<HistoryEntry> &entries)
{
    QList<quint64> seqs;
    for (const HistoryEntry &entry : entries)
        seqs.append(entry.seq);
    return seqs;
}
} // namespace

class TestHistoryStore : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_files = 0;

    HistoryStoreConfig configFor(const QString &name = {})
    {
        HistoryStoreConfig config;
        config.path = m_dir.filePath(name.isEmpty() ? QStringLiteral("h%1.sqlite").arg(++m_files) : name);
        return config;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void roundTripAndReopen()
    {
        const HistoryStoreConfig config = configFor();
        {
            HistoryStore store;
            QVERIFY2(store.open(config), qPrintable(store.errorString()));
            QVERIFY(store.previousCloseWasClean());
            QVERIFY(!store.position(QStringLiteral("logs")));
            QVERIFY(store.beginEpoch(QStringLiteral("logs"), QStringLiteral("e-test")));
            for (quint64 seq = 1; seq <= 10; ++seq)
                store.append(makeEntry(seq, QStringLiteral("web-0%1").arg(seq % 3), QStringLiteral("warn"),
                    QStringLiteral("stderr"), QStringLiteral("line %1").arg(seq)));
            const auto entries = store.readRange(QStringLiteral("logs"), 3, 5, 100);
            QCOMPARE(seqsOf(entries), (QList<quint64> {3, 4, 5}));
            QCOMPARE(entries[0].source, QStringLiteral("web-00"));
            QCOMPARE(entries[0].level, QStringLiteral("warn"));
            QCOMPARE(entries[0].stream, QStringLiteral("stderr"));
            QCOMPARE(entries[0].text, QStringLiteral("line 3"));
            QCOMPARE(entries[0].epoch, QStringLiteral("e-test"));
            QCOMPARE(entries[0].json, makeEntry(3, {}, {}, {}, QStringLiteral("line 3")).json);
        }
        HistoryStore store;
        QVERIFY(store.open(config));
        QVERIFY(store.previousCloseWasClean());
        const auto position = store.position(QStringLiteral("logs"));
        QVERIFY(position);
        QCOMPARE(position->epoch, QStringLiteral("e-test"));
        QCOMPARE(position->headSeq, quint64(10));
        QCOMPARE(store.oldestSeq(QStringLiteral("logs")), quint64(1));
        QCOMPARE(store.storedCount(QStringLiteral("logs")), qint64(10));
        // An entry without a level (or source, stream) reads back empty, never null-vs-empty.
        store.append(makeEntry(11, {}, {}, {}, QStringLiteral("bare")));
        const auto bare = store.readRange(QStringLiteral("logs"), 11, 11, 1);
        QCOMPARE(bare.size(), size_t(1));
        QVERIFY(bare[0].level.isEmpty());
    }

    void batchesFlushOnSizeTimerAndClose()
    {
        HistoryStoreConfig config = configFor();
        config.flushMaxEntries = 5;
        config.flushIntervalMs = 50;
        {
            HistoryStore store;
            QVERIFY(store.open(config));
            store.beginEpoch(QStringLiteral("logs"), QStringLiteral("e-test"));
            for (quint64 seq = 1; seq <= 4; ++seq)
                store.append(makeEntry(seq));
            QCOMPARE(store.queued(), 4);
            store.append(makeEntry(5));
            QCOMPARE(store.queued(), 0); // the size limit committed the batch
            QCOMPARE(store.flushCount() >= 1, true);
            store.append(makeEntry(6));
            QCOMPARE(store.queued(), 1);
            QTRY_COMPARE_WITH_TIMEOUT(store.queued(), 0, 5000); // the interval committed it
            for (quint64 seq = 7; seq <= 9; ++seq)
                store.append(makeEntry(seq));
            QCOMPARE(store.queued(), 3);
            // Destruction is a clean stop: the queue is written, nothing is lost.
        }
        HistoryStore store;
        QVERIFY(store.open(config));
        QCOMPARE(store.position(QStringLiteral("logs"))->headSeq, quint64(9));
        QCOMPARE(store.storedCount(QStringLiteral("logs")), qint64(9));
    }

    void detectsAnUncleanStop()
    {
        const HistoryStoreConfig config = configFor();
        HistoryStore first;
        QVERIFY(first.open(config));
        first.beginEpoch(QStringLiteral("logs"), QStringLiteral("e-test"));
        first.append(makeEntry(1));
        first.flush();
        // `first` never closed: to a second opener the file looks like a crashed hub's.
        HistoryStore second;
        QVERIFY(second.open(config));
        QVERIFY(!second.previousCloseWasClean());
    }

    void retentionByCount()
    {
        HistoryStoreConfig config = configFor();
        config.maxEntriesPerTopic = 100;
        HistoryStore store;
        QVERIFY(store.open(config));
        store.beginEpoch(QStringLiteral("logs"), QStringLiteral("e-test"));
        for (quint64 seq = 1; seq <= 250; ++seq)
            store.append(makeEntry(seq));
        QVERIFY(store.prune(QDateTime::currentMSecsSinceEpoch()) > 0);
        QCOMPARE(store.oldestSeq(QStringLiteral("logs")), quint64(151));
        QCOMPARE(store.storedCount(QStringLiteral("logs")), qint64(100));
        QCOMPARE(store.readRange(QStringLiteral("logs"), 1, 1000, 1).front().seq, quint64(151));
        QCOMPARE(store.headSeq(QStringLiteral("logs")), quint64(250));
    }

    void retentionByAge()
    {
        HistoryStoreConfig config = configFor();
        config.maxAgeMs = 60000;
        HistoryStore store;
        QVERIFY(store.open(config));
        store.beginEpoch(QStringLiteral("logs"), QStringLiteral("e-test"));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (quint64 seq = 1; seq <= 50; ++seq)
            store.append(makeEntry(seq, {}, {}, {}, QStringLiteral("old"), now - 3600000 + qint64(seq)));
        for (quint64 seq = 51; seq <= 60; ++seq)
            store.append(makeEntry(seq, {}, {}, {}, QStringLiteral("new"), now - 1000));
        store.prune(now);
        QCOMPARE(store.oldestSeq(QStringLiteral("logs")), quint64(51));
        QCOMPARE(store.storedCount(QStringLiteral("logs")), qint64(10));
        // Everything expires: the head survives, so a reopened hub still continues after it.
        store.prune(now + 3600000);
        QCOMPARE(store.oldestSeq(QStringLiteral("logs")), quint64(0));
        QCOMPARE(store.headSeq(QStringLiteral("logs")), quint64(60));
        QVERIFY(store.readRange(QStringLiteral("logs"), 1, 60, 100).empty());
    }

    void filteredBackwardPages_data()
    {
        QTest::addColumn<QStringList>("sources");
        QTest::addColumn<QStringList>("levels");
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("regex");
        QTest::addColumn<bool>("timeRange");
        QTest::newRow("none") << QStringList() << QStringList() << QString() << false << false;
        QTest::newRow("source") << QStringList {QStringLiteral("db-01")} << QStringList() << QString()
                                << false << false;
        QTest::newRow("levels") << QStringList()
                                << QStringList {QStringLiteral("error"), QStringLiteral("warn")} << QString()
                                << false << false;
        QTest::newRow("text") << QStringList() << QStringList() << QStringLiteral("TIMEOUT") << false
                              << false;
        QTest::newRow("text-kelvin") << QStringList() << QStringList() << QStringLiteral("kelvin") << false
                                     << false;
        QTest::newRow("text-unicode")
            << QStringList() << QStringList() << QStringLiteral("über") << false << false;
        QTest::newRow("regex") << QStringList() << QStringList() << QStringLiteral("^req [0-9]+7$") << true
                               << false;
        QTest::newRow("all") << QStringList {QStringLiteral("web-01"), QStringLiteral("db-01")}
                             << QStringList {QStringLiteral("error")} << QStringLiteral("timeout") << false
                             << true;
        QTest::newRow("time") << QStringList() << QStringList() << QString() << false << true;
    }

    void filteredBackwardPages()
    {
        QFETCH(QStringList, sources);
        QFETCH(QStringList, levels);
        QFETCH(QString, text);
        QFETCH(bool, regex);
        QFETCH(bool, timeRange);
        HistoryStore store;
        QVERIFY(store.open(configFor()));
        store.beginEpoch(QStringLiteral("logs"), QStringLiteral("e-test"));
        const QStringList allSources {QStringLiteral("web-01"), QStringLiteral("db-01"), QString()};
        const QStringList allLevels {
            QStringLiteral("info"), QStringLiteral("warn"), QStringLiteral("error"), QString()};
        // The Kelvin sign folds to 'k' in Qt's case-insensitive match but not in SQLite's lower().
        const QStringList texts {QStringLiteral("req %1"), QStringLiteral("Timeout after %1 ms"),
            QStringLiteral("\u212Aelvin %1"), QStringLiteral("ÜBER %1")};
        const qint64 base = QDateTime::currentMSecsSinceEpoch() - 100000;
        std::vector<HistoryEntry> all;
        for (quint64 seq = 1; seq <= 400; ++seq) {
            all.push_back(makeEntry(seq, allSources[seq % 3], allLevels[(seq / 3) % 4],
                QStringLiteral("stdout"), texts[(seq / 7) % 4].arg(seq), base + qint64(seq) * 10));
            store.append(all.back());
        }
        HistoryFilter filter;
        filter.sources = sources;
        filter.levels = levels;
        filter.text = text;
        filter.regex = regex;
        if (timeRange) {
            filter.fromMs = base + 1000;
            filter.toMs = base + 3000;
        }
        const QRegularExpression expression(text, QRegularExpression::CaseInsensitiveOption);
        QList<quint64> expected;
        for (auto it = all.rbegin(); it != all.rend(); ++it) {
            const bool ok = (sources.isEmpty() || it->source.isEmpty() || sources.contains(it->source))
                && (levels.isEmpty() || it->level.isEmpty() || levels.contains(it->level))
                && (!timeRange || (it->timeMs >= filter.fromMs && it->timeMs <= filter.toMs))
                && (text.isEmpty()
                    || (regex ? expression.match(it->text).hasMatch()
                              : it->text.contains(text, Qt::CaseInsensitive)));
            if (ok)
                expected.append(it->seq);
        }
        QVERIFY(!expected.isEmpty());
        QList<quint64> paged;
        quint64 before = 1000;
        for (int page = 0; page < 1000; ++page) { // bounded: 400 entries, pages of 7
            const auto entries = store.readBackward(QStringLiteral("logs"), before, filter, 7);
            if (entries.empty())
                break;
            QVERIFY(entries.size() <= 7);
            paged.append(seqsOf(entries));
            before = entries.back().seq - 1;
        }
        QCOMPARE(paged, expected);
        QCOMPARE(store.count(QStringLiteral("logs"), 1, 400, filter), qint64(expected.size()));
    }

    void topicsResumeEpochAndSeq()
    {
        const HistoryStoreConfig config = configFor();
        QString epoch;
        {
            TopicSet topics(TopicSet::Capacities {5, 5, 5});
            HistoryStore store;
            QVERIFY(store.open(config));
            HistoryArchive archive(store);
            archive.attach(topics);
            Topic &logs = topics.topic(opsdeck::protocol::Topic::Logs);
            epoch = logs.epoch();
            for (int i = 0; i < 20; ++i)
                logs.publish(QJsonObject {{QStringLiteral("message"), QStringLiteral("m%1").arg(i)}},
                    QStringLiteral("web-01"), QStringLiteral("info"), {}, QStringLiteral("m%1").arg(i));
            QCOMPARE(logs.oldestSeq(), quint64(16));
            QCOMPARE(logs.retainedSeq(), quint64(1)); // the ring holds 5, the store all 20
            archive.detach(topics);
        }
        QTest::qWait(5); // a later millisecond: a fresh epoch would differ
        TopicSet topics(TopicSet::Capacities {5, 5, 5});
        HistoryStore store;
        QVERIFY(store.open(config));
        HistoryArchive archive(store);
        archive.attach(topics);
        Topic &logs = topics.topic(opsdeck::protocol::Topic::Logs);
        QCOMPARE(logs.epoch(), epoch);
        QCOMPARE(logs.headSeq(), quint64(20));
        QCOMPARE(logs.retainedSeq(), quint64(1));
        QCOMPARE(
            logs.publish(QJsonObject {{QStringLiteral("message"), QStringLiteral("after")}}), quint64(21));
        const auto replay = archive.read(logs, 18, 21, 10);
        QCOMPARE(replay.size(), size_t(4));
        QCOMPARE(
            QJsonDocument::fromJson(replay[0].json).object().value(QLatin1StringView("epoch")).toString(),
            epoch);
        QCOMPARE(
            QJsonDocument::fromJson(replay[0].json).object().value(QLatin1StringView("seq")).toInteger(), 18);
        archive.detach(topics);
    }

    void committedDeliveryOnlyShowsCommittedEntries()
    {
        HistoryStore store;
        QVERIFY(store.open(configFor()));
        TopicSet topics(TopicSet::Capacities {5, 5, 5});
        HistoryArchive archive(store);
        archive.attach(topics);
        Topic &logs = topics.topic(opsdeck::protocol::Topic::Logs);
        int told = 0;
        const int token = logs.addListener([&] { ++told; });
        QCOMPARE(logs.publish(QJsonObject {}), quint64(1));
        QCOMPARE(logs.publishedSeq(), quint64(1));
        QCOMPARE(logs.headSeq(), quint64(0)); // not committed: no subscriber may see it yet
        QCOMPARE(told, 0);
        QVERIFY(store.flush());
        QCOMPARE(logs.headSeq(), quint64(1));
        QCOMPARE(told, 1);
        // The store's timer commits without being asked.
        logs.publish(QJsonObject {});
        QTRY_COMPARE(logs.headSeq(), quint64(2));
        logs.removeListener(token);
        archive.detach(topics);
    }

    void crashAfterCommittedDeliveryKeepsPositions()
    {
        const HistoryStoreConfig config = configFor();
        QString epoch;
        // Never closed while the next store opens the file: the process "died" with it open.
        HistoryStore crashed;
        QVERIFY(crashed.open(config));
        {
            TopicSet topics(TopicSet::Capacities {5, 5, 5});
            HistoryArchive archive(crashed);
            archive.attach(topics);
            Topic &logs = topics.topic(opsdeck::protocol::Topic::Logs);
            epoch = logs.epoch();
            logs.publish(QJsonObject {{QStringLiteral("message"), QStringLiteral("seen")}});
            QVERIFY(crashed.flush());
            logs.publish(QJsonObject {{QStringLiteral("message"), QStringLiteral("never committed")}});
            QCOMPARE(logs.headSeq(), quint64(1)); // so no client saw seq 2
            archive.detach(topics);
        }
        QCOMPARE(crashed.queued(), 1);
        TopicSet topics(TopicSet::Capacities {5, 5, 5});
        HistoryStore store;
        QVERIFY(store.open(config));
        QVERIFY(!store.previousCloseWasClean());
        QVERIFY(store.previousDeliveryWasCommitted());
        HistoryArchive archive(store);
        archive.attach(topics);
        Topic &logs = topics.topic(opsdeck::protocol::Topic::Logs);
        QCOMPARE(logs.epoch(), epoch);
        QCOMPARE(logs.headSeq(), quint64(1)); // the uncommitted entry was never seen; its seq is free
        const auto replay = archive.read(logs, 1, 1, 10);
        QCOMPARE(replay.size(), size_t(1));
        QCOMPARE(QJsonDocument::fromJson(replay[0].json).object().value(QLatin1StringView("message")).toString(),
                 QStringLiteral("seen"));
        archive.detach(topics);
    }

    void crashWithoutCommittedDeliveryStartsNewEpochs()
    {
        const HistoryStoreConfig config = configFor();
        HistoryStore crashed;
        QVERIFY(crashed.open(config));
        {
            // Written without HistoryArchive: nothing says only committed entries went out.
            HistoryEntry entry;
            entry.topic = QStringLiteral("logs");
            entry.epoch = QStringLiteral("e-old");
            entry.seq = 1;
            entry.json = "{}";
            crashed.append(entry);
            QVERIFY(crashed.flush());
        }
        QTest::qWait(5);
        TopicSet topics(TopicSet::Capacities {5, 5, 5});
        HistoryStore store;
        QVERIFY(store.open(config));
        HistoryArchive archive(store);
        archive.attach(topics);
        Topic &logs = topics.topic(opsdeck::protocol::Topic::Logs);
        QCOMPARE(logs.headSeq(), quint64(0));
        QCOMPARE(store.position(QStringLiteral("logs"))->epoch, logs.epoch());
        QCOMPARE(store.oldestSeq(QStringLiteral("logs")), quint64(0)); // the old epoch's rows are gone
        archive.detach(topics);
    }
};

QTEST_GUILESS_MAIN(TestHistoryStore)
#include "tst_history_store.moc"
