#include "clientsubscription.h"

#include "hubclient.h"

namespace opsdeck::transport {

ClientSubscription::ClientSubscription(HubClient *client, const QString &topic, const SubscribeOptions &options)
    : QObject(client)
    , m_client(client)
    , m_topic(topic)
    , m_options(options)
    , m_epoch(options.sinceEpoch)
    , m_lastSeq(options.sinceEpoch.isEmpty() ? 0 : options.sinceSeq)
{
}

ClientSubscription::~ClientSubscription()
{
    if (m_client)
        m_client->removeSubscription(this);
}

void ClientSubscription::unsubscribe()
{
    if (m_client)
        m_client->removeSubscription(this);
    setState(State::Closed);
}

QJsonObject ClientSubscription::subscribeMessage(const QString &requestId) const
{
    QJsonObject message{{QStringLiteral("type"), QStringLiteral("subscribe")},
                        {QStringLiteral("id"), requestId},
                        {QStringLiteral("topic"), m_topic}};
    if (!m_options.filter.isEmpty())
        message.insert(QStringLiteral("filter"), m_options.filter);
    // `history` is sent on resumes too: it bounds what the hub replays when it answers
    // recovered:false (§4.1), so a subscriber that asked for everything still gets everything.
    if (m_options.history)
        message.insert(QStringLiteral("history"), *m_options.history);
    if (m_options.batch)
        message.insert(QStringLiteral("batch"), *m_options.batch);
    if (!m_epoch.isEmpty())
        message.insert(QStringLiteral("since"),
                       QJsonObject{{QStringLiteral("epoch"), m_epoch}, {QStringLiteral("seq"), m_lastSeq}});
    return message;
}

void ClientSubscription::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void ClientSubscription::handleResponse(const QJsonObject &result, bool resumed)
{
    m_hubSub = result.value(QLatin1StringView("sub")).toString();
    const QString epoch = result.value(QLatin1StringView("epoch")).toString();
    const bool wasRecovered = result.value(QLatin1StringView("recovered")).toBool(true);
    if (!epoch.isEmpty() && epoch != m_epoch) {
        // Positions of another epoch mean nothing here (§4.4 epoch_changed): start counting anew.
        m_epoch = epoch;
        m_lastSeq = 0;
        Q_EMIT positionChanged();
    }
    setState(State::Active);
    Q_EMIT established(result);
    if (resumed)
        Q_EMIT recovered(wasRecovered);
}

void ClientSubscription::handleError(const QString &code, const QString &message)
{
    m_hubSub.clear();
    setState(State::Failed);
    Q_EMIT failed(code, message);
}

void ClientSubscription::handleGap(const QJsonObject &marker)
{
    // A relayed hole (docs/protocol.md §15) is an entry of the topic with its own seq: it moves
    // the position like an entry, and is shown once even when a resume replays it.
    if (marker.contains(QLatin1StringView("seq")) && !accept(marker, m_epoch))
        return;
    Q_EMIT gap(marker);
}

bool ClientSubscription::accept(const QJsonObject &entry, const QString &fallbackEpoch)
{
    const QJsonValue seqValue = entry.value(QLatin1StringView("seq"));
    if (seqValue.isUndefined())
        return true; // not positioned: nothing to deduplicate against
    QString epoch = entry.value(QLatin1StringView("epoch")).toString();
    if (epoch.isEmpty())
        epoch = fallbackEpoch;
    if (!epoch.isEmpty() && epoch != m_epoch) {
        m_epoch = epoch;
        m_lastSeq = 0;
    }
    const qint64 seq = seqValue.toInteger();
    if (seq <= m_lastSeq) {
        ++m_duplicates;
        return false;
    }
    m_lastSeq = seq;
    return true;
}

void ClientSubscription::handleEntries(const QJsonArray &entries, const QString &fallbackEpoch)
{
    QList<QJsonObject> fresh;
    fresh.reserve(entries.size());
    for (const QJsonValue &value : entries) {
        QJsonObject entry = value.toObject();
        if (accept(entry, fallbackEpoch))
            fresh.append(std::move(entry));
    }
    if (fresh.isEmpty())
        return;
    m_delivered += fresh.size();
    Q_EMIT entriesReceived(fresh);
    Q_EMIT positionChanged();
}

void ClientSubscription::handleEntry(const QJsonObject &entry)
{
    if (!accept(entry, {}))
        return;
    ++m_delivered;
    Q_EMIT entriesReceived(QList<QJsonObject>{entry});
    Q_EMIT positionChanged();
}

void ClientSubscription::connectionLost()
{
    m_hubSub.clear();
    if (m_state == State::Active)
        setState(State::Pending);
}

} // namespace opsdeck::transport
