// A real opsdeck-agent process against an in-process hub (docs/protocol.md §14, operations.md §8):
// it registers, runs an allowed command, refuses another, streams a line appended to its
// --log-file, reconnects and re-registers after the hub restarts on the same port, and stops
// cleanly on SIGTERM. Its token comes from a file the test writes; it never prints it.

#include "agenttesthelpers.h"
#include "hubserver.h"
#include "testclient.h"

#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace opsdeck::hub;
using namespace opsdeck::testing;

namespace {
const QByteArray kToken = "agent-token-web-01";
}

class TestAgentProcess : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<HubServer> m_hub;
    QProcess m_agent;
    QByteArray m_agentOutput;
    quint16 m_port = 0;

    bool startHub(quint16 port)
    {
        HubConfig config;
        config.port = port;
        config.authenticator = std::make_shared<FakeAgentAuthenticator>();
        m_hub = std::make_unique<HubServer>(config);
        return m_hub->listen();
    }

    QString writeToken(const QString &name, QFileDevice::Permissions permissions)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return {};
        file.write(kToken + '\n');
        file.close();
        file.setPermissions(permissions);
        return path;
    }

    bool agentConnected() const
    {
        const AgentRecord *record = m_hub ? m_hub->registry().find(QStringLiteral("web-01")) : nullptr;
        return record && record->connected;
    }

    std::optional<QJsonObject> runCommand(TestClient &client, const QString &id, const QString &command)
    {
        const auto accepted = client.request(QJsonObject{{QStringLiteral("type"), QStringLiteral("command")},
                                                         {QStringLiteral("id"), id},
                                                         {QStringLiteral("instanceId"), QStringLiteral("web-01")},
                                                         {QStringLiteral("command"), command},
                                                         {QStringLiteral("timeout_ms"), 20000}});
        if (!accepted || str(*accepted, "result.state") != QLatin1StringView("accepted"))
            return std::nullopt;
        return client.waitFor([&](const QJsonObject &m) { return isType(m, "command_result") && str(m, "id") == id; }, 20000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        if (QStandardPaths::findExecutable(QStringLiteral("echo")).isEmpty())
            QSKIP("echo is not on PATH");
        // Its info lines are part of what is checked, whatever the test's own logging rules.
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("opsdeck.*.debug=false;opsdeck.*.info=true"));
        m_agent.setProcessEnvironment(environment);
        connect(&m_agent, &QProcess::readyReadStandardError, this, [this] { m_agentOutput += m_agent.readAllStandardError(); });
    }

    void cleanup()
    {
        if (m_agent.state() != QProcess::NotRunning) {
            m_agent.kill();
            m_agent.waitForFinished(5000);
        }
        if (QTest::currentTestFailed())
            qWarning().noquote() << "opsdeck-agent said:\n" << m_agentOutput;
        m_agentOutput.clear();
        m_hub.reset();
    }

    void refusesATokenFileOthersCanRead()
    {
        const QString token = writeToken(QStringLiteral("open.token"),
                                         QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadOther);
        QProcess agent;
        agent.start(QStringLiteral(OPSDECK_AGENT_BINARY),
                    {QStringLiteral("--hub"), QStringLiteral("ws://127.0.0.1:9"), QStringLiteral("--token-file"), token,
                     QStringLiteral("--name"), QStringLiteral("web-01")});
        QVERIFY(agent.waitForFinished(10000));
        QCOMPARE(agent.exitCode(), 2);
        const QByteArray said = agent.readAllStandardError();
        QVERIFY2(said.contains("chmod 600"), said.constData());
        QVERIFY(!said.contains(kToken));
    }

    void realAgentRegistersRunsStreamsAndReconnects()
    {
        QVERIFY(startHub(0));
        m_port = m_hub->port();
        const QString token = writeToken(QStringLiteral("agent.token"), QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        const QString logFile = m_dir.filePath(QStringLiteral("app.log"));
        {
            QFile file(logFile);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("2026-11-21T12:00:00Z INFO old line, before the agent started\n");
        }
        m_agent.start(QStringLiteral(OPSDECK_AGENT_BINARY),
                      {QStringLiteral("--hub"), QStringLiteral("ws://127.0.0.1:%1").arg(m_port),
                       QStringLiteral("--token-file"), token, QStringLiteral("--name"), QStringLiteral("web-01"),
                       QStringLiteral("--kind"), QStringLiteral("web"), QStringLiteral("--allow"), QStringLiteral("echo"),
                       QStringLiteral("--log-file"), logFile, QStringLiteral("--heartbeat-interval-ms"), QStringLiteral("500"),
                       QStringLiteral("--metrics-interval-ms"), QStringLiteral("500")});
        QVERIFY(m_agent.waitForStarted(10000));

        TestClient client;
        QVERIFY(client.open(m_hub->url()));
        const QString logs = client.subscribe(QJsonObject{{QStringLiteral("topic"), QStringLiteral("logs")},
                                                          {QStringLiteral("batch"), false}})
                                 .value(QLatin1StringView("sub")).toString();
        QVERIFY(!logs.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(agentConnected(), 20000);
        const auto listed = client.request(QJsonObject{{QStringLiteral("type"), QStringLiteral("query")}, {QStringLiteral("query"), QStringLiteral("agents")}});
        const QJsonObject agent = listed->value(QLatin1StringView("result")).toObject().value(QLatin1StringView("agents")).toArray().at(0).toObject();
        QCOMPARE(agent.value(QLatin1StringView("name")).toString(), QStringLiteral("web-01"));
        QCOMPARE(agent.value(QLatin1StringView("kind")).toString(), QStringLiteral("web"));
        QCOMPARE(agent.value(QLatin1StringView("capabilities")).toArray(), (QJsonArray{QStringLiteral("status"), QStringLiteral("echo")}));

        // An allowed command: its result, and its output line on the logs topic.
        const auto echoed = runCommand(client, QStringLiteral("cmd-echo"), QStringLiteral("echo hi from the agent"));
        QVERIFY(echoed);
        QCOMPARE(str(*echoed, "isSuccess"), QStringLiteral("true"));
        QCOMPARE(str(*echoed, "textResult.response"), QStringLiteral("hi from the agent\n"));
        QCOMPARE(str(*echoed, "commandName"), QStringLiteral("echo"));
        QVERIFY(client.waitFor([](const QJsonObject &m) {
            return isType(m, "log") && str(m, "message") == QLatin1StringView("hi from the agent")
                && str(m, "source") == QLatin1StringView("web-01") && str(m, "stream") == QLatin1StringView("stdout");
        }, 10000));

        // A program that is not on the list.
        const auto refused = runCommand(client, QStringLiteral("cmd-uptime"), QStringLiteral("uptime"));
        QVERIFY(refused);
        QCOMPARE(str(*refused, "isSuccess"), QStringLiteral("false"));
        QCOMPARE(str(*refused, "error.code"), QStringLiteral("COMMAND_FAILED"));
        QCOMPARE(str(*refused, "error.message"), QStringLiteral("not allowed: uptime (allowed: status, echo)"));

        // The queue counts reached the registry.
        QTRY_COMPARE_WITH_TIMEOUT(m_hub->registry().find(QStringLiteral("web-01"))->queue.processed, 2, 10000);
        QCOMPARE(m_hub->registry().find(QStringLiteral("web-01"))->queue.failed, 1);

        // A line appended to the followed file.
        {
            QFile file(logFile);
            QVERIFY(file.open(QIODevice::Append));
            file.write("2026-11-21T12:00:05Z ERROR payment gateway timed out\n");
        }
        const auto tailed = client.waitFor([](const QJsonObject &m) {
            return isType(m, "log") && str(m, "stream") == QLatin1StringView("file");
        }, 15000);
        QVERIFY(tailed);
        QVERIFY2(str(*tailed, "message").contains(QStringLiteral("payment gateway timed out")), qPrintable(str(*tailed, "message")));
        QCOMPARE(str(*tailed, "source"), QStringLiteral("web-01"));
        QCOMPARE(str(*tailed, "level"), QStringLiteral("error"));
        // Its own metrics.
        QVERIFY(client.subscribe(QJsonObject{{QStringLiteral("topic"), QStringLiteral("metrics")}, {QStringLiteral("history"), 10}}).contains(QLatin1StringView("sub")));
        const auto metrics = client.waitFor([](const QJsonObject &m) { return isType(m, "metrics") && str(m, "source") == QLatin1StringView("web-01"); }, 10000);
        QVERIFY(metrics);
        QVERIFY(metrics->value(QLatin1StringView("memory")).toDouble() > 0);

        // The hub goes away and comes back on the same port: the agent registers again.
        m_hub.reset();
        QVERIFY(client.waitForClosed());
        QTRY_VERIFY_WITH_TIMEOUT(startHub(m_port), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(agentConnected(), 30000);
        TestClient again;
        QVERIFY(again.open(m_hub->url()));
        const auto afterRestart = runCommand(again, QStringLiteral("cmd-echo-2"), QStringLiteral("echo still here"));
        QVERIFY(afterRestart);
        QCOMPARE(str(*afterRestart, "textResult.response"), QStringLiteral("still here\n"));

        // SIGTERM: a clean stop, the hub sees it go.
        ::kill(pid_t(m_agent.processId()), SIGTERM);
        QVERIFY(m_agent.waitForFinished(10000));
        QCOMPARE(m_agent.exitStatus(), QProcess::NormalExit);
        QCOMPARE(m_agent.exitCode(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(!agentConnected(), 10000);
        m_agentOutput += m_agent.readAllStandardError();
        QVERIFY(!m_agentOutput.contains(kToken));
        QVERIFY(m_agentOutput.contains("registered as web-01"));
    }
};

QTEST_GUILESS_MAIN(TestAgentProcess)
#include "tst_agent_process.moc"
