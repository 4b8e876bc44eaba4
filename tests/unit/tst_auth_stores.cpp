// hub/auth stores in users.sqlite: users (add/verify/passwd/roles/remove/list, names and roles
// validated, disabled accounts, file mode), refresh tokens (rotation, reuse revokes the family,
// expiry, logout, per-user revocation) and revoked access-token ids with pruning.

#include "authcontext.h"
#include "authdatabase.h"
#include "refreshtokenstore.h"
#include "revokedtokens.h"
#include "userstore.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace opsdeck::hub::auth;

namespace {

const QString kPassword = QStringLiteral("correct horse battery");

bool isFailure(const std::variant<IssuedRefreshToken, RefreshFailure> &result, RefreshFailure expected)
{
    const auto *failure = std::get_if<RefreshFailure>(&result);
    return failure && *failure == expected;
}

} // namespace

class TestAuthStores : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<AuthContext> m_auth;
    qint64 m_now = 1'800'000'000;

    std::unique_ptr<AuthContext> openContext()
    {
        AuthConfig config;
        config.dataDir = m_dir->filePath(QStringLiteral("data"));
        config.argon2 = Argon2Limits::minimum();
        QString error;
        auto auth = AuthContext::open(config, &error);
        if (!auth)
            qWarning("%s", qPrintable(error));
        return auth;
    }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_auth = openContext();
        QVERIFY(m_auth);
        m_now = 1'800'000'000;
    }
    void cleanup()
    {
        m_auth.reset();
        m_dir.reset();
    }

    void dataFilesArePrivate()
    {
        struct stat info {};
        QCOMPARE(::stat(qPrintable(m_auth->databasePath()), &info), 0);
        QCOMPARE(info.st_mode & 0777, mode_t(0600));
        QCOMPARE(::stat(qPrintable(m_auth->config().dataDir), &info), 0);
        QCOMPARE(info.st_mode & 0777, mode_t(0700));
    }

    void addVerifyAndList()
    {
        UserStore &users = m_auth->users();
        QCOMPARE(users.add(QStringLiteral("alice"), kPassword, {QStringLiteral("operator")}), std::nullopt);
        QCOMPARE(users.add(QStringLiteral("bob.b_2-x"), kPassword, {QStringLiteral("viewer"), QStringLiteral("admin")}),
                 std::nullopt);
        QVERIFY(users.add(QStringLiteral("alice"), kPassword, {QStringLiteral("viewer")}).has_value()); // exists

        QVERIFY(!users.verify(QStringLiteral("alice"), QStringLiteral("wrong password")));
        QCOMPARE(users.find(QStringLiteral("alice"))->lastLoginMs, 0);
        const auto alice = users.verify(QStringLiteral("alice"), kPassword);
        QVERIFY(alice);
        QCOMPARE(alice->roles, QStringList {QStringLiteral("operator")});
        QVERIFY(users.find(QStringLiteral("alice"))->lastLoginMs > 0);
        QVERIFY(!users.verify(QStringLiteral("nobody"), kPassword));
        QVERIFY(!users.verify(QStringLiteral("not a name"), kPassword));

        const auto list = users.list();
        QCOMPARE(list.size(), 2);
        QCOMPARE(list.at(0).name, QStringLiteral("alice"));
        QCOMPARE(list.at(1).roles, (QStringList {QStringLiteral("viewer"), QStringLiteral("admin")}));
        QVERIFY(list.at(1).createdMs > 0);

        // The stored hash is argon2id, never the password.
        QString error;
        const auto database = AuthDatabase::open(m_auth->databasePath(), &error);
        QSqlQuery query(database->connection());
        QVERIFY(query.exec(QStringLiteral("SELECT hash FROM users WHERE name = 'alice'")) && query.next());
        QVERIFY(query.value(0).toString().startsWith(QLatin1StringView("$argon2id$")));
        QVERIFY(!query.value(0).toString().contains(kPassword));
    }

    void badNamesRolesAndPasswordsAreRefused_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QStringList>("roles");
        QTest::addColumn<QString>("password");
        const QStringList op {QStringLiteral("operator")};
        QTest::newRow("empty name") << "" << op << kPassword;
        QTest::newRow("space") << "a b" << op << kPassword;
        QTest::newRow("slash") << "a/b" << op << kPassword;
        QTest::newRow("umlaut") << "jürgen" << op << kPassword;
        QTest::newRow("65 chars") << QString(65, QLatin1Char('a')) << op << kPassword;
        QTest::newRow("no roles") << "alice" << QStringList {} << kPassword;
        QTest::newRow("unknown role") << "alice" << QStringList {QStringLiteral("root")} << kPassword;
        QTest::newRow("agent role") << "alice" << QStringList {QStringLiteral("agent")} << kPassword;
        QTest::newRow("duplicate role") << "alice" << QStringList {QStringLiteral("viewer"), QStringLiteral("viewer")}
                                        << kPassword;
        QTest::newRow("short password") << "alice" << op << "short";
    }
    void badNamesRolesAndPasswordsAreRefused()
    {
        QFETCH(QString, name);
        QFETCH(QStringList, roles);
        QFETCH(QString, password);
        const StoreError error = m_auth->users().add(name, password, roles);
        QVERIFY(error.has_value());
        QVERIFY(!error->isEmpty());
        QVERIFY(m_auth->users().list().isEmpty());
        // 64 characters is still a name.
        QCOMPARE(m_auth->users().add(QString(64, QLatin1Char('a')), kPassword, {QStringLiteral("viewer")}), std::nullopt);
    }

    void passwdRolesDisableAndRemove()
    {
        UserStore &users = m_auth->users();
        QCOMPARE(users.add(QStringLiteral("alice"), kPassword, {QStringLiteral("viewer")}), std::nullopt);
        QCOMPARE(users.setPassword(QStringLiteral("alice"), QStringLiteral("a new passphrase")), std::nullopt);
        QVERIFY(!users.verify(QStringLiteral("alice"), kPassword));
        QVERIFY(users.verify(QStringLiteral("alice"), QStringLiteral("a new passphrase")));
        QVERIFY(users.setPassword(QStringLiteral("nobody"), kPassword).has_value());

        QCOMPARE(users.setRoles(QStringLiteral("alice"), {QStringLiteral("admin")}), std::nullopt);
        QCOMPARE(users.find(QStringLiteral("alice"))->roles, QStringList {QStringLiteral("admin")});
        QVERIFY(users.setRoles(QStringLiteral("alice"), {QStringLiteral("boss")}).has_value());

        QCOMPARE(users.setDisabled(QStringLiteral("alice"), true), std::nullopt);
        QVERIFY(!users.verify(QStringLiteral("alice"), QStringLiteral("a new passphrase")));
        QCOMPARE(users.setDisabled(QStringLiteral("alice"), false), std::nullopt);

        QCOMPARE(users.remove(QStringLiteral("alice")), std::nullopt);
        QVERIFY(!users.find(QStringLiteral("alice")));
        QVERIFY(!users.verify(QStringLiteral("alice"), QStringLiteral("a new passphrase")));
        QVERIFY(users.remove(QStringLiteral("alice")).has_value());
    }

    void aSecondProcessSeesTheSameUsers()
    {
        // The admin CLI and the running hub each open the data directory.
        auto other = openContext();
        QVERIFY(other);
        QCOMPARE(other->users().add(QStringLiteral("carol"), kPassword, {QStringLiteral("viewer")}), std::nullopt);
        QVERIFY(m_auth->users().verify(QStringLiteral("carol"), kPassword));
    }

    void refreshRotatesAndReuseRevokesTheFamily()
    {
        RefreshTokenStore &refresh = m_auth->refreshTokens();
        const auto first = refresh.issue(QStringLiteral("alice"));
        QVERIFY(first);
        QCOMPARE(first->token.size(), 43);
        const auto otherLogin = refresh.issue(QStringLiteral("alice"));

        const auto second = refresh.rotate(first->token);
        QVERIFY(std::holds_alternative<IssuedRefreshToken>(second));
        const auto &next = std::get<IssuedRefreshToken>(second);
        QVERIFY(next.token != first->token);
        QCOMPARE(next.family, first->family);
        QCOMPARE(next.user, QStringLiteral("alice"));

        // The first token again: copied by someone. Its family is signed out, the other login is not.
        QVERIFY(isFailure(refresh.rotate(first->token), RefreshFailure::Reused));
        QVERIFY(isFailure(refresh.rotate(next.token), RefreshFailure::Invalid));
        QVERIFY(std::holds_alternative<IssuedRefreshToken>(refresh.rotate(otherLogin->token)));

        QVERIFY(isFailure(refresh.rotate("unknown-token-unknown-token-unknown-token-x"), RefreshFailure::Invalid));
        QVERIFY(isFailure(refresh.rotate(""), RefreshFailure::Invalid));

        // Only the hash is stored.
        QString error;
        const auto database = AuthDatabase::open(m_auth->databasePath(), &error);
        QSqlQuery query(database->connection());
        QVERIFY(query.exec(QStringLiteral("SELECT hash FROM refresh_tokens")));
        while (query.next())
            QVERIFY(query.value(0).toByteArray() != first->token && query.value(0).toByteArray().size() == 32);
    }

    void refreshTokensExpire()
    {
        QString error;
        auto database = AuthDatabase::open(m_auth->databasePath(), &error);
        RefreshTokenStore refresh(*database, std::chrono::hours(1), [this] { return m_now; });
        const auto issued = refresh.issue(QStringLiteral("alice"));
        QCOMPARE(issued->expiresAt, m_now + 3600);
        m_now += 3599;
        const auto rotated = refresh.rotate(issued->token);
        QVERIFY(std::holds_alternative<IssuedRefreshToken>(rotated));
        const QByteArray next = std::get<IssuedRefreshToken>(rotated).token;
        m_now += 3600;
        QVERIFY(isFailure(refresh.rotate(next), RefreshFailure::Invalid));
        QVERIFY(refresh.prune() >= 2);
    }

    void logoutAndUserRevocation()
    {
        RefreshTokenStore &refresh = m_auth->refreshTokens();
        const auto session = refresh.issue(QStringLiteral("alice"));
        QVERIFY(refresh.revokeFamilyOf(session->token));
        QVERIFY(isFailure(refresh.rotate(session->token), RefreshFailure::Invalid));
        QVERIFY(!refresh.revokeFamilyOf("never-issued"));

        const auto a = refresh.issue(QStringLiteral("bob"));
        const auto b = refresh.issue(QStringLiteral("bob"));
        const auto c = refresh.issue(QStringLiteral("carol"));
        QCOMPARE(refresh.revokeUser(QStringLiteral("bob")), 2);
        QVERIFY(isFailure(refresh.rotate(a->token), RefreshFailure::Invalid));
        QVERIFY(isFailure(refresh.rotate(b->token), RefreshFailure::Invalid));
        QVERIFY(std::holds_alternative<IssuedRefreshToken>(refresh.rotate(c->token)));
    }

    void revokedAccessTokensArePruned()
    {
        QString error;
        auto database = AuthDatabase::open(m_auth->databasePath(), &error);
        RevokedTokens revoked(*database, [this] { return m_now; });
        const QString jti = QStringLiteral("0123456789abcdef0123456789abcdef");
        QVERIFY(!revoked.isRevoked(jti));
        QVERIFY(revoked.revoke(jti, m_now + 10));
        QVERIFY(revoked.isRevoked(jti));
        QCOMPARE(revoked.prune(), 0);
        m_now += 11;
        QCOMPARE(revoked.prune(), 1);
        QVERIFY(!revoked.isRevoked(jti));
        // Unknown expiry (revoked by jti from the CLI): kept for longer than any token lives.
        QVERIFY(revoked.revoke(jti, 0));
        m_now += 365LL * 24 * 3600;
        revoked.prune();
        QVERIFY(revoked.isRevoked(jti));
    }
};

QTEST_GUILESS_MAIN(TestAuthStores)
#include "tst_auth_stores.moc"
