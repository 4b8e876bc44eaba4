#include "benchlogsource.h"

#include "protocol.h"

#include <QSysInfo>
#include <algorithm>
#include <chrono>

namespace opsdeck::hub::demo {

namespace {
    const QString kBench = QStringLiteral("bench");
}

BenchLogSource::BenchLogSource(AgentRegistry &registry, int rate, QObject *parent)
    : QObject(parent)
    , m_registry(&registry)
    , m_rate(std::max(0, rate))
    , m_timer(this) // a child, so moveToThread() takes the timer along
{
    // A coarse timer would publish in 10–16 ms bursts and inflate the measured latency spread.
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(1);
    connect(&m_timer, &QTimer::timeout, this, [this] { publishDue(); });
}

BenchLogSource::~BenchLogSource()
{
    // The registry keeps a pointer to us as the agent's link; take it back.
    if (m_registry)
        m_registry->disconnectAgent(kBench);
}

void BenchLogSource::start()
{
    if (m_timer.isActive() || !m_registry)
        return;
    QString host = QSysInfo::machineHostName();
    if (host.isEmpty())
        host = QStringLiteral("localhost");
    m_registry->registerAgent(AgentInfo {kBench, kBench, host, QStringLiteral(OPSDECK_VERSION), {}}, this);
    m_scheduled = 0;
    m_clock.start();
    m_timer.start();
}

void BenchLogSource::stop()
{
    m_timer.stop();
    if (m_registry)
        m_registry->disconnectAgent(kBench);
}

void BenchLogSource::setRate(int perSecond)
{
    // Restart the schedule so the new rate applies from now, not retroactively.
    m_rate = std::max(0, perSecond);
    m_scheduled = 0;
    if (m_clock.isValid())
        m_clock.restart();
}

qint64 BenchLogSource::publishDue()
{
    if (!m_registry || !m_clock.isValid() || m_rate <= 0)
        return 0;
    const qint64 due = qint64(double(m_clock.nsecsElapsed()) * m_rate / 1e9) - m_scheduled;
    // Cap one call at 50 ms worth of entries so a stall doesn't freeze the hub thread; the
    // backlog is still published on the following calls.
    const qint64 count = std::min<qint64>(due, std::max(1, m_rate / 20));
    for (qint64 i = 0; i < count; ++i) {
        m_registry->publishLog(
            kBench, QStringLiteral("info"), QStringLiteral("stdout"), makeMessage(steadyNowNs()));
    }
    if (count > 0) {
        m_scheduled += count;
        m_published += count;
    }
    return std::max<qint64>(0, count);
}

qint64 BenchLogSource::steadyNowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

QString BenchLogSource::makeMessage(qint64 steadyNs)
{
    QString message = QStringLiteral("bench ") + QString::number(steadyNs);
    if (message.size() < kMessageBytes)
        message.append(QString(kMessageBytes - message.size(), QLatin1Char('x')));
    return message;
}

void BenchLogSource::startCommand(const CommandRequest &request)
{
    CommandResult result;
    result.commandSyncId = request.commandSyncId.isEmpty() ? request.id : request.commandSyncId;
    result.commandName = request.command.section(QLatin1Char(' '), 0, 0);
    result.errorCode = protocol::ErrorCode::CommandFailed;
    result.errorMessage = QStringLiteral("the bench source runs no commands");
    result.text = result.errorMessage;
    // Answer from the event loop, not from inside the router's dispatch.
    QMetaObject::invokeMethod(
        this,
        [this, result] {
            if (m_registry)
                m_registry->completeCommand(kBench, result);
        },
        Qt::QueuedConnection);
}

} // namespace opsdeck::hub::demo
