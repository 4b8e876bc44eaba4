// hub/auth tokens: the signing key file (created 0600, loose permissions and wrong sizes refused),
// TokenService round trips, every claim check with hand-made tokens signed by the right key,
// alg none / other algorithms / forged / tampered tokens, audiences, and revocation through the
// TokenAuthenticator. No failure reason may contain the token.

#include "authcontext.h"
#include "revokedtokens.h"
#include "signingkey.h"
#include "tokenauthenticator.h"
#include "tokenservice.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace opsdeck::hub;
using namespace opsdeck::hub::auth;

namespace {

constexpr qint64 kNow = 1'800'000'000;
const QByteArray kKey(32, '\x11');
const QByteArray kOtherKey(32, '\x22');

QByteArray b64(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// A JWT made without libjwt: any header, any claims, signed with HMAC-SHA256/512 or not at all.
QByteArray craft(const QJsonObject &header, const QJsonObject &claims, const QByteArray &key,
                 QCryptographicHash::Algorithm hmac = QCryptographicHash::Sha256)
{
    const QByteArray signingInput = b64(json(header)) + '.' + b64(json(claims));
    if (key.isEmpty())
        return signingInput + '.';
    return signingInput + '.' + b64(QMessageAuthenticationCode::hash(signingInput, key, hmac));
}

QJsonObject hs256Header()
{
    return {{QStringLiteral("alg"), QStringLiteral("HS256")}, {QStringLiteral("typ"), QStringLiteral("JWT")}};
}

QJsonObject goodClaims()
{
    return {{QStringLiteral("sub"), QStringLiteral("alice")},
            {QStringLiteral("roles"), QJsonArray {QStringLiteral("operator")}},
            {QStringLiteral("iat"), kNow - 10},
            {QStringLiteral("exp"), kNow + 900},
            {QStringLiteral("jti"), QStringLiteral("0123456789abcdef0123456789abcdef")},
            {QStringLiteral("iss"), QStringLiteral("opsdeck-hub")},
            {QStringLiteral("aud"), QStringLiteral("opsdeck.operator")}};
}

QString failureOf(const std::variant<Principal, AuthFailure> &result)
{
    const auto *failure = std::get_if<AuthFailure>(&result);
    return failure ? failure->reason : QString();
}

mode_t fileMode(const QString &path)
{
    struct stat info {};
    ::stat(path.toLocal8Bit().constData(), &info);
    return info.st_mode & 0777;
}

} // namespace

class TestAuthTokens : public QObject
{
    Q_OBJECT

private:
    qint64 m_now = kNow;
    TokenService service(const QByteArray &key = kKey)
    {
        return TokenService(key, QStringLiteral("opsdeck-hub"), [this] { return m_now; });
    }

private Q_SLOTS:
    void init() { m_now = kNow; }

