#pragma once

// LogFeed: the live `logs` subscription of the Logs pane. It subscribes through the console's
// HubClient (which resumes the subscription across reconnects and drops duplicates) and hands
// entries and gap markers to a LogModel. The network side emits typed signals; the model only
// receives them.

#include "feedsubscription.h"
#include "hubclient.h"
#include "logmodel.h"

#include <QObject>
#include <QPointer>
#include <QQmlParserStatus>
#include <QtQml/qqml.h>

namespace opsdeck::logs {

class LogFeed : public QObject, public QQmlParserStatus
{
    Q_OBJECT
    Q_INTERFACES(QQmlParserStatus)
    QML_ELEMENT
    Q_PROPERTY(opsdeck::transport::HubClient *client READ client WRITE setClient NOTIFY clientChanged)
    Q_PROPERTY(opsdeck::logs::LogModel *model READ model WRITE setModel NOTIFY modelChanged)
    // Entries replayed on the first subscribe (and after a resume the hub cannot serve).
    Q_PROPERTY(int history READ history WRITE setHistory NOTIFY historyChanged)
    Q_PROPERTY(bool enabled READ isEnabled WRITE setEnabled NOTIFY enabledChanged)
    // "pending", "active", "failed", "closed" or "" (no subscription).
    Q_PROPERTY(QString state READ state NOTIFY stateChanged)
    Q_PROPERTY(QString errorString READ errorString NOTIFY stateChanged)
    Q_PROPERTY(qint64 entriesReceived READ entriesReceived NOTIFY received)
    Q_PROPERTY(int gapsReceived READ gapsReceived NOTIFY received)

public:
    static constexpr int kDefaultHistory = 2000;

    explicit LogFeed(QObject *parent = nullptr);
    ~LogFeed() override;

    transport::HubClient *client() const { return m_client; }
    void setClient(transport::HubClient *client);
    LogModel *model() const { return m_model; }
    void setModel(LogModel *model);
    int history() const { return m_history; }
    void setHistory(int history);
    bool isEnabled() const { return m_enabled; }
    void setEnabled(bool enabled);
    QString state() const { return m_feed.stateName(); }
    QString errorString() const { return m_feed.errorString(); }
    qint64 entriesReceived() const { return m_entries; }
    int gapsReceived() const { return m_gaps; }
    transport::ClientSubscription *subscription() const { return m_feed.subscription(); }

    void classBegin() override { m_complete = false; }
    void componentComplete() override;

Q_SIGNALS:
    void clientChanged();
    void modelChanged();
    void historyChanged();
    void enabledChanged();
    void stateChanged();
    void received();

private:
    void resubscribe();
    void unsubscribe();
    void onEntries(const QList<QJsonObject> &entries);
    void onGap(const QJsonObject &marker);

    QPointer<transport::HubClient> m_client;
    QPointer<LogModel> m_model;
    transport::FeedSubscription m_feed{QStringLiteral("logs")};
    int m_history = kDefaultHistory;
    bool m_enabled = true;
    bool m_complete = true; // false between classBegin and componentComplete (QML creation)
    qint64 m_entries = 0;
    int m_gaps = 0;
};

} // namespace opsdeck::logs
