#pragma once

// AgentActionsModel: the selected agent's recent actions, newest first — seed 004's
// actionHistory (a block appears when it starts, in progress, and gets its outcome when it
// finishes) widened to commands and kept for every agent, so switching the selection shows an
// agent's history at once instead of starting empty.

#include "agentfeed.h"
#include "agenttypes.h"

#include <QAbstractListModel>
#include <QHash>
#include <QPointer>
#include <QtQml/qqml.h>

namespace opsdeck::agents {

class AgentActionsModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(opsdeck::agents::AgentFeed *feed READ feed WRITE setFeed NOTIFY feedChanged)
    Q_PROPERTY(QString agentId READ agentId WRITE setAgentId NOTIFY agentIdChanged)
    // Actions kept per agent (seed 004 keeps 4; a console has room for more).
    Q_PROPERTY(int limit READ limit WRITE setLimit NOTIFY limitChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Role
    {
        KeyRole = Qt::UserRole + 1,
        KindRole,
        TextRole,
        DetailRole,
        StateRole,
        TimestampMsRole,
        DurationMsRole,
    };
    Q_ENUM(Role)

    static constexpr int kDefaultLimit = 20;

    explicit AgentActionsModel(QObject *parent = nullptr);

    AgentFeed *feed() const { return m_feed; }
    void setFeed(AgentFeed *feed);
    QString agentId() const { return m_agentId; }
    void setAgentId(const QString &agentId);
    int limit() const { return m_limit; }
    void setLimit(int limit);
    int count() const { return rowCount(); }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Every agent's actions, newest first (for tests and diagnostics).
    QList<ActionRow> actionsOf(const QString &agentId) const { return m_byAgent.value(agentId); }

public Q_SLOTS:
    void applyAction(const QString &agentId, const opsdeck::agents::ActionRow &action);

Q_SIGNALS:
    void feedChanged();
    void agentIdChanged();
    void limitChanged();
    void countChanged();

private:
    QList<ActionRow> &listOf(const QString &agentId) { return m_byAgent[agentId]; }
    bool isShown(const QString &agentId) const { return !m_agentId.isEmpty() && agentId == m_agentId; }
    void trim(const QString &agentId, QList<ActionRow> &list);

    QPointer<AgentFeed> m_feed;
    QString m_agentId;
    int m_limit = kDefaultLimit;
    QHash<QString, QList<ActionRow>> m_byAgent; // newest first
};

} // namespace opsdeck::agents
