// The reconnect policy: the backoff schedule stays inside its bounds with a seeded random
// source, the cap holds, the attempt limit is honoured, and close codes map to the actions
// of docs/protocol.md §9.

#include "backoff.h"

#include <QRandomGenerator>
#include <QTest>

using namespace opsdeck::transport;

class TestBackoff : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void ceilingsDoubleUpToTheCap()
    {
        const Backoff backoff;
        const QList<qint64> expected{1000, 2000, 4000, 8000, 16000, 30000, 30000};
        for (int attempt = 0; attempt < expected.size(); ++attempt)
            QCOMPARE(backoff.ceilingMs(attempt), expected.at(attempt));
        // Huge attempt numbers must not overflow past the cap.
        QCOMPARE(backoff.ceilingMs(5000), 30000);
    }

    void seededScheduleStaysInsideItsBounds()
    {
        QRandomGenerator rng(20261121);
        Backoff backoff({}, [&rng] { return rng.generateDouble(); });
        QSet<qint64> distinct;
        for (int run = 0; run < 200; ++run) {
            backoff.reset();
            for (int attempt = 0; attempt < 12; ++attempt) {
                const qint64 ceiling = backoff.ceilingMs(attempt);
                const qint64 delay = backoff.nextDelayMs();
                QVERIFY2(delay >= 0 && delay <= ceiling,
                         qPrintable(QStringLiteral("attempt %1 delay %2 ceiling %3").arg(attempt).arg(delay).arg(ceiling)));
                QVERIFY(delay <= 30000);
                distinct.insert(delay);
            }
        }
        // Full jitter: delays are spread, not one fixed value per attempt.
        QVERIFY(distinct.size() > 500);
    }

    void sameSeedSameSchedule()
    {
        QRandomGenerator a(7), b(7);
        Backoff first({}, [&a] { return a.generateDouble(); });
        Backoff second({}, [&b] { return b.generateDouble(); });
        for (int i = 0; i < 10; ++i)
            QCOMPARE(first.nextDelayMs(), second.nextDelayMs());
    }

    void extremesOfTheRandomSourceHitTheBounds()
    {
        double r = 0.0;
        Backoff backoff({}, [&r] { return r; });
        QCOMPARE(backoff.nextDelayMs(), 0);
        r = 1.0;
        backoff.reset();
        for (int i = 0; i < 10; ++i)
            backoff.nextDelayMs();
        QCOMPARE(backoff.nextDelayMs(), 30000); // attempt 10: capped
        r = 5.0; // a broken source is clamped, the cap still holds
        QCOMPARE(backoff.nextDelayMs(), 30000);
    }

    void customPolicyAndAttemptLimit()
    {
        BackoffPolicy policy;
        policy.baseMs = 100;
        policy.factor = 3;
        policy.capMs = 2000;
        policy.maxAttempts = 3;
        Backoff backoff(policy, [] { return 1.0; });
        QVERIFY(!backoff.exhausted());
        QCOMPARE(backoff.nextDelayMs(), 100);
        QCOMPARE(backoff.nextDelayMs(), 300);
        QVERIFY(!backoff.exhausted());
        QCOMPARE(backoff.nextDelayMs(), 900);
        QVERIFY(backoff.exhausted());
        QCOMPARE(backoff.ceilingMs(3), 2000);
        backoff.reset();
        QVERIFY(!backoff.exhausted());
        QCOMPARE(backoff.attempts(), 0);
    }

    void closeCodes_data()
    {
        QTest::addColumn<int>("code");
        QTest::addColumn<bool>("clientInitiated");
        QTest::addColumn<int>("action");
        QTest::addColumn<bool>("dropLastSent");
        const auto row = [](const char *name, int code, bool client, CloseAction action, bool drop = false) {
            QTest::newRow(name) << code << client << int(action) << drop;
        };
        row("1000 by client", 1000, true, CloseAction::Stop);
        row("1000 by hub (ping timeout)", 1000, false, CloseAction::Retry);
        row("1001 going away", 1001, false, CloseAction::Retry);
        row("1006 abnormal", 1006, false, CloseAction::Retry);
        row("1011 internal", 1011, false, CloseAction::Retry);
        row("1008 policy", 1008, false, CloseAction::Fail);
        row("1009 too big", 1009, false, CloseAction::Retry, true);
        row("4401 unauthenticated", 4401, false, CloseAction::LoginRequired);
        row("4403 forbidden", 4403, false, CloseAction::Fail);
        row("4404 not found", 4404, false, CloseAction::Fail);
        row("4409 session replaced", 4409, false, CloseAction::Fail);
        row("4429 rate limited", 4429, false, CloseAction::RetryAfter);
        row("4409 after client close", 4409, true, CloseAction::Stop);
    }

    void closeCodes()
    {
        QFETCH(int, code);
        QFETCH(bool, clientInitiated);
        QFETCH(int, action);
        QFETCH(bool, dropLastSent);
        const CloseDecision decision = classifyClose(code, QStringLiteral("why"), clientInitiated);
        QCOMPARE(int(decision.action), action);
        QCOMPARE(decision.dropLastSent, dropLastSent);
        if (decision.action == CloseAction::Fail || decision.action == CloseAction::LoginRequired)
            QVERIFY(decision.message.contains(QStringLiteral("why")));
    }

    void sessionReplacedSaysSo()
    {
        QVERIFY(classifyClose(4409, {}, false).message.contains(QStringLiteral("Session replaced")));
        QVERIFY(classifyClose(4401, {}, false).message.contains(QStringLiteral("Login needed")));
    }
};

QTEST_GUILESS_MAIN(TestBackoff)
#include "tst_transport_backoff.moc"
