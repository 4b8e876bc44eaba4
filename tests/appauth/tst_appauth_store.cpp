// The keychain seam: the in-memory store's round trip and failures, the entry names, and the words
// for every QtKeychain error (the real keychain is integration-keychain-real).

#include "keychainsecretstore.h"
#include "secretstore.h"

#include <QTest>

#include <qt6keychain/keychain.h>

using namespace opsdeck::app;

class TestSecretStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void entryNames()
    {
        QCOMPARE(SecretStore::service(), QStringLiteral("opsdeck"));
        QCOMPARE(SecretStore::refreshTokenKey(QStringLiteral("Prod"), QStringLiteral("alice")), QStringLiteral("Prod/alice/refresh"));
        QCOMPARE(SecretStore::devTokenKey(QStringLiteral("Dev"), QStringLiteral("bob")), QStringLiteral("Dev/bob/dev-token"));
    }

    void memoryRoundTrip()
    {
        MemorySecretStore store;
        const QString key = SecretStore::refreshTokenKey(QStringLiteral("Prod"), QStringLiteral("alice"));
        bool written = false;
        store.write(key, QStringLiteral("token-1"), this, [&](const SecretError &error) { written = error.ok(); });
        QVERIFY(!written); // asynchronous, like a real keychain
        QTRY_VERIFY(written);

        QString read;
        SecretError readError{SecretError::Kind::Other, {}};
        store.read(key, this, [&](const QString &secret, const SecretError &error) {
            read = secret;
            readError = error;
        });
        QTRY_VERIFY(readError.ok());
        QCOMPARE(read, QStringLiteral("token-1"));

        bool removed = false;
        store.remove(key, this, [&](const SecretError &error) { removed = error.ok(); });
        QTRY_VERIFY(removed);
        readError = {};
        bool done = false;
        store.read(key, this, [&](const QString &secret, const SecretError &error) {
            read = secret;
            readError = error;
            done = true;
        });
        QTRY_VERIFY(done);
        QVERIFY(readError.isNotFound());
        QVERIFY(read.isEmpty());
        QVERIFY(readError.text().isEmpty()); // nothing to tell the operator
        // Removing what is not there is not an error.
        removed = false;
        store.remove(key, this, [&](const SecretError &error) { removed = error.ok(); });
        QTRY_VERIFY(removed);
    }

    void memoryFailuresAreTyped()
    {
        MemorySecretStore store;
        store.setFailure(SecretError::Kind::NoBackend);
        SecretError seen;
        bool done = false;
        store.write(QStringLiteral("k"), QStringLiteral("v"), this, [&](const SecretError &error) {
            seen = error;
            done = true;
        });
        QTRY_VERIFY(done);
        QCOMPARE(seen.kind, SecretError::Kind::NoBackend);
        QCOMPARE(store.size(), 0);
    }

    void noCallbackAfterTheContextIsGone()
    {
        MemorySecretStore store;
        bool called = false;
        auto context = std::make_unique<QObject>();
        store.read(QStringLiteral("k"), context.get(), [&](const QString &, const SecretError &) { called = true; });
        context.reset();
        QTest::qWait(20);
        QVERIFY(!called);
    }

    void everyKeychainErrorHasWords_data()
    {
        QTest::addColumn<int>("error");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("text");
        using K = SecretError::Kind;
        QTest::newRow("NoBackendAvailable") << int(QKeychain::NoBackendAvailable) << int(K::NoBackend)
                                            << QStringLiteral("No keychain is available");
        QTest::newRow("AccessDeniedByUser") << int(QKeychain::AccessDeniedByUser) << int(K::AccessDeniedByUser)
                                            << QStringLiteral("Access to the keychain was denied");
        QTest::newRow("AccessDenied") << int(QKeychain::AccessDenied) << int(K::AccessDenied)
                                      << QStringLiteral("The keychain refused access");
        QTest::newRow("CouldNotDeleteEntry") << int(QKeychain::CouldNotDeleteEntry) << int(K::CouldNotDelete)
                                             << QStringLiteral("could not be removed");
        QTest::newRow("NotImplemented") << int(QKeychain::NotImplemented) << int(K::NotImplemented)
                                        << QStringLiteral("cannot store");
        QTest::newRow("OtherError") << int(QKeychain::OtherError) << int(K::Other)
                                    << QStringLiteral("The keychain failed: backend said no");
    }
    void everyKeychainErrorHasWords()
    {
        QFETCH(int, error);
        QFETCH(int, kind);
        QFETCH(QString, text);
        const SecretError mapped = KeychainSecretStore::errorFrom(error, QStringLiteral("backend said no"));
        QCOMPARE(int(mapped.kind), kind);
        QVERIFY2(mapped.text().contains(text), qPrintable(mapped.text()));
        QVERIFY2(mapped.hint().size() > 20, "every error says what to do next");
    }

    void silentKeychainOutcomes()
    {
        QVERIFY(KeychainSecretStore::errorFrom(QKeychain::NoError, {}).ok());
        const SecretError notFound = KeychainSecretStore::errorFrom(QKeychain::EntryNotFound, QStringLiteral("x"));
        QVERIFY(notFound.isNotFound());
        QVERIFY(notFound.text().isEmpty());
        QVERIFY(notFound.hint().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSecretStore)
#include "tst_appauth_store.moc"
