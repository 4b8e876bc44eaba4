#pragma once

// Older pages of a relayed topic, from the remote hub (docs/protocol.md §15 "History").
//
// The embedded hub holds only what its link relayed since it started (plus the replay of the
// first subscribe); the remote hub's ring and history store reach back days. A `history` query
// with `"hub": "<label>"` is asked of the remote hub over the link, in the remote hub's names and
// seq space, and the page comes back with each entry as a live relayed entry has it (qualified
// source, `hub`, `origin`) — so a console can tell the two apart from nothing but their origin,
// and one it already holds is the same entry, not a second one.

#include "historyroute.h"

#include <QObject>

namespace opsdeck::transport {
class HubClient;
}

namespace opsdeck::hub {
class HubServer;
}

namespace opsdeck::hub::relay {

class HistoryRelay : public QObject, public HistoryRoute
{
    Q_OBJECT
public:
    // Registers itself with `hub` as the history route for `label`; `link` is the link's client.
    HistoryRelay(HubServer &hub, transport::HubClient &link, QString label, QObject *parent = nullptr);
    ~HistoryRelay() override;

    void queryHistory(HubSession &session, const protocol::InboundMessage &message) override;

private:
    HubServer &m_hub;
    transport::HubClient &m_link;
    QString m_label;
};

} // namespace opsdeck::hub::relay
