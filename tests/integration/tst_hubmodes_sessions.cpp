// Exclusive operator sessions and the admin's kill switch on a dev hub in the test process
// (docs/protocol.md §13, seed 002): --sessions replace|reject|multiple, `query sessions`,
// `kill_session`, and the per-launch secret beside operator tokens.

#include "fakeauthenticator.h"
#include "hubserver.h"
#include "testclient.h"

#include <QJsonArray>
#include <QTest>

using namespace opsdeck::hub;
using opsdeck::testing::FakeAuthenticator;
using opsdeck::testing::fakeToken;
using opsdeck::testing::TestClient;

namespace {
QJsonObject message(const QString &type, std::initializer_list<QPair<QString, QJsonValue>> fields = {})
{
    QJsonObject object{{QStringLiteral("type"), type}};
    for (const auto &[key, value] : fields)
        object.insert(key, value);
    return object;
}

QString errorCode(const std::optional<QJsonObject> &reply)
{
    return reply ? reply->value(QLatin1StringView("code")).toString() : QStringLiteral("(nothing)");
}

bool isPong(const std::optional<QJsonObject> &reply)
{
    return reply && reply->value(QLatin1StringView("type")).toString() == QLatin1StringView("pong");
}

const QByteArray kSecret("0123456789abcdef0123456789abcdef");
} // namespace

class TestHubModesSessions : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<HubServer> m_hub;

    void startHub(HubConfig::SessionPolicy policy)
    {
        HubConfig config;
        config.mode = opsdeck::protocol::Mode::Dev;
        config.port = 0;
        config.authenticator = std::make_shared<FakeAuthenticator>();
        config.sessionPolicy = policy;
        config.secret = kSecret;
        m_hub = std::make_unique<HubServer>(config);
        QVERIFY2(m_hub->listen(), qPrintable(m_hub->errorString()));
    }

    // Connects with `token` and returns the client_id the hub gave the connection (empty: refused).
    QString connectWith(TestClient &client, const QByteArray &token)
    {
        if (!client.open(m_hub->url(), token))
            return {};
        const auto established = client.waitForType(QStringLiteral("connection_established"));
        return established ? established->value(QLatin1StringView("client_id")).toString() : QString();
    }

    QJsonArray sessions(TestClient &admin)
    {
        const auto reply = admin.request(message(QStringLiteral("query"), {{QStringLiteral("query"), QStringLiteral("sessions")}}));
        return reply ? reply->value(QLatin1StringView("result")).toObject().value(QLatin1StringView("sessions")).toArray()
                     : QJsonArray();
    }

