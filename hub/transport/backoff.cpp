#include "backoff.h"

#include <QRandomGenerator>

#include <algorithm>
#include <cmath>

namespace opsdeck::transport {

Backoff::Backoff(BackoffPolicy policy, RandomSource random)
    : m_policy(policy)
{
    setRandomSource(std::move(random));
}

void Backoff::setRandomSource(RandomSource random)
{
    if (random)
        m_random = std::move(random);
    else
        m_random = [] { return QRandomGenerator::global()->generateDouble(); };
}

qint64 Backoff::ceilingMs(int attempt) const
{
    const double cap = double(std::max<qint64>(0, m_policy.capMs));
    // Computed in floating point and clamped first, so large attempt numbers cannot overflow.
    const double raw = double(m_policy.baseMs) * std::pow(std::max(1.0, m_policy.factor), attempt);
    return qint64(std::min(cap, std::isfinite(raw) ? raw : cap));
}

qint64 Backoff::nextDelayMs()
{
    const qint64 ceiling = ceilingMs(m_attempt);
    ++m_attempt;
    // Full jitter (uniform in [0, ceiling]) spreads a fleet of clients that lost the same hub,
    // so a restarted hub is not hit by all of them in the same instant.
    const double r = std::clamp(m_random(), 0.0, 1.0);
    return std::clamp<qint64>(qint64(std::llround(r * double(ceiling))), 0, ceiling);
}

bool Backoff::exhausted() const
{
    return m_policy.maxAttempts > 0 && m_attempt >= m_policy.maxAttempts;
}

CloseDecision classifyClose(int code, const QString &reason, bool clientInitiated)
{
    if (clientInitiated)
        return {CloseAction::Stop, {}, false};
    const QString suffix = reason.isEmpty() ? QString() : QStringLiteral(": ") + reason;
    switch (code) {
    case 4401:
        return {CloseAction::LoginRequired, QStringLiteral("Login needed") + suffix, false};
    case 4403:
        return {CloseAction::Fail, QStringLiteral("Access forbidden") + suffix, false};
    case 4404:
        return {CloseAction::Fail, QStringLiteral("Hub endpoint not found (check the URL)") + suffix, false};
    case 4409:
        return {CloseAction::Fail,
                QStringLiteral("Session replaced by a newer session of the same operator") + suffix, false};
    case 4429:
        return {CloseAction::RetryAfter, QStringLiteral("Rate limited") + suffix, false};
    case 1008:
        // §9: "fix the client; do not retry blindly" — retrying would just hit the same policy.
        return {CloseAction::Fail, QStringLiteral("Protocol policy violation") + suffix, false};
    case 1009:
        // §9: "do not resend that message": reconnect, but without the oversized message.
        return {CloseAction::Retry, QStringLiteral("Message too big") + suffix, true};
    default:
        // 1000 from the hub (ping timeout), 1001 draining, 1006 abnormal, 1011 internal, and
        // anything unknown: the hub is expected back, so reconnect with backoff.
        return {CloseAction::Retry, {}, false};
    }
}

} // namespace opsdeck::transport
