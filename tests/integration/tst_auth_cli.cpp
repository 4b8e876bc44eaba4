// `opsdeck-hub user …` / `token …` as a real process on a temporary --data-dir: add with
// --password-stdin, list, issue an operator and an agent token that TokenAuthenticator (in this
// process, same data directory) accepts with the right roles, revoke, and the failure exit codes.

#include "authcontext.h"
#include "tokenauthenticator.h"
#include "userstore.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace opsdeck::hub;
using namespace opsdeck::hub::auth;

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

} // namespace

class TestAuthCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString dataDir() const { return m_dir.filePath(QStringLiteral("hub-data")); }

    Run hub(QStringList arguments, const QByteArray &input = {})
    {
        arguments << QStringLiteral("--data-dir") << dataDir();
        QProcess process;
        process.start(QStringLiteral(OPSDECK_HUB_BINARY), arguments);
        Run run;
        if (!process.waitForStarted(10000))
            return run;
        process.write(input);
        process.closeWriteChannel();
        if (!process.waitForFinished(60000))
            return run;
        run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        run.out = process.readAllStandardOutput();
        run.err = process.readAllStandardError();
        return run;
    }

    std::unique_ptr<AuthContext> openHere()
    {
        AuthConfig config;
        config.dataDir = dataDir();
        QString error;
        auto auth = AuthContext::open(config, &error);
        if (!auth)
            qWarning("%s", qPrintable(error));
        return auth;
    }

private Q_SLOTS:
    void addListAndIssueAnOperatorToken()
    {
        const Run add = hub({QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("alice"),
                             QStringLiteral("--role"), QStringLiteral("operator"), QStringLiteral("--password-stdin")},
                            "correct horse battery\n");
        QVERIFY2(add.exitCode == 0, add.err.constData());

        struct stat info {};
        QCOMPARE(::stat(qPrintable(dataDir() + QStringLiteral("/signing.key")), &info), 0);
        QCOMPARE(info.st_mode & 0777, mode_t(0600));

        const Run list = hub({QStringLiteral("user"), QStringLiteral("list")});
        QCOMPARE(list.exitCode, 0);
        QVERIFY2(list.out.contains("alice") && list.out.contains("operator") && list.out.contains("never"),
                 list.out.constData());
        QVERIFY(!list.out.contains("argon2"));

        const Run issue = hub({QStringLiteral("token"), QStringLiteral("issue"), QStringLiteral("--user"),
                               QStringLiteral("alice"), QStringLiteral("--ttl"), QStringLiteral("1h")});
        QVERIFY2(issue.exitCode == 0, issue.err.constData());
        const QByteArray token = issue.out.trimmed();
        QVERIFY2(!token.contains('\n') && token.count('.') == 2, issue.out.constData());

        auto auth = openHere();
        QVERIFY(auth);
        const auto result = auth->authenticator().authenticate(token, Audience::Operator);
        QVERIFY(std::holds_alternative<Principal>(result));
        const Principal principal = std::get<Principal>(result);
        QCOMPARE(principal.subject, QStringLiteral("alice"));
        QCOMPARE(principal.roles, QStringList {QStringLiteral("operator")});
        const qint64 lifetime = principal.expiresAtMs / 1000 - QDateTime::currentSecsSinceEpoch();
        QVERIFY(lifetime > 3500 && lifetime <= 3600);
        QVERIFY(std::holds_alternative<AuthFailure>(auth->authenticator().authenticate(token, Audience::Agent)));
        // The password piped in is alice's.
        QVERIFY(auth->users().verify(QStringLiteral("alice"), QStringLiteral("correct horse battery")));

        // Revoked by jti from the CLI: refused by this process's authenticator at once.
        const Run revoke = hub({QStringLiteral("token"), QStringLiteral("revoke"), principal.tokenId});
        QVERIFY2(revoke.exitCode == 0, revoke.err.constData());
        const auto revoked = auth->authenticator().authenticate(token, Audience::Operator);
        QVERIFY(std::holds_alternative<AuthFailure>(revoked));
        QCOMPARE(std::get<AuthFailure>(revoked).reason, QStringLiteral("token revoked"));
    }

    void agentToken()
    {
        const Run issue = hub({QStringLiteral("token"), QStringLiteral("issue"), QStringLiteral("--agent"),
                               QStringLiteral("edge-1"), QStringLiteral("--ttl"), QStringLiteral("30d")});
        QVERIFY2(issue.exitCode == 0, issue.err.constData());
        auto auth = openHere();
        const auto result = auth->authenticator().authenticate(issue.out.trimmed(), Audience::Agent);
        QVERIFY(std::holds_alternative<Principal>(result));
        QCOMPARE(std::get<Principal>(result).kind, Principal::Kind::Agent);
        QCOMPARE(std::get<Principal>(result).subject, QStringLiteral("edge-1"));
        QCOMPARE(std::get<Principal>(result).roles, QStringList {QStringLiteral("agent")});
    }

    void failuresAndUsageErrors()
    {
        const Run unknown = hub({QStringLiteral("token"), QStringLiteral("issue"), QStringLiteral("--user"),
                                 QStringLiteral("nobody"), QStringLiteral("--ttl"), QStringLiteral("1h")});
        QCOMPARE(unknown.exitCode, 1);
        QVERIFY(unknown.out.isEmpty());
        QVERIFY(unknown.err.contains("no user \"nobody\""));

        // No --password-stdin and stdin is not a terminal: refused, nothing added.
        const Run noTty = hub({QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("bob"),
                               QStringLiteral("--role"), QStringLiteral("viewer")},
                              "hunter22hunter22\n");
        QCOMPARE(noTty.exitCode, 1);
        QVERIFY(noTty.err.contains("--password-stdin"));

        QCOMPARE(hub({QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("bob"), QStringLiteral("--role"),
                      QStringLiteral("root"), QStringLiteral("--password-stdin")},
                     "hunter22hunter22\n")
                     .exitCode,
                 2);
        QCOMPARE(hub({QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("b b"), QStringLiteral("--role"),
                      QStringLiteral("viewer"), QStringLiteral("--password-stdin")},
                     "hunter22hunter22\n")
                     .exitCode,
                 2);
        QCOMPARE(hub({QStringLiteral("user"), QStringLiteral("frobnicate")}).exitCode, 2);
        QCOMPARE(hub({QStringLiteral("token"), QStringLiteral("issue"), QStringLiteral("--user"),
                      QStringLiteral("alice")})
                     .exitCode,
                 2); // no --ttl
        QCOMPARE(hub({QStringLiteral("user"), QStringLiteral("remove"), QStringLiteral("nobody")}).exitCode, 1);
        const Run list = hub({QStringLiteral("user"), QStringLiteral("list")});
        QVERIFY(!list.out.contains("bob"));
    }

    void looseSigningKeyIsRefused()
    {
        QTemporaryDir other;
        const QString key = other.filePath(QStringLiteral("signing.key"));
        QFile file(key);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(32, 'k'));
        file.close();
        QVERIFY(::chmod(qPrintable(key), 0644) == 0);
        QProcess process;
        process.start(QStringLiteral(OPSDECK_HUB_BINARY),
                      {QStringLiteral("user"), QStringLiteral("list"), QStringLiteral("--data-dir"), other.path()});
        QVERIFY(process.waitForFinished(30000));
        QCOMPARE(process.exitCode(), 1);
        QVERIFY2(process.readAllStandardError().contains("chmod 600"), "the error says how to fix it");
    }
};

QTEST_GUILESS_MAIN(TestAuthCli)
#include "tst_auth_cli.moc"
