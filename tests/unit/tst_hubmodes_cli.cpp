// opsdeck-hub's dev/prod flags (docs/operations.md §5): TLS, --insecure-loopback, --sessions,
// the fleet's per-mode default and --data-dir.

#include "hubcli.h"

#include <QTest>

using namespace opsdeck::hub;

namespace {
QStringList args(std::initializer_list<const char *> list)
{
    QStringList out;
    for (const char *arg : list)
        out.append(QString::fromUtf8(arg));
    return out;
}
} // namespace

class TestHubModesCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void prodNeedsTls()
    {
        const HubCliResult result = parseHubArguments(args({"--mode", "prod"}));
        QVERIFY(!result.options);
        QVERIFY2(result.error.contains(QLatin1StringView("--tls-cert")) && result.error.contains(QLatin1StringView("--insecure-loopback")),
                 qPrintable(result.error));
    }

    void prodWithTlsFiles()
    {
        const HubCliResult result = parseHubArguments(
            args({"--mode", "prod", "--listen", "0.0.0.0:8443", "--tls-cert", "/etc/opsdeck/cert.pem", "--tls-key",
                  "/etc/opsdeck/key.pem"}));
        QVERIFY2(result.options, qPrintable(result.error));
        QCOMPARE(result.options->config.mode, opsdeck::protocol::Mode::Prod);
        QCOMPARE(result.options->config.tlsCertificateFile, QStringLiteral("/etc/opsdeck/cert.pem"));
        QCOMPARE(result.options->config.tlsKeyFile, QStringLiteral("/etc/opsdeck/key.pem"));
        QVERIFY(!result.options->insecureLoopback);
    }

    void prodInsecureOnLoopbackOnly()
    {
        const HubCliResult local = parseHubArguments(args({"--mode", "prod", "--listen", "127.0.0.1:0", "--insecure-loopback"}));
        QVERIFY2(local.options, qPrintable(local.error));
        QVERIFY(local.options->insecureLoopback);
        const HubCliResult ipv6 = parseHubArguments(args({"--mode", "prod", "--listen", "[::1]:0", "--insecure-loopback"}));
        QVERIFY2(ipv6.options, qPrintable(ipv6.error));

        const HubCliResult exposed = parseHubArguments(args({"--mode", "prod", "--listen", "0.0.0.0:8765", "--insecure-loopback"}));
        QVERIFY(!exposed.options);
        QVERIFY2(exposed.error.contains(QLatin1StringView("--insecure-loopback needs a loopback")), qPrintable(exposed.error));
        // The rule holds whatever the order of the flags.
        const HubCliResult reordered = parseHubArguments(args({"--insecure-loopback", "--listen", "192.168.1.5:1", "--mode", "prod"}));
        QVERIFY(!reordered.options);
    }

    void tlsFlagsGoTogether()
    {
        const HubCliResult certOnly = parseHubArguments(args({"--mode", "dev", "--tls-cert", "/tmp/c.pem"}));
        QVERIFY(!certOnly.options);
        QVERIFY2(certOnly.error.contains(QLatin1StringView("go together")), qPrintable(certOnly.error));
        const HubCliResult keyOnly = parseHubArguments(args({"--tls-key", "/tmp/k.pem"}));
        QVERIFY(!keyOnly.options);
        QVERIFY(!parseHubArguments(args({"--tls-cert", ""})).options);
    }

    void devMayRunPlain()
    {
        const HubCliResult result = parseHubArguments(args({"--mode", "dev", "--listen", "127.0.0.1:0"}));
        QVERIFY2(result.options, qPrintable(result.error));
        QVERIFY(result.options->config.tlsCertificateFile.isEmpty());
    }

    void sessionPolicies_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<int>("policy");
        QTest::newRow("replace") << QStringLiteral("replace") << int(HubConfig::SessionPolicy::Replace);
        QTest::newRow("reject") << QStringLiteral("reject") << int(HubConfig::SessionPolicy::Reject);
        QTest::newRow("multiple") << QStringLiteral("multiple") << int(HubConfig::SessionPolicy::Multiple);
    }
    void sessionPolicies()
    {
        QFETCH(QString, value);
        QFETCH(int, policy);
        const HubCliResult result = parseHubArguments({QStringLiteral("--mode"), QStringLiteral("dev"),
                                                       QStringLiteral("--sessions"), value});
        QVERIFY2(result.options, qPrintable(result.error));
        QCOMPARE(int(result.options->config.sessionPolicy), policy);
    }

    void sessionPolicyDefaultAndTypos()
    {
        QCOMPARE(parseHubArguments({}).options->config.sessionPolicy, HubConfig::SessionPolicy::Replace);
        const HubCliResult typo = parseHubArguments(args({"--sessions", "single"}));
        QVERIFY(!typo.options);
        QVERIFY2(typo.error.contains(QLatin1StringView("replace, reject or multiple")), qPrintable(typo.error));
    }

    void fleetDefaultsPerMode()
    {
        QVERIFY(parseHubArguments({}).options->fleet);
        QVERIFY(!parseHubArguments(args({"--mode", "dev"})).options->fleet);
        QVERIFY(!parseHubArguments(args({"--mode", "prod", "--insecure-loopback"})).options->fleet);
        QVERIFY(parseHubArguments(args({"--mode", "dev", "--fleet", "demo"})).options->fleet);
        QVERIFY(!parseHubArguments(args({"--fleet", "none"})).options->fleet);
        QVERIFY(!parseHubArguments(args({"--bench-logs", "100"})).options->fleet);
        QVERIFY(!parseHubArguments(args({"--fleet", "lots"})).options);
    }

    void dataDirHoldsTheState()
    {
        const HubCliResult given = parseHubArguments(args({"--mode", "dev", "--data-dir", "/srv/opsdeck"}));
        QVERIFY2(given.options, qPrintable(given.error));
        QCOMPARE(given.options->dataDir, QStringLiteral("/srv/opsdeck"));
        QCOMPARE(given.options->config.historyDb, QStringLiteral("/srv/opsdeck/history.sqlite"));
        const HubCliResult fallback = parseHubArguments(args({"--mode", "dev"}));
        QVERIFY(fallback.options->dataDir.endsWith(QLatin1StringView("/opsdeck-hub")));
    }

    void usageNamesTheNewFlags()
    {
        const QString usage = hubUsage();
        for (const char *flag : {"--tls-cert", "--tls-key", "--insecure-loopback", "--sessions", "--fleet", "--data-dir"})
            QVERIFY2(usage.contains(QLatin1StringView(flag)), flag);
        QVERIFY(!usage.contains(QLatin1StringView("not yet available")));
    }
};

QTEST_GUILESS_MAIN(TestHubModesCli)
#include "tst_hubmodes_cli.moc"
