#pragma once

// Everything a dev/prod hub (or the admin CLI) needs for operator authentication, opened from one
// AuthConfig: the signing key, users.sqlite with its three stores, the token service and the
// server-facing TokenAuthenticator. One object, so the hub wiring is two lines:
//
//     QString error;
//     auto auth = AuthContext::open(config, &error);      // nullptr: print `error`, exit 1
//     hubConfig.authenticator = &auth->authenticator();
//     AuthHttpService http(*auth);  http.listen(address, port, tls);

#include "authconfig.h"

#include <QString>

#include <memory>

namespace opsdeck::hub::auth {

class AuthDatabase;
class RefreshTokenStore;
class RevokedTokens;
class SigningKey;
class TokenAuthenticator;
class TokenService;
class UserStore;

class AuthContext
{
public:
    // Creates the data directory (0700) and the signing key when missing; refuses a key readable by
    // group or others. nullptr and a sentence in `error` when anything cannot be opened.
    static std::unique_ptr<AuthContext> open(const AuthConfig &config, QString *error);
    ~AuthContext();
    AuthContext(const AuthContext &) = delete;
    AuthContext &operator=(const AuthContext &) = delete;

    const AuthConfig &config() const { return m_config; }
    TokenService &tokens() { return *m_tokens; }
    const TokenService &tokens() const { return *m_tokens; }
    UserStore &users() { return *m_users; }
    RefreshTokenStore &refreshTokens() { return *m_refresh; }
    RevokedTokens &revokedTokens() { return *m_revoked; }
    // The hub server's Authenticator (HubConfig::authenticator); lives as long as this context.
    const TokenAuthenticator &authenticator() const { return *m_authenticator; }

    QString signingKeyPath() const;
    QString databasePath() const;
    static QString signingKeyPath(const QString &dataDir);
    static QString databasePath(const QString &dataDir);

private:
    AuthContext() = default;

    AuthConfig m_config;
    std::unique_ptr<SigningKey> m_key;
    std::unique_ptr<AuthDatabase> m_database;
    std::unique_ptr<TokenService> m_tokens;
    std::unique_ptr<UserStore> m_users;
    std::unique_ptr<RefreshTokenStore> m_refresh;
    std::unique_ptr<RevokedTokens> m_revoked;
    std::unique_ptr<TokenAuthenticator> m_authenticator;
};

} // namespace opsdeck::hub::auth
