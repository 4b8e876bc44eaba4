// Issue 7 end to end with real processes and real credentials: `opsdeck-hub --mode dev` on this
// machine, an operator token and an agent token issued by its admin CLI, a real `opsdeck-agent`,
// and an operator's client. The hub shows this host's real metrics and the lines appended to a
// file it tails; the agent registers, runs an allowed command, refuses another, and streams its
// own log file.

#include "hubprocess.h"
#include "testclient.h"

#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace opsdeck::testing;

namespace {
bool isType(const QJsonObject &m, const char *type)
{
    return m.value(QLatin1StringView("type")).toString() == QLatin1StringView(type);
}

void appendLine(const QString &path, const QByteArray &line)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::Append));
    file.write(line + '\n');
}
} // namespace

class TestAgentE2e : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanup();
    void devHubServesHostAgentAndFiles();

private:
    QString cli(const QStringList &args);
    QString writeTokenFile(const QString &name, const QString &token);

    QTemporaryDir m_dir;
    QProcess m_agent;
};

QString TestAgentE2e::cli(const QStringList &args)
{
    QProcess process;
    process.start(HubProcess::binaryPath(), args + QStringList{QStringLiteral("--data-dir"), m_dir.filePath(QStringLiteral("data"))});
    process.closeWriteChannel();
    if (!process.waitForFinished(30000) || process.exitCode() != 0)
        return {};
    return QString::fromUtf8(process.readAllStandardOutput()).trimmed();
}

QString TestAgentE2e::writeTokenFile(const QString &name, const QString &token)
{
    const QString path = m_dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(token.toUtf8());
    return path;
}

void TestAgentE2e::cleanup()
{
    if (m_agent.state() != QProcess::NotRunning) {
        m_agent.terminate();
        if (!m_agent.waitForFinished(5000))
            m_agent.kill();
    }
}

