#pragma once

// Pure reconnect policy: the delay schedule (exponential backoff with full jitter) and what a
// WebSocket close code means for the client (docs/protocol.md §9). No Qt event loop here, so
// it is tested exhaustively without sockets.

#include <QString>

#include <functional>

namespace opsdeck::transport {

struct BackoffPolicy
{
    qint64 baseMs = 1000;   // ceiling of the first delay
    double factor = 2.0;    // growth of the ceiling per attempt
    qint64 capMs = 30000;   // no delay ever exceeds this
    int maxAttempts = 0;    // MaxReconnectionAttempts; 0 = retry forever
};

class Backoff
{
public:
    // Returns a uniformly distributed number in [0, 1). Injected so tests can seed it.
    using RandomSource = std::function<double()>;

    explicit Backoff(BackoffPolicy policy = {}, RandomSource random = {});

    // The upper bound of the delay before attempt `attempt` (0-based): min(cap, base·factor^n).
    qint64 ceilingMs(int attempt) const;
    // Full jitter: uniform in [0, ceiling]. Advances the attempt counter.
    qint64 nextDelayMs();
    // Attempts scheduled since the last reset.
    int attempts() const { return m_attempt; }
    // True when maxAttempts is set and every allowed attempt has been scheduled.
    bool exhausted() const;
    void reset() { m_attempt = 0; }

    const BackoffPolicy &policy() const { return m_policy; }
    void setPolicy(const BackoffPolicy &policy) { m_policy = policy; }
    void setRandomSource(RandomSource random);

private:
    BackoffPolicy m_policy;
    RandomSource m_random;
    int m_attempt = 0;
};

// What to do after the connection closed.
enum class CloseAction {
    Stop,          // the client asked for the close: go to Disconnected
    Retry,         // reconnect with backoff
    RetryAfter,    // wait the hub's retry_after (4429), then reconnect
    LoginRequired, // 4401: stop; credentials are needed before another attempt
    Fail,          // stop and show `message` to the user
};

struct CloseDecision
{
    CloseAction action = CloseAction::Retry;
    // For the user (Fail / LoginRequired); never contains secrets.
    QString message;
    // 1009: the last message sent was too big and must not be resent.
    bool dropLastSent = false;
};

// `clientInitiated` is true when close() was called (then even 1000 does not reconnect).
CloseDecision classifyClose(int code, const QString &reason, bool clientInitiated);

} // namespace opsdeck::transport
