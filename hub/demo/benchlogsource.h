#pragma once

// A log publisher for the relay benchmarks: `rate` entries per second through
// AgentRegistry::publishLog from a "bench" agent, each message carrying the steady-clock time of
// publication so a receiver can measure end-to-end latency:
//   "bench <steady_clock ns>xxxx…" — padded with 'x' to 120 bytes.

#include "agentregistry.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

namespace opsdeck::hub::demo {

class BenchLogSource : public QObject, public AgentLink
{
    Q_OBJECT
public:
    static constexpr int kMessageBytes = 120;

    BenchLogSource(AgentRegistry &registry, int rate, QObject *parent = nullptr);
    ~BenchLogSource() override;

    // Registers the "bench" agent (so entries carry a host) and starts the ~1 ms timer.
    void start();
    void stop();
    bool isRunning() const { return m_timer.isActive(); }

    int rate() const { return m_rate; }
    void setRate(int perSecond);
    qint64 published() const { return m_published; } // since construction

    // Publishes every entry due since start(); the timer calls it, a benchmark may too.
    // Returns how many were published.
    qint64 publishDue();

    // "bench <ns>" padded with 'x' to kMessageBytes.
    static QString makeMessage(qint64 steadyNs);
    static qint64 steadyNowNs();

    // AgentLink: the bench agent runs no commands.
    void startCommand(const CommandRequest &request) override;
    void cancelCommand(const QString &) override { }

private:
    QPointer<AgentRegistry> m_registry;
    int m_rate = 0;
    qint64 m_scheduled = 0; // published since the schedule (re)started: start() or setRate()
    qint64 m_published = 0;
    QElapsedTimer m_clock;
    QTimer m_timer;
};

} // namespace opsdeck::hub::demo
