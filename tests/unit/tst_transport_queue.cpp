// The outgoing queue (bounds, order, TTL) and the request tracker (order, deadlines).

#include "outgoingqueue.h"
#include "requesttracker.h"

#include <QTest>

using namespace opsdeck::transport;

namespace {
OutgoingMessage message(const QString &id, int bytes, qint64 expires = 0)
{
    return OutgoingMessage{id, QStringLiteral("query"), QByteArray(bytes, 'x'), 0, expires};
}
} // namespace

class TestQueue : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fifoOrder()
    {
        OutgoingQueue queue;
        for (int i = 0; i < 5; ++i)
            QCOMPARE(queue.push(message(QString::number(i), 10)), OutgoingQueue::Result::Accepted);
        QCOMPARE(queue.count(), 5);
        QCOMPARE(queue.bytes(), 50);
        for (int i = 0; i < 5; ++i)
            QCOMPARE(queue.takeFirst()->id, QString::number(i));
        QVERIFY(!queue.takeFirst());
        QCOMPARE(queue.bytes(), 0);
    }

    void countLimitRejectsTheNewMessage()
    {
        OutgoingQueue queue({3, 0, 0});
        for (int i = 0; i < 3; ++i)
            QCOMPARE(queue.push(message(QString::number(i), 1)), OutgoingQueue::Result::Accepted);
        QCOMPARE(queue.push(message(QStringLiteral("late"), 1)), OutgoingQueue::Result::CountExceeded);
        // The older messages are all still there: nothing was evicted.
        QCOMPARE(queue.count(), 3);
        QCOMPARE(queue.takeFirst()->id, QStringLiteral("0"));
    }

    void byteLimit()
    {
        OutgoingQueue queue({100, 100, 0});
        QCOMPARE(queue.push(message(QStringLiteral("a"), 60)), OutgoingQueue::Result::Accepted);
        QCOMPARE(queue.push(message(QStringLiteral("b"), 41)), OutgoingQueue::Result::BytesExceeded);
        QCOMPARE(queue.push(message(QStringLiteral("c"), 40)), OutgoingQueue::Result::Accepted);
        QCOMPARE(queue.bytes(), 100);
    }

    void expiryTakesOnlyDueMessagesInOrder()
    {
        OutgoingQueue queue;
        queue.push(message(QStringLiteral("a"), 1, 100));
        queue.push(message(QStringLiteral("b"), 1, 0)); // never expires
        queue.push(message(QStringLiteral("c"), 1, 50));
        queue.push(message(QStringLiteral("d"), 1, 300));
        QCOMPARE(queue.nextExpiryMs(), 50);
        const auto expired = queue.takeExpired(100);
        QCOMPARE(expired.size(), 2);
        QCOMPARE(expired.at(0).id, QStringLiteral("a"));
        QCOMPARE(expired.at(1).id, QStringLiteral("c"));
        QCOMPARE(queue.count(), 2);
        QCOMPARE(queue.nextExpiryMs(), 300);
        QCOMPARE(queue.takeFirst()->id, QStringLiteral("b"));
    }

    void takeById()
    {
        OutgoingQueue queue;
        queue.push(message(QStringLiteral("a"), 5));
        queue.push(message(QStringLiteral("b"), 7));
        QCOMPARE(queue.take(QStringLiteral("b"))->frame.size(), 7);
        QVERIFY(!queue.take(QStringLiteral("b")));
        QCOMPARE(queue.bytes(), 5);
    }

    void trackerKeepsSendOrderAndDeadlines()
    {
        RequestTracker tracker;
        for (const char *id : {"x", "a", "m"}) {
            PendingRequest request;
            request.id = QString::fromLatin1(id);
            request.deadlineMs = request.id == QLatin1StringView("a") ? 10 : 100;
            tracker.add(request);
        }
        const auto ordered = tracker.inOrder();
        QCOMPARE(ordered.size(), 3);
        QCOMPARE(ordered.at(0)->id, QStringLiteral("x"));
        QCOMPARE(ordered.at(2)->id, QStringLiteral("m"));
        QCOMPARE(tracker.nextDeadlineMs(), 10);
        const auto timedOut = tracker.takeTimedOut(50);
        QCOMPARE(timedOut.size(), 1);
        QCOMPARE(timedOut.first().id, QStringLiteral("a"));
        QVERIFY(!tracker.find(QStringLiteral("a")));
        QVERIFY(tracker.find(QStringLiteral("m")));
        QVERIFY(tracker.take(QStringLiteral("x")));
        QCOMPARE(tracker.count(), 1);
    }
};

QTEST_GUILESS_MAIN(TestQueue)
#include "tst_transport_queue.moc"
