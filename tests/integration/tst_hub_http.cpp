// A real opsdeck-hub process with --http-listen 127.0.0.1:0 --host-metrics: the two stdout
// lines, /healthz, /metrics parsed strictly and growing with WebSocket traffic, and the host's
// own `metrics` entries reaching a subscribed client with plausible values. Waits are on
// replies and messages (QTRY_*), never on time.

#include "hubprocess.h"
#include "testclient.h"
#include "tst_hub_http_scrape.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSysInfo>
#include <QTcpServer>
#include <QTest>

using opsdeck::testing::HubProcess;
using opsdeck::testing::parseProm;
using opsdeck::testing::PromScrape;
using opsdeck::testing::TestClient;

namespace {
QString str(const QJsonObject &m, const char *field)
{
    return m.value(QLatin1StringView(field)).toString();
}

double num(const QJsonObject &m, const char *field)
{
    return m.value(QLatin1StringView(field)).toDouble(-1);
}

// MemTotal of /proc/meminfo in KiB, read independently of the hub's parser.
qint64 memTotalKiB()
{
    QFile file(QStringLiteral("/proc/meminfo"));
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    static const QRegularExpression re(
        QStringLiteral("^MemTotal:\\s+(\\d+) kB"), QRegularExpression::MultilineOption);
    return re.match(QString::fromLatin1(file.readAll())).captured(1).toLongLong();
}

int cpuLinesInProcStat()
{
    QFile file(QStringLiteral("/proc/stat"));
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    static const QRegularExpression re(QStringLiteral("^cpu(\\d+) "), QRegularExpression::MultilineOption);
    int highest = -1;
    for (auto it = re.globalMatch(QString::fromLatin1(file.readAll())); it.hasNext();)
        highest = std::max(highest, it.next().captured(1).toInt());
    return highest + 1;
}
} // namespace

