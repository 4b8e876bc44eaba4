// opsdeck-hub's command line and the rate limiter behind --rate-limit.

#include "hubcli.h"
#include "jsonlog.h"
#include "ratelimiter.h"

#include <QTemporaryFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace opsdeck::hub;

class TestHubCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void jsonLogFormatIsOneObjectPerLine()
    {
        const auto text = parseHubArguments({});
        QVERIFY(text.options && !text.options->jsonLogs);
        const auto json = parseHubArguments({QStringLiteral("--log-format"), QStringLiteral("json")});
        QVERIFY(json.options && json.options->jsonLogs);
        QVERIFY(!parseHubArguments({QStringLiteral("--log-format"), QStringLiteral("xml")}).options);

        const QByteArray line = formatJsonLogLine(QtWarningMsg, "opsdeck.hub.server",
                                                  QStringLiteral("refused \"x\"\nsecond line"), 1796126400123);
        QVERIFY(line.endsWith('\n'));
        QCOMPARE(line.count('\n'), 1); // a multi-line message stays on one line
        const QJsonObject object = QJsonDocument::fromJson(line).object();
        QCOMPARE(object.value("ts").toString(), QStringLiteral("2026-12-01T12:00:00.123Z"));
        QCOMPARE(object.value("level").toString(), QStringLiteral("warning"));
        QCOMPARE(object.value("category").toString(), QStringLiteral("opsdeck.hub.server"));
        QCOMPARE(object.value("message").toString(), QStringLiteral("refused \"x\"\nsecond line"));
        QCOMPARE(QJsonDocument::fromJson(formatJsonLogLine(QtCriticalMsg, nullptr, {}, 0)).object().value("level").toString(),
                 QStringLiteral("error"));
    }

    void defaultsAreLoopbackDemo()
    {
        const HubCliResult result = parseHubArguments({});
        QVERIFY(result.options);
        QCOMPARE(result.options->config.mode, opsdeck::protocol::Mode::Demo);
        QVERIFY(result.options->config.address.isLoopback());
        QVERIFY(result.options->config.secret.isEmpty());
        QVERIFY(result.options->config.allowedOrigins.isEmpty());
        QVERIFY(result.options->fleet);
    }

    void readsListenSeedLimitsAndOrigins()
    {
        const HubCliResult result = parseHubArguments(
            {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--seed"), QStringLiteral("42"),
             QStringLiteral("--rate-limit"), QStringLiteral("10/5s"), QStringLiteral("--allow-origin"),
             QStringLiteral("https://ops.example"), QStringLiteral("--max-connections-per-ip"), QStringLiteral("3"),
             QStringLiteral("--retention-logs"), QStringLiteral("50")});
        QVERIFY2(result.options, qPrintable(result.error));
        const HubCliOptions &options = *result.options;
        QCOMPARE(options.config.port, 0);
        QCOMPARE(options.seed, 42u);
        QVERIFY(options.seedGiven);
        QCOMPARE(options.config.rateLimit, 10);
        QCOMPARE(options.config.rateWindowSeconds, 5);
        QCOMPARE(options.config.allowedOrigins, QStringList{QStringLiteral("https://ops.example")});
        QCOMPARE(options.config.maxConnectionsPerIp, 3);
        QCOMPARE(options.config.retention.logs, 50);
    }

    void benchLogsReplacesTheFleet()
    {
        const HubCliResult result = parseHubArguments({QStringLiteral("--bench-logs"), QStringLiteral("1000")});
        QVERIFY(result.options);
        QCOMPARE(result.options->benchLogsRate, 1000);
        QVERIFY(!result.options->fleet);
    }

    void secretComesFromAFile()
    {
        QTemporaryFile file;
        QVERIFY(file.open());
        file.write("0123456789abcdef0123456789abcdef\n");
        file.flush();
        const HubCliResult result = parseHubArguments({QStringLiteral("--secret-file"), file.fileName()});
        QVERIFY2(result.options, qPrintable(result.error));
        QCOMPARE(result.options->config.secret, QByteArray("0123456789abcdef0123456789abcdef"));
    }

    void rejectsBadArgumentsWithAReason_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("mode") << QStringList{QStringLiteral("--mode"), QStringLiteral("staging")} << QStringLiteral("--mode");
        QTest::newRow("listen") << QStringList{QStringLiteral("--listen"), QStringLiteral("localhost")} << QStringLiteral("--listen");
        QTest::newRow("port") << QStringList{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:70000")} << QStringLiteral("--listen");
        QTest::newRow("unknown") << QStringList{QStringLiteral("--frobnicate"), QStringLiteral("1")} << QStringLiteral("--frobnicate");
        QTest::newRow("missing value") << QStringList{QStringLiteral("--seed")} << QStringLiteral("--seed");
        QTest::newRow("rate") << QStringList{QStringLiteral("--rate-limit"), QStringLiteral("lots")} << QStringLiteral("--rate-limit");
        QTest::newRow("secret file") << QStringList{QStringLiteral("--secret-file"), QStringLiteral("/nonexistent/x")} << QStringLiteral("secret-file");
        QTest::newRow("ping order") << QStringList{QStringLiteral("--ping-interval-ms"), QStringLiteral("5000"),
                                                   QStringLiteral("--ping-timeout-ms"), QStringLiteral("1000")}
                                    << QStringLiteral("--ping-timeout-ms");
        QTest::newRow("log level") << QStringList{QStringLiteral("--log-level"), QStringLiteral("loud")} << QStringLiteral("--log-level");
    }
    void rejectsBadArgumentsWithAReason()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, mentions);
        const HubCliResult result = parseHubArguments(args);
        QVERIFY(!result.options);
        QVERIFY2(result.error.contains(mentions), qPrintable(result.error));
    }

    void shortSecretsAreRefused()
    {
        QTemporaryFile file;
        QVERIFY(file.open());
        file.write("short\n");
        file.flush();
        QVERIFY(!parseHubArguments({QStringLiteral("--secret-file"), file.fileName()}).options);
    }

    void rateLimiterAllowsRejectsThenDisconnects()
    {
        RateLimiter limiter(3, 60);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(limiter.check(1000), RateLimiter::Verdict::Allow);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(limiter.check(1000), RateLimiter::Verdict::Reject);
        QCOMPARE(limiter.check(1000), RateLimiter::Verdict::Disconnect);
        QCOMPARE(limiter.retryAfterSeconds(16000), 45);
        QVERIFY(limiter.takeAnonymousErrorToken());
        QVERIFY(!limiter.takeAnonymousErrorToken());
    }

    void rateLimiterWindowResets()
    {
        RateLimiter limiter(2, 1);
        QCOMPARE(limiter.check(0), RateLimiter::Verdict::Allow);
        QCOMPARE(limiter.check(10), RateLimiter::Verdict::Allow);
        QCOMPARE(limiter.check(20), RateLimiter::Verdict::Reject);
        QCOMPARE(limiter.check(1000), RateLimiter::Verdict::Allow);
    }
};

QTEST_GUILESS_MAIN(TestHubCli)
#include "tst_hub_cli.moc"
