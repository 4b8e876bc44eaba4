#pragma once

// Routes commands to agents and results back (docs/protocol.md §6, seed 000): the client's id
// is the idempotency key, every command has a timeout and can be cancelled, and each one is
// published on the `commands` topic for every observer.

#include "agentregistry.h"
#include "message.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <deque>

#include <memory>

namespace opsdeck::hub {

class TopicSet;

class CommandRouter : public QObject
{
    Q_OBJECT
public:
    struct Submission
    {
        enum class State { Accepted, DuplicateRunning, DuplicateCompleted, Rejected };
        State state = State::Rejected;
        protocol::ProtocolError error;  // when Rejected
        QJsonObject storedResult;       // when DuplicateCompleted: the command_result to replay
    };

    CommandRouter(AgentRegistry &registry, TopicSet &topics, int memoryMinutes, QObject *parent = nullptr);
    ~CommandRouter() override;

    // `scope` separates idempotency keys of different users ("" in demo mode); `owner` is the
    // connection that receives the result (the newest sender of that id).
    Submission submit(const CommandRequest &request, const QString &scope, quint64 owner);
    // Cancels a running command; false when there is no such running command.
    bool cancel(const QString &scope, const QString &commandId);
    bool isRunning(const QString &scope, const QString &commandId) const;
    qsizetype runningCount() const;
    // Whether this hub took a command with this id (any user; the newest 4096 ids, beyond the
    // records' own memory). A relay skips a linked hub's events about commands it forwarded for
    // this hub: their lifecycle is published here already.
    bool tookCommand(const QString &commandId) const { return m_takenIds.contains(commandId); }

Q_SIGNALS:
    // The full command_result message for connection `owner`.
    void resultReady(quint64 owner, const QJsonObject &commandResult);

private:
    struct Record
    {
        CommandRequest request;
        QString scope;
        quint64 owner = 0;
        bool finished = false;
        QJsonObject result;
        QDateTime finishedAt;
        qint64 startedMs = 0;
        std::unique_ptr<QTimer> timeout;
    };

    static QString key(const QString &scope, const QString &id) { return scope + QChar(0x1f) + id; }
    void onAgentResult(const QString &agentId, const CommandResult &result);
    void onAgentDisconnected(const QString &agentId);
    void finish(Record &record, const CommandResult &result, const QString &event);
    void publishEvent(const QString &event, const Record &record, const QJsonObject &extra = {});
    void purgeExpired();
    void rememberTaken(const QString &commandId);

    AgentRegistry &m_registry;
    TopicSet &m_topics;
    int m_memoryMinutes;
    QHash<QString, std::shared_ptr<Record>> m_records;       // key(scope, id) → record
    QHash<QString, std::shared_ptr<Record>> m_runningBySync; // agentId + commandSyncId → record
    QTimer m_purgeTimer;
    QSet<QString> m_takenIds;        // see tookCommand()
    std::deque<QString> m_takenOrder; // the same ids, oldest first
};

QJsonObject commandResultJson(const CommandRequest &request, const CommandResult &result, qint64 durationMs);

} // namespace opsdeck::hub