private Q_SLOTS:
    void cleanup() { m_hub.reset(); }

    void secondSessionReplacesTheFirst()
    {
        startHub(HubConfig::SessionPolicy::Replace);
        TestClient first;
        TestClient bob;
        QVERIFY(!connectWith(first, fakeToken(QStringLiteral("alice"), QStringLiteral("operator"))).isEmpty());
        QVERIFY(!connectWith(bob, fakeToken(QStringLiteral("bob"), QStringLiteral("operator"))).isEmpty());
        TestClient second;
        QVERIFY(!connectWith(second, fakeToken(QStringLiteral("alice"), QStringLiteral("operator"))).isEmpty());
        QVERIFY(first.waitForClosed());
        QCOMPARE(first.closeCode(), 4409);
        QCOMPARE(first.closeReason(), QStringLiteral("session replaced"));
        QVERIFY(isPong(second.request(message(QStringLiteral("ping")))));
        QVERIFY(isPong(bob.request(message(QStringLiteral("ping"))))); // another operator is untouched
        QCOMPARE(m_hub->connectionCount(), 2);
    }

    void rejectPolicyRefusesTheSecond()
    {
        startHub(HubConfig::SessionPolicy::Reject);
        TestClient first;
        QVERIFY(!connectWith(first, fakeToken(QStringLiteral("alice"), QStringLiteral("operator"))).isEmpty());
        TestClient second;
        second.open(m_hub->url(), fakeToken(QStringLiteral("alice"), QStringLiteral("operator")));
        QVERIFY(second.waitForClosed());
        QCOMPARE(second.closeCode(), 4409);
        QVERIFY2(second.closeReason().contains(QLatin1StringView("alice already has a session")),
                 qPrintable(second.closeReason()));
        QVERIFY(second.messages().isEmpty()); // refused before anything was said
        QVERIFY(isPong(first.request(message(QStringLiteral("ping")))));
        // Once the first is gone, alice may connect again.
        first.close();
        QTRY_COMPARE(m_hub->connectionCount(), 0);
        TestClient third;
        QVERIFY(!connectWith(third, fakeToken(QStringLiteral("alice"), QStringLiteral("operator"))).isEmpty());
    }

    void multiplePolicyKeepsBoth()
    {
        startHub(HubConfig::SessionPolicy::Multiple);
        TestClient first;
        TestClient second;
        QVERIFY(!connectWith(first, fakeToken(QStringLiteral("alice"), QStringLiteral("operator"))).isEmpty());
        QVERIFY(!connectWith(second, fakeToken(QStringLiteral("alice"), QStringLiteral("operator"))).isEmpty());
        QVERIFY(isPong(first.request(message(QStringLiteral("ping")))));
        QVERIFY(isPong(second.request(message(QStringLiteral("ping")))));
    }

    void adminListsAndKillsSessions()
    {
        startHub(HubConfig::SessionPolicy::Replace);
        TestClient admin;
        TestClient alice;
        TestClient vera;
        const QString adminId = connectWith(admin, fakeToken(QStringLiteral("root"), QStringLiteral("admin"), 600000));
        const QString aliceId = connectWith(alice, fakeToken(QStringLiteral("alice"), QStringLiteral("operator")));
        const QString veraId = connectWith(vera, fakeToken(QStringLiteral("vera"), QStringLiteral("viewer")));
        QVERIFY(!adminId.isEmpty() && !aliceId.isEmpty() && !veraId.isEmpty());

        const QJsonArray list = sessions(admin);
        QCOMPARE(list.size(), 3);
        QHash<QString, QJsonObject> byId;
        for (const QJsonValue &entry : list)
            byId.insert(entry.toObject().value(QLatin1StringView("client_id")).toString(), entry.toObject());
        QCOMPARE(byId.value(aliceId).value(QLatin1StringView("user")).toString(), QStringLiteral("alice"));
        QCOMPARE(byId.value(aliceId).value(QLatin1StringView("roles")).toArray(), QJsonArray{QStringLiteral("operator")});
        QCOMPARE(byId.value(veraId).value(QLatin1StringView("user")).toString(), QStringLiteral("vera"));
        QCOMPARE(byId.value(adminId).value(QLatin1StringView("ip")).toString(), QStringLiteral("127.0.0.1"));
        QVERIFY(byId.value(adminId).value(QLatin1StringView("self")).toBool());
        const QDateTime connectedAt = QDateTime::fromString(byId.value(aliceId).value(QLatin1StringView("connected_at")).toString(), Qt::ISODateWithMs);
        QVERIFY(connectedAt.isValid() && connectedAt <= QDateTime::currentDateTimeUtc());
        const QDateTime expiresAt = QDateTime::fromString(byId.value(adminId).value(QLatin1StringView("expires_at")).toString(), Qt::ISODateWithMs);
        QVERIFY(expiresAt > QDateTime::currentDateTimeUtc().addSecs(500));

        const auto killed = admin.request(message(QStringLiteral("kill_session"), {{QStringLiteral("client_id"), aliceId}}));
        QVERIFY(killed);
        QCOMPARE(killed->value(QLatin1StringView("type")).toString(), QStringLiteral("response"));
        QCOMPARE(killed->value(QLatin1StringView("result")).toObject().value(QLatin1StringView("user")).toString(), QStringLiteral("alice"));
        QVERIFY(alice.waitForClosed());
        QCOMPARE(alice.closeCode(), 4409);
        QCOMPARE(alice.closeReason(), QStringLiteral("session killed by admin"));
        QTRY_COMPARE(sessions(admin).size(), 2);
        QVERIFY(vera.isOpen());

        // `session` is accepted for the id too; an unknown one is NOT_FOUND.
        QCOMPARE(errorCode(admin.request(message(QStringLiteral("kill_session"), {{QStringLiteral("session"), aliceId}}))),
                 QStringLiteral("NOT_FOUND"));
        QCOMPARE(errorCode(admin.request(message(QStringLiteral("kill_session")))), QStringLiteral("BAD_MESSAGE"));
    }

    void nonAdminMayNeitherListNorKill()
    {
        startHub(HubConfig::SessionPolicy::Replace);
        TestClient op;
        TestClient vera;
        QVERIFY(!connectWith(op, fakeToken(QStringLiteral("olga"), QStringLiteral("operator"))).isEmpty());
        const QString veraId = connectWith(vera, fakeToken(QStringLiteral("vera"), QStringLiteral("viewer")));
        const auto kill = op.request(message(QStringLiteral("kill_session"), {{QStringLiteral("client_id"), veraId}}));
        QCOMPARE(errorCode(kill), QStringLiteral("FORBIDDEN"));
        QCOMPARE(kill->value(QLatin1StringView("details")).toObject().value(QLatin1StringView("action")).toString(),
                 QStringLiteral("kill_session"));
        QCOMPARE(errorCode(op.request(message(QStringLiteral("query"), {{QStringLiteral("query"), QStringLiteral("sessions")}}))),
                 QStringLiteral("FORBIDDEN"));
        QVERIFY(isPong(vera.request(message(QStringLiteral("ping")))));
        QVERIFY(isPong(op.request(message(QStringLiteral("ping")))));
    }

    void secretHolderIsLocalWithEveryRight()
    {
        startHub(HubConfig::SessionPolicy::Replace);
        TestClient local;
        QVERIFY(local.open(m_hub->url(), kSecret));
        const auto established = local.waitForType(QStringLiteral("connection_established"));
        QVERIFY(established);
        const QJsonObject user = established->value(QLatin1StringView("user")).toObject();
        QCOMPARE(user.value(QLatin1StringView("name")).toString(), QStringLiteral("local"));
        QVERIFY(user.value(QLatin1StringView("local")).toBool());
        QCOMPARE(sessions(local).size(), 1);
        // A second holder of the secret does not replace the first: sessions are per operator.
        TestClient again;
        QVERIFY(again.open(m_hub->url(), kSecret));
        QVERIFY(again.waitForType(QStringLiteral("connection_established")));
        QVERIFY(isPong(local.request(message(QStringLiteral("ping")))));
        // ... and cannot become an operator by `auth`.
        QCOMPARE(errorCode(local.request(message(QStringLiteral("auth"),
                                                 {{QStringLiteral("token"),
                                                   QString::fromUtf8(fakeToken(QStringLiteral("alice"), QStringLiteral("admin")))}}))),
                 QStringLiteral("FORBIDDEN"));
    }
};

QTEST_GUILESS_MAIN(TestHubModesSessions)
#include "tst_hubmodes_sessions.moc"
