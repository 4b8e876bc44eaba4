#pragma once

// AgentDetail: the selected agent as a handful of properties for the detail panel. It follows
// its row in an AgentListModel (updates, removal, a snapshot after a reconnect), so bindings in
// QML stay live without the panel knowing about model signals.

#include "agentlistmodel.h"

#include <QObject>
#include <QPointer>
#include <QVariantList>
#include <QVariantMap>
#include <QtQml/qqml.h>

namespace opsdeck::agents {

class AgentDetail : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(opsdeck::agents::AgentListModel *model READ model WRITE setModel NOTIFY modelChanged)
    Q_PROPERTY(QString agentId READ agentId WRITE setAgentId NOTIFY agentIdChanged)
    // False when no agent is selected or the selected one left the registry.
    Q_PROPERTY(bool present READ isPresent NOTIFY changed)
    // Every role of the agent's row by role name (status, task, heartbeatAgeS, processed…).
    Q_PROPERTY(QVariantMap facts READ facts NOTIFY changed)
    Q_PROPERTY(QVariantList cpuHistory READ cpuHistory NOTIFY historyChanged)
    Q_PROPERTY(QVariantList memHistory READ memHistory NOTIFY historyChanged)

public:
    explicit AgentDetail(QObject *parent = nullptr);

    AgentListModel *model() const { return m_model; }
    void setModel(AgentListModel *model);
    QString agentId() const { return m_agentId; }
    void setAgentId(const QString &agentId);
    bool isPresent() const { return !m_facts.isEmpty(); }
    QVariantMap facts() const { return m_facts; }
    QVariantList cpuHistory() const { return m_cpu; }
    QVariantList memHistory() const { return m_mem; }

Q_SIGNALS:
    void modelChanged();
    void agentIdChanged();
    void changed();
    void historyChanged();

private:
    void refresh();
    void onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles);

    QPointer<AgentListModel> m_model;
    QString m_agentId;
    QVariantMap m_facts;
    QVariantList m_cpu;
    QVariantList m_mem;
};

} // namespace opsdeck::agents
