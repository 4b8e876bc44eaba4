#include "authcontext.h"

#include "authdatabase.h"
#include "refreshtokenstore.h"
#include "revokedtokens.h"
#include "signingkey.h"
#include "sodiumsupport.h"
#include "tokenauthenticator.h"
#include "tokenservice.h"
#include "userstore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace opsdeck::hub::auth {

namespace {

bool makeDataDir(const QString &dir, QString *error)
{
    if (QFileInfo(dir).isDir())
        return true;
    if (!QDir().mkpath(dir)) {
        *error = QStringLiteral("cannot create the data directory %1; create it or pass another --data-dir").arg(dir);
        return false;
    }
    // Only the hub's user needs to look inside (the key and the database are 0600 as well).
    QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    return true;
}

} // namespace

AuthContext::~AuthContext() = default;

QString AuthContext::signingKeyPath(const QString &dataDir)
{
    return QDir(dataDir).filePath(QStringLiteral("signing.key"));
}

QString AuthContext::databasePath(const QString &dataDir)
{
    return QDir(dataDir).filePath(QStringLiteral("users.sqlite"));
}

QString AuthContext::signingKeyPath() const
{
    return signingKeyPath(m_config.dataDir);
}

QString AuthContext::databasePath() const
{
    return databasePath(m_config.dataDir);
}

std::unique_ptr<AuthContext> AuthContext::open(const AuthConfig &config, QString *error)
{
    if (config.dataDir.isEmpty()) {
        *error = QStringLiteral("no data directory for the users and the signing key; pass --data-dir");
        return nullptr;
    }
    if (config.issuer.isEmpty()) {
        *error = QStringLiteral("the token issuer must not be empty (--issuer)");
        return nullptr;
    }
    if (config.accessTtl.count() <= 0 || config.refreshTtl.count() <= 0) {
        *error = QStringLiteral("token lifetimes must be positive");
        return nullptr;
    }
    if (!ensureSodium()) {
        *error = QStringLiteral("libsodium cannot initialise (no source of randomness)");
        return nullptr;
    }
    if (!makeDataDir(config.dataDir, error))
        return nullptr;

    std::unique_ptr<AuthContext> context(new AuthContext);
    context->m_config = config;
    auto key = SigningKey::loadOrCreate(signingKeyPath(config.dataDir), error);
    if (!key)
        return nullptr;
    context->m_key = std::make_unique<SigningKey>(*key);
    context->m_database = AuthDatabase::open(databasePath(config.dataDir), error);
    if (!context->m_database)
        return nullptr;
    context->m_tokens = std::make_unique<TokenService>(context->m_key->bytes(), config.issuer);
    context->m_users = std::make_unique<UserStore>(*context->m_database, config.argon2);
    context->m_refresh = std::make_unique<RefreshTokenStore>(*context->m_database, config.refreshTtl);
    context->m_revoked = std::make_unique<RevokedTokens>(*context->m_database);
    context->m_authenticator = std::make_unique<TokenAuthenticator>(*context->m_tokens, context->m_revoked.get());
    context->m_refresh->prune();
    context->m_revoked->prune();
    return context;
}

} // namespace opsdeck::hub::auth
