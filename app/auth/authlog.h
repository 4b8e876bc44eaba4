#pragma once

// The console's sign-in logs ("opsdeck.auth"): user names, hosts and outcomes — never a password,
// an access token or a refresh token.

#include <QLoggingCategory>

namespace opsdeck::app {
Q_DECLARE_LOGGING_CATEGORY(lcAuth)
}
