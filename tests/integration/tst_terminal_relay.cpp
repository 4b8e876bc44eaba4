// Terminals on a remote hub's host through the embedded hub (docs/protocol.md §15 "Terminals"):
// a real opsdeck-hub process upstream serving terminals, the hub the console embeds (in process)
// linked to it through a proxy that can take the network away, and on top either a protocol
// client or the console's own terminal session with its libvterm screen. A shell opens on the
// remote host, takes input and resizes; when the link goes down the tab says so and the shell
// keeps running there, and when the link is back the screen continues where it was — what ran
// meanwhile included, nothing shown twice.

#include "faultproxy.h"
#include "hubclient.h"
#include "hubprocess.h"
#include "hubserver.h"
#include "termsession.h"
#include "terminalstream.h"
#include "testclient.h"
#include "upstreamlink.h"

#include <QFile>
#include <QJsonDocument>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace opsdeck;
using namespace opsdeck::hub;
using namespace opsdeck::testing;
using transport::HubClient;
using transport::testing::FaultProxy;

namespace {
const QByteArray kUpstreamSecret = "terminal-relay-upstream-secret-0123456789";
const QByteArray kLocalSecret = "terminal-relay-local-secret-0123456789";

QString str(const QJsonObject &m, const char *field)
{
    return m.value(QLatin1StringView(field)).toString();
}

QJsonObject input(const QString &terminal, const QString &text)
{
    return QJsonObject{{"type", "input"}, {"terminal", terminal}, {"data", text}};
}

// A loopback port nothing listens on: connections to it are refused, as to a hub that is gone.
quint16 refusedPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

// Everything on the screen and in the scrollback, one string a line.
QString screenText(const termui::VtermScreen &screen)
{
    QStringList lines;
    for (int index = -screen.scrollbackCount(); index < screen.rows(); ++index)
        lines.append(screen.lineText(index));
    return lines.join(QLatin1Char('\n'));
}
} // namespace

class TestTerminalRelay : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<HubProcess> m_upstream;
    std::unique_ptr<FaultProxy> m_proxy;
    std::unique_ptr<HubServer> m_local;
    std::unique_ptr<relay::UpstreamLink> m_link;

    // The network between the two hubs goes away: connections reset, new ones refused.
    void takeLinkDown()
    {
        m_proxy->setTargetPort(refusedPort());
        m_proxy->cut();
        QTRY_VERIFY_WITH_TIMEOUT(m_link->client().state() != HubClient::State::Connected, 10000);
    }
    void bringLinkBack()
    {
        m_proxy->setTargetPort(m_upstream->port());
        QTRY_COMPARE_WITH_TIMEOUT(m_link->client().state(), HubClient::State::Connected, 20000);
    }
    std::optional<QJsonObject> openRelayed(TestClient &client, const QString &hub = QStringLiteral("up"))
    {
        return client.request(QJsonObject{{"type", "terminal_open"}, {"hub", hub}, {"cols", 80}, {"rows", 24},
                                          {"encoding", "base64"}},
                              20000);
    }
    // The remote hub's own count of terminals attached to a connection.
    int upstreamAttached()
    {
        TestClient direct;
        if (!direct.open(m_upstream->url(), kUpstreamSecret))
            return -1;
        const auto stats = direct.request(QJsonObject{{"type", "query"}, {"query", "stats"}});
        return stats ? stats->value("result").toObject().value("terminals").toObject().value("attached").toInt(-1) : -1;
    }

    // The embedded hub's `stats.terminals` as an operator's query sees it.
    QJsonObject localTerminalStats()
    {
        TestClient direct;
        if (!direct.open(m_local->url(), kLocalSecret))
            return {};
        const auto stats = direct.request(QJsonObject{{"type", "query"}, {"query", "stats"}});
        return stats ? stats->value("result").toObject().value("terminals").toObject() : QJsonObject{};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // The remote hub's shell: plain and predictable (it inherits this environment).
        qputenv("HOME", m_dir.path().toUtf8());
        qputenv("SHELL", "/bin/sh");
        qputenv("PS1", "$ ");
        QFile secret(m_dir.filePath(QStringLiteral("secret")));
        QVERIFY(secret.open(QIODevice::WriteOnly));
        secret.write(kUpstreamSecret);
    }

    void init()
    {
        m_upstream = std::make_unique<HubProcess>(
            QStringList{QStringLiteral("--secret-file"), m_dir.filePath(QStringLiteral("secret")),
                        QStringLiteral("--terminals"), QStringLiteral("--terminal-shell"), QStringLiteral("/bin/sh")});
        QVERIFY2(m_upstream->start(), qPrintable(m_upstream->errorString()));
        m_proxy = std::make_unique<FaultProxy>(m_upstream->port());
        QVERIFY(m_proxy->listen());

        HubConfig config;
        config.port = 0;
        config.secret = kLocalSecret;
        config.terminalsEnabled = false; // relayed terminals run on the remote host, not this one
        m_local = std::make_unique<HubServer>(config);
        QVERIFY(m_local->listen());

        relay::UpstreamConfig link;
        link.label = QStringLiteral("up");
        link.url = m_upstream->url();
        link.url.setPort(m_proxy->port());
        link.client.watchNetwork = false;
        link.client.backoff.baseMs = 50;
        link.client.backoff.capMs = 400;
        m_link = std::make_unique<relay::UpstreamLink>(*m_local, link);
        m_link->setToken(QString::fromLatin1(kUpstreamSecret));
        m_link->start();
        QTRY_COMPARE_WITH_TIMEOUT(m_link->client().state(), HubClient::State::Connected, 20000);
    }

    void cleanup()
    {
        m_link.reset();
        m_local.reset();
        m_proxy.reset();
        m_upstream.reset();
    }

    void shellOnTheRemoteHostThroughTheRelay();
    void linkOutageKeepsTheShellAndItsOutput();
    void consoleConnectionDropDetachesUpstream();
    void consoleTabSaysReconnectingAndComesBack();
    void refusalsReachTheConsoleInTheRemoteHubsWords();
};

