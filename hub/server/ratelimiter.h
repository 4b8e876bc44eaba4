#pragma once

// Per-connection message budget in fixed windows (docs/protocol.md §7 "Rate limit").

#include <QtGlobal>

namespace opsdeck::hub {

class RateLimiter
{
public:
    enum class Verdict {
        Allow,      // process the message
        Reject,     // answer RATE_LIMIT_EXCEEDED, do not process
        Disconnect, // the client ignored the errors: close 4429
    };

    RateLimiter(int limit, int windowSeconds);

    Verdict check(qint64 nowMs);
    // Seconds until the current window ends (the `retry_after` of the error).
    int retryAfterSeconds(qint64 nowMs) const;
    // True once per window: whether a message without an id should still get an error.
    bool takeAnonymousErrorToken();
    int limit() const { return m_limit; }
    int windowSeconds() const { return m_windowSeconds; }

private:
    int m_limit;
    int m_windowSeconds;
    qint64 m_windowStartMs = -1;
    int m_count = 0;
    bool m_anonymousErrorSent = false;
};

} // namespace opsdeck::hub