void TestAgentE2e::devHubServesHostAgentAndFiles()
{
    QVERIFY(m_dir.isValid());
    // Credentials from the hub's own admin CLI: an operator (token issue --user needs the user)
    // and an agent.
    QProcess add;
    add.start(HubProcess::binaryPath(), {QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("olga"),
                                         QStringLiteral("--role"), QStringLiteral("operator"), QStringLiteral("--password-stdin"),
                                         QStringLiteral("--data-dir"), m_dir.filePath(QStringLiteral("data"))});
    add.write("olga-password-123\n");
    add.closeWriteChannel();
    QVERIFY(add.waitForFinished(30000) && add.exitCode() == 0);
    const QString operatorToken = cli({QStringLiteral("token"), QStringLiteral("issue"), QStringLiteral("--user"),
                                       QStringLiteral("olga"), QStringLiteral("--ttl"), QStringLiteral("1h")});
    const QString agentToken = cli({QStringLiteral("token"), QStringLiteral("issue"), QStringLiteral("--agent"),
                                    QStringLiteral("web-7"), QStringLiteral("--ttl"), QStringLiteral("1h")});
    QVERIFY(!operatorToken.isEmpty() && !agentToken.isEmpty());

    const QString hubLog = m_dir.filePath(QStringLiteral("app.log"));
    appendLine(hubLog, "2026-12-01T10:00:00Z INFO before the hub started");
    HubProcess hub({QStringLiteral("--data-dir"), m_dir.filePath(QStringLiteral("data")), QStringLiteral("--log-file"),
                    hubLog + QStringLiteral("=app"), QStringLiteral("--host-metrics-interval-ms"), QStringLiteral("200")});
    hub.setMode(QStringLiteral("dev"));
    QVERIFY2(hub.start(), qPrintable(hub.errorString()));

    // An agent token opens only the agent endpoint; the operator token only the operator one.
    TestClient wrongDoor;
    wrongDoor.open(hub.url(), agentToken.toUtf8());
    QVERIFY(wrongDoor.waitForClosed(10000));
    QCOMPARE(wrongDoor.closeCode(), 4401);

    TestClient client;
    QVERIFY(client.open(hub.url(), operatorToken.toUtf8()));
    const QString metricsSub = client.subscribe(QJsonObject{{"type", "subscribe"}, {"topic", "metrics"}}).value("sub").toString();
    const QString logsSub = client.subscribe(QJsonObject{{"type", "subscribe"}, {"topic", "logs"}, {"history", 0}}).value("sub").toString();
    QVERIFY(!metricsSub.isEmpty() && !logsSub.isEmpty());

    // This host's real metrics.
    const auto host = client.waitFor(
        [](const QJsonObject &m) { return isType(m, "metrics") && m.value("kind").toString() == QLatin1StringView("host"); },
        15000);
    QVERIFY2(host, "no host metrics from a dev hub");
    QVERIFY(host->value("memoryLimit").toDouble() > 0);
    QVERIFY(host->value("cpu").toDouble() >= 0 && host->value("cpu").toDouble() <= 100);
    QVERIFY(host->contains("network"));

    // A line appended to the tailed file.
    appendLine(hubLog, "2026-12-01T10:00:01Z ERROR appended while the hub runs");
    QVERIFY(client.waitFor(
        [&](const QJsonObject &) {
            for (const QJsonObject &entry : client.logEntries(logsSub))
                if (entry.value("message").toString().contains(QLatin1StringView("appended while the hub runs")))
                    return entry.value("stream").toString() == QLatin1StringView("file")
                        && entry.value("level").toString() == QLatin1StringView("error");
            return false;
        },
        15000));

    // A real agent with its issued token.
    const QString tokenFile = writeTokenFile(QStringLiteral("agent.token"), agentToken);
    const QString agentLog = m_dir.filePath(QStringLiteral("agent.log"));
    appendLine(agentLog, "2026-12-01T10:00:00Z INFO agent log before start");
    m_agent.setProcessChannelMode(QProcess::MergedChannels);
    m_agent.start(QStringLiteral(OPSDECK_AGENT_BINARY),
                  {QStringLiteral("--hub"), QStringLiteral("ws://127.0.0.1:%1").arg(hub.port()), QStringLiteral("--token-file"),
                   tokenFile, QStringLiteral("--name"), QStringLiteral("web-7"), QStringLiteral("--allow"), QStringLiteral("echo"),
                   QStringLiteral("--log-file"), agentLog});
    QVERIFY(m_agent.waitForStarted(10000));
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            const auto answer = client.request(QJsonObject{{"type", "query"}, {"query", "agents"}});
            for (const QJsonValue &agent : answer ? answer->value("result").toObject().value("agents").toArray() : QJsonArray())
                if (agent.toObject().value("id").toString() == QLatin1StringView("web-7"))
                    return agent.toObject().value("connected").toBool();
            return false;
        }(),
        20000);

    client.send(QJsonObject{{"type", "command"}, {"id", "e2e-echo"}, {"instanceId", "web-7"}, {"command", "echo hello from web-7"}});
    const auto ran = client.waitFor(
        [](const QJsonObject &m) { return isType(m, "command_result") && m.value("id").toString() == QLatin1StringView("e2e-echo"); },
        20000);
    QVERIFY(ran);
    QVERIFY(ran->value("isSuccess").toBool());
    QCOMPARE(ran->value("textResult").toObject().value("response").toString().trimmed(), QStringLiteral("hello from web-7"));

    client.send(QJsonObject{{"type", "command"}, {"id", "e2e-rm"}, {"instanceId", "web-7"}, {"command", "rm -rf /tmp/x"}});
    const auto refused = client.waitFor(
        [](const QJsonObject &m) { return isType(m, "command_result") && m.value("id").toString() == QLatin1StringView("e2e-rm"); },
        20000);
    QVERIFY(refused);
    QVERIFY(!refused->value("isSuccess").toBool());
    QVERIFY(refused->value("error").toObject().value("message").toString().contains(QLatin1StringView("not allowed")));

    appendLine(agentLog, "2026-12-01T10:00:02Z WARN disk almost full on web-7");
    QVERIFY(client.waitFor(
        [&](const QJsonObject &) {
            for (const QJsonObject &entry : client.logEntries(logsSub))
                if (entry.value("message").toString().contains(QLatin1StringView("disk almost full on web-7")))
                    return entry.value("source").toString() == QLatin1StringView("web-7");
            return false;
        },
        15000));
    QVERIFY(!m_agent.readAll().contains(agentToken.toUtf8())); // the agent never prints its token
    QCOMPARE(hub.terminate(), 0);
}

QTEST_GUILESS_MAIN(TestAgentE2e)
#include "tst_agent_e2e.moc"