void TestTerminalRelay::shellOnTheRemoteHostThroughTheRelay()
{
    TestClient client;
    QVERIFY(client.open(m_local->url(), kLocalSecret));
    const auto opened = openRelayed(client);
    QVERIFY(opened);
    QVERIFY2(str(*opened, "type") == QLatin1StringView("response"), qPrintable(QJsonDocument(*opened).toJson()));
    const QJsonObject result = opened->value("result").toObject();
    const QString id = str(result, "terminal");
    QVERIFY2(id.startsWith(QLatin1StringView("t-")) && id.endsWith(QLatin1StringView("@up")), qPrintable(id));
    QCOMPARE(str(result, "hub"), QStringLiteral("up"));
    QVERIFY(result.value("pid").toInteger() > 0);
    // The shell runs on the remote hub's host, not in the embedded hub.
    QCOMPARE(m_local->terminals().count(), 0);

    TerminalStream stream{client, id, 262144};
    QVERIFY(stream.waitUntil([&] { return stream.ready; }, 20000));
    client.send(input(id, QStringLiteral("printf 'relay-%s\\n' marker\n")));
    QVERIFY2(stream.waitForText("relay-marker", 20000), stream.bytes.right(400).constData());

    // Resize reaches the remote PTY, and its answer names the terminal as the console knows it.
    const auto resized = client.request(QJsonObject{{"type", "resize"}, {"terminal", id}, {"cols", 100}, {"rows", 30}});
    QVERIFY(resized);
    QCOMPARE(str(resized->value("result").toObject(), "terminal"), id);
    client.send(input(id, QStringLiteral("stty size\n")));
    QVERIFY2(stream.waitForText("30 100", 20000), stream.bytes.right(400).constData());

    // The exit code comes back through both hubs.
    client.send(input(id, QStringLiteral("exit 3\n")));
    QVERIFY(stream.waitUntil([&] { return !stream.exits.isEmpty(); }, 20000));
    QCOMPARE(stream.exits.first().value("code").toInt(), 3);
    QVERIFY2(stream.problem.isEmpty(), qPrintable(stream.problem));
    QCOMPARE(m_link->terminals().count(), 0);

    // terminal_close from the console: its `exit` carries the console's request id.
    const auto second = openRelayed(client);
    QVERIFY(second);
    const QString secondId = str(second->value("result").toObject(), "terminal");
    QVERIFY(!secondId.isEmpty());
    client.send(QJsonObject{{"type", "terminal_close"}, {"id", "close-1"}, {"terminal", secondId}});
    const auto closed = client.waitFor(
        [&](const QJsonObject &m) { return str(m, "type") == QLatin1StringView("exit") && str(m, "id") == QLatin1StringView("close-1"); },
        20000);
    QVERIFY(closed);
    QCOMPARE(str(*closed, "terminal"), secondId);
    // It is gone at the remote hub too.
    const auto again = client.request(QJsonObject{{"type", "attach"}, {"terminal", secondId}}, 20000);
    QVERIFY(again);
    QCOMPARE(str(*again, "code"), QStringLiteral("NOT_FOUND"));
}

