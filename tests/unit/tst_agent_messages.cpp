// The hub's reading of agent messages (docs/protocol.md §14): what is accepted, and the field a
// refusal names.

#include "agentmessages.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace opsdeck::hub;
using namespace opsdeck::hub::agentproto;
using opsdeck::protocol::ErrorCode;
using opsdeck::protocol::ProtocolError;

namespace {
QJsonObject json(const char *text)
{
    return QJsonDocument::fromJson(QByteArray(text)).object();
}

template<typename T>
QString refusedField(const Parsed<T> &parsed)
{
    const auto *error = std::get_if<ProtocolError>(&parsed);
    if (!error)
        return QStringLiteral("<accepted>");
    if (error->code != ErrorCode::BadMessage)
        return QStringLiteral("<not BAD_MESSAGE>");
    return error->details.value(QLatin1StringView("field")).toString();
}
} // namespace

class TestAgentMessages : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void registerIsReadWithDefaults()
    {
        const auto parsed = parseRegister(json(R"({"type":"register","id":"r1","name":"web-01","kind":"web","host":"edge-1",
            "version":"0.1.0","capabilities":["status"],"allow":["uptime","df","status"]})"));
        QVERIFY(std::holds_alternative<Registration>(parsed));
        const Registration &r = std::get<Registration>(parsed);
        QCOMPARE(r.info.id, QStringLiteral("web-01"));
        QCOMPARE(r.info.kind, QStringLiteral("web"));
        QCOMPARE(r.info.host, QStringLiteral("edge-1"));
        QCOMPARE(r.allow, (QStringList{QStringLiteral("uptime"), QStringLiteral("df"), QStringLiteral("status")}));
        // Capabilities list what the console may offer: the agent's, then its allowed programs.
        QCOMPARE(r.info.capabilities, (QStringList{QStringLiteral("status"), QStringLiteral("uptime"), QStringLiteral("df")}));

        const auto minimal = parseRegister(json(R"({"name":"db.2_a"})"));
        QVERIFY(std::holds_alternative<Registration>(minimal));
        QCOMPARE(std::get<Registration>(minimal).info.kind, QStringLiteral("agent"));
    }

    void registerRefusals_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("field");
        QTest::newRow("no name") << QByteArray(R"({"kind":"web"})") << "name";
        QTest::newRow("name slash") << QByteArray(R"({"name":"a/b"})") << "name";
        QTest::newRow("name dash first") << QByteArray(R"({"name":"-a"})") << "name";
        QTest::newRow("name unicode") << QByteArray(R"({"name":"wéb"})") << "name";
        QTest::newRow("kind number") << QByteArray(R"({"name":"a","kind":3})") << "kind";
        QTest::newRow("allow not array") << QByteArray(R"({"name":"a","allow":"uptime"})") << "allow";
        QTest::newRow("allow empty item") << QByteArray(R"({"name":"a","allow":[""]})") << "allow";
        QTest::newRow("capabilities numbers") << QByteArray(R"({"name":"a","capabilities":[1]})") << "capabilities";
    }
    void registerRefusals()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, field);
        QCOMPARE(refusedField(parseRegister(QJsonDocument::fromJson(body).object())), field);
    }

    void statusAndHeartbeat()
    {
        const auto heartbeat = parseStatus(json(R"({"type":"heartbeat"})"), false);
        QVERIFY(std::holds_alternative<StatusReport>(heartbeat));
        QVERIFY(!std::get<StatusReport>(heartbeat).status);
        const auto busy = parseStatus(json(R"({"status":"busy","task":"df -h"})"), true);
        QCOMPARE(*std::get<StatusReport>(busy).status, QStringLiteral("busy"));
        QCOMPARE(std::get<StatusReport>(busy).task, QStringLiteral("df -h"));
        QCOMPARE(refusedField(parseStatus(json(R"({"task":"x"})"), true)), QStringLiteral("status"));
        QCOMPARE(refusedField(parseStatus(json(R"({"task":"x"})"), false)), QStringLiteral("status"));
        QCOMPARE(refusedField(parseStatus(json(R"({"status":"offline"})"), true)), QStringLiteral("status"));
    }

    void metrics()
    {
        const auto parsed = parseMetrics(json(R"({"cpu":12.5,"memory_mib":40,"memory_limit_mib":8000,
            "rx_bytes_per_s":100,"tx_bytes_per_s":50,"disk_used_gib":1,"disk_total_gib":2,"timestamp":"2026-11-21T12:00:00Z"})"));
        QVERIFY(std::holds_alternative<MetricsSample>(parsed));
        const MetricsSample &s = std::get<MetricsSample>(parsed);
        QCOMPARE(s.cpu, 12.5);
        QCOMPARE(s.memoryMiB, 40.0);
        QCOMPARE(s.memoryLimitMiB, 8000.0);
        QCOMPARE(s.rxBytesPerSec, 100.0);
        QCOMPARE(*s.diskTotalGiB, 2.0);
        QCOMPARE(s.timeMs, QDateTime::fromString(QStringLiteral("2026-11-21T12:00:00Z"), Qt::ISODate).toMSecsSinceEpoch());
        QCOMPARE(refusedField(parseMetrics(json(R"({"memory_mib":1})"))), QStringLiteral("cpu"));
        QCOMPARE(refusedField(parseMetrics(json(R"({"cpu":-1,"memory_mib":1})"))), QStringLiteral("cpu"));
        QCOMPARE(refusedField(parseMetrics(json(R"({"cpu":1,"memory_mib":"1"})"))), QStringLiteral("memory_mib"));
        QCOMPARE(refusedField(parseMetrics(json(R"({"cpu":1,"memory_mib":1,"disk_used_gib":1})"))), QStringLiteral("disk_total_gib"));
        QCOMPARE(refusedField(parseMetrics(json(R"({"cpu":1,"memory_mib":1,"timestamp":"yesterday"})"))), QStringLiteral("timestamp"));
    }

    void logEntries()
    {
        const auto parsed = parseLogEntry(json(R"({"type":"log","timestamp":"2026-11-21T12:00:00.123Z","stream":"stderr","message":"boom\n at x"})"));
        QVERIFY(std::holds_alternative<LogEntry>(parsed));
        const LogEntry &entry = std::get<LogEntry>(parsed);
        QCOMPARE(entry.level, QStringLiteral("info")); // none given
        QCOMPARE(entry.stream, QStringLiteral("stderr"));
        QCOMPARE(entry.message, QStringLiteral("boom\n at x"));
        QCOMPARE(entry.timeMs, QDateTime::fromString(QStringLiteral("2026-11-21T12:00:00.123Z"), Qt::ISODateWithMs).toMSecsSinceEpoch());
        QCOMPARE(refusedField(parseLogEntry(json(R"({"timestamp":"2026-11-21T12:00:00Z","stream":"tty","message":"x"})"))), QStringLiteral("stream"));
        QCOMPARE(refusedField(parseLogEntry(json(R"({"timestamp":"2026-11-21T12:00:00Z","stream":"stdout","level":"loud","message":"x"})"))), QStringLiteral("level"));
        QCOMPARE(refusedField(parseLogEntry(json(R"({"timestamp":"2026-11-21T12:00:00Z","stream":"stdout"})"))), QStringLiteral("message"));
        QCOMPARE(refusedField(parseLogEntry(json(R"({"stream":"stdout","message":"x"})"))), QStringLiteral("timestamp"));
    }

    void batchesAreAllOrNothing()
    {
        const auto parsed = parseLogBatch(json(R"({"type":"batch","count":2,"logs":[
            {"type":"log","timestamp":"2026-11-21T12:00:00Z","stream":"stdout","message":"a"},
            {"type":"log","timestamp":"2026-11-21T12:00:01Z","stream":"file","level":"warn","message":"b"}]})"), 100);
        QVERIFY(std::holds_alternative<QList<LogEntry>>(parsed));
        QCOMPARE(std::get<QList<LogEntry>>(parsed).size(), 2);
        QCOMPARE(std::get<QList<LogEntry>>(parsed).at(1).level, QStringLiteral("warn"));

        QCOMPARE(refusedField(parseLogBatch(json(R"({"logs":[
            {"timestamp":"2026-11-21T12:00:00Z","stream":"stdout","message":"a"},
            {"timestamp":"2026-11-21T12:00:00Z","stream":"nope","message":"b"}]})"), 100)), QStringLiteral("logs[1].stream"));
        QCOMPARE(refusedField(parseLogBatch(json(R"({"logs":[{"timestamp":"2026-11-21T12:00:00Z","message":"a"}]})"), 100)),
                 QStringLiteral("logs[0].stream"));
        QCOMPARE(refusedField(parseLogBatch(json(R"({"count":3,"logs":[{"timestamp":"2026-11-21T12:00:00Z","stream":"stdout","message":"a"}]})"), 100)),
                 QStringLiteral("count"));
        QCOMPARE(refusedField(parseLogBatch(json(R"({"logs":[]})"), 100)), QStringLiteral("logs"));
        QCOMPARE(refusedField(parseLogBatch(json(R"({"logs":[1]})"), 100)), QStringLiteral("logs[0]"));
        QJsonArray many;
        for (int i = 0; i < 3; ++i)
            many.append(json(R"({"timestamp":"2026-11-21T12:00:00Z","stream":"stdout","message":"a"})"));
        QCOMPARE(refusedField(parseLogBatch(QJsonObject{{QStringLiteral("logs"), many}}, 2)), QStringLiteral("logs"));
    }

    void queueMetricsAreSeed000s()
    {
        const auto parsed = parseQueueMetrics(json(R"({"type":"queue_metrics","activeCount":2,"activeIds":["c-1","c-2"],
            "processed":10,"succeeded":7,"failed":3})"));
        QVERIFY(std::holds_alternative<QueueMetrics>(parsed));
        const QueueMetrics &q = std::get<QueueMetrics>(parsed);
        QCOMPARE(q.activeIds, (QStringList{QStringLiteral("c-1"), QStringLiteral("c-2")}));
        QCOMPARE(q.processed, 10);
        QCOMPARE(q.succeeded, 7);
        QCOMPARE(q.failed, 3);
        QCOMPARE(refusedField(parseQueueMetrics(json(R"({"activeCount":1,"activeIds":[],"processed":0,"succeeded":0,"failed":0})"))),
                 QStringLiteral("activeCount"));
        QCOMPARE(refusedField(parseQueueMetrics(json(R"({"activeCount":0,"activeIds":[],"succeeded":0,"failed":0})"))),
                 QStringLiteral("processed"));
        QCOMPARE(refusedField(parseQueueMetrics(json(R"({"activeCount":0,"activeIds":[],"processed":1,"succeeded":1,"failed":1})"))),
                 QStringLiteral("processed"));
    }

    void commandResultsAreSeed000ClientMessages()
    {
        const auto ok = parseCommandResult(json(R"({"type":"command_result","commandSyncId":"c-1","isSuccess":true,
            "commandName":"uptime","commandType":"text","textResult":{"response":"up 3 days"}})"));
        QVERIFY(std::holds_alternative<CommandResult>(ok));
        QCOMPARE(std::get<CommandResult>(ok).text, QStringLiteral("up 3 days"));
        QVERIFY(!std::get<CommandResult>(ok).errorCode);

        const auto failed = parseCommandResult(json(R"({"commandSyncId":"c-2","isSuccess":false,"commandName":"df",
            "textResult":{"response":""},"error":{"code":"COMMAND_TIMEOUT","message":"too slow"}})"));
        QCOMPARE(*std::get<CommandResult>(failed).errorCode, ErrorCode::CommandTimeout);
        QCOMPARE(std::get<CommandResult>(failed).errorMessage, QStringLiteral("too slow"));

        const auto bare = parseCommandResult(json(R"({"commandSyncId":"c-3","isSuccess":false})"));
        QCOMPARE(*std::get<CommandResult>(bare).errorCode, ErrorCode::CommandFailed);

        const auto graph = parseCommandResult(json(R"({"commandSyncId":"c-4","isSuccess":true,"commandType":"graph",
            "graphResult":{"series":[],"unit":"ms"}})"));
        QCOMPARE(std::get<CommandResult>(graph).graph.value(QLatin1StringView("unit")).toString(), QStringLiteral("ms"));

        QCOMPARE(refusedField(parseCommandResult(json(R"({"isSuccess":true})"))), QStringLiteral("commandSyncId"));
        QCOMPARE(refusedField(parseCommandResult(json(R"({"commandSyncId":"c","isSuccess":"yes"})"))), QStringLiteral("isSuccess"));
        QCOMPARE(refusedField(parseCommandResult(json(R"({"commandSyncId":"c","isSuccess":true,"commandType":"table"})"))), QStringLiteral("commandType"));
        QCOMPARE(refusedField(parseCommandResult(json(R"({"commandSyncId":"c","isSuccess":true,"commandType":"graph"})"))), QStringLiteral("graphResult"));
        QCOMPARE(refusedField(parseCommandResult(json(R"({"commandSyncId":"c","isSuccess":true,"textResult":{"response":5}})"))), QStringLiteral("textResult.response"));
        QCOMPARE(refusedField(parseCommandResult(json(R"({"commandSyncId":"c","isSuccess":false,"error":{"code":"AGENT_UNAVAILABLE"}})"))), QStringLiteral("error.code"));
        QCOMPARE(refusedField(parseCommandResult(json(R"({"commandSyncId":"c","isSuccess":true,"error":{"code":"COMMAND_FAILED"}})"))), QStringLiteral("error"));
    }

    void hubToAgentMessages()
    {
        CommandRequest request;
        request.id = QStringLiteral("client-secret-id");
        request.commandSyncId = QStringLiteral("cmd-456-789");
        request.instanceId = QStringLiteral("web-01");
        request.command = QStringLiteral("uptime");
        request.sessionId = QStringLiteral("session-abc");
        request.parameters = json(R"({"key1":"value1"})");
        request.timeoutMs = 5000;
        const QJsonObject command = commandMessage(request);
        QCOMPARE(command, json(R"({"type":"command","commandSyncId":"cmd-456-789","instanceId":"web-01","command":"uptime",
            "sessionId":"session-abc","parameters":{"key1":"value1"},"timeout_ms":5000})"));
        QCOMPARE(cancelMessage(QStringLiteral("cmd-456-789")), json(R"({"type":"cancel","commandSyncId":"cmd-456-789"})"));
        QVERIFY(isAgentMessageType(QStringLiteral("queue_metrics")));
        QVERIFY(!isAgentMessageType(QStringLiteral("subscribe")));
    }
};

QTEST_GUILESS_MAIN(TestAgentMessages)
#include "tst_agent_messages.moc"
