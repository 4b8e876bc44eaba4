// The Logs pane's live path end to end, in one process: a real HubServer with the demo fleet
// (stepped by hand), the console's HubClient, LogFeed and LogModel. History arrives, live
// entries follow in seq order without a hole or a duplicate, a gap the hub announces becomes a
// visible gap row, and pausing the view holds it still without losing anything.

#include "demofleet.h"
#include "hubclient.h"
#include "hubserver.h"
#include "logfeed.h"
#include "logmodel.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace opsdeck;
using namespace opsdeck::logs;
using hub::HubConfig;
using hub::HubServer;
using hub::demo::DemoFleet;
using transport::ClientSubscription;
using transport::HubClient;
using transport::HubClientOptions;

namespace {

HubClientOptions clientOptions()
{
    HubClientOptions options;
    options.watchNetwork = false;
    options.backoff.baseMs = 50;
    options.backoff.capMs = 500;
    return options;
}

// Seqs of the model's visible entry rows (gap rows left out), in row order.
QList<qint64> entrySeqs(const LogModel &model)
{
    QList<qint64> seqs;
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex index = model.index(row);
        if (!index.data(LogModel::IsGapRole).toBool())
            seqs.append(index.data(LogModel::SeqRole).toLongLong());
    }
    return seqs;
}

// Empty when `seqs` runs from `first` to `last` by exactly 1.
QString contiguity(const QList<qint64> &seqs, qint64 first, qint64 last)
{
    if (seqs.isEmpty())
        return QStringLiteral("no entries");
    if (seqs.first() != first || seqs.last() != last)
        return QStringLiteral("ran %1..%2, expected %3..%4").arg(seqs.first()).arg(seqs.last()).arg(first).arg(last);
    for (qsizetype i = 1; i < seqs.size(); ++i) {
        if (seqs.at(i) != seqs.at(i - 1) + 1)
            return QStringLiteral("%1 followed by %2").arg(seqs.at(i - 1)).arg(seqs.at(i));
    }
    return {};
}

} // namespace

class TestLogsFeed : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<HubServer> m_hub;
    std::unique_ptr<DemoFleet> m_fleet;
    std::unique_ptr<HubClient> m_client;

    void startHub(qsizetype retention = 100000)
    {
        HubConfig config;
        config.retention.logs = retention;
        config.batchIntervalMs = 20;
        m_hub = std::make_unique<HubServer>(config);
        QVERIFY2(m_hub->listen(), qPrintable(m_hub->errorString()));
        DemoFleet::Config fleet;
        fleet.seed = 7;
        fleet.realTime = false;
        fleet.disconnects = false;
        fleet.logRate = 4.0;
        m_fleet = std::make_unique<DemoFleet>(m_hub->registry(), fleet);
        m_fleet->start();
    }
    hub::Topic &logsTopic() { return m_hub->topics().topic(protocol::Topic::Logs); }
    // Publishes `n` entries the test can recognise.
    void publish(int n, const QString &tag)
    {
        for (int i = 0; i < n; ++i)
            m_hub->registry().publishLog(QStringLiteral("web-01"), QStringLiteral("info"), QStringLiteral("stdout"),
                                         QStringLiteral("%1 %2").arg(tag).arg(i));
    }
    bool control(const QString &action)
    {
        QPointer<transport::HubReply> reply = m_client->request(
            QJsonObject{{QStringLiteral("type"), QStringLiteral("control")}, {QStringLiteral("action"), action}});
        QSignalSpy finished(reply.data(), &transport::HubReply::finished);
        if (!reply->isFinished() && !finished.wait(5000))
            return false;
        return reply && reply->errorCode().isEmpty();
    }

