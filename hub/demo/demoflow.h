#pragma once

// The flow-executor side of a `flow` agent (seed 004): runs programs of sensor / actuator /
// wait / condition blocks in simulated time and publishes block_started_enhanced and
// block_executed_enhanced through AgentRegistry::publishFlowEvent, always in pairs.

#include <QJsonObject>
#include <QList>
#include <QString>

namespace opsdeck::hub::demo {

struct DemoContext;

class FlowRunner
{
public:
    FlowRunner(DemoContext &context, QString agentId);

    void step();
    // Ends the running block as failed (agent going away), so no block stays "active" forever.
    void abort(const QString &reason);

    bool running() const { return m_index >= 0; }
    QString task() const;

private:
    struct Block
    {
        QString type; // sensor, actuator, wait, condition
        QString name;
        QString displayText;
        qint64 durationMs = 0;
        QJsonObject result;
        QString logText; // what the interpreter logs when the block completes
    };

    void startProgram();
    void startBlock();
    void finishBlock(bool success, const QJsonObject &result);
    Block makeBlock();

    DemoContext &m_ctx;
    QString m_agentId;
    QString m_program;
    QList<Block> m_blocks;
    int m_index = -1; // running block, -1 between programs
    qint64 m_blockEndsMs = 0;
    qint64 m_nextProgramMs = 0;
    QString m_blockId;
    int m_programs = 0;
};

} // namespace opsdeck::hub::demo
