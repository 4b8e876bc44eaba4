#include "ratelimiter.h"

#include <algorithm>

namespace opsdeck::hub {

RateLimiter::RateLimiter(int limit, int windowSeconds)
    : m_limit(std::max(1, limit))
    , m_windowSeconds(std::max(1, windowSeconds))
{
}

RateLimiter::Verdict RateLimiter::check(qint64 nowMs)
{
    if (m_windowStartMs < 0 || nowMs - m_windowStartMs >= qint64(m_windowSeconds) * 1000) {
        m_windowStartMs = nowMs;
        m_count = 0;
        m_anonymousErrorSent = false;
    }
    ++m_count;
    if (m_count <= m_limit)
        return Verdict::Allow;
    // After the limit, the client gets `limit` more messages' worth of errors to notice.
    if (m_count > 2 * m_limit)
        return Verdict::Disconnect;
    return Verdict::Reject;
}

int RateLimiter::retryAfterSeconds(qint64 nowMs) const
{
    const qint64 remainingMs = m_windowStartMs + qint64(m_windowSeconds) * 1000 - nowMs;
    return int(std::max<qint64>(1, (remainingMs + 999) / 1000));
}

bool RateLimiter::takeAnonymousErrorToken()
{
    if (m_anonymousErrorSent)
        return false;
    m_anonymousErrorSent = true;
    return true;
}

} // namespace opsdeck::hub
