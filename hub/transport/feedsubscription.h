#pragma once

// FeedSubscription: the one live subscription of a console pane's feed (LogFeed, MetricsFeed).
// The feed decides when it wants the stream (client set, enabled, QML creation complete); this
// holds the subscription meanwhile — HubClient resumes it across reconnects — re-emits what it
// delivers, and says its state in the words the panes show ("pending", "active", "failed",
// "closed", "" for none) with the hub's reason when it refused.

#include "clientsubscription.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

namespace opsdeck::transport {

class HubClient;

class FeedSubscription : public QObject
{
    Q_OBJECT
public:
    explicit FeedSubscription(QString topic, QObject *parent = nullptr);
    ~FeedSubscription() override;

    bool isOpen() const { return !m_subscription.isNull(); }
    // Subscribes to the topic through `client`; nothing when already open.
    void open(HubClient &client, const SubscribeOptions &options);
    // Unsubscribes (the client owns the subscription; deleting it tells the hub when connected).
    void close();

    QString stateName() const;
    // The hub's refusal (its message, else its code); empty while nothing was refused.
    QString errorString() const { return m_error; }
    ClientSubscription *subscription() const { return m_subscription; }

Q_SIGNALS:
    void entriesReceived(const QList<QJsonObject> &entries);
    void gap(const QJsonObject &marker);
    // The hub refused the subscription (also reached through stateChanged).
    void refused(const QString &code, const QString &message);
    void stateChanged();

private:
    QString m_topic;
    QPointer<ClientSubscription> m_subscription;
    QString m_error;
};

} // namespace opsdeck::transport
