// KeychainSecretStore against the real Secret Service: gnome-keyring in a private D-Bus session
// with a temporary HOME (run-keychain-test.sh sets it up). Skips only when that setup is absent.

#include "keychainsecretstore.h"

#include <QRandomGenerator>
#include <QTest>

using namespace opsdeck::app;

class TestKeychainReal : public QObject
{
    Q_OBJECT

    struct ReadResult
    {
        bool done = false;
        QString secret;
        SecretError error;
    };
    ReadResult read(KeychainSecretStore &store, const QString &key)
    {
        ReadResult result;
        store.read(key, this, [&](const QString &secret, const SecretError &error) {
            result = {true, secret, error};
        });
        [&] { QTRY_VERIFY_WITH_TIMEOUT(result.done, 20000); }();
        return result;
    }
    SecretError run(const std::function<void(SecretStore::Done)> &operation)
    {
        bool done = false;
        SecretError seen{SecretError::Kind::Other, QStringLiteral("no answer")};
        operation([&](const SecretError &error) {
            seen = error;
            done = true;
        });
        [&] { QTRY_VERIFY_WITH_TIMEOUT(done, 20000); }();
        return seen;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (qEnvironmentVariable("OPSDECK_KEYCHAIN_SETUP") == QLatin1StringView("absent"))
            QSKIP("needs dbus-run-session and gnome-keyring-daemon (scripts/install-deps.sh installs them)");
        QVERIFY2(qEnvironmentVariableIsSet("DBUS_SESSION_BUS_ADDRESS"), "run through run-keychain-test.sh");
    }

    void writeReadDelete()
    {
        KeychainSecretStore store;
        const QString key = SecretStore::refreshTokenKey(QStringLiteral("Prod-%1").arg(QRandomGenerator::global()->generate()),
                                                         QStringLiteral("alice"));
        const QString secret = QString::number(QRandomGenerator::global()->generate64(), 36);

        const ReadResult before = read(store, key);
        QVERIFY2(before.error.isNotFound(), qPrintable(before.error.text() + u' ' + before.error.detail));

        const SecretError written = run([&](auto done) { store.write(key, secret, this, done); });
        QVERIFY2(written.ok(), qPrintable(written.text() + u' ' + written.detail));

        const ReadResult after = read(store, key);
        QVERIFY2(after.error.ok(), qPrintable(after.error.text() + u' ' + after.error.detail));
        QCOMPARE(after.secret, secret);

        // Rotation overwrites in place.
        const SecretError rewritten = run([&](auto done) { store.write(key, secret + u'2', this, done); });
        QVERIFY(rewritten.ok());
        QCOMPARE(read(store, key).secret, secret + u'2');

        const SecretError removed = run([&](auto done) { store.remove(key, this, done); });
        QVERIFY2(removed.ok(), qPrintable(removed.text() + u' ' + removed.detail));
        QVERIFY(read(store, key).error.isNotFound());
        // Deleting again is still fine for the caller.
        QVERIFY(run([&](auto done) { store.remove(key, this, done); }).ok());
    }
};

QTEST_GUILESS_MAIN(TestKeychainReal)
#include "tst_keychain_real.moc"
