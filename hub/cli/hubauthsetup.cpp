#include "hubauthsetup.h"

namespace opsdeck::hub {

AuthenticatorSetup makeAuthenticator(const HubCliOptions &options)
{
    // >>> INTEGRATION POINT (issue 5): replace this body with hub/auth's TokenAuthenticator, made
    // from options.dataDir (signing.key, users) and the issuer/TTL flags. Until then dev and prod
    // have no way to check a token, so they refuse to start rather than admit anyone.
    Q_UNUSED(options);
    return AuthenticatorSetup{nullptr, QStringLiteral("operator authentication (hub/auth TokenAuthenticator) is not "
                                                      "built into this opsdeck-hub yet; run --mode demo")};
}

} // namespace opsdeck::hub
