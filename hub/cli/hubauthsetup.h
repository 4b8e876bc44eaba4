#pragma once

// Where opsdeck-hub gets the Authenticator that dev and prod check operator tokens with
// (docs/protocol.md §13). The hub server only knows the interface (hub/auth/authenticator.h).
// The authenticator is hub/auth's TokenAuthenticator over the data directory's signing key and
// user store; the same AuthContext serves the sign-in endpoints (AuthHttpService).

#include "authenticator.h"
#include "hubcli.h"

#include <memory>

namespace opsdeck::hub::auth {
class AuthContext;
class AuthHttpService;
} // namespace opsdeck::hub::auth

namespace opsdeck::hub {

class HubServer;

struct AuthenticatorSetup
{
    std::shared_ptr<auth::AuthContext> context;         // keys, users, refresh tokens
    std::shared_ptr<const Authenticator> authenticator; // null: dev/prod cannot start
    QString error;                                      // why, in words an operator can act on
};

// The authenticator for a dev/prod hub configured by `options` (its --data-dir holds the
// signing key and the users). Not called in demo mode.
AuthenticatorSetup makeAuthenticator(const HubCliOptions &options);

// Starts the sign-in endpoints (docs/protocol.md §12) for a listening dev/prod `server`: on
// --auth-listen, else the server's address and port + 1 (any free port when the server's was
// chosen by the system); HTTPS with the server's --tls-cert/--tls-key. Null with `error` set
// when it cannot listen or the TLS files are unusable.
std::unique_ptr<auth::AuthHttpService> startAuthService(const HubCliOptions &options, const HubServer &server,
                                                        auth::AuthContext &context, QString *error);

} // namespace opsdeck::hub
