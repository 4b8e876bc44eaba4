#include "secretstore.h"

#include "authlog.h"

#include <QMetaObject>

namespace opsdeck::app {

Q_LOGGING_CATEGORY(lcAuth, "opsdeck.auth")

QString SecretError::text() const
{
    switch (kind) {
    case Kind::None:
    case Kind::NotFound:
        return {};
    case Kind::NoBackend:
        return QObject::tr("No keychain is available (Secret Service/gnome-keyring, macOS Keychain, Windows "
                           "Credential Manager).");
    case Kind::AccessDeniedByUser:
        return QObject::tr("Access to the keychain was denied.");
    case Kind::AccessDenied:
        return QObject::tr("The keychain refused access; it may be locked.");
    case Kind::NotImplemented:
        return QObject::tr("This system's keychain cannot store Opsdeck's sign-in.");
    case Kind::CouldNotDelete:
        return QObject::tr("The saved sign-in could not be removed from the keychain.");
    case Kind::Other:
        return detail.isEmpty() ? QObject::tr("The keychain failed.")
                                : QObject::tr("The keychain failed: %1").arg(detail);
    }
    return {};
}

QString SecretError::hint() const
{
    switch (kind) {
    case Kind::None:
    case Kind::NotFound:
        return {};
    case Kind::NoBackend:
    case Kind::NotImplemented:
        return QObject::tr("You can still sign in; you will be asked again next time.");
    case Kind::AccessDeniedByUser:
        return QObject::tr("Allow Opsdeck when the keychain asks to remember the sign-in. You can still sign in; "
                           "you will be asked again next time.");
    case Kind::AccessDenied:
        return QObject::tr("Unlock the keychain (sign in to the desktop session, or open Passwords and Keys / "
                           "Keychain Access) and try again. You can still sign in without it.");
    case Kind::CouldNotDelete:
        return QObject::tr("Remove the “opsdeck” entry by hand in the keychain manager (Passwords and Keys, "
                           "Keychain Access or Credential Manager).");
    case Kind::Other:
        return QObject::tr("You can still sign in; you will be asked again next time. If this keeps happening, "
                           "check that the keychain service (gnome-keyring or another Secret Service) runs.");
    }
    return {};
}

QString SecretStore::refreshTokenKey(const QString &profile, const QString &user)
{
    return profile + u'/' + user + QStringLiteral("/refresh");
}

QString SecretStore::devTokenKey(const QString &profile, const QString &user)
{
    return profile + u'/' + user + QStringLiteral("/dev-token");
}

SecretStore::~SecretStore() = default;

void deliverLater(QObject *context, std::function<void()> call)
{
    if (!context)
        return;
    // Queued on the context: it never runs inside the caller's stack, and Qt drops it if the
    // context is destroyed first.
    QMetaObject::invokeMethod(context, std::move(call), Qt::QueuedConnection);
}

void MemorySecretStore::read(const QString &key, QObject *context, ReadDone done)
{
    SecretError error{m_failure, {}};
    QString secret;
    if (error.ok()) {
        if (const auto it = m_entries.constFind(key); it != m_entries.cend())
            secret = *it;
        else
            error.kind = SecretError::Kind::NotFound;
    }
    deliverLater(context, [done = std::move(done), secret, error] { done(secret, error); });
}

void MemorySecretStore::write(const QString &key, const QString &secret, QObject *context, Done done)
{
    const SecretError error{m_failure, {}};
    if (error.ok()) {
        m_entries.insert(key, secret);
        ++m_writes;
    }
    deliverLater(context, [done = std::move(done), error] { done(error); });
}

void MemorySecretStore::remove(const QString &key, QObject *context, Done done)
{
    SecretError error{m_failure, {}};
    if (error.ok())
        m_entries.remove(key);
    deliverLater(context, [done = std::move(done), error] { done(error); });
}

} // namespace opsdeck::app
