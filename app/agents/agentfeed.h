#pragma once

// AgentFeed: the Agents pane's only contact with the network. Through the console's HubClient it
// subscribes to `agents` (registry events), `metrics` (CPU and memory for the sparklines),
// `commands` and `flow` (an agent's recent actions), and asks for an `agents` snapshot after
// every (re)established `agents` subscription, so the table is whole again after a reconnect or
// a gap. It emits typed signals; the models subscribe to those and never parse JSON.

#include "agenttypes.h"
#include "clientsubscription.h"
#include "hubclient.h"

#include <QObject>
#include <QPointer>
#include <QQmlParserStatus>
#include <QtQml/qqml.h>

namespace opsdeck::agents {

class AgentFeed : public QObject, public QQmlParserStatus
{
    Q_OBJECT
    Q_INTERFACES(QQmlParserStatus)
    QML_ELEMENT
    Q_PROPERTY(opsdeck::transport::HubClient *client READ client WRITE setClient NOTIFY clientChanged)
    // True once the first snapshot arrived: until then an empty table means "loading", not
    // "no agents".
    Q_PROPERTY(bool loaded READ isLoaded NOTIFY loadedChanged)
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorChanged)
    Q_PROPERTY(int snapshotCount READ snapshotCount NOTIFY snapshot)

public:
    // Replayed on the first subscribe: about a minute of sparkline for a fleet of ~15 sources.
    static constexpr int kMetricsHistory = 900;
    // Enough commands and blocks to give every agent its recent actions at once.
    static constexpr int kActionHistory = 300;

    explicit AgentFeed(QObject *parent = nullptr);
    ~AgentFeed() override;

    transport::HubClient *client() const { return m_client; }
    void setClient(transport::HubClient *client);
    bool isLoaded() const { return m_loaded; }
    QString errorString() const { return m_error; }
    int snapshotCount() const { return m_snapshots; }

    // Asks the hub for the whole registry again (done automatically after every established
    // `agents` subscription and after a gap on it).
    Q_INVOKABLE void refresh();

    void classBegin() override { m_complete = false; }
    void componentComplete() override;

Q_SIGNALS:
    void clientChanged();
    void loadedChanged();
    void errorChanged();
    // The whole registry; agents missing from it are gone.
    void snapshot(const QList<opsdeck::agents::AgentRow> &agents);
    void agentUpdated(const opsdeck::agents::AgentRow &agent);
    void agentRemoved(const QString &agentId);
    // One agent metrics point; memPercent = memory / memoryLimit (-1 when the limit is unknown).
    void metricsPoint(const QString &source, double cpu, double memPercent, qint64 tsMs);
    void actionEvent(const QString &agentId, const opsdeck::agents::ActionRow &action);

private:
    void subscribeAll();
    void unsubscribeAll();
    transport::ClientSubscription *open(const QString &topic, int history);
    void onAgentEntries(const QList<QJsonObject> &entries);
    void onMetricsEntries(const QList<QJsonObject> &entries);
    void onActionEntries(const QList<QJsonObject> &entries);
    void onSnapshotReply(transport::HubReply *reply);
    void setError(const QString &error);

    QPointer<transport::HubClient> m_client;
    QList<QPointer<transport::ClientSubscription>> m_subscriptions;
    QPointer<transport::HubReply> m_snapshotReply;
    bool m_complete = true; // false between classBegin and componentComplete (QML creation)
    bool m_loaded = false;
    int m_snapshots = 0;
    QString m_error;
};

} // namespace opsdeck::agents