class TestHubHttp : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        m_hub.setProcessChannelMode(QProcess::SeparateChannels);
        m_hub.start(HubProcess::binaryPath(),
            {QStringLiteral("--mode"), QStringLiteral("demo"), QStringLiteral("--listen"),
                QStringLiteral("127.0.0.1:0"), QStringLiteral("--fleet"), QStringLiteral("none"),
                QStringLiteral("--http-listen"), QStringLiteral("127.0.0.1:0"),
                QStringLiteral("--host-metrics"), QStringLiteral("--host-metrics-interval-ms"),
                QStringLiteral("500")});
        QVERIFY(m_hub.waitForStarted(20000));
        QTRY_VERIFY_WITH_TIMEOUT(lineCount() >= 2 || m_hub.state() != QProcess::Running, 30000);
        const QStringList lines = QString::fromUtf8(m_stdout).split(u'\n');
        QVERIFY2(lines.size() >= 3, m_hub.readAllStandardError().constData());
        // The first line stays the contract; the HTTP line follows it.
        static const QRegularExpression ws(QStringLiteral("^listening on (ws://127\\.0\\.0\\.1:\\d+/\\S+)$"));
        static const QRegularExpression http(
            QStringLiteral("^http listening on (http://127\\.0\\.0\\.1:(\\d+))$"));
        const auto wsMatch = ws.match(lines.at(0));
        const auto httpMatch = http.match(lines.at(1));
        QVERIFY2(wsMatch.hasMatch(), qPrintable(lines.at(0)));
        QVERIFY2(httpMatch.hasMatch(), qPrintable(lines.at(1)));
        QVERIFY(httpMatch.captured(2).toInt() > 0);
        m_wsUrl = QUrl(wsMatch.captured(1));
        m_httpUrl = QUrl(httpMatch.captured(1));
    }

    void healthz()
    {
        QNetworkReply *reply = get(QStringLiteral("/healthz"));
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        const QJsonObject body = QJsonDocument::fromJson(reply->readAll()).object();
        QCOMPARE(str(body, "status"), QStringLiteral("ok"));
        QCOMPARE(str(body, "mode"), QStringLiteral("demo"));
        QCOMPARE(
            get(QStringLiteral("/nope"))->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 404);
    }

    void hostMetricsReachSubscribers()
    {
        const QString host = QSysInfo::machineHostName();
        TestClient client;
        QVERIFY(client.open(m_wsUrl));
        const QJsonObject result
            = client.subscribe(QJsonObject {{QStringLiteral("topic"), QStringLiteral("metrics")},
                {QStringLiteral("filter"), QJsonObject {{QStringLiteral("sources"), QJsonArray {host}}}}});
        QVERIFY(!str(result, "sub").isEmpty());
        const qint64 memTotal = memTotalKiB();
        QVERIFY(memTotal > 0);
        for (int i = 0; i < 2; ++i) {
            const auto entry = client.waitFor(
                [&](const QJsonObject &m) { return str(m, "type") == QLatin1StringView("metrics"); }, 30000);
            QVERIFY(entry);
            QCOMPARE(str(*entry, "source"), host);
            QCOMPARE(str(*entry, "host"), host);
            QCOMPARE(str(*entry, "kind"), QStringLiteral("host"));
            QCOMPARE(str(*entry, "topic"), QStringLiteral("metrics"));
            QVERIFY(num(*entry, "cpu") >= 0 && num(*entry, "cpu") <= 100);
            // MiB, rounded: the same as /proc/meminfo's MemTotal.
            QCOMPARE(num(*entry, "memoryLimit"), std::round(double(memTotal) / 1024.0));
            QVERIFY(num(*entry, "memory") > 0 && num(*entry, "memory") <= num(*entry, "memoryLimit"));
            const QJsonObject network = entry->value(QLatin1StringView("network")).toObject();
            QVERIFY(num(network, "rx") >= 0 && num(network, "tx") >= 0);
            const QJsonObject disk = entry->value(QLatin1StringView("disk")).toObject();
            QVERIFY(num(disk, "total") > 0 && num(disk, "used") <= num(disk, "total"));
            const QJsonArray cores = entry->value(QLatin1StringView("cpuCores")).toArray();
            QCOMPARE(cores.size(), cpuLinesInProcStat());
            for (const QJsonValue &core : cores)
                QVERIFY(core.toDouble(-1) >= 0 && core.toDouble(-1) <= 100);
            QVERIFY(entry->value(QLatin1StringView("load")).toObject().contains(QLatin1StringView("1m")));
            QVERIFY(num(*entry, "uptime") > 0);
            QVERIFY(entry->value(QLatin1StringView("swap")).isObject());
            QVERIFY(entry->value(QLatin1StringView("interfaces")).isObject());
            QVERIFY(entry->value(QLatin1StringView("diskIo")).isObject());
        }
    }

    void metricsParseAndGrowWithTraffic()
    {
        const PromScrape before = scrape();
        QVERIFY2(before.problem.isEmpty(), qPrintable(before.problem));
        QVERIFY(!before.samples.isEmpty());
        for (const QString &family : before.type.keys())
            QVERIFY2(before.help.contains(family), qPrintable(family));
        for (const char *family : {"opsdeck_hub_connections", "opsdeck_hub_messages_received_total",
                 "opsdeck_hub_message_handling_seconds", "opsdeck_hub_errors_total",
                 "opsdeck_hub_closes_total", "opsdeck_hub_auth_failures_total", "opsdeck_hub_unsent_bytes",
                 "opsdeck_hub_topic_head_seq", "opsdeck_hub_topic_retained_entries",
                 "opsdeck_hub_terminals_open", "opsdeck_hub_uptime_seconds", "opsdeck_hub_build_info",
                 "opsdeck_host_cpu_percent"})
            QVERIFY2(before.type.contains(QString::fromLatin1(family)), family);
        const double cpu = before.value(QStringLiteral("opsdeck_host_cpu_percent")).value_or(-1);
        QVERIFY(cpu >= 0 && cpu <= 100);
        QCOMPARE(before.value(QStringLiteral("opsdeck_host_memory_total_bytes")).value_or(-1),
            double(memTotalKiB()) * 1024.0);
        QVERIFY(before
                    .value(QStringLiteral("opsdeck_hub_topic_head_seq"),
                        {{QStringLiteral("topic"), QStringLiteral("metrics")}})
                    .value_or(0)
            >= 1);

        const auto received = [](const PromScrape &s, const char *type) {
            return s
                .value(QStringLiteral("opsdeck_hub_messages_received_total"),
                    {{QStringLiteral("type"), QString::fromLatin1(type)}})
                .value_or(0);
        };
        const auto sent = [](const PromScrape &s, const char *type) {
            return s
                .value(QStringLiteral("opsdeck_hub_messages_sent_total"),
                    {{QStringLiteral("type"), QString::fromLatin1(type)}})
                .value_or(0);
        };
        TestClient client;
        QVERIFY(client.open(m_wsUrl));
        for (int i = 0; i < 3; ++i)
            QVERIFY(client.request(QJsonObject {{QStringLiteral("type"), QStringLiteral("ping")}}));
        client.sendRaw(QStringLiteral("not json"));
        QVERIFY(client.waitForType(QStringLiteral("error")));

        const PromScrape after = scrape();
        QVERIFY2(after.problem.isEmpty(), qPrintable(after.problem));
        QCOMPARE(received(after, "ping"), received(before, "ping") + 3);
        QCOMPARE(sent(after, "pong"), sent(before, "pong") + 3);
        QCOMPARE(received(after, "invalid"), received(before, "invalid") + 1);
        QVERIFY(after
                    .value(QStringLiteral("opsdeck_hub_message_handling_seconds_count"),
                        {{QStringLiteral("type"), QStringLiteral("ping")}})
                    .value_or(0)
            >= 3);
        QVERIFY(after.value(QStringLiteral("opsdeck_hub_connections_accepted_total")).value_or(0)
            > before.value(QStringLiteral("opsdeck_hub_connections_accepted_total")).value_or(0));
        QCOMPARE(after.value(QStringLiteral("opsdeck_hub_connections")).value_or(-1), 1.0);
        QVERIFY(after
                    .value(QStringLiteral("opsdeck_hub_errors_total"),
                        {{QStringLiteral("code"), QStringLiteral("BAD_JSON")}})
                    .value_or(0)
            >= 1);
        // Host metrics keep publishing: the metrics topic's head moves on.
        const double head = after
                                .value(QStringLiteral("opsdeck_hub_topic_head_seq"),
                                    {{QStringLiteral("topic"), QStringLiteral("metrics")}})
                                .value_or(0);
        QTRY_VERIFY_WITH_TIMEOUT(
            scrape().value(QStringLiteral("opsdeck_hub_topic_head_seq"),
                        {{QStringLiteral("topic"), QStringLiteral("metrics")}})
                    .value_or(0)
                > head,
            30000);
    }

    void takenHttpPortFailsTheStart()
    {
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
        QProcess hub;
        hub.start(HubProcess::binaryPath(),
            {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--fleet"),
                QStringLiteral("none"), QStringLiteral("--http-listen"),
                QStringLiteral("127.0.0.1:%1").arg(squatter.serverPort())});
        QVERIFY(hub.waitForFinished(30000));
        QCOMPARE(hub.exitCode(), 1);
        QVERIFY(hub.readAllStandardOutput().isEmpty()); // no "listening on" for a hub that is not up
        QVERIFY(hub.readAllStandardError().contains("cannot listen for HTTP"));
    }

    void cleanupTestCase()
    {
        if (m_hub.state() == QProcess::NotRunning)
            return;
        m_hub.terminate();
        QVERIFY(m_hub.waitForFinished(30000));
        QCOMPARE(m_hub.exitStatus(), QProcess::NormalExit);
        QCOMPARE(m_hub.exitCode(), 0);
    }

private:
    int lineCount()
    {
        m_stdout += m_hub.readAllStandardOutput();
        return int(m_stdout.count('\n'));
    }

    QNetworkReply *get(const QString &path)
    {
        QNetworkReply *reply = m_nam.get(QNetworkRequest(m_httpUrl.resolved(QUrl(path))));
        reply->setParent(this);
        if (!QTest::qWaitFor([&] { return reply->isFinished(); }, 30000))
            qWarning("no HTTP reply for %s", qPrintable(path));
        return reply;
    }

    PromScrape scrape()
    {
        QNetworkReply *reply = get(QStringLiteral("/metrics"));
        if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 200) {
            PromScrape failed;
            failed.problem = QStringLiteral("GET /metrics: ") + reply->errorString();
            return failed;
        }
        return parseProm(QString::fromUtf8(reply->readAll()));
    }

    QProcess m_hub;
    QByteArray m_stdout;
    QUrl m_wsUrl;
    QUrl m_httpUrl;
    QNetworkAccessManager m_nam;
};

QTEST_GUILESS_MAIN(TestHubHttp)
#include "tst_hub_http.moc"