    void signingKeyIsCreatedPrivateAndReloaded()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("signing.key"));
        QString error;
        const auto created = SigningKey::loadOrCreate(path, &error);
        QVERIFY2(created, qPrintable(error));
        QVERIFY(created->wasCreated());
        QCOMPARE(created->bytes().size(), SigningKey::kSize);
        QCOMPARE(fileMode(path), mode_t(0600));
        const auto loaded = SigningKey::loadOrCreate(path, &error);
        QVERIFY2(loaded, qPrintable(error));
        QVERIFY(!loaded->wasCreated());
        QCOMPARE(loaded->bytes(), created->bytes());
        QVERIFY(created->bytes() != QByteArray(32, '\0'));
    }

    void signingKeyWithLoosePermissionsIsRefused_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("group-readable") << 0640;
        QTest::newRow("world-readable") << 0604;
        QTest::newRow("group-writable") << 0620;
    }
    void signingKeyWithLoosePermissionsIsRefused()
    {
        QFETCH(int, mode);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("signing.key"));
        QString error;
        QVERIFY(SigningKey::loadOrCreate(path, &error));
        QVERIFY(::chmod(path.toLocal8Bit().constData(), mode_t(mode)) == 0);
        QVERIFY(!SigningKey::loadOrCreate(path, &error));
        QVERIFY2(error.contains(QLatin1StringView("chmod 600")), qPrintable(error));
        AuthConfig config;
        config.dataDir = dir.path();
        QVERIFY(!AuthContext::open(config, &error));
        QVERIFY2(error.contains(QLatin1StringView("group or others")), qPrintable(error));
    }

    void signingKeyOfWrongSizeIsRefused()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("signing.key"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(16, 'x'));
        file.close();
        QVERIFY(file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
        QString error;
        QVERIFY(!SigningKey::loadOrCreate(path, &error));
        QVERIFY2(error.contains(QLatin1StringView("16 bytes")), qPrintable(error));
    }

    void operatorTokenRoundTrip()
    {
        const TokenService tokens = service();
        const auto issued = tokens.issue(QStringLiteral("alice"), {QStringLiteral("viewer"), QStringLiteral("admin")},
                                         Audience::Operator, std::chrono::minutes(15));
        QVERIFY(issued);
        QVERIFY(issued->token.startsWith(b64(R"({"alg":"HS256","typ":"JWT"})")));
        QCOMPARE(issued->jti.size(), 32);
        QCOMPARE(issued->expiresAt, kNow + 900);
        const auto result = tokens.verify(issued->token, Audience::Operator);
        const auto *principal = std::get_if<Principal>(&result);
        QVERIFY2(principal, qPrintable(failureOf(result)));
        QCOMPARE(principal->kind, Principal::Kind::Operator);
        QCOMPARE(principal->subject, QStringLiteral("alice"));
        QCOMPARE(principal->roles, (QStringList {QStringLiteral("viewer"), QStringLiteral("admin")}));
        QCOMPARE(principal->tokenId, issued->jti);
        QCOMPARE(principal->expiresAtMs, (kNow + 900) * 1000);
        QVERIFY(principal->mayAdminister());
        QVERIFY(tokens.issue(QStringLiteral("alice"), {QStringLiteral("operator")}, Audience::Operator,
                             std::chrono::minutes(15))
                    ->jti
                != issued->jti);
    }

    void agentTokenRoundTripAndAudiences()
    {
        const TokenService tokens = service();
        const auto agent = tokens.issue(QStringLiteral("edge-1"), {QStringLiteral("agent")}, Audience::Agent,
                                        std::chrono::hours(24 * 30));
        QVERIFY(agent);
        const auto result = tokens.verify(agent->token, Audience::Agent);
        QVERIFY2(std::holds_alternative<Principal>(result), qPrintable(failureOf(result)));
        QCOMPARE(std::get<Principal>(result).kind, Principal::Kind::Agent);
        QCOMPARE(std::get<Principal>(result).roles, QStringList {QStringLiteral("agent")});
        QCOMPARE(failureOf(tokens.verify(agent->token, Audience::Operator)), QStringLiteral("not an operator token"));
        const auto person = tokens.issue(QStringLiteral("alice"), {QStringLiteral("operator")}, Audience::Operator,
                                         std::chrono::minutes(15));
        QCOMPARE(failureOf(tokens.verify(person->token, Audience::Agent)), QStringLiteral("not an agent token"));
        // Roles and names are checked when issuing too.
        QString error;
        QVERIFY(!tokens.issue(QStringLiteral("edge-1"), {QStringLiteral("admin")}, Audience::Agent,
                              std::chrono::hours(1), &error));
        QVERIFY(!tokens.issue(QStringLiteral("alice"), {QStringLiteral("agent")}, Audience::Operator,
                              std::chrono::hours(1), &error));
        QVERIFY(!tokens.issue(QStringLiteral("al ice"), {QStringLiteral("viewer")}, Audience::Operator,
                              std::chrono::hours(1), &error));
    }

    void craftedTokenWithTheRightKeyIsAccepted()
    {
        // The control for every claim test below: only the changed claim makes them fail.
        const auto result = service().verify(craft(hs256Header(), goodClaims(), kKey), Audience::Operator);
        QVERIFY2(std::holds_alternative<Principal>(result), qPrintable(failureOf(result)));
    }

    void everyClaimIsChecked_data()
    {
        QTest::addColumn<QString>("claim");
        QTest::addColumn<QJsonValue>("value"); // Undefined: removed
        QTest::addColumn<QString>("reason");
        QTest::newRow("expired") << "exp" << QJsonValue(kNow) << "token expired";
        QTest::newRow("exp missing") << "exp" << QJsonValue() << "token has no exp";
        QTest::newRow("exp not a number") << "exp" << QJsonValue(QStringLiteral("soon")) << "token has no exp";
        QTest::newRow("iat missing") << "iat" << QJsonValue() << "token has no iat";
        QTest::newRow("iat 61 s ahead") << "iat" << QJsonValue(kNow + 61) << "token issued in the future";
        QTest::newRow("iss other") << "iss" << QJsonValue(QStringLiteral("evil-hub")) << "token from another issuer";
        QTest::newRow("iss missing") << "iss" << QJsonValue() << "token from another issuer";
        QTest::newRow("aud agent") << "aud" << QJsonValue(QStringLiteral("opsdeck.agent")) << "not an operator token";
        QTest::newRow("aud missing") << "aud" << QJsonValue() << "not an operator token";
        QTest::newRow("sub missing") << "sub" << QJsonValue() << "token has no valid sub";
        QTest::newRow("sub invalid") << "sub" << QJsonValue(QStringLiteral("a b")) << "token has no valid sub";
        QTest::newRow("jti missing") << "jti" << QJsonValue() << "token has no valid jti";
        QTest::newRow("jti short") << "jti" << QJsonValue(QStringLiteral("abc")) << "token has no valid jti";
        QTest::newRow("roles missing") << "roles" << QJsonValue() << "token has no roles";
        QTest::newRow("roles unknown") << "roles" << QJsonValue(QJsonArray {QStringLiteral("root")})
                                       << "token has invalid roles";
        QTest::newRow("roles agent") << "roles" << QJsonValue(QJsonArray {QStringLiteral("agent")})
                                     << "token has invalid roles";
    }
    void everyClaimIsChecked()
    {
        QFETCH(QString, claim);
        QFETCH(QJsonValue, value);
        QFETCH(QString, reason);
        QJsonObject claims = goodClaims();
        if (value.isNull() || value.isUndefined())
            claims.remove(claim);
        else
            claims.insert(claim, value);
        const QByteArray token = craft(hs256Header(), claims, kKey);
        const QString failure = failureOf(service().verify(token, Audience::Operator));
        QCOMPARE(failure, reason);
        QVERIFY(!failure.contains(QString::fromLatin1(token.split('.').at(1))));
    }

    void iatWithinTheSkewIsAccepted()
    {
        QJsonObject claims = goodClaims();
        claims.insert(QStringLiteral("iat"), kNow + 59);
        const auto result = service().verify(craft(hs256Header(), claims, kKey), Audience::Operator);
        QVERIFY2(std::holds_alternative<Principal>(result), qPrintable(failureOf(result)));
    }

    void tokenExpiresWithTheClock()
    {
        const TokenService tokens = service();
        const auto issued = tokens.issue(QStringLiteral("alice"), {QStringLiteral("viewer")}, Audience::Operator,
                                         std::chrono::seconds(60));
        m_now += 59;
        QVERIFY(std::holds_alternative<Principal>(tokens.verify(issued->token, Audience::Operator)));
        m_now += 1;
        QCOMPARE(failureOf(tokens.verify(issued->token, Audience::Operator)), QStringLiteral("token expired"));
    }

    void otherAlgorithmsAreRefused_data()
    {
        QTest::addColumn<QByteArray>("token");
        QJsonObject none {{QStringLiteral("alg"), QStringLiteral("none")}, {QStringLiteral("typ"), QStringLiteral("JWT")}};
        QTest::newRow("alg none, unsigned") << craft(none, goodClaims(), {});
        // The "none" header with a valid HS256 signature over it: libjwt must never see it as HS256.
        QTest::newRow("alg none, signed") << craft(none, goodClaims(), kKey);
        QJsonObject hs512 = hs256Header();
        hs512.insert(QStringLiteral("alg"), QStringLiteral("HS512"));
        QTest::newRow("HS512 with our key") << craft(hs512, goodClaims(), kKey, QCryptographicHash::Sha512);
        QJsonObject lower = hs256Header();
        lower.insert(QStringLiteral("alg"), QStringLiteral("hs256"));
        QTest::newRow("hs256 lower case") << craft(lower, goodClaims(), kKey);
        QJsonObject rs256 = hs256Header();
        rs256.insert(QStringLiteral("alg"), QStringLiteral("RS256"));
        QTest::newRow("RS256 signed with the secret") << craft(rs256, goodClaims(), kKey);
        QJsonObject noAlg {{QStringLiteral("typ"), QStringLiteral("JWT")}};
        QTest::newRow("no alg") << craft(noAlg, goodClaims(), kKey);
    }
    void otherAlgorithmsAreRefused()
    {
        QFETCH(QByteArray, token);
        const QString failure = failureOf(service().verify(token, Audience::Operator));
        QCOMPARE(failure, QStringLiteral("unsupported token algorithm"));
    }

    void forgedAndTamperedTokensAreRefused()
    {
        const TokenService tokens = service();
        // Signed with another key (another hub, or a guess).
        const auto forged = service(kOtherKey).issue(QStringLiteral("alice"), {QStringLiteral("admin")},
                                                     Audience::Operator, std::chrono::minutes(15));
        QCOMPARE(failureOf(tokens.verify(forged->token, Audience::Operator)), QStringLiteral("bad signature"));
        // A genuine token whose payload was edited to claim admin, signature kept.
        const auto genuine = tokens.issue(QStringLiteral("alice"), {QStringLiteral("viewer")}, Audience::Operator,
                                          std::chrono::minutes(15));
        QList<QByteArray> parts = genuine->token.split('.');
        QJsonObject claims = QJsonDocument::fromJson(QByteArray::fromBase64(parts[1], QByteArray::Base64UrlEncoding)).object();
        claims.insert(QStringLiteral("roles"), QJsonArray {QStringLiteral("admin")});
        parts[1] = b64(json(claims));
        const QByteArray tampered = parts.join('.');
        const QString failure = failureOf(tokens.verify(tampered, Audience::Operator));
        QCOMPARE(failure, QStringLiteral("bad signature"));
        QVERIFY(!failure.contains(QString::fromLatin1(parts[2])));
        // A flipped signature character, and garbage.
        QByteArray flipped = genuine->token;
        flipped[flipped.size() - 2] = flipped.at(flipped.size() - 2) == 'A' ? 'B' : 'A';
        QCOMPARE(failureOf(tokens.verify(flipped, Audience::Operator)), QStringLiteral("bad signature"));
        QCOMPARE(failureOf(tokens.verify("not-a-token", Audience::Operator)), QStringLiteral("malformed token"));
        QCOMPARE(failureOf(tokens.verify("a.b.c.d", Audience::Operator)), QStringLiteral("malformed token"));
        QCOMPARE(failureOf(tokens.verify("", Audience::Operator)), QStringLiteral("no token"));
        QCOMPARE(failureOf(tokens.verify(QByteArray(9000, 'a'), Audience::Operator)), QStringLiteral("token too long"));
    }

    void revokedTokensAreRefused()
    {
        QTemporaryDir dir;
        AuthConfig config;
        config.dataDir = dir.path();
        config.argon2 = Argon2Limits::minimum();
        QString error;
        auto auth = AuthContext::open(config, &error);
        QVERIFY2(auth, qPrintable(error));
        const auto issued = auth->tokens().issue(QStringLiteral("alice"), {QStringLiteral("operator")},
                                                 Audience::Operator, std::chrono::minutes(15));
        const Authenticator &authenticator = auth->authenticator();
        QVERIFY(std::holds_alternative<Principal>(authenticator.authenticate(issued->token, Audience::Operator)));
        QVERIFY(auth->revokedTokens().revoke(issued->jti, issued->expiresAt));
        QCOMPARE(failureOf(authenticator.authenticate(issued->token, Audience::Operator)), QStringLiteral("token revoked"));
        // The TokenService's own hook refuses a revoked jti too.
        TokenService hooked(kKey, QStringLiteral("opsdeck-hub"));
        const auto other = hooked.issue(QStringLiteral("bob"), {QStringLiteral("viewer")}, Audience::Operator,
                                        std::chrono::minutes(1));
        hooked.setRevocationCheck([&](const QString &jti) { return jti == other->jti; });
        QCOMPARE(failureOf(hooked.verify(other->token, Audience::Operator)), QStringLiteral("token revoked"));
    }

    void bearerHeaderParsing()
    {
        QCOMPARE(TokenAuthenticator::bearerToken("Bearer abc.def.ghi"), QByteArrayView("abc.def.ghi"));
        QCOMPARE(TokenAuthenticator::bearerToken("bearer  abc "), QByteArrayView("abc"));
        QVERIFY(TokenAuthenticator::bearerToken("Basic abc").isEmpty());
        QVERIFY(TokenAuthenticator::bearerToken("Bearer").isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestAuthTokens)
#include "tst_auth_tokens.moc"
