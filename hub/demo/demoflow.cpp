#include "demoflow.h"

#include "democontext.h"
#include "protocol.h"

#include <QDateTime>

namespace opsdeck::hub::demo {

namespace {

    const QString kStarted = QStringLiteral("block_started_enhanced");
    const QString kExecuted = QStringLiteral("block_executed_enhanced");

    struct SensorKind
    {
        const char *name;
        const char *display;
        const char *unit;
        double lo;
        double hi;
        int decimals;
    };

    constexpr SensorKind kSensors[] = {
        {"EC", "Measuring EC…", "mS/cm", 1.1, 2.2, 2},
        {"pH", "Measuring pH…", "", 5.5, 6.9, 2},
        {"Temperature", "Reading water temperature…", "°C", 18.0, 26.0, 1},
        {"Water level", "Reading tank A level…", "%", 20.0, 98.0, 0},
        {"Humidity", "Reading air humidity…", "%RH", 45.0, 80.0, 0},
    };

    struct ActuatorKind
    {
        const char *name;
        const char *display;
    };

    constexpr ActuatorKind kActuators[] = {
        {"Dosing pump A", "Dosing nutrient A (12 ml)…"},
        {"Dosing pump B", "Dosing nutrient B (8 ml)…"},
        {"Valve 3", "Opening irrigation valve 3…"},
        {"Mixing pump", "Running mixing pump…"},
        {"Fan", "Setting fan to 60%…"},
    };

} // namespace

FlowRunner::FlowRunner(DemoContext &context, QString agentId)
    : m_ctx(context)
    , m_agentId(std::move(agentId))
{
    // First program soon after start so a fresh demo shows block events within seconds.
    m_nextProgramMs = m_ctx.nowMs + m_ctx.rng.range(1000, 4000);
}

QString FlowRunner::task() const
{
    return running() ? QStringLiteral("program: %1").arg(m_program) : QString();
}

void FlowRunner::step()
{
    if (!running()) {
        if (m_ctx.nowMs >= m_nextProgramMs)
            startProgram();
        return;
    }
    if (m_ctx.nowMs < m_blockEndsMs)
        return;
    Block &block = m_blocks[m_index];
    // Sensors on a flaky bus sometimes time out — the failure case of seed 004's status.
    if (block.type == QLatin1String("sensor") && m_ctx.rng.chance(0.04)) {
        const QString error
            = QStringLiteral("TimeoutError: no response from unit %1").arg(m_ctx.rng.range(1, 6));
        finishBlock(false, QJsonObject {{QStringLiteral("error"), error}});
        m_ctx.log(m_agentId,
            {QStringLiteral("error"), QStringLiteral("stderr"),
                QStringLiteral("ERROR flowexec.interpreter: block '%1' failed, aborting program '%2'\n")
                        .arg(block.name, m_program)
                    + pythonTraceback(m_ctx.rng, error)});
        m_index = -1;
        m_nextProgramMs = m_ctx.nowMs + m_ctx.rng.range(8000, 20000);
        return;
    }
    finishBlock(true, block.result);
    if (!block.logText.isEmpty())
        m_ctx.log(m_agentId, {QStringLiteral("info"), QStringLiteral("stderr"), block.logText});
    if (++m_index >= m_blocks.size()) {
        m_ctx.log(m_agentId,
            {QStringLiteral("info"), QStringLiteral("stderr"),
                QStringLiteral("INFO flowexec.interpreter: program '%1' completed (%2 blocks)")
                    .arg(m_program)
                    .arg(m_blocks.size())});
        m_index = -1;
        m_nextProgramMs = m_ctx.nowMs + m_ctx.rng.range(5000, 20000);
        return;
    }
    startBlock();
}

void FlowRunner::abort(const QString &reason)
{
    if (!running())
        return;
    finishBlock(false, QJsonObject {{QStringLiteral("error"), reason}});
    m_index = -1;
    m_nextProgramMs = m_ctx.nowMs + m_ctx.rng.range(3000, 10000);
}

void FlowRunner::startProgram()
{
    m_program
        = m_ctx.rng.pickStr({"Nutrient cycle", "Irrigation zone 2", "pH correction", "Night ventilation"});
    m_blocks.clear();
    const int count = m_ctx.rng.range(5, 10);
    for (int i = 0; i < count; ++i)
        m_blocks.append(makeBlock());
    m_index = 0;
    ++m_programs;
    m_ctx.log(m_agentId,
        {QStringLiteral("info"), QStringLiteral("stderr"),
            QStringLiteral("INFO flowexec.interpreter: program '%1' started (run %2, %3 blocks)")
                .arg(m_program)
                .arg(m_programs)
                .arg(count)});
    startBlock();
}

FlowRunner::Block FlowRunner::makeBlock()
{
    Rng &rng = m_ctx.rng;
    Block block;
    const int roll = rng.range(0, 9);
    if (roll < 4) {
        const SensorKind &sensor = kSensors[rng.range(0, int(std::size(kSensors)) - 1)];
        const double value = rng.uniform(sensor.lo, sensor.hi);
        block.type = QStringLiteral("sensor");
        block.name = QString::fromUtf8(sensor.name);
        block.displayText = QString::fromUtf8(sensor.display);
        block.durationMs = rng.range(600, 2000);
        block.result = {{QStringLiteral("value"), QString::number(value, 'f', sensor.decimals).toDouble()},
            {QStringLiteral("unit"), QString::fromUtf8(sensor.unit)}};
        block.logText = QStringLiteral("INFO flowexec.blocks.sensor: %1 = %2 %3")
                            .arg(block.name, QString::number(value, 'f', sensor.decimals),
                                QString::fromUtf8(sensor.unit))
                            .trimmed();
    } else if (roll < 7) {
        const ActuatorKind &actuator = kActuators[rng.range(0, int(std::size(kActuators)) - 1)];
        block.type = QStringLiteral("actuator");
        block.name = QString::fromUtf8(actuator.name);
        block.displayText = QString::fromUtf8(actuator.display);
        block.durationMs = rng.range(1000, 5000);
        block.result = {{QStringLiteral("state"), QStringLiteral("done")},
            {QStringLiteral("durationMs"), block.durationMs}};
        block.logText = QStringLiteral("INFO flowexec.blocks.actuator: %1 done in %2 ms")
                            .arg(block.name)
                            .arg(block.durationMs);
    } else if (roll < 9) {
        const int seconds = rng.range(2, 8);
        block.type = QStringLiteral("wait");
        block.name = QStringLiteral("Wait");
        block.displayText = QStringLiteral("Waiting %1 s…").arg(seconds);
        block.durationMs = seconds * 1000;
        block.result = {{QStringLiteral("waitedMs"), block.durationMs}};
    } else {
        const double threshold = rng.pick({5.8, 6.0, 6.2});
        const bool outcome = rng.chance(0.5);
        block.type = QStringLiteral("condition");
        block.name = QStringLiteral("pH check");
        block.displayText = QStringLiteral("If pH < %1…").arg(threshold, 0, 'f', 1);
        block.durationMs = rng.range(100, 400);
        block.result
            = {{QStringLiteral("value"), outcome}, {QStringLiteral("branch"), outcome ? "then" : "else"}};
        block.logText = QStringLiteral("DEBUG flowexec.blocks.condition: pH < %1 -> %2")
                            .arg(threshold, 0, 'f', 1)
                            .arg(outcome ? "True" : "False");
    }
    return block;
}

void FlowRunner::startBlock()
{
    const Block &block = m_blocks[m_index];
    const qint64 wallMs = QDateTime::currentMSecsSinceEpoch();
    // Seed 004's id shape: block_<ms>_<9 base-36 chars>. The ms part is wall time (it is an id,
    // not a decision); the random part comes from the fleet's generator.
    m_blockId = QStringLiteral("block_%1_%2").arg(wallMs).arg(m_ctx.rng.token(9));
    m_blockEndsMs = m_ctx.nowMs + block.durationMs;
    if (m_ctx.registry)
        m_ctx.registry->publishFlowEvent(m_agentId, kStarted,
            QJsonObject {{QStringLiteral("blockId"), m_blockId}, {QStringLiteral("blockType"), block.type},
                {QStringLiteral("blockName"), block.name}, {QStringLiteral("displayText"), block.displayText},
                {QStringLiteral("timing"),
                    QJsonObject {{QStringLiteral("startTime"), protocol::isoTime(wallMs)}}}});
}

void FlowRunner::finishBlock(bool success, const QJsonObject &result)
{
    if (m_ctx.registry)
        m_ctx.registry->publishFlowEvent(m_agentId, kExecuted,
            QJsonObject {{QStringLiteral("blockId"), m_blockId},
                {QStringLiteral("status"), success ? QStringLiteral("completed") : QStringLiteral("failed")},
                {QStringLiteral("timing"), QJsonObject {{QStringLiteral("endTime"), protocol::isoNow()}}},
                {QStringLiteral("result"), result}});
}

} // namespace opsdeck::hub::demo
