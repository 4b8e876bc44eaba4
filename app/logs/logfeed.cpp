#include "logfeed.h"

namespace opsdeck::logs {

using transport::HubClient;
using transport::SubscribeOptions;

LogFeed::LogFeed(QObject *parent)
    : QObject(parent)
{
    connect(&m_feed, &transport::FeedSubscription::entriesReceived, this, &LogFeed::onEntries);
    connect(&m_feed, &transport::FeedSubscription::gap, this, &LogFeed::onGap);
    connect(&m_feed, &transport::FeedSubscription::stateChanged, this, &LogFeed::stateChanged);
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
    if (!m_feed.isOpen())
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

void LogFeed::componentComplete()
{
    m_complete = true;
    resubscribe();
}

void LogFeed::resubscribe()
{
    if (!m_complete || !m_enabled || !m_client || !m_model)
        return;
    SubscribeOptions options;
    options.history = m_history;
    m_feed.open(*m_client, options);
}

void LogFeed::unsubscribe()
{
    m_feed.close();
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