private Q_SLOTS:
    void init()
    {
        m_client = std::make_unique<HubClient>(clientOptions());
    }
    void cleanup()
    {
        m_client.reset();
        m_fleet.reset();
        m_hub.reset();
    }

    void historyThenLiveInSeqOrderWithoutDuplicates()
    {
        startHub();
        for (int i = 0; i < 30; ++i)
            m_fleet->tick();
        const qint64 historyHead = qint64(logsTopic().headSeq());
        QVERIFY2(historyHead > 300, "the demo fleet logs enough for a history");

        LogModel model;
        LogFeed feed;
        feed.setHistory(200);
        feed.setModel(&model);
        feed.setClient(m_client.get());
        m_client->open(m_hub->url());

        // The newest 200 retained entries arrive first, in order.
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 200, 10000);
        QCOMPARE(feed.state(), QStringLiteral("active"));
        QString holes = contiguity(entrySeqs(model), historyHead - 199, historyHead);
        QVERIFY2(holes.isEmpty(), qPrintable(holes));

        // Live entries follow, appended at the end and announced for follow-tail.
        QSignalSpy appended(&model, &LogModel::rowsAppended);
        for (int i = 0; i < 20; ++i)
            m_fleet->tick();
        const qint64 liveHead = qint64(logsTopic().headSeq());
        QVERIFY(liveHead > historyHead);
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), int(200 + liveHead - historyHead), 10000);
        QVERIFY(!appended.isEmpty());
        QCOMPARE(appended.last().at(1).toInt(), model.rowCount() - 1);
        holes = contiguity(entrySeqs(model), historyHead - 199, liveHead);
        QVERIFY2(holes.isEmpty(), qPrintable(holes));

        // What the rows show is what the hub published.
        const hub::TopicEntry *newest = logsTopic().entry(quint64(liveHead));
        QVERIFY(newest);
        const QModelIndex last = model.index(model.rowCount() - 1);
        QCOMPARE(last.data(LogModel::SourceRole).toString(), newest->source);
        QCOMPARE(last.data(LogModel::LevelRole).toString(), newest->level);
        QCOMPARE(last.data(LogModel::MessageRole).toString(), newest->text);
        QVERIFY(!model.knownSources().isEmpty());

        // A cut connection resumes where it stopped: nothing twice, nothing missing.
        m_client->close();
        QTRY_COMPARE_WITH_TIMEOUT(m_client->state(), HubClient::State::Disconnected, 5000);
        for (int i = 0; i < 5; ++i)
            m_fleet->tick();
        const qint64 resumedHead = qint64(logsTopic().headSeq());
        m_client->open(m_hub->url());
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), int(200 + resumedHead - historyHead), 10000);
        holes = contiguity(entrySeqs(model), historyHead - 199, resumedHead);
        QVERIFY2(holes.isEmpty(), qPrintable(holes));
        QCOMPARE(feed.gapsReceived(), 0);
    }

    void gapMarkerBecomesAGapRow()
    {
        startHub(50); // a small retention ring, so a paused subscription falls out of it
        publish(10, QStringLiteral("before"));
        LogModel model;
        LogFeed feed;
        feed.setHistory(10);
        feed.setModel(&model);
        feed.setClient(m_client.get());
        m_client->open(m_hub->url());
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 10, 10000);

        // The hub holds the subscription's cursor while 120 entries pass through a ring of 50.
        QVERIFY(control(QStringLiteral("pause")));
        const qint64 lastSeen = qint64(logsTopic().headSeq());
        publish(120, QStringLiteral("during"));
        QVERIFY(control(QStringLiteral("resume")));

        // Resuming: a gap for the 70 entries that left the ring, then the 50 still retained.
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 10 + 1 + 50, 10000);
        QCOMPARE(feed.gapsReceived(), 1);
        const QModelIndex gap = model.index(10);
        QVERIFY(gap.data(LogModel::IsGapRole).toBool());
        QCOMPARE(gap.data(LogModel::FirstLineRole).toString(), QStringLiteral("70 entries missing (retention exceeded)"));
        QCOMPARE(gap.data(LogModel::SeqRole).toLongLong(), lastSeen + 1);
        QCOMPARE(model.index(11).data(LogModel::MessageRole).toString(), QStringLiteral("during 70"));
        QCOMPARE(model.index(60).data(LogModel::MessageRole).toString(), QStringLiteral("during 119"));
        QVERIFY(!model.index(11).data(LogModel::IsGapRole).toBool());

        // Filters never hide a gap: the user must see that entries are missing.
        model.setLevels({QStringLiteral("error")});
        QCOMPARE(model.rowCount(), 1);
        QVERIFY(model.index(0).data(LogModel::IsGapRole).toBool());
        model.setLevels({});
        model.setSearchText(QStringLiteral("no such text"));
        QCOMPARE(model.rowCount(), 1);
        QVERIFY(model.index(0).data(LogModel::IsGapRole).toBool());
    }

    void pauseHoldsTheViewAndResumeShowsEverything()
    {
        startHub();
        LogModel model;
        LogFeed feed;
        feed.setHistory(0);
        feed.setModel(&model);
        feed.setClient(m_client.get());
        m_client->open(m_hub->url());
        QTRY_COMPARE_WITH_TIMEOUT(feed.state(), QStringLiteral("active"), 10000);
        const qint64 base = qint64(logsTopic().headSeq()); // the fleet's start-up lines, not replayed
        publish(40, QStringLiteral("shown"));
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 40, 10000);

        model.pause();
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        const qint64 before = feed.entriesReceived();
        publish(300, QStringLiteral("held"));
        QTRY_COMPARE_WITH_TIMEOUT(feed.entriesReceived(), before + 300, 10000);

        // The view did not move; the pane can say how many are waiting.
        QCOMPARE(model.rowCount(), 40);
        QCOMPARE(inserted.count(), 0);
        QCOMPARE(reset.count(), 0);
        QCOMPARE(model.pendingCount(), 300);
        QCOMPARE(model.totalCount(), 340);
        QCOMPARE(model.index(39).data(LogModel::MessageRole).toString(), QStringLiteral("shown 39"));

        // Changing a filter while paused still holds the new entries back.
        model.setSearchText(QStringLiteral("held 1"));
        QCOMPARE(model.rowCount(), 0);
        model.setSearchText(QString());
        QCOMPARE(model.rowCount(), 40);
        QCOMPARE(model.pendingCount(), 300);

        QSignalSpy appended(&model, &LogModel::rowsAppended);
        model.resume();
        QCOMPARE(model.rowCount(), 340);
        QCOMPARE(model.pendingCount(), 0);
        QCOMPARE(appended.count(), 1);
        QCOMPARE(appended.first().at(0).toInt(), 40);
        QCOMPARE(appended.first().at(1).toInt(), 339);
        const QString holes = contiguity(entrySeqs(model), base + 1, base + 340);
        QVERIFY2(holes.isEmpty(), qPrintable(holes));
        QCOMPARE(model.index(339).data(LogModel::MessageRole).toString(), QStringLiteral("held 299"));
    }

    void feedStopsWhenDisabledAndResubscribes()
    {
        startHub();
        publish(5, QStringLiteral("first"));
        const int head = int(logsTopic().headSeq());
        LogModel model;
        LogFeed feed;
        feed.setModel(&model);
        feed.setClient(m_client.get());
        m_client->open(m_hub->url());
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), head, 10000);
        QCOMPARE(m_client->subscriptions().size(), 1);

        feed.setEnabled(false);
        QCOMPARE(feed.state(), QString());
        QVERIFY(m_client->subscriptions().isEmpty());
        publish(5, QStringLiteral("unseen"));

        // Enabled again: a fresh subscription replays history; the model's dedupe keeps each
        // entry once.
        feed.setEnabled(true);
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), head + 5, 10000);
        const QString holes = contiguity(entrySeqs(model), 1, head + 5);
        QVERIFY2(holes.isEmpty(), qPrintable(holes));
    }
};

QTEST_GUILESS_MAIN(TestLogsFeed)
#include "tst_logs_feed.moc"
