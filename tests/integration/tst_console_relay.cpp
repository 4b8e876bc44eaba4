// The console's side of the relay (app/core AppSession + Opsdeck.Auth): activating a Dev profile,
// signing in against a real dev opsdeck-hub, and the console's own client then reading the remote
// fleet from the embedded hub, and a terminal tab opening its shell on the dev hub's host; Demo
// brings the simulated fleet back and tells the tab its link is gone.

#include "appsession.h"
#include "authclient.h"
#include "hubprocess.h"
#include "profilestore.h"
#include "requesttracker.h"
#include "secretstore.h"
#include "signincontroller.h"
#include "termsession.h"
#include "testports.h"

#include <QJsonArray>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace opsdeck;
using namespace opsdeck::app;
using namespace opsdeck::testing;

namespace {

// The agent ids the console's client reads from the embedded hub right now.
QStringList agentIds(transport::HubClient &client)
{
    QStringList ids;
    transport::HubReply *reply =
        client.request(QJsonObject{{QStringLiteral("type"), QStringLiteral("query")}, {QStringLiteral("query"), QStringLiteral("agents")}});
    bool done = false;
    QObject::connect(reply, &transport::HubReply::finished, reply, [&] {
        for (const QJsonValue &agent : reply->result().value(QLatin1StringView("agents")).toArray())
            ids.append(agent.toObject().value(QLatin1StringView("id")).toString());
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 5000))
        qWarning("the agents query was not answered within 5 s");
    return ids;
}

bool allRemote(const QStringList &ids)
{
    return !ids.isEmpty()
        && std::all_of(ids.cbegin(), ids.cend(), [](const QString &id) { return id.endsWith(QLatin1StringView("@dev-lab")); });
}
} // namespace

