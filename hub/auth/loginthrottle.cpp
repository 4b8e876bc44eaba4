#include "loginthrottle.h"

#include <QDateTime>

#include <algorithm>

namespace opsdeck::hub::auth {

namespace {

QString userKey(const QString &user)
{
    // Case-folded, so "Alice" and "alice" share one count even though only one can exist.
    return QStringLiteral("u:") + user.toCaseFolded();
}

QString addressKey(const QString &address)
{
    return QStringLiteral("a:") + address;
}

} // namespace

LoginThrottle::LoginThrottle(ThrottleLimits limits, Clock clock)
    : m_limits(limits)
    , m_clock(std::move(clock))
{
}

qint64 LoginThrottle::now() const
{
    return m_clock ? m_clock() : QDateTime::currentMSecsSinceEpoch();
}

void LoginThrottle::expire(Entry &entry, qint64 nowMs) const
{
    const qint64 windowMs = qint64(m_limits.window.count()) * 1000;
    while (!entry.failures.empty() && entry.failures.front() <= nowMs - windowMs)
        entry.failures.pop_front();
    // A key quiet for a whole window after its lockout ended starts over at the first lockout.
    if (entry.lockouts > 0 && nowMs >= std::max(entry.lockedUntil, entry.lastSeen) + windowMs)
        entry.lockouts = 0;
}

qint64 LoginThrottle::remainingMs(const QString &key, qint64 nowMs)
{
    const auto it = m_entries.find(key);
    if (it == m_entries.end())
        return 0;
    expire(*it, nowMs);
    return std::max<qint64>(0, it->lockedUntil - nowMs);
}

qint64 LoginThrottle::retryAfter(const QString &user, const QString &address)
{
    const qint64 nowMs = now();
    const qint64 ms = std::max(remainingMs(userKey(user), nowMs), remainingMs(addressKey(address), nowMs));
    return (ms + 999) / 1000;
}

void LoginThrottle::fail(const QString &key, int limit, qint64 nowMs)
{
    Entry &entry = m_entries[key];
    expire(entry, nowMs);
    entry.lastSeen = nowMs;
    // After a lockout the key stays suspect for a window: one more failure locks it out again.
    if (entry.lockouts == 0) {
        entry.failures.push_back(nowMs);
        if (int(entry.failures.size()) < limit)
            return;
        entry.failures.clear();
    }
    // Locked out for the first lockout time, doubled with each lockout in a row, capped.
    const qint64 firstMs = qint64(m_limits.firstLockout.count()) * 1000;
    const qint64 maxMs = qint64(m_limits.maxLockout.count()) * 1000;
    qint64 lockoutMs = firstMs;
    for (int i = 0; i < entry.lockouts && lockoutMs < maxMs; ++i)
        lockoutMs *= 2;
    lockoutMs = std::min(lockoutMs, maxMs);
    ++entry.lockouts;
    entry.lockedUntil = nowMs + lockoutMs;
}

void LoginThrottle::recordFailure(const QString &user, const QString &address)
{
    const qint64 nowMs = now();
    pruneIfLarge(nowMs);
    fail(userKey(user), m_limits.failuresPerUser, nowMs);
    fail(addressKey(address), m_limits.failuresPerAddress, nowMs);
}

void LoginThrottle::recordSuccess(const QString &user)
{
    m_entries.remove(userKey(user));
}

void LoginThrottle::pruneIfLarge(qint64 nowMs)
{
    if (m_entries.size() < kMaxTrackedKeys)
        return;
    const qint64 windowMs = qint64(m_limits.window.count()) * 1000;
    for (auto it = m_entries.begin(); it != m_entries.end();) {
        if (it->lastSeen + windowMs <= nowMs && it->lockedUntil <= nowMs)
            it = m_entries.erase(it);
        else
            ++it;
    }
    // Still full of live keys (a spray from many addresses): forget the least recently seen half.
    if (m_entries.size() >= kMaxTrackedKeys) {
        QList<qint64> seen;
        seen.reserve(m_entries.size());
        for (const Entry &entry : std::as_const(m_entries))
            seen.append(entry.lastSeen);
        std::nth_element(seen.begin(), seen.begin() + seen.size() / 2, seen.end());
        const qint64 cutoff = seen.at(seen.size() / 2);
        for (auto it = m_entries.begin(); it != m_entries.end();)
            it = it->lastSeen < cutoff ? m_entries.erase(it) : std::next(it);
    }
}

} // namespace opsdeck::hub::auth
