#pragma once

// CommandLogModel: the command console of the detail panel. send() hands a command line to
// HubClient::sendCommand for the selected agent and adds a row that follows the request through
// its life — queued (the link is down; HubClient keeps it and sends it on reconnect), sent,
// accepted, then the correlated result (by the command's id) or an error. Rows are kept per
// agent, so each agent's console shows what was asked of that agent.

#include "hubclient.h"

#include <QAbstractListModel>
#include <QHash>
#include <QPointer>
#include <QtQml/qqml.h>

namespace opsdeck::agents {

class CommandLogModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(opsdeck::transport::HubClient *client READ client WRITE setClient NOTIFY clientChanged)
    Q_PROPERTY(QString agentId READ agentId WRITE setAgentId NOTIFY agentIdChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    // Commands of every agent still waiting for their result (queued, sent or accepted).
    Q_PROPERTY(int pendingCount READ pendingCount NOTIFY pendingCountChanged)
    // The demo agents' commands (docs/protocol.md §6), offered as hints in the console.
    Q_PROPERTY(QStringList hints READ hints CONSTANT)

public:
    enum Role
    {
        CommandIdRole = Qt::UserRole + 1,
        AgentIdRole,
        CommandRole,
        StateRole, // queued, sent, accepted, succeeded, failed
        IsSuccessRole,
        ResponseRole, // textResult.response, or a summary of a graph result
        ErrorCodeRole,
        ErrorMessageRole,
        DurationMsRole, // the agent's duration_ms; -1 until the result
        SubmittedMsRole,
        WasQueuedRole, // it waited for the link before it was sent
        SendCountRole, // >1: resent after a reconnect (the hub ran it once)
    };
    Q_ENUM(Role)

    static constexpr int kPerAgentLimit = 100;

    explicit CommandLogModel(QObject *parent = nullptr);
    ~CommandLogModel() override;

    transport::HubClient *client() const { return m_client; }
    void setClient(transport::HubClient *client);
    QString agentId() const { return m_agentId; }
    void setAgentId(const QString &agentId);
    int count() const { return rowCount(); }
    int pendingCount() const { return m_pending; }
    QStringList hints() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Sends `text` to the current agent; returns the command id ("" when nothing was sent:
    // no client, no agent or an empty line).
    Q_INVOKABLE QString send(const QString &text);
    // Cancels a pending command (removed from the queue, or a §6 cancel to the hub).
    Q_INVOKABLE bool cancel(const QString &commandId);
    Q_INVOKABLE void clear();
    // The state of a command by id ("" for an unknown id), whichever agent it was for.
    Q_INVOKABLE QString stateOf(const QString &commandId) const;

Q_SIGNALS:
    void clientChanged();
    void agentIdChanged();
    void countChanged();
    void pendingCountChanged();
    // A command's result came back (or it failed): for the console to scroll and tests to wait.
    void commandFinished(const QString &commandId, bool isSuccess);

private:
    struct Entry
    {
        QString id;
        QString agentId;
        QString command;
        QString state;
        bool isSuccess = false;
        QString response;
        QString errorCode;
        QString errorMessage;
        qint64 durationMs = -1;
        qint64 submittedMs = 0;
        bool wasQueued = false;
        int sendCount = 0;
        QPointer<transport::HubReply> reply;
    };

    void track(transport::HubReply *reply, const QString &agentId);
    void onSent(const QString &agentId, const QString &id);
    void onAcknowledged(const QString &agentId, const QString &id);
    void onFinished(const QString &agentId, const QString &id, transport::HubReply *reply);
    Entry *find(const QString &agentId, const QString &id, int *row = nullptr);
    void changed(const QString &agentId, int row);
    void recountPending();

    QPointer<transport::HubClient> m_client;
    QString m_agentId;
    QHash<QString, QList<Entry>> m_byAgent; // oldest first, like a terminal
    QHash<QString, QString> m_agentOf; // command id → agent id
    int m_pending = 0;
};

} // namespace opsdeck::agents