class TestConsoleRelay : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void devProfileShowsTheRemoteFleetOnceSignedIn()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QProcess cli;
        cli.start(HubProcess::binaryPath(), {QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("alice"),
                                             QStringLiteral("--role"), QStringLiteral("operator"),
                                             QStringLiteral("--password-stdin"), QStringLiteral("--data-dir"), dir.path()});
        cli.write("alice-password-1\n");
        cli.closeWriteChannel();
        QVERIFY(cli.waitForFinished(30000) && cli.exitCode() == 0);
        const quint16 port = freePortPair();
        QVERIFY(port != 0);
        qputenv("PS1", "$ ");
        HubProcess dev({QStringLiteral("--data-dir"), dir.path(), QStringLiteral("--fleet"), QStringLiteral("demo"),
                        QStringLiteral("--terminals"), QStringLiteral("--terminal-shell"), QStringLiteral("/bin/sh")},
                       port);
        dev.setMode(QStringLiteral("dev"));
        QVERIFY2(dev.start(), qPrintable(dev.errorString()));

        ProfileStore profiles(std::make_unique<QSettings>(dir.filePath(QStringLiteral("console.ini")), QSettings::IniFormat));
        QVERIFY(profiles.addProfile(QStringLiteral("Dev Lab"), QStringLiteral("dev"), dev.url().toString(), QString()));
        MemorySecretStore secrets;
        AuthClient auth;
        SignInController signIn(&secrets, &auth);
        AppSession session(&profiles);
        session.setSignInController(&signIn);
        QVERIFY(session.start());
        transport::HubClient &client = *session.client();
        QTRY_VERIFY_WITH_TIMEOUT(session.isConnected(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!agentIds(client).isEmpty(), 10000); // the simulated fleet
        QVERIFY(!allRemote(agentIds(client)));

        // Activating Dev: the simulated fleet goes, nothing remote until signed in.
        QVERIFY(session.activateProfile(QStringLiteral("Dev Lab")));
        QTRY_VERIFY_WITH_TIMEOUT(agentIds(client).isEmpty(), 10000);
        QVERIFY(!session.problem().isEmpty()); // "sign in to its hub to see its fleet"
        // New terminal tabs would open on its host, which cannot be reached yet.
        QCOMPARE(session.remoteHub(), QStringLiteral("dev-lab"));
        QVERIFY(!session.isRemoteHubConnected());

        signIn.signIn(QStringLiteral("Dev Lab"), dev.url().toString(), QStringLiteral("alice"),
                      QStringLiteral("alice-password-1"), false);
        QTRY_VERIFY_WITH_TIMEOUT(signIn.isSignedIn(), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(allRemote(agentIds(client)), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(session.problem().isEmpty(), 10000); // the link is up: no banner
        QTRY_VERIFY_WITH_TIMEOUT(session.isRemoteHubConnected(), 10000);

        // The dev hub's log stream as the console's logs pane reads it: remote positions in order.
        transport::SubscribeOptions live;
        live.history = 0;
        transport::ClientSubscription *logs = client.subscribe(QStringLiteral("logs"), live);
        QList<qint64> devOrigins;
        connect(logs, &transport::ClientSubscription::entriesReceived, this, [&](const QList<QJsonObject> &entries) {
            for (const QJsonObject &entry : entries) {
                const QJsonObject origin = entry.value(QLatin1StringView("origin")).toObject();
                if (origin.value(QLatin1StringView("hub")).toString() == QLatin1StringView("dev-lab"))
                    devOrigins.append(origin.value(QLatin1StringView("seq")).toInteger());
            }
        });
        QTRY_VERIFY_WITH_TIMEOUT(devOrigins.size() >= 5, 20000);

        // A terminal tab of this console opens its shell on the dev hub's host.
        termui::TerminalSession tab;
        tab.setClient(&client);
        tab.setHub(session.remoteHub());
        tab.open(80, 24);
        QTRY_COMPARE_WITH_TIMEOUT(tab.state(), termui::TerminalSession::State::Ready, 20000);
        QVERIFY(tab.terminalId().endsWith(QLatin1StringView("@dev-lab")));
        tab.sendText(QStringLiteral("printf 'dev-%s\\n' shell\r"));
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (int row = 0; row < tab.screen()->rows(); ++row) {
                    if (tab.screen()->lineText(row).startsWith(QLatin1StringView("dev-shell")))
                        return true;
                }
                return false;
            }(),
            20000);

        // Back to Demo: the remote agents go, the simulated fleet returns.
        QVERIFY(session.activateProfile(QStringLiteral("Demo")));
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const QStringList ids = agentIds(client);
                return !ids.isEmpty()
                    && std::none_of(ids.cbegin(), ids.cend(),
                                    [](const QString &id) { return id.endsWith(QLatin1StringView("@dev-lab")); });
            }(),
            20000);
        // The tab opened there says the link is gone (its shell ends after the grace period).
        QTRY_COMPARE_WITH_TIMEOUT(tab.state(), termui::TerminalSession::State::Failed, 10000);
        QCOMPARE(tab.errorCode(), QStringLiteral("LINK_CLOSED"));
        QVERIFY(session.remoteHub().isEmpty());

        // And back to Dev Lab (leaving it signed out; so sign in again): the stream continues where
        // it stopped — what the dev hub logged meanwhile once, nothing it had already shown again.
        const qsizetype beforeBack = devOrigins.size();
        QVERIFY(session.activateProfile(QStringLiteral("Dev Lab")));
        signIn.signIn(QStringLiteral("Dev Lab"), dev.url().toString(), QStringLiteral("alice"),
                      QStringLiteral("alice-password-1"), false);
        QTRY_VERIFY_WITH_TIMEOUT(devOrigins.size() >= beforeBack + 10, 20000);
        for (qsizetype i = 1; i < devOrigins.size(); ++i)
            QVERIFY2(devOrigins.at(i) == devOrigins.at(i - 1) + 1,
                     qPrintable(QStringLiteral("origin seq %1 after %2").arg(devOrigins.at(i)).arg(devOrigins.at(i - 1))));
        session.shutdown();
        QCOMPARE(dev.terminate(), 0);
    }
};

QTEST_MAIN(TestConsoleRelay)
#include "tst_console_relay.moc"