void TestTerminalRelay::linkOutageKeepsTheShellAndItsOutput()
{
    TestClient client;
    QVERIFY(client.open(m_local->url(), kLocalSecret));
    const auto opened = openRelayed(client);
    QVERIFY(opened);
    const QString id = str(opened->value("result").toObject(), "terminal");
    QVERIFY(!id.isEmpty());
    TerminalStream stream{client, id, 262144};
    stream.skipReplayed = true; // as the console: the replay after re-attach overlaps what it has
    QVERIFY(stream.waitUntil([&] { return stream.ready; }, 20000));
    client.send(input(id, QStringLiteral("printf 'before-%s\\n' outage\n")));
    QVERIFY(stream.waitForText("before-outage", 20000));

    // A job that prints while the link is down: it waits for a file the test creates once the
    // link is gone, prints, and leaves a second file as proof it ran.
    const QString go = m_dir.filePath(QStringLiteral("go"));
    const QString done = m_dir.filePath(QStringLiteral("done"));
    QFile::remove(go);
    QFile::remove(done);
    client.send(input(id, QStringLiteral("while [ ! -e '%1' ]; do sleep 0.05; done; printf 'during-%s\\n' outage; : > '%2'\n")
                              .arg(go, done)));
    QVERIFY(stream.waitForText("during-%s", 20000)); // the command line's echo: the shell has it

    takeLinkDown();
    const auto down = client.waitFor(
        [&](const QJsonObject &m) { return str(m, "type") == QLatin1StringView("terminal_link") && str(m, "terminal") == id; },
        10000);
    QVERIFY(down);
    QCOMPARE(str(*down, "state"), QStringLiteral("down"));
    QCOMPARE(str(*down, "hub"), QStringLiteral("up"));
    // Nothing reaches the shell while the link is down, and the console is told so.
    const auto refused = client.request(QJsonObject{{"type", "attach"}, {"terminal", id}});
    QVERIFY(refused);
    QCOMPARE(str(*refused, "code"), QStringLiteral("HUB_UNAVAILABLE"));
    const auto openRefused = openRelayed(client);
    QVERIFY(openRefused);
    QCOMPARE(str(*openRefused, "code"), QStringLiteral("HUB_UNAVAILABLE"));

    {
        QFile file(go);
        QVERIFY(file.open(QIODevice::WriteOnly));
    }
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(done), 20000); // it ran on the remote host meanwhile
    stream.pump();
    QVERIFY(!stream.bytes.contains("during-outage"));

    bringLinkBack();
    const auto up = client.waitFor(
        [&](const QJsonObject &m) {
            return str(m, "type") == QLatin1StringView("terminal_link") && str(m, "terminal") == id
                   && str(m, "state") == QLatin1StringView("up");
        },
        10000);
    QVERIFY(up);
    const auto attached = client.request(QJsonObject{{"type", "attach"}, {"terminal", id}, {"window", 262144}}, 20000);
    QVERIFY(attached);
    QVERIFY2(str(*attached, "type") == QLatin1StringView("response"), qPrintable(QJsonDocument(*attached).toJson()));
    QCOMPARE(str(attached->value("result").toObject(), "terminal"), id);
    QVERIFY2(stream.waitForText("during-outage", 20000), stream.bytes.right(400).constData());
    // One continuous stream: the replay filled exactly the hole, nothing shows twice.
    QVERIFY2(stream.problem.isEmpty(), qPrintable(stream.problem));
    QCOMPARE(stream.bytes.count("before-outage"), 1);
    QCOMPARE(stream.bytes.count("during-outage"), 1);
    client.send(input(id, QStringLiteral("printf 'after-%s\\n' outage\n")));
    QVERIFY(stream.waitForText("after-outage", 20000));
}

void TestTerminalRelay::consoleConnectionDropDetachesUpstream()
{
    QString id;
    {
        TestClient first;
        QVERIFY(first.open(m_local->url(), kLocalSecret));
        const auto opened = openRelayed(first);
        QVERIFY(opened);
        id = str(opened->value("result").toObject(), "terminal");
        TerminalStream stream{first, id, 262144};
        first.send(input(id, QStringLiteral("printf 'first-%s\\n' console\n")));
        QVERIFY(stream.waitForText("first-console", 20000));
        QCOMPARE(upstreamAttached(), 1);
        // The embedded hub counts it as relayed to "up", not as one of its own host's shells.
        const QJsonObject whileAttached = localTerminalStats();
        QCOMPARE(whileAttached.value("open").toInt(-1), 0);
        QCOMPARE(whileAttached.value("relayed").toObject().value("up").toObject(),
                 (QJsonObject{{"open", 1}, {"attached", 1}}));
        first.close();
        QVERIFY(first.waitForClosed());
    }
    // The remote hub's grace period starts at once: the embedded hub detached it there.
    QTRY_COMPARE_WITH_TIMEOUT(upstreamAttached(), 0, 10000);
    QCOMPARE(localTerminalStats().value("relayed").toObject().value("up").toObject(),
             (QJsonObject{{"open", 1}, {"attached", 0}}));

    // Another connection of the console takes it back, with its screen.
    TestClient second;
    QVERIFY(second.open(m_local->url(), kLocalSecret));
    TerminalStream stream{second, id, 262144};
    // Input before attaching is refused: it is nobody's until then.
    const auto early = second.request(QJsonObject{{"type", "resize"}, {"terminal", id}, {"cols", 90}, {"rows", 20}});
    QVERIFY(early);
    QCOMPARE(str(*early, "code"), QStringLiteral("NOT_FOUND"));
    const auto attached = second.request(QJsonObject{{"type", "attach"}, {"terminal", id}}, 20000);
    QVERIFY(attached);
    QCOMPARE(str(*attached, "type"), QStringLiteral("response"));
    QCOMPARE(attached->value("result").toObject().value("from_seq").toInteger(), 0);
    QVERIFY(stream.waitForText("first-console", 20000));
    QVERIFY(stream.waitUntil([&] { return stream.ready; }, 20000));
    QVERIFY2(stream.problem.isEmpty(), qPrintable(stream.problem));
    QCOMPARE(upstreamAttached(), 1);
}

