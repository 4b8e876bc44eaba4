// opsdeck-hub's flags for the host metrics source and the observability port:
// --host-metrics / --no-host-metrics and their mode default, interval, mounts, --http-listen.

#include "hubcli.h"

#include <QTest>

using namespace opsdeck::hub;

namespace {
HubCliOptions parse(const QStringList &args)
{
    const HubCliResult result = parseHubArguments(args);
    if (!result.options)
        qFatal("unexpected parse failure: %s", qPrintable(result.error));
    return *result.options;
}

QString failure(const QStringList &args)
{
    const HubCliResult result = parseHubArguments(args);
    return result.options ? QString() : result.error;
}
} // namespace

class TestHostProbeCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void hostMetricsDefaultFollowsMode()
    {
        QVERIFY(!hostMetricsEnabled(parse({})));
        QVERIFY(!hostMetricsEnabled(parse({QStringLiteral("--mode"), QStringLiteral("demo")})));
        QVERIFY(hostMetricsEnabled(parse({QStringLiteral("--mode"), QStringLiteral("dev")})));
        QVERIFY(hostMetricsEnabled(
            parse({QStringLiteral("--mode"), QStringLiteral("prod"), QStringLiteral("--insecure-loopback")})));
        // The flag wins, wherever it stands relative to --mode.
        QVERIFY(hostMetricsEnabled(parse({QStringLiteral("--host-metrics")})));
        QVERIFY(!hostMetricsEnabled(
            parse({QStringLiteral("--no-host-metrics"), QStringLiteral("--mode"), QStringLiteral("prod"),
                QStringLiteral("--insecure-loopback")})));
        QVERIFY(hostMetricsEnabled(
            parse({QStringLiteral("--no-host-metrics"), QStringLiteral("--host-metrics")})));
    }

    void hostMetricsIntervalAndMounts()
    {
        const HubCliOptions defaults = parse({});
        QCOMPARE(defaults.hostMetricsIntervalMs, 1000);
        QVERIFY(defaults.hostMetricsMounts.isEmpty());
        const HubCliOptions o = parse({QStringLiteral("--host-metrics-interval-ms"), QStringLiteral("250"),
            QStringLiteral("--host-metrics-mount"), QStringLiteral("/"),
            QStringLiteral("--host-metrics-mount"), QStringLiteral("/var")});
        QCOMPARE(o.hostMetricsIntervalMs, 250);
        QCOMPARE(o.hostMetricsMounts, (QStringList {QStringLiteral("/"), QStringLiteral("/var")}));
        QVERIFY(failure({QStringLiteral("--host-metrics-interval-ms"), QStringLiteral("10")})
                    .contains(QLatin1StringView("100 to 3600000")));
        QVERIFY(failure({QStringLiteral("--host-metrics-mount"), QStringLiteral("var")})
                    .contains(QLatin1StringView("absolute")));
    }

    void httpListen()
    {
        QVERIFY(!parse({}).httpListen);
        const HubCliOptions o = parse({QStringLiteral("--http-listen"), QStringLiteral("127.0.0.1:0")});
        QVERIFY(o.httpListen);
        QCOMPARE(o.httpListen->first, QHostAddress(QHostAddress::LocalHost));
        QCOMPARE(o.httpListen->second, quint16(0));
        const HubCliOptions v6 = parse({QStringLiteral("--http-listen"), QStringLiteral("[::1]:9765")});
        QCOMPARE(v6.httpListen->first, QHostAddress(QHostAddress::LocalHostIPv6));
        QCOMPARE(v6.httpListen->second, quint16(9765));
        for (const char *bad : {"127.0.0.1", "127.0.0.1:70000", "nohost:80", ":80"})
            QVERIFY2(failure({QStringLiteral("--http-listen"), QString::fromLatin1(bad)})
                         .contains(QLatin1StringView("--http-listen takes ADDRESS:PORT")),
                bad);
        QVERIFY(failure({QStringLiteral("--http-listen")}).contains(QLatin1StringView("needs a value")));
    }

    void usageMentionsTheFlags()
    {
        const QString usage = hubUsage();
        for (const char *flag : {"--host-metrics", "--no-host-metrics", "--host-metrics-interval-ms",
                 "--host-metrics-mount", "--http-listen"})
            QVERIFY2(usage.contains(QLatin1StringView(flag)), flag);
    }
};

QTEST_GUILESS_MAIN(TestHostProbeCli)
#include "tst_host_probe_cli.moc"
