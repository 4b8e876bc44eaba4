#pragma once

// Settings shared by everything in hub/auth (docs/protocol.md §12, docs/operations.md §6–7), plus
// the small validators the CLI, the stores and the HTTP service all apply the same way.

#include <QLoggingCategory>
#include <QString>
#include <QStringList>

#include <chrono>
#include <cstddef>
#include <optional>

Q_DECLARE_LOGGING_CATEGORY(lcHubAuth)

namespace opsdeck::hub::auth {

inline constexpr auto kDefaultIssuer = "opsdeck-hub";
inline constexpr auto kOperatorAudience = "opsdeck.operator";
inline constexpr auto kAgentAudience = "opsdeck.agent";
inline constexpr auto kAgentRole = "agent";

// argon2id cost. Production uses libsodium's INTERACTIVE limits; tests pass minimum() so a hash
// takes a millisecond instead of ~100 ms.
struct Argon2Limits
{
    unsigned long long opsLimit = 0; // 0: crypto_pwhash_OPSLIMIT_INTERACTIVE
    std::size_t memLimit = 0;        // 0: crypto_pwhash_MEMLIMIT_INTERACTIVE
    static Argon2Limits interactive();
    static Argon2Limits minimum();
    Argon2Limits resolved() const; // zeros replaced by the INTERACTIVE values
};

// Failed logins before a lockout, inside a sliding window; the lockout starts at `firstLockout`
// and doubles with every further lockout of the same key, up to `maxLockout`.
struct ThrottleLimits
{
    int failuresPerUser = 5;
    int failuresPerAddress = 20;
    std::chrono::seconds window {15 * 60};
    std::chrono::seconds firstLockout {60};
    std::chrono::seconds maxLockout {15 * 60};
};

struct AuthConfig
{
    QString dataDir; // holds signing.key and users.sqlite; created (0700) when missing
    QString issuer = QString::fromLatin1(kDefaultIssuer);
    std::chrono::seconds accessTtl {15 * 60};
    std::chrono::seconds refreshTtl {30 * 24 * 3600};
    Argon2Limits argon2;
    ThrottleLimits throttle;
};

// "90s", "15m", "1h", "30d", "2w" or plain seconds ("900"). Nothing for zero, negative, garbage or
// more than 10 years.
std::optional<std::chrono::seconds> parseDuration(const QString &text);

// [A-Za-z0-9._-]{1,64}
bool isValidUserName(const QString &name);
// The operator roles a user may hold (agents get "agent" only through agent tokens).
QStringList operatorRoles();
bool isValidOperatorRole(const QString &role);
// Non-empty, every role known, no duplicates. An error sentence when not.
std::optional<QString> checkOperatorRoles(const QStringList &roles);
// The sentence used everywhere a user name is refused.
QString userNameRule();

} // namespace opsdeck::hub::auth
