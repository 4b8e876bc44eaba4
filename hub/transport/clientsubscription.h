#pragma once

// A subscription as the client keeps it. It lives in the client, not on the connection: the
// hub's `sub` id changes with every connection, this object and its position (epoch, last
// seq) survive, so after a reconnect the client resubscribes with `since` and the subscriber
// sees one continuous stream — or an explicit gap, never a silent hole.

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

#include <optional>

namespace opsdeck::transport {

class HubClient;

struct SubscribeOptions
{
    QJsonObject filter;           // docs/protocol.md §4.1 filter
    std::optional<int> history;   // replay the newest N entries on the first subscribe (and
                                  // after a resume the hub cannot serve: recovered:false)
    std::optional<bool> batch;    // logs only
    // Start where an earlier subscription to the same hub's topic stopped (its epoch and last
    // seq): the first subscribe is then a resume (§4.1 `since`) — what was missed meanwhile is
    // replayed exactly, or `history` and a gap when the hub no longer has it.
    QString sinceEpoch;
    qint64 sinceSeq = 0;
};

class ClientSubscription : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QString topic READ topic CONSTANT)
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(QString epoch READ epoch NOTIFY positionChanged)
    Q_PROPERTY(qint64 lastSeq READ lastSeq NOTIFY positionChanged)

public:
    enum class State {
        Pending, // waiting for a connection or for the hub's answer
        Active,  // the hub confirmed it on the current connection
        Failed,  // the hub refused it (unknown topic, bad filter, too many): not retried
        Closed,  // unsubscribed
    };
    Q_ENUM(State)

    ~ClientSubscription() override;

    QString topic() const { return m_topic; }
    const SubscribeOptions &options() const { return m_options; }
    State state() const { return m_state; }
    // The hub's id for this subscription on the current connection (empty while pending).
    QString hubSubId() const { return m_hubSub; }
    QString epoch() const { return m_epoch; }
    qint64 lastSeq() const { return m_lastSeq; }
    qint64 entriesDelivered() const { return m_delivered; }
    // Entries dropped because their seq was not newer than the last one seen (after a resume).
    qint64 duplicatesDropped() const { return m_duplicates; }

    // Stops the subscription (tells the hub when connected). The object stays valid until
    // its owner deletes it; deleting it also unsubscribes.
    void unsubscribe();

Q_SIGNALS:
    // The hub's answer to every (re)subscribe: {sub, topic, epoch, head_seq, recovered, replayed}.
    void established(const QJsonObject &result);
    // After a resume with `since`: true = the hub replays exactly what was missed; false = it
    // could not (new epoch or retention exceeded) and a gap() follows.
    void recovered(bool recovered);
    void gap(const QJsonObject &marker);
    // New entries in seq order; duplicates already removed.
    void entriesReceived(const QList<QJsonObject> &entries);
    void failed(const QString &code, const QString &message);
    void stateChanged(opsdeck::transport::ClientSubscription::State state);
    void positionChanged();

private:
    friend class HubClient;
    ClientSubscription(HubClient *client, const QString &topic, const SubscribeOptions &options);

    // The subscribe message for the next connection (with `since` once a position is known).
    QJsonObject subscribeMessage(const QString &requestId) const;
    void setState(State state);
    void handleResponse(const QJsonObject &result, bool resumed);
    void handleError(const QString &code, const QString &message);
    void handleGap(const QJsonObject &marker);
    // `entries` are log-shaped objects; `fallbackEpoch` is the batch's epoch.
    void handleEntries(const QJsonArray &entries, const QString &fallbackEpoch);
    void handleEntry(const QJsonObject &entry);
    void connectionLost();

    // Returns false for a duplicate.
    bool accept(const QJsonObject &entry, const QString &fallbackEpoch);

    QPointer<HubClient> m_client;
    QString m_topic;
    SubscribeOptions m_options;
    State m_state = State::Pending;
    QString m_hubSub;
    QString m_epoch;
    qint64 m_lastSeq = 0;
    qint64 m_delivered = 0;
    qint64 m_duplicates = 0;
};

} // namespace opsdeck::transport
