// LoginThrottle: lockout per user name after 5 failures and per client address after 20, inside
// a 15 min window; 60 s first, doubling, capped at 15 min; retry_after from an injected clock.

#include "loginthrottle.h"

#include <QTest>

using namespace opsdeck::hub::auth;

class TestAuthThrottle : public QObject
{
    Q_OBJECT

private:
    qint64 m_nowMs = 1'000'000'000;
    LoginThrottle makeThrottle() { return LoginThrottle(ThrottleLimits {}, [this] { return m_nowMs; }); }
    const QString ip = QStringLiteral("192.0.2.7");

private Q_SLOTS:
    void init() { m_nowMs = 1'000'000'000; }

    void perUserLockoutDoublesAndIsCapped()
    {
        LoginThrottle throttle = makeThrottle();
        for (int i = 0; i < 4; ++i) {
            throttle.recordFailure(QStringLiteral("alice"), ip);
            QCOMPARE(throttle.retryAfter(QStringLiteral("alice"), ip), 0);
        }
        throttle.recordFailure(QStringLiteral("alice"), ip);
        QCOMPARE(throttle.retryAfter(QStringLiteral("alice"), ip), 60);
        QCOMPARE(throttle.retryAfter(QStringLiteral("ALICE"), QStringLiteral("198.51.100.1")), 60);
        // Another user from the same address is not locked out by alice's count.
        QCOMPARE(throttle.retryAfter(QStringLiteral("bob"), ip), 0);
        m_nowMs += 30'500;
        QCOMPARE(throttle.retryAfter(QStringLiteral("alice"), ip), 30); // 29.5 s rounded up
        m_nowMs += 29'500;
        QCOMPARE(throttle.retryAfter(QStringLiteral("alice"), ip), 0);
        // The next failure after a lockout locks out again, twice as long.
        const qint64 expected[] = {120, 240, 480, 900, 900};
        for (qint64 seconds : expected) {
            throttle.recordFailure(QStringLiteral("alice"), ip);
            QCOMPARE(throttle.retryAfter(QStringLiteral("alice"), ip), seconds);
            m_nowMs += seconds * 1000;
        }
    }

    void successClearsTheUserCount()
    {
        LoginThrottle throttle = makeThrottle();
        for (int i = 0; i < 4; ++i)
            throttle.recordFailure(QStringLiteral("alice"), ip);
        throttle.recordSuccess(QStringLiteral("alice"));
        for (int i = 0; i < 4; ++i)
            throttle.recordFailure(QStringLiteral("alice"), ip);
        QCOMPARE(throttle.retryAfter(QStringLiteral("alice"), ip), 0);
        throttle.recordFailure(QStringLiteral("alice"), ip);
        QCOMPARE(throttle.retryAfter(QStringLiteral("alice"), ip), 60);
    }

    void failuresOutsideTheWindowAreForgotten()
    {
        LoginThrottle throttle = makeThrottle();
        for (int i = 0; i < 4; ++i)
            throttle.recordFailure(QStringLiteral("alice"), ip);
        m_nowMs += 15 * 60 * 1000;
        for (int i = 0; i < 4; ++i)
            throttle.recordFailure(QStringLiteral("alice"), ip);
        QCOMPARE(throttle.retryAfter(QStringLiteral("alice"), ip), 0);
        throttle.recordFailure(QStringLiteral("alice"), ip);
        QCOMPARE(throttle.retryAfter(QStringLiteral("alice"), ip), 60);
        // A whole quiet window after the lockout: the next lockout starts at 60 s again.
        m_nowMs += 60'000 + 15 * 60 * 1000;
        for (int i = 0; i < 5; ++i)
            throttle.recordFailure(QStringLiteral("alice"), ip);
        QCOMPARE(throttle.retryAfter(QStringLiteral("alice"), ip), 60);
    }

    void perAddressLockoutAcrossUserNames()
    {
        LoginThrottle throttle = makeThrottle();
        // A password spray: one guess per name, 20 names, from one address.
        for (int i = 0; i < 19; ++i)
            throttle.recordFailure(QStringLiteral("user%1").arg(i), ip);
        QCOMPARE(throttle.retryAfter(QStringLiteral("fresh"), ip), 0);
        throttle.recordFailure(QStringLiteral("user19"), ip);
        QCOMPARE(throttle.retryAfter(QStringLiteral("fresh"), ip), 60);
        // A success for one account does not reset the address.
        throttle.recordSuccess(QStringLiteral("user0"));
        QCOMPARE(throttle.retryAfter(QStringLiteral("user0"), ip), 60);
        // Other addresses are unaffected.
        QCOMPARE(throttle.retryAfter(QStringLiteral("fresh"), QStringLiteral("2001:db8::1")), 0);
        m_nowMs += 60'000;
        QCOMPARE(throttle.retryAfter(QStringLiteral("fresh"), ip), 0);
    }
};

QTEST_GUILESS_MAIN(TestAuthThrottle)
#include "tst_auth_throttle.moc"
