#pragma once

// Where a `history` query naming a linked hub goes (docs/protocol.md §15 "History"): the remote
// hub keeps far more of a relayed topic than the embedded hub, which has only what arrived since
// its link started. HubServer picks the route by the query's `hub` field and hands the query
// over; the route asks the remote hub and answers the session itself.

#include "message.h"

namespace opsdeck::hub {

class HubSession;

class HistoryRoute
{
public:
    virtual ~HistoryRoute() = default;

    // A `query` of kind `history` whose `hub` names this route's link.
    virtual void queryHistory(HubSession &session, const protocol::InboundMessage &message) = 0;
};

} // namespace opsdeck::hub