void TestTerminalRelay::consoleTabSaysReconnectingAndComesBack()
{
    transport::HubClientOptions options;
    options.watchNetwork = false;
    HubClient client(options);
    client.setTokenProvider([] { return QString::fromLatin1(kLocalSecret); });
    client.open(m_local->url());
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), HubClient::State::Connected, 10000);

    termui::TerminalSession tab;
    tab.setClient(&client);
    tab.setHub(QStringLiteral("up"));
    tab.open(100, 30);
    QTRY_COMPARE_WITH_TIMEOUT(tab.state(), termui::TerminalSession::State::Ready, 20000);
    QVERIFY(tab.terminalId().endsWith(QLatin1StringView("@up")));
    const auto shows = [&](const QString &text) {
        if (QTest::qWaitFor([&] { return screenText(*tab.screen()).contains(text); }, 20000))
            return true;
        qWarning().noquote() << "screen:\n" << screenText(*tab.screen()).right(1500);
        return false;
    };
    tab.sendText(QStringLiteral("printf 'tab-%s\\n' one\r"));
    QVERIFY(shows(QStringLiteral("tab-one")));

    takeLinkDown();
    // The console's own connection is fine; the tab still says the shell is kept.
    QTRY_COMPARE_WITH_TIMEOUT(tab.state(), termui::TerminalSession::State::Reconnecting, 10000);
    QCOMPARE(client.state(), HubClient::State::Connected);
    QCOMPARE(tab.stateText(), QStringLiteral("reconnecting — session kept"));

    bringLinkBack();
    QTRY_COMPARE_WITH_TIMEOUT(tab.state(), termui::TerminalSession::State::Ready, 20000);
    tab.sendText(QStringLiteral("printf 'tab-%s\\n' two\r"));
    QVERIFY(shows(QStringLiteral("tab-two")));
    // The screen came back as it was: the first output once, not replayed on top of itself.
    QCOMPARE(screenText(*tab.screen()).count(QStringLiteral("tab-one")), 1);

    tab.sendText(QStringLiteral("exit 5\r"));
    QTRY_COMPARE_WITH_TIMEOUT(tab.state(), termui::TerminalSession::State::Exited, 20000);
    QCOMPARE(tab.exitCode(), 5);
}

void TestTerminalRelay::refusalsReachTheConsoleInTheRemoteHubsWords()
{
    TestClient client;
    QVERIFY(client.open(m_local->url(), kLocalSecret));
    // A hub the embedded hub has no link to.
    const auto nowhere = openRelayed(client, QStringLiteral("nowhere"));
    QVERIFY(nowhere);
    QCOMPARE(str(*nowhere, "code"), QStringLiteral("HUB_UNAVAILABLE"));
    // The remote hub's own validation, with the remote code.
    const auto bad = client.request(
        QJsonObject{{"type", "terminal_open"}, {"hub", "up"}, {"cols", 5000}, {"rows", 24}}, 20000);
    QVERIFY(bad);
    QCOMPARE(str(*bad, "code"), QStringLiteral("BAD_MESSAGE"));
    QVERIFY2(str(*bad, "message").startsWith(QLatin1StringView("up: ")), qPrintable(str(*bad, "message")));
    // A relayed id that does not exist.
    const auto unknown = client.request(QJsonObject{{"type", "attach"}, {"terminal", "t-00000000@up"}}, 20000);
    QVERIFY(unknown);
    QCOMPARE(str(*unknown, "code"), QStringLiteral("NOT_FOUND"));
    QCOMPARE(str(unknown->value("details").toObject(), "name"), QStringLiteral("t-00000000@up"));

    QCOMPARE(m_link->terminals().count(), 0);
}

QTEST_GUILESS_MAIN(TestTerminalRelay)
#include "tst_terminal_relay.moc"
