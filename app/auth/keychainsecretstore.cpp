#include "keychainsecretstore.h"

#include "authlog.h"

#include <qt6keychain/keychain.h>

namespace opsdeck::app {

KeychainSecretStore::KeychainSecretStore(QObject *parent)
    : SecretStore(parent)
{
}

KeychainSecretStore::~KeychainSecretStore() = default;

SecretError KeychainSecretStore::errorFrom(int keychainError, const QString &detail)
{
    using K = SecretError::Kind;
    switch (QKeychain::Error(keychainError)) {
    case QKeychain::NoError:
        return {K::None, {}};
    case QKeychain::EntryNotFound:
        return {K::NotFound, {}};
    case QKeychain::CouldNotDeleteEntry:
        return {K::CouldNotDelete, detail};
    case QKeychain::AccessDeniedByUser:
        return {K::AccessDeniedByUser, detail};
    case QKeychain::AccessDenied:
        return {K::AccessDenied, detail};
    case QKeychain::NoBackendAvailable:
        return {K::NoBackend, detail};
    case QKeychain::NotImplemented:
        return {K::NotImplemented, detail};
    case QKeychain::OtherError:
        break;
    }
    return {K::Other, detail};
}

void KeychainSecretStore::start(QKeychain::Job *job, const QString &key, QObject *context,
                                std::function<void(QKeychain::Job *)> done)
{
    // A plain-text file is not a keychain: without a backend the caller explains and moves on.
    job->setInsecureFallback(false);
    job->setAutoDelete(true);
    job->setKey(key);
    if (context)
        connect(job, &QKeychain::Job::finished, context, std::move(done));
    job->start();
}

void KeychainSecretStore::read(const QString &key, QObject *context, ReadDone done)
{
    auto *job = new QKeychain::ReadPasswordJob(service(), this);
    start(job, key, context, [key, done = std::move(done)](QKeychain::Job *finished) {
        const auto *reader = static_cast<QKeychain::ReadPasswordJob *>(finished);
        const SecretError error = errorFrom(reader->error(), reader->errorString());
        if (!error.ok() && !error.isNotFound())
            qCWarning(lcAuth) << "keychain read of" << key << "failed:" << reader->errorString();
        done(error.ok() ? reader->textData() : QString(), error);
    });
}

void KeychainSecretStore::write(const QString &key, const QString &secret, QObject *context, Done done)
{
    auto *job = new QKeychain::WritePasswordJob(service(), this);
    job->setTextData(secret);
    start(job, key, context, [key, done = std::move(done)](QKeychain::Job *finished) {
        const SecretError error = errorFrom(finished->error(), finished->errorString());
        if (!error.ok())
            qCWarning(lcAuth) << "keychain write of" << key << "failed:" << finished->errorString();
        done(error);
    });
}

void KeychainSecretStore::remove(const QString &key, QObject *context, Done done)
{
    auto *job = new QKeychain::DeletePasswordJob(service(), this);
    start(job, key, context, [key, done = std::move(done)](QKeychain::Job *finished) {
        SecretError error = errorFrom(finished->error(), finished->errorString());
        // Nothing to remove is what the caller wanted.
        if (error.isNotFound())
            error = {};
        if (!error.ok())
            qCWarning(lcAuth) << "keychain delete of" << key << "failed:" << finished->errorString();
        done(error);
    });
}

} // namespace opsdeck::app
