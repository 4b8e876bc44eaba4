#include "historyrelay.h"

#include "hubclient.h"
#include "hubserver.h"
#include "relayentries.h"
#include "requesttracker.h"

#include <QJsonArray>

namespace opsdeck::hub::relay {

using transport::HubClient;
using transport::HubReply;

HistoryRelay::HistoryRelay(HubServer &hub, HubClient &link, QString label, QObject *parent)
    : QObject(parent)
    , m_hub(hub)
    , m_link(link)
    , m_label(std::move(label))
{
    m_hub.addHistoryRoute(m_label, this);
}

HistoryRelay::~HistoryRelay()
{
    m_hub.removeHistoryRoute(m_label, this);
}

void HistoryRelay::queryHistory(HubSession &session, const protocol::InboundMessage &message)
{
    const auto upstream = upstreamHistoryQuery(message.body, m_label);
    if (!upstream) {
        // The filter names only other hubs' sources: nothing of them is kept here.
        session.sendMessage(protocol::makeResponse(
            message.id, QJsonObject{{QStringLiteral("topic"), message.body.value(QLatin1StringView("topic"))},
                                    {QStringLiteral("hub"), m_label},
                                    {QStringLiteral("entries"), QJsonArray{}},
                                    {QStringLiteral("has_more"), false}}));
        return;
    }
    if (m_link.state() != HubClient::State::Connected) {
        session.sendError(
            protocol::hubUnavailable(
                m_label, true,
                QStringLiteral("The link to %1 is down; its older history can be read once it is back").arg(m_label)),
            message.id);
        return;
    }
    HubReply *reply = m_link.request(*upstream);
    const quint64 serial = session.serial();
    connect(reply, &HubReply::finished, this, [this, reply, serial, id = message.id] {
        reply->deleteLater();
        HubSession *asker = m_hub.session(serial);
        if (!asker)
            return;
        if (reply->errorCode().isEmpty()) {
            asker->sendMessage(protocol::makeResponse(id, relayedHistoryPage(reply->result(), m_label)));
            return;
        }
        asker->sendError(remoteRefusal(m_label, reply->errorCode(), reply->errorMessage(), reply->errorDetails()),
                         id);
    });
}

} // namespace opsdeck::hub::relay
