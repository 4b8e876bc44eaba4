#pragma once

// Where the console keeps sign-in secrets between launches: the OS keychain in the app
// (KeychainSecretStore), a hash in memory for tests and screenshot runs (MemorySecretStore).
// Every operation completes asynchronously — keychains may prompt the user or talk D-Bus — with a
// typed error that knows how to explain itself. Passwords are never stored: only the hub's refresh
// token ("<profile>/<user>/refresh") and, for dev hubs, a static dev token
// ("<profile>/<user>/dev-token"), under the service "opsdeck".

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>

namespace opsdeck::app {

struct SecretError
{
    enum class Kind {
        None,
        NotFound, // no entry yet: not a problem, callers stay silent
        AccessDeniedByUser, // the user pressed "Deny" in the keychain prompt
        AccessDenied, // the keychain is locked or refuses this program
        NoBackend, // no Secret Service / Keychain / Credential Manager
        NotImplemented,
        CouldNotDelete,
        Other,
    };
    Kind kind = Kind::None;
    QString detail; // the backend's own words, for the log and the "details" line

    bool ok() const { return kind == Kind::None; }
    bool isNotFound() const { return kind == Kind::NotFound; }
    // What happened and what to do next, in words for the operator (empty for None/NotFound).
    QString text() const;
    QString hint() const;
};

class SecretStore : public QObject
{
    Q_OBJECT

public:
    using ReadDone = std::function<void(const QString &secret, const SecretError &error)>;
    using Done = std::function<void(const SecretError &error)>;

    static QString service() { return QStringLiteral("opsdeck"); }
    static QString refreshTokenKey(const QString &profile, const QString &user);
    static QString devTokenKey(const QString &profile, const QString &user);

    using QObject::QObject;
    ~SecretStore() override;

    // `done` runs later on `context`'s thread, and not at all when `context` is gone by then.
    virtual void read(const QString &key, QObject *context, ReadDone done) = 0;
    virtual void write(const QString &key, const QString &secret, QObject *context, Done done) = 0;
    // Removing an entry that does not exist succeeds.
    virtual void remove(const QString &key, QObject *context, Done done) = 0;
};

// An in-memory store for tests (and for --screenshot runs, which must not touch the operator's
// keychain). It can be told to fail, so callers' error paths are testable without a keychain.
class MemorySecretStore : public SecretStore
{
    Q_OBJECT

public:
    using SecretStore::SecretStore;

    void read(const QString &key, QObject *context, ReadDone done) override;
    void write(const QString &key, const QString &secret, QObject *context, Done done) override;
    void remove(const QString &key, QObject *context, Done done) override;

    // Every following operation fails with `kind` until cleared with Kind::None.
    void setFailure(SecretError::Kind kind) { m_failure = kind; }
    bool contains(const QString &key) const { return m_entries.contains(key); }
    QString value(const QString &key) const { return m_entries.value(key); }
    qsizetype size() const { return m_entries.size(); }
    int writes() const { return m_writes; }

private:
    QHash<QString, QString> m_entries;
    SecretError::Kind m_failure = SecretError::Kind::None;
    int m_writes = 0;
};

// Runs `call` on `context`'s event loop later, unless `context` has been destroyed by then.
void deliverLater(QObject *context, std::function<void()> call);

} // namespace opsdeck::app
