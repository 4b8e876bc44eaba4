// A real opsdeck-hub with --history-db: stopped with SIGTERM and started again on the same
// database, it keeps each topic's epoch and seq, and a client resuming with `since` gets
// recovered:true and exactly the entries it missed. A position older than the store's retention
// is a retention_exceeded gap; a killed hub (unclean stop) starts new epochs.

#include "hubtesthelpers.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace opsdeck::testing;

namespace {
QList<qint64> seqsOf(const QList<QJsonObject> &entries)
{
    QList<qint64> seqs;
    for (const QJsonObject &entry : entries)
        seqs.append(entry.value(QLatin1StringView("seq")).toInteger());
    return seqs;
}

QJsonObject sinceMessage(const QString &epoch, qint64 seq)
{
    return msg({{QStringLiteral("topic"), QStringLiteral("logs")}, {QStringLiteral("batch"), false},
        {QStringLiteral("since"), msg({{QStringLiteral("epoch"), epoch}, {QStringLiteral("seq"), seq}})}});
}
} // namespace

class TestHubHistory : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QStringList historyArgs(const QString &db, const QStringList &more) const
    {
        return QStringList {QStringLiteral("--history-db"), db, QStringLiteral("--retention-logs"),
                   QStringLiteral("50")}
        + more;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void restartKeepsPositions()
    {
        const QString db = m_dir.filePath(QStringLiteral("restart.sqlite"));
        QString epoch;
        qint64 position = 0;
        QHash<qint64, QString> firstRun; // seq -> message, as a live client saw them
        {
            HubProcess hub(historyArgs(db, {QStringLiteral("--bench-logs"), QStringLiteral("200")}));
            QVERIFY2(hub.start(), qPrintable(hub.errorString()));
            TestClient watcher;
            QVERIFY(watcher.open(hub.url()));
            const QJsonObject result = watcher.subscribe(
                msg({{QStringLiteral("topic"), QStringLiteral("logs")}, {QStringLiteral("history"), 0}}));
            const QString sub = result.value(QLatin1StringView("sub")).toString();
            epoch = result.value(QLatin1StringView("epoch")).toString();
            QVERIFY(!epoch.isEmpty());
            // The client's position: somewhere in the stream, well behind what the hub goes on to
            // publish before it stops (more than the ring of 50, so the replay needs the store).
            QVERIFY(watcher.waitForLogEntries(sub, 60, 30000));
            position = watcher.logEntries(sub).at(59).value(QLatin1StringView("seq")).toInteger();
            QVERIFY(watcher.waitForLogEntries(sub, 60 + 200, 60000));
            for (const QJsonObject &entry : watcher.logEntries(sub))
                firstRun.insert(entry.value(QLatin1StringView("seq")).toInteger(),
                    entry.value(QLatin1StringView("message")).toString());
            QCOMPARE(hub.terminate(), 0);
        }

        qint64 firstHead = 0;
        {
            // No source this time: the head is exactly where the first run stopped.
            HubProcess hub(historyArgs(db, {QStringLiteral("--fleet"), QStringLiteral("none")}));
            QVERIFY2(hub.start(), qPrintable(hub.errorString()));
            TestClient client;
            QVERIFY(client.open(hub.url()));
            firstHead = headSeq(client);
            QVERIFY2(firstHead >= position + 200, qPrintable(QString::number(firstHead)));
            const QJsonObject result = client.subscribe(sinceMessage(epoch, position));
            QCOMPARE(result.value(QLatin1StringView("epoch")).toString(), epoch);
            QCOMPARE(result.value(QLatin1StringView("recovered")).toBool(), true);
            QCOMPARE(result.value(QLatin1StringView("head_seq")).toInteger(), firstHead);
            QCOMPARE(result.value(QLatin1StringView("replayed")).toInteger(), firstHead - position);
            const QString sub = result.value(QLatin1StringView("sub")).toString();
            QVERIFY(client.waitForLogEntries(sub, firstHead - position, 30000));
            const QList<QJsonObject> replay = client.logEntries(sub);
            QCOMPARE(replay.size(), firstHead - position); // no duplicates, nothing extra
            QString problem;
            QVERIFY2(isContiguous(replay, &problem), qPrintable(problem));
            QCOMPARE(replay.first().value(QLatin1StringView("seq")).toInteger(), position + 1);
            int compared = 0;
            for (const QJsonObject &entry : replay) {
                QCOMPARE(entry.value(QLatin1StringView("epoch")).toString(), epoch);
                const qint64 seq = entry.value(QLatin1StringView("seq")).toInteger();
                if (firstRun.contains(seq)) {
                    QCOMPARE(entry.value(QLatin1StringView("message")).toString(), firstRun.value(seq));
                    ++compared;
                }
            }
            QVERIFY(compared >= 200);
            QVERIFY(!client.waitForType(QStringLiteral("gap"), 200));
            QCOMPARE(hub.terminate(), 0);
        }

        {
            // With a source again: new entries continue the seq of the same epoch.
            HubProcess hub(historyArgs(db, {QStringLiteral("--bench-logs"), QStringLiteral("200")}));
            QVERIFY2(hub.start(), qPrintable(hub.errorString()));
            TestClient client;
            QVERIFY(client.open(hub.url()));
            const QJsonObject result = client.subscribe(sinceMessage(epoch, firstHead - 5));
            QCOMPARE(result.value(QLatin1StringView("recovered")).toBool(), true);
            const QString sub = result.value(QLatin1StringView("sub")).toString();
            QVERIFY(client.waitForLogEntries(sub, 50, 30000));
            const QList<QJsonObject> entries = client.logEntries(sub);
            QString problem;
            QVERIFY2(isContiguous(entries, &problem), qPrintable(problem));
            QCOMPARE(entries.first().value(QLatin1StringView("seq")).toInteger(), firstHead - 4);
            QCOMPARE(entries.last().value(QLatin1StringView("epoch")).toString(), epoch);
            QCOMPARE(hub.terminate(), 0);
        }

        {
            // The store now keeps only 100 entries per topic: an old position is a gap, and
            // everything the store still has follows it.
            HubProcess hub(historyArgs(db,
                {QStringLiteral("--fleet"), QStringLiteral("none"), QStringLiteral("--history-max-entries"),
                    QStringLiteral("100")}));
            QVERIFY2(hub.start(), qPrintable(hub.errorString()));
            TestClient client;
            QVERIFY(client.open(hub.url()));
            const qint64 head = headSeq(client);
            const QJsonObject result = client.subscribe(sinceMessage(epoch, position));
            QCOMPARE(result.value(QLatin1StringView("recovered")).toBool(), false);
            const auto gap = client.waitForType(QStringLiteral("gap"));
            QVERIFY(gap);
            QCOMPARE(
                gap->value(QLatin1StringView("reason")).toString(), QStringLiteral("retention_exceeded"));
            QCOMPARE(gap->value(QLatin1StringView("from_seq")).toInteger(), position + 1);
            QCOMPARE(gap->value(QLatin1StringView("to_seq")).toInteger(), head - 100);
            const QString sub = result.value(QLatin1StringView("sub")).toString();
            QVERIFY(client.waitForLogEntries(sub, 100, 30000));
            QCOMPARE(seqsOf(client.logEntries(sub)).first(), head - 99);
            QCOMPARE(seqsOf(client.logEntries(sub)).last(), head);
            QCOMPARE(hub.terminate(), 0);
        }
    }

    void killedHubKeepsPositions()
    {
        // Committed delivery (docs/protocol.md §4): what a client saw before kill -9 is in the
        // store, so the restarted hub continues the epoch and replays exactly those entries.
        const QString db = m_dir.filePath(QStringLiteral("killed.sqlite"));
        QString epoch;
        QHash<qint64, QString> seen; // seq → message
        {
            HubProcess hub(historyArgs(db, {QStringLiteral("--bench-logs"), QStringLiteral("200")}));
            QVERIFY2(hub.start(), qPrintable(hub.errorString()));
            TestClient client;
            QVERIFY(client.open(hub.url()));
            const QJsonObject result = client.subscribe(
                msg({{QStringLiteral("topic"), QStringLiteral("logs")}, {QStringLiteral("history"), 0}}));
            epoch = result.value(QLatin1StringView("epoch")).toString();
            const QString sub = result.value(QLatin1StringView("sub")).toString();
            QVERIFY(client.waitForLogEntries(sub, 40, 30000));
            hub.kill();
            for (const QJsonObject &entry : client.logEntries(sub))
                seen.insert(entry.value(QLatin1StringView("seq")).toInteger(),
                            entry.value(QLatin1StringView("message")).toString());
        }
        const qint64 firstSeen = *std::min_element(seen.keyBegin(), seen.keyEnd());
        const qint64 lastSeen = *std::max_element(seen.keyBegin(), seen.keyEnd());
        HubProcess hub(historyArgs(db, {QStringLiteral("--fleet"), QStringLiteral("none")}));
        QVERIFY2(hub.start(), qPrintable(hub.errorString()));
        TestClient client;
        QVERIFY(client.open(hub.url()));
        const QJsonObject result = client.subscribe(sinceMessage(epoch, firstSeen - 1));
        QCOMPARE(result.value(QLatin1StringView("recovered")).toBool(), true);
        QCOMPARE(result.value(QLatin1StringView("epoch")).toString(), epoch);
        const QString sub = result.value(QLatin1StringView("sub")).toString();
        QVERIFY(client.waitForLogEntries(sub, lastSeen - firstSeen + 1, 30000));
        const QList<QJsonObject> replayed = client.logEntries(sub);
        QString problem;
        QVERIFY2(isContiguous(replayed, &problem), qPrintable(problem));
        QCOMPARE(replayed.first().value(QLatin1StringView("seq")).toInteger(), firstSeen);
        // Every seq the client saw before the kill holds the very entry it saw: no seq reused.
        for (const QJsonObject &entry : replayed) {
            const qint64 seq = entry.value(QLatin1StringView("seq")).toInteger();
            if (seen.contains(seq))
                QCOMPARE(entry.value(QLatin1StringView("message")).toString(), seen.value(seq));
        }
        QVERIFY(!client.waitForType(QStringLiteral("gap"), 200));
        QCOMPARE(hub.terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(TestHubHistory)
#include "tst_hub_history.moc"
