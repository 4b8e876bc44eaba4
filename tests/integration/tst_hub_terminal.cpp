// Terminals through a real in-process HubServer and real loopback clients (docs/protocol.md
// §11): open/ready, input/output, resize, flow control under a flood, re-attach with replay,
// exit codes, and every refusal with its documented error. Waits are on messages, not time.

#include "hubcli.h"
#include "hubserver.h"
#include "terminalstream.h"
#include "testclient.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTest>
#include <cerrno>
#include <csignal>

using namespace opsdeck::hub;
using opsdeck::testing::TestClient;

namespace {
const QByteArray kSecret = "terminal-test-secret-0123456789";

QString str(const QJsonObject &m, const char *field)
{
    return m.value(QLatin1StringView(field)).toString();
}

bool isFor(const QJsonObject &m, const char *type, const QString &terminal)
{
    return str(m, "type") == QLatin1StringView(type) && str(m, "terminal") == terminal;
}

using Stream = opsdeck::testing::TerminalStream;

// No such process, or only its zombie (where PID 1 does not reap orphans, they stay).
bool isGone(qint64 pid)
{
    if (::kill(pid_t(pid), 0) != 0)
        return errno == ESRCH;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return true;
    const QByteArray line = stat.readAll();
    return line.mid(line.lastIndexOf(')') + 2, 1) == "Z";
}

QJsonObject input(const QString &terminal, const QString &data)
{
    return QJsonObject {{QStringLiteral("type"), QStringLiteral("input")},
        {QStringLiteral("terminal"), terminal}, {QStringLiteral("data"), data}};
}
} // namespace

class TestHubTerminal : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<HubServer> m_hub;

    static HubConfig terminalConfig()
    {
        HubConfig config;
        config.port = 0;
        config.secret = kSecret;
        config.terminalsEnabled = true;
        config.terminalShell = QStringLiteral("/bin/sh");
        config.terminalLoginShell = false; // no /etc/profile: a quiet, quick prompt
        return config;
    }
    void startHub(const HubConfig &config)
    {
        m_hub = std::make_unique<HubServer>(config);
        QVERIFY(m_hub->listen());
    }
    // Opens a terminal; returns its id (empty on failure).
    QString openTerminal(TestClient &client, QJsonObject extra = {})
    {
        QJsonObject open {{QStringLiteral("type"), QStringLiteral("terminal_open")},
            {QStringLiteral("cols"), 120}, {QStringLiteral("rows"), 30},
            {QStringLiteral("encoding"), QStringLiteral("base64")}};
        for (auto it = extra.begin(); it != extra.end(); ++it)
            open.insert(it.key(), it.value());
        const auto reply = client.request(open, 20000);
        if (!reply || str(*reply, "type") != QLatin1StringView("response"))
            return {};
        const QJsonObject result = reply->value(QLatin1StringView("result")).toObject();
        if (result.value(QLatin1StringView("pid")).toInteger() <= 0)
            return {};
        return str(result, "terminal");
    }
    QString errorCodeOf(TestClient &client, const QJsonObject &message)
    {
        const auto reply = client.request(message, 20000);
        return reply && str(*reply, "type") == QLatin1StringView("error") ? str(*reply, "code") : QString();
    }

