#pragma once

// An injectable time source. The client reads both clocks so it can notice a wake from
// sleep: the monotonic clock stops while the machine is suspended, the wall clock does not,
// so a sudden difference between their advances means the machine slept. Tests inject
// ManualClock to simulate that jump without suspending anything.

#include <QDateTime>
#include <QElapsedTimer>

namespace opsdeck::transport {

class Clock
{
public:
    virtual ~Clock() = default;
    // Milliseconds on a clock that never jumps and does not advance during suspend.
    virtual qint64 monotonicMs() const = 0;
    // Milliseconds since the Unix epoch (the wall clock; may jump).
    virtual qint64 wallMs() const = 0;
};

class SystemClock final : public Clock
{
public:
    SystemClock() { m_timer.start(); }
    // QElapsedTimer uses CLOCK_MONOTONIC on Linux, which does not count suspended time.
    qint64 monotonicMs() const override { return m_timer.elapsed(); }
    qint64 wallMs() const override { return QDateTime::currentMSecsSinceEpoch(); }

private:
    QElapsedTimer m_timer;
};

// A clock that follows the system clock plus offsets the test controls.
class ManualClock final : public Clock
{
public:
    qint64 monotonicMs() const override { return m_base.monotonicMs() + m_monotonicOffset; }
    qint64 wallMs() const override { return m_base.wallMs() + m_wallOffset; }

    // Simulates a suspend of `ms`: the wall clock jumps, the monotonic clock does not.
    void simulateSleep(qint64 ms) { m_wallOffset += ms; }
    void advanceBoth(qint64 ms)
    {
        m_wallOffset += ms;
        m_monotonicOffset += ms;
    }

private:
    SystemClock m_base;
    qint64 m_wallOffset = 0;
    qint64 m_monotonicOffset = 0;
};

} // namespace opsdeck::transport
