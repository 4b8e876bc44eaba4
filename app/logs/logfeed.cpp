#include "logfeed.h"

namespace opsdeck::logs {

using transport::ClientSubscription;
using transport::HubClient;
using transport::SubscribeOptions;

LogFeed::LogFeed(QObject *parent)
    : QObject(parent)
{
}

LogFeed::~LogFeed()
{
    unsubscribe();
}

void LogFeed::setClient(HubClient *client)
{
    if (client == m_client)
        return;
    unsubscribe();
    m_client = client;
    Q_EMIT clientChanged();
    resubscribe();
}

void LogFeed::setModel(LogModel *model)
{
    if (model == m_model)
        return;
    m_model = model;
    Q_EMIT modelChanged();
    // The subscription stays: entries from now on go to the new model.
    if (!m_subscription)
        resubscribe();
}

void LogFeed::setHistory(int history)
{
    history = std::max(history, 0);
    if (history == m_history)
        return;
    m_history = history;
    Q_EMIT historyChanged();
}

void LogFeed::setEnabled(bool enabled)
{
    if (enabled == m_enabled)
        return;
    m_enabled = enabled;
    Q_EMIT enabledChanged();
    if (enabled)
        resubscribe();
    else
        unsubscribe();
}

QString LogFeed::state() const
{
    if (!m_subscription)
        return QString();
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
    return QString();
}

void LogFeed::componentComplete()
{
    m_complete = true;
    resubscribe();
}

void LogFeed::resubscribe()
{
    if (!m_complete || !m_enabled || !m_client || !m_model || m_subscription)
        return;
    SubscribeOptions options;
    options.history = m_history;
    ClientSubscription *subscription = m_client->subscribe(QStringLiteral("logs"), options);
    m_subscription = subscription;
    m_error.clear();
    connect(subscription, &ClientSubscription::entriesReceived, this, &LogFeed::onEntries);
    connect(subscription, &ClientSubscription::gap, this, &LogFeed::onGap);
    connect(subscription, &ClientSubscription::stateChanged, this, &LogFeed::stateChanged);
    connect(subscription, &ClientSubscription::failed, this, [this](const QString &code, const QString &message) {
        m_error = message.isEmpty() ? code : message;
        Q_EMIT stateChanged();
    });
    connect(subscription, &QObject::destroyed, this, &LogFeed::stateChanged);
    Q_EMIT stateChanged();
}

void LogFeed::unsubscribe()
{
    // The client owns the subscription; deleting it tells the hub (when connected).
    if (m_subscription) {
        disconnect(m_subscription, nullptr, this, nullptr);
        delete m_subscription.data();
        m_subscription.clear();
        Q_EMIT stateChanged();
    }
}

void LogFeed::onEntries(const QList<QJsonObject> &entries)
{
    m_entries += entries.size();
    if (m_model)
        m_model->appendEntries(entries);
    Q_EMIT received();
}

void LogFeed::onGap(const QJsonObject &marker)
{
    ++m_gaps;
    if (m_model)
        m_model->appendGap(marker);
    Q_EMIT received();
}

} // namespace opsdeck::logs