private Q_SLOTS:
    void init() { startHub(terminalConfig()); }
    void cleanup() { m_hub.reset(); }

    void openInputOutputAndResize()
    {
        TestClient client;
        QVERIFY(client.open(m_hub->url(), kSecret));
        const QString id = openTerminal(client);
        QVERIFY(id.startsWith(QLatin1StringView("t-")));
        const auto ready = client.waitFor([&](const QJsonObject &m) { return isFor(m, "ready", id); }, 20000);
        QVERIFY(ready);
        QCOMPARE(ready->value(QLatin1StringView("cols")).toInt(), 120);
        QCOMPARE(ready->value(QLatin1StringView("rows")).toInt(), 30);

        Stream stream {client, id, 262144};
        client.send(input(id, QStringLiteral("printf 'MARK%sER\\n' -ONE; echo \"$TERM\"\n")));
        QVERIFY(stream.waitForText("MARK-ONEER"));
        QVERIFY(stream.waitForText("xterm-256color"));
        client.send(input(id, QStringLiteral("stty size\n")));
        QVERIFY(stream.waitForText("30 120"));

        const auto resized = client.request(QJsonObject {{QStringLiteral("type"), QStringLiteral("resize")},
            {QStringLiteral("terminal"), id}, {QStringLiteral("cols"), 100}, {QStringLiteral("rows"), 40}});
        QVERIFY(resized && str(*resized, "type") == QLatin1StringView("response"));
        client.send(
            QJsonObject {{QStringLiteral("type"), QStringLiteral("input")}, {QStringLiteral("terminal"), id},
                {QStringLiteral("data_b64"), QString::fromLatin1(QByteArray("stty size\n").toBase64())}});
        QVERIFY(stream.waitForText("40 100"));
        QVERIFY2(stream.problem.isEmpty(), qPrintable(stream.problem));
    }

    void utf8EncodingCarriesCharacters()
    {
        TestClient client;
        QVERIFY(client.open(m_hub->url(), kSecret));
        const QString id = openTerminal(client, {{QStringLiteral("encoding"), QStringLiteral("utf8")}});
        QVERIFY(!id.isEmpty());
        Stream stream {client, id, 262144};
        client.send(input(id, QStringLiteral("printf '\\342\\202\\254%s\\n' -euro\n")));
        QVERIFY(stream.waitForText(QString::fromUtf8("\xE2\x82\xAC-euro").toUtf8()));
    }

    void floodWithAcksArrivesWholeAndInOrder()
    {
        TestClient client;
        QVERIFY(client.open(m_hub->url(), kSecret));
        const qint64 window = 262144;
        const QString id = openTerminal(client, {{QStringLiteral("window"), window}});
        QVERIFY(!id.isEmpty());
        Stream stream {client, id, window};
        const qint64 total = 20000000;
        client.send(input(id,
            QStringLiteral("printf 'BE''GIN\\n'; head -c %1 /dev/zero | tr '\\0' x; printf 'EN''D\\n'\n")
                .arg(total)));
        QVERIFY(stream.waitForText("END\r\n", 240000));
        QVERIFY2(stream.problem.isEmpty(), qPrintable(stream.problem));
        const qsizetype begin = stream.bytes.indexOf("BEGIN\r\n") + 7;
        const qsizetype end = stream.bytes.indexOf("END\r\n", begin);
        QVERIFY(begin > 6 && end > begin);
        QCOMPARE(end - begin, total);
        QVERIFY(QByteArrayView(stream.bytes).sliced(begin, end - begin).count('x') == total);
        QVERIFY2(stream.maxUnacked <= window, qPrintable(QString::number(stream.maxUnacked)));
    }

    // Acks return credit the hub handed out; refusing one over the terminal message cap would
    // shrink the window for good and freeze the terminal. With the smallest window a fast
    // flood needs far more than 200 acks a second — and typing must still get through meanwhile.
    void acksAreNeverRefusedByTheTerminalCap()
    {
        TestClient client;
        QVERIFY(client.open(m_hub->url(), kSecret));
        const qint64 window = 16384;
        const QString id = openTerminal(client, {{QStringLiteral("window"), window}});
        QVERIFY(!id.isEmpty());
        Stream stream {client, id, window};
        const qint64 total = 8000000; // 2,000 acks of 4 KiB
        client.send(input(id,
            QStringLiteral("printf 'BE''GIN\\n'; head -c %1 /dev/zero | tr '\\0' x; printf 'EN''D\\n'\n")
                .arg(total)));
        QVERIFY2(stream.waitForText("END\r\n", 240000),
                 qPrintable(QStringLiteral("stalled after %1 bytes").arg(stream.bytes.size())));
        QVERIFY2(stream.problem.isEmpty(), qPrintable(stream.problem));
        for (const QJsonObject &m : client.messages())
            QVERIFY2(str(m, "code") != QLatin1StringView("RATE_LIMIT_EXCEEDED"), "an ack was refused");
    }

    void withoutAcksTheHubStopsAtTheWindow()
    {
        TestClient client;
        QVERIFY(client.open(m_hub->url(), kSecret));
        const qint64 window = 16384;
        const QString id = openTerminal(client, {{QStringLiteral("window"), window}});
        QVERIFY(!id.isEmpty());
        Stream stream {client, id, 0};
        client.send(input(id, QStringLiteral("head -c 20000000 /dev/zero | tr '\\0' x\n")));
        QVERIFY(stream.waitUntil([&] { return stream.bytes.size() >= window; }));
        opsdeck::terminal::TerminalSession *terminal = m_hub->terminals().find(id);
        QVERIFY(terminal);
        QTRY_VERIFY_WITH_TIMEOUT(terminal->isReadingPaused(), 20000);
        QCOMPARE(terminal->unacknowledged(), window);

        // The hub is not busy with the flood: another client is served at once.
        TestClient other;
        QVERIFY(other.open(m_hub->url(), kSecret));
        for (int i = 0; i < 3; ++i) {
            const auto pong = other.request(QJsonObject {{QStringLiteral("type"), QStringLiteral("ping")}});
            QVERIFY(pong && str(*pong, "type") == QLatin1StringView("pong"));
        }
        stream.pump();
        QCOMPARE(stream.bytes.size(), window); // exactly the window, no more
        QVERIFY(terminal->isReadingPaused());

        // Acknowledged, it flows again; Ctrl-C ends the flood.
        stream.window = window;
        client.send(QJsonObject {{QStringLiteral("type"), QStringLiteral("ack")},
            {QStringLiteral("terminal"), id}, {QStringLiteral("bytes"), window}});
        stream.unacked = 0;
        QVERIFY(stream.waitUntil([&] { return stream.bytes.size() > 2 * window; }));
        client.send(input(id, QStringLiteral("\x03")));
        client.send(input(id, QStringLiteral("echo AFT''ER\n")));
        QVERIFY(stream.waitForText("AFTER"));
        QVERIFY2(stream.problem.isEmpty(), qPrintable(stream.problem));
        QVERIFY(stream.maxUnacked <= window);
    }

    void reattachReplaysAndKeepsTheShell()
    {
        QString id;
        {
            TestClient first;
            QVERIFY(first.open(m_hub->url(), kSecret));
            id = openTerminal(first);
            QVERIFY(!id.isEmpty());
            Stream stream {first, id, 262144};
            first.send(input(id, QStringLiteral("OPSDECK_VAR=kept-42; echo MARK''ER-A\n")));
            QVERIFY(stream.waitForText("MARKER-A"));
            first.close();
            QVERIFY(first.waitForClosed());
        }
        opsdeck::terminal::TerminalSession *terminal = m_hub->terminals().find(id);
        QVERIFY(terminal);
        QTRY_VERIFY_WITH_TIMEOUT(!terminal->isAttached(), 20000);

        TestClient second;
        QVERIFY(second.open(m_hub->url(), kSecret));
        const auto attached
            = second.request(QJsonObject {{QStringLiteral("type"), QStringLiteral("attach")},
                                 {QStringLiteral("terminal"), id}, {QStringLiteral("window"), 262144}},
                20000);
        QVERIFY(attached && str(*attached, "type") == QLatin1StringView("response"));
        const QJsonObject result = attached->value(QLatin1StringView("result")).toObject();
        QCOMPARE(result.value(QLatin1StringView("from_seq")).toInteger(), 0);
        QCOMPARE(result.value(QLatin1StringView("pid")).toInteger(), terminal->pid());
        Stream stream {second, id, 262144};
        QVERIFY(stream.waitUntil([&] { return stream.ready; }));
        QVERIFY(stream.bytes.contains("MARKER-A"));
        // Every replayed chunk came before `ready` and says so.
        bool sawReady = false;
        for (const QJsonObject &m : second.messages()) {
            if (isFor(m, "ready", id))
                sawReady = true;
            if (isFor(m, "output", id) && !sawReady)
                QVERIFY(m.value(QLatin1StringView("replay")).toBool());
        }
        second.send(input(id, QStringLiteral("echo \"v=$OPSDECK_VAR\"\n")));
        QVERIFY(stream.waitForText("v=kept-42"));
        QVERIFY2(stream.problem.isEmpty(), qPrintable(stream.problem));
    }

    void exitCodeEndsTheSession()
    {
        TestClient client;
        QVERIFY(client.open(m_hub->url(), kSecret));
        const QString id = openTerminal(client);
        QVERIFY(!id.isEmpty());
        client.send(input(id, QStringLiteral("exit 7\n")));
        const auto exit = client.waitFor([&](const QJsonObject &m) { return isFor(m, "exit", id); }, 30000);
        QVERIFY(exit);
        QCOMPARE(exit->value(QLatin1StringView("code")).toInt(), 7);
        QCOMPARE(exit->value(QLatin1StringView("signal")).toInt(), 0);
        QJsonObject more = input(id, QStringLiteral("echo\n"));
        more.insert(QStringLiteral("id"), QStringLiteral("late"));
        QCOMPARE(errorCodeOf(client, more), QStringLiteral("NOT_FOUND"));
    }

    void terminalCloseAnswersWithExit()
    {
        TestClient client;
        QVERIFY(client.open(m_hub->url(), kSecret));
        const QString id = openTerminal(client);
        QVERIFY(!id.isEmpty());
        client.send(QJsonObject {{QStringLiteral("type"), QStringLiteral("terminal_close")},
            {QStringLiteral("id"), QStringLiteral("bye")}, {QStringLiteral("terminal"), id}});
        const auto exit = client.waitFor([&](const QJsonObject &m) { return isFor(m, "exit", id); }, 30000);
        QVERIFY(exit);
        QCOMPARE(str(*exit, "id"), QStringLiteral("bye"));
        QTRY_COMPARE_WITH_TIMEOUT(m_hub->terminals().count(), 0, 20000);
    }

    void detachedTerminalEndsAfterTheGracePeriod()
    {
        HubConfig config = terminalConfig();
        config.terminalGraceMs = 200;
        startHub(config);
        TestClient client;
        QVERIFY(client.open(m_hub->url(), kSecret));
        QVERIFY(!openTerminal(client).isEmpty());
        QCOMPARE(m_hub->terminals().count(), 1);
        client.close();
        QTRY_COMPARE_WITH_TIMEOUT(m_hub->terminals().count(), 0, 30000);
    }

    void idleTerminalIsHungUp()
    {
        HubConfig config = terminalConfig();
        config.terminalIdleMs = 300;
        startHub(config);
        TestClient client;
        QVERIFY(client.open(m_hub->url(), kSecret));
        const QString id = openTerminal(client);
        QVERIFY(!id.isEmpty());
        // No input, and nothing printed after the prompt: hung up, and the client is told.
        QVERIFY(client.waitFor([&](const QJsonObject &m) { return isFor(m, "exit", id); }, 30000));
        QTRY_COMPARE_WITH_TIMEOUT(m_hub->terminals().count(), 0, 20000);
    }

    void refusedUnlessEnabledLoopbackAndSecret_data()
    {
        QTest::addColumn<int>("variant");
        QTest::newRow("no secret") << 0;
        QTest::newRow("not loopback") << 1;
        QTest::newRow("not enabled") << 2;
    }
    void refusedUnlessEnabledLoopbackAndSecret()
    {
        QFETCH(int, variant);
        HubConfig config = terminalConfig();
        if (variant == 0)
            config.secret.clear();
        if (variant == 1)
            config.address = QHostAddress::AnyIPv4;
        if (variant == 2)
            config.terminalsEnabled = false;
        startHub(config);
        QUrl url = m_hub->url();
        url.setHost(QStringLiteral("127.0.0.1"));
        TestClient client;
        QVERIFY(client.open(url, config.secret));
        const auto reply
            = client.request(QJsonObject {{QStringLiteral("type"), QStringLiteral("terminal_open")},
                {QStringLiteral("cols"), 80}, {QStringLiteral("rows"), 24}});
        QVERIFY(reply);
        QCOMPARE(str(*reply, "code"), QStringLiteral("FORBIDDEN"));
        QCOMPARE(
            str(reply->value(QLatin1StringView("details")).toObject(), "action"), QStringLiteral("terminal"));
        QCOMPARE(errorCodeOf(client, input(QStringLiteral("t-00000000"), QStringLiteral("x"))),
            QStringLiteral("FORBIDDEN"));
        QCOMPARE(m_hub->terminals().count(), 0);
    }

    void badInputGetsTheDocumentedErrors()
    {
        TestClient client;
        QVERIFY(client.open(m_hub->url(), kSecret));
        const auto withId = [](QJsonObject m) {
            m.insert(QStringLiteral("id"), QStringLiteral("e"));
            return m;
        };
        QCOMPARE(errorCodeOf(client, withId(input(QStringLiteral("t-nope"), QStringLiteral("x")))),
            QStringLiteral("NOT_FOUND"));
        QCOMPARE(errorCodeOf(client,
                     QJsonObject {{QStringLiteral("type"), QStringLiteral("attach")},
                         {QStringLiteral("terminal"), QStringLiteral("t-nope")}}),
            QStringLiteral("NOT_FOUND"));
        QCOMPARE(errorCodeOf(client,
                     QJsonObject {{QStringLiteral("type"), QStringLiteral("terminal_open")},
                         {QStringLiteral("rows"), 24}}),
            QStringLiteral("BAD_MESSAGE"));
        QCOMPARE(errorCodeOf(client,
                     QJsonObject {{QStringLiteral("type"), QStringLiteral("terminal_open")},
                         {QStringLiteral("cols"), 5000}, {QStringLiteral("rows"), 24}}),
            QStringLiteral("BAD_MESSAGE"));

        const QString id = openTerminal(client);
        QVERIFY(!id.isEmpty());
        const auto oversize = client.request(withId(input(id, QString(70000, u'a'))));
        QVERIFY(oversize);
        QCOMPARE(str(*oversize, "code"), QStringLiteral("BAD_MESSAGE"));
        QCOMPARE(
            str(oversize->value(QLatin1StringView("details")).toObject(), "field"), QStringLiteral("data"));
        QCOMPARE(errorCodeOf(client,
                     withId(QJsonObject {{QStringLiteral("type"), QStringLiteral("input")},
                         {QStringLiteral("terminal"), id},
                         {QStringLiteral("data_b64"), QStringLiteral("**not base64**")}})),
            QStringLiteral("BAD_MESSAGE"));
        QCOMPARE(errorCodeOf(client,
                     withId(QJsonObject {{QStringLiteral("type"), QStringLiteral("ack")},
                         {QStringLiteral("terminal"), id}, {QStringLiteral("bytes"), -5}})),
            QStringLiteral("BAD_MESSAGE"));
        // The connection and the terminal carry on.
        Stream stream {client, id, 262144};
        client.send(input(id, QStringLiteral("echo STILL''HERE\n")));
        QVERIFY(stream.waitForText("STILLHERE"));
    }

    void shutdownEndsEveryTerminal()
    {
        TestClient client;
        QVERIFY(client.open(m_hub->url(), kSecret));
        const QString id = openTerminal(client);
        QVERIFY(!id.isEmpty());
        Stream stream {client, id, 262144};
        // A shell and a foreground job that both ignore SIGHUP: only the kill can end them.
        client.send(input(id, QStringLiteral("trap '' HUP; sh -c 'echo JO\"\"B=$$.; exec sleep 600'\n")));
        QVERIFY(stream.waitUntil(
            [&] { return stream.bytes.contains("JOB=") && stream.bytes.contains(".\r\n"); }));
        const qsizetype at = stream.bytes.indexOf("JOB=") + 4;
        const qint64 job = stream.bytes.mid(at, stream.bytes.indexOf('.', at) - at).toLongLong();
        QVERIFY(job > 0);
        const qint64 pid = m_hub->terminals().find(id)->pid();
        bool stopped = false;
        connect(
            m_hub.get(), &HubServer::stopped, this,
            [&] {
                stopped = true;
                m_hub.reset();
            },
            Qt::QueuedConnection);
        m_hub->shutdown();
        QTRY_VERIFY_WITH_TIMEOUT(stopped, 20000);
        // Deleting the hub killed and reaped the shell, and killed its foreground job.
        QVERIFY(isGone(pid));
        QTRY_VERIFY_WITH_TIMEOUT(isGone(job), 20000);
    }

    void cliFlags()
    {
        const HubCliResult parsed
            = parseHubArguments({QStringLiteral("--terminals"), QStringLiteral("--terminal-shell"),
                QStringLiteral("/bin/sh"), QStringLiteral("--terminal-grace-s"), QStringLiteral("7"),
                QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")});
        QVERIFY2(parsed.options, qPrintable(parsed.error));
        QVERIFY(parsed.options->config.terminalsEnabled);
        QCOMPARE(parsed.options->config.terminalShell, QStringLiteral("/bin/sh"));
        QCOMPARE(parsed.options->config.terminalGraceMs, 7000);
        QVERIFY(!parseHubArguments({}).options->config.terminalsEnabled);
        QVERIFY(!parseHubArguments({QStringLiteral("--terminal-shell"), QStringLiteral("sh")}).options);
        QVERIFY(!parseHubArguments({QStringLiteral("--terminal-grace-s"), QStringLiteral("-1")}).options);
        QVERIFY(hubUsage().contains(QLatin1StringView("--terminals")));
    }

    void terminalTrafficHasItsOwnRateLimit()
    {
        HubConfig config = terminalConfig();
        config.rateLimit = 50; // the general limit: the burst below would break it many times over
        config.terminalMaxPerClient = 2;
        startHub(config);
        TestClient client;
        QVERIFY(client.open(m_hub->url(), kSecret));
        const QString id = openTerminal(client);
        QVERIFY(!id.isEmpty());
        for (int i = 0; i < 450; ++i) {
            QJsonObject m = input(id, QString());
            m.insert(QStringLiteral("id"), QStringLiteral("in-%1").arg(i));
            client.send(m);
        }
        const auto limited = client.waitFor(
            [](const QJsonObject &m) { return str(m, "code") == QLatin1StringView("RATE_LIMIT_EXCEEDED"); },
            30000);
        QVERIFY(limited);
        QCOMPARE(
            limited->value(QLatin1StringView("details")).toObject().value(QLatin1StringView("limit")).toInt(),
            200);
        const auto pong = client.request(QJsonObject {{QStringLiteral("type"), QStringLiteral("ping")}});
        QVERIFY(pong && str(*pong, "type") == QLatin1StringView("pong"));
        QVERIFY(client.isOpen());

        // The per-identity cap (2 here): a third terminal is refused, the connection stays.
        QVERIFY(!openTerminal(client).isEmpty());
        const auto third
            = client.request(QJsonObject {{QStringLiteral("type"), QStringLiteral("terminal_open")},
                {QStringLiteral("cols"), 80}, {QStringLiteral("rows"), 24}});
        QVERIFY(third);
        QCOMPARE(str(*third, "code"), QStringLiteral("CONNECTION_LIMIT"));
        QCOMPARE(str(third->value(QLatin1StringView("details")).toObject(), "scope"),
            QStringLiteral("client_terminals"));
        QVERIFY(client.isOpen());
    }
};

QTEST_GUILESS_MAIN(TestHubTerminal)
#include "tst_hub_terminal.moc"
