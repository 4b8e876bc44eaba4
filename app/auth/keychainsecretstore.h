#pragma once

// SecretStore on QtKeychain: the Secret Service (gnome-keyring, KWallet) on Linux, the Keychain on
// macOS, the Credential Manager on Windows. No insecure fallback: when there is no keychain the
// operator is told so and signs in each time instead of finding a token in a plain file.

#include "secretstore.h"

namespace QKeychain {
class Job;
}

namespace opsdeck::app {

class KeychainSecretStore : public SecretStore
{
    Q_OBJECT

public:
    explicit KeychainSecretStore(QObject *parent = nullptr);
    ~KeychainSecretStore() override;

    void read(const QString &key, QObject *context, ReadDone done) override;
    void write(const QString &key, const QString &secret, QObject *context, Done done) override;
    void remove(const QString &key, QObject *context, Done done) override;

    // QKeychain::Error (an int here, to keep QtKeychain out of this header) as a SecretError.
    static SecretError errorFrom(int keychainError, const QString &detail);

private:
    void start(QKeychain::Job *job, const QString &key, QObject *context, std::function<void(QKeychain::Job *)> done);
};

} // namespace opsdeck::app
