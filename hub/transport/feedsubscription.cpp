#include "feedsubscription.h"

#include "hubclient.h"

namespace opsdeck::transport {

FeedSubscription::FeedSubscription(QString topic, QObject *parent)
    : QObject(parent)
    , m_topic(std::move(topic))
{
}

FeedSubscription::~FeedSubscription()
{
    // Quietly: whoever listens may be half destroyed already (a feed's member goes last).
    if (m_subscription) {
        disconnect(m_subscription, nullptr, this, nullptr);
        delete m_subscription.data();
    }
}

void FeedSubscription::open(HubClient &client, const SubscribeOptions &options)
{
    if (m_subscription)
        return;
    ClientSubscription *subscription = client.subscribe(m_topic, options);
    m_subscription = subscription;
    m_error.clear();
    connect(subscription, &ClientSubscription::entriesReceived, this, &FeedSubscription::entriesReceived);
    connect(subscription, &ClientSubscription::gap, this, &FeedSubscription::gap);
    connect(subscription, &ClientSubscription::stateChanged, this, &FeedSubscription::stateChanged);
    connect(subscription, &ClientSubscription::failed, this, [this](const QString &code, const QString &message) {
        m_error = message.isEmpty() ? code : message;
        Q_EMIT refused(code, message);
        Q_EMIT stateChanged();
    });
    // The client deletes its subscriptions when it goes away.
    connect(subscription, &QObject::destroyed, this, &FeedSubscription::stateChanged);
    Q_EMIT stateChanged();
}

void FeedSubscription::close()
{
    if (!m_subscription)
        return;
    disconnect(m_subscription, nullptr, this, nullptr);
    delete m_subscription.data();
    m_subscription.clear();
    Q_EMIT stateChanged();
}

QString FeedSubscription::stateName() const
{
    if (!m_subscription)
        return {};
    switch (m_subscription->state()) {
    case ClientSubscription::State::Pending:
        return QStringLiteral("pending");
    case ClientSubscription::State::Active:
        return QStringLiteral("active");
    case ClientSubscription::State::Failed:
        return QStringLiteral("failed");
    case ClientSubscription::State::Closed:
        return QStringLiteral("closed");
    }
    return {};
}

} // namespace opsdeck::transport
