// opsdeck-hub's history flags: where the database lives per mode, and the retention limits.

#include "hubcli.h"

#include <QTest>

using namespace opsdeck::hub;

class TestHistoryStoreCli : public QObject
{
    Q_OBJECT

private:
    static HubCliResult parse(const QStringList &arguments) { return parseHubArguments(arguments); }

private Q_SLOTS:
    void demoIsMemoryOnlyUnlessGiven()
    {
        const auto demo = parse({});
        QVERIFY(demo.options);
        QVERIFY(demo.options->config.historyDb.isEmpty());
        const auto given = parse({QStringLiteral("--history-db"), QStringLiteral("/tmp/x/h.sqlite")});
        QVERIFY(given.options);
        QCOMPARE(given.options->config.historyDb, QStringLiteral("/tmp/x/h.sqlite"));
    }

    void devAndProdDefaultToTheDataDir()
    {
        qputenv("XDG_DATA_HOME", "/tmp/opsdeck-xdg");
        const auto dev = parse({QStringLiteral("--mode"), QStringLiteral("dev")});
        QVERIFY(dev.options);
        QCOMPARE(
            dev.options->config.historyDb, QStringLiteral("/tmp/opsdeck-xdg/opsdeck-hub/history.sqlite"));
        const auto dataDir = parse({QStringLiteral("--mode"), QStringLiteral("prod"), QStringLiteral("--insecure-loopback"),
            QStringLiteral("--data-dir"), QStringLiteral("/var/lib/opsdeck")});
        QVERIFY(dataDir.options);
        QCOMPARE(dataDir.options->config.historyDb, QStringLiteral("/var/lib/opsdeck/history.sqlite"));
        const auto off = parse({QStringLiteral("--mode"), QStringLiteral("prod"), QStringLiteral("--insecure-loopback"),
            QStringLiteral("--history-db"), QStringLiteral("off")});
        QVERIFY(off.options);
        QVERIFY(off.options->config.historyDb.isEmpty());
    }

    void retentionLimits()
    {
        const auto defaults = parse({});
        QCOMPARE(defaults.options->config.historyMaxEntries, qint64(1000000));
        QCOMPARE(defaults.options->config.historyMaxAgeMs, qint64(7) * 24 * 3600 * 1000);
        const auto set = parse({QStringLiteral("--history-max-entries"), QStringLiteral("5000"),
            QStringLiteral("--history-max-age"), QStringLiteral("12h")});
        QVERIFY(set.options);
        QCOMPARE(set.options->config.historyMaxEntries, qint64(5000));
        QCOMPARE(set.options->config.historyMaxAgeMs, qint64(12) * 3600 * 1000);
        QCOMPARE(
            parse({QStringLiteral("--history-max-age"), QStringLiteral("0")}).options->config.historyMaxAgeMs,
            qint64(0));
        QCOMPARE(parse({QStringLiteral("--history-max-age"), QStringLiteral("90")})
                     .options->config.historyMaxAgeMs,
            qint64(90000));
        QVERIFY(!parse({QStringLiteral("--history-max-age"), QStringLiteral("soon")}).options);
        QVERIFY(!parse({QStringLiteral("--history-max-age"), QStringLiteral("-1d")}).options);
        QVERIFY(!parse({QStringLiteral("--history-max-entries"), QStringLiteral("0")}).options);
        QVERIFY(!parse({QStringLiteral("--history-db"), QString()}).options);
    }
};

QTEST_GUILESS_MAIN(TestHistoryStoreCli)
#include "tst_history_store_cli.moc"
