#pragma once

// Slows password guessing (docs/protocol.md §12): failures are counted per user name and per
// client address in a sliding window; reaching the limit locks that key out for 60 s, doubling
// with every further lockout up to 15 min (numbers in ThrottleLimits); after a lockout, a single
// further failure within the window locks out again (doubled). While locked out, attempts
// are refused without checking the password. In memory only: a restart forgets the counts.

#include "authconfig.h"

#include <QHash>
#include <QString>

#include <deque>
#include <functional>

namespace opsdeck::hub::auth {

class LoginThrottle
{
public:
    using Clock = std::function<qint64()>; // milliseconds, monotonic enough for lockouts
    // Keys kept at most; the oldest idle ones go first (bounds memory under a spray of names).
    static constexpr int kMaxTrackedKeys = 100000;

    explicit LoginThrottle(ThrottleLimits limits = {}, Clock clock = {});

    // Seconds until an attempt for `user` from `address` may be made (rounded up), 0: go ahead.
    qint64 retryAfter(const QString &user, const QString &address);
    void recordFailure(const QString &user, const QString &address);
    // Clears the user's count (not the address's: one good account must not reset a guesser).
    void recordSuccess(const QString &user);

    int trackedKeys() const { return int(m_entries.size()); }

private:
    struct Entry
    {
        std::deque<qint64> failures; // times (ms) inside the window
        qint64 lockedUntil = 0;
        int lockouts = 0;            // how many times this key was locked out in a row
        qint64 lastSeen = 0;
    };
    qint64 now() const;
    qint64 remainingMs(const QString &key, qint64 nowMs);
    void fail(const QString &key, int limit, qint64 nowMs);
    void expire(Entry &entry, qint64 nowMs) const;
    void pruneIfLarge(qint64 nowMs);

    ThrottleLimits m_limits;
    Clock m_clock;
    QHash<QString, Entry> m_entries;
};

} // namespace opsdeck::hub::auth
