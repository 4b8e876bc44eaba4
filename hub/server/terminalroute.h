#pragma once

// A place this hub can open terminals besides its own host: a linked remote hub (hub/relay's
// TerminalRelay, docs/protocol.md §15 "Terminals"). HubServer validates who may use it and which
// route a message names — `terminal_open` by its `hub` field, every other terminal message by the
// label after the last `@` of its `terminal` id — and hands the message over; the route speaks to
// the remote hub and answers the session itself.

#include "message.h"

#include <QString>

namespace opsdeck::hub {

class HubSession;

class TerminalRoute
{
public:
    virtual ~TerminalRoute() = default;

    // terminal_open naming this route's hub.
    virtual void openTerminal(HubSession &session, const protocol::InboundMessage &message) = 0;
    // input, resize, ack, detach, attach or terminal_close for `remoteId` (the id without the
    // label), from `session`.
    virtual void forwardTerminal(HubSession &session, const protocol::InboundMessage &message,
                                 const QString &remoteId) = 0;
    // The connection is gone: its terminals detach (the remote hub keeps them for its grace period).
    virtual void connectionClosed(quint64 serial) = 0;

    // For `stats`: terminals this route relays, and how many of them a local connection watches.
    virtual int relayedCount() const = 0;
    virtual int relayedAttachedCount() const = 0;
};

} // namespace opsdeck::hub
