#pragma once

// Where opsdeck-hub gets the Authenticator that dev and prod check operator tokens with
// (docs/protocol.md §13). The hub server only knows the interface (hub/auth/authenticator.h).
//
// >>> INTEGRATION POINT: the lead plugs hub/auth's TokenAuthenticator in here (hubauthsetup.cpp). <<<

#include "authenticator.h"
#include "hubcli.h"

#include <memory>

namespace opsdeck::hub {

struct AuthenticatorSetup
{
    std::shared_ptr<const Authenticator> authenticator; // null: dev/prod cannot start
    QString error;                                      // why, in words an operator can act on
};

// The authenticator for a dev/prod hub configured by `options` (its --data-dir holds the
// signing key and the users). Not called in demo mode.
AuthenticatorSetup makeAuthenticator(const HubCliOptions &options);

} // namespace opsdeck::hub
