// The host probe's pure parts on fixture text (tests/fixtures/proc/): /proc parsers, the delta
// math (CPU total and per core, rates, counter resets), which devices count towards totals,
// the Linux probe reading a fixture /proc root, and the source publishing through the registry.

#include "agentregistry.h"
#include "hostmetricssource.h"
#include "linuxhostprobe.h"
#include "procparse.h"
#include "topic.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace opsdeck::hub;
using namespace opsdeck::hub::sources;

namespace {
QByteArray fixture(const char *name)
{
    QFile file(QStringLiteral(OPSDECK_PROC_FIXTURES "/") + QLatin1StringView(name));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", name);
    return file.readAll();
}

// A probe that replays prepared snapshots, for the source's publishing path.
class ScriptedProbe : public HostProbe
{
public:
    std::vector<HostSnapshot> snapshots;
    size_t next = 0;
    HostSnapshot sample() override { return snapshots.at(std::min(next++, snapshots.size() - 1)); }
    QString platformName() const override { return QStringLiteral("scripted"); }
};

HostSnapshot snapshotOf(const char *stat, const char *net, const char *disks, qint64 ms)
{
    HostSnapshot s;
    s.monotonicMs = ms;
    s.cpu = parseProcStat(fixture(stat));
    s.memory = parseMemInfo(fixture("meminfo"));
    s.load = parseLoadAvg(fixture("loadavg"));
    s.network = parseNetDev(fixture(net));
    s.disks = parseDiskStats(fixture(disks));
    s.uptimeSeconds = parseUptime(fixture("uptime"));
    s.mounts.push_back({QStringLiteral("/"), 40ull << 30, 100ull << 30});
    return s;
}
} // namespace

class TestHostProbe : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void wrappingCounterCarriesOnAcrossTheWrap()
    {
        // macOS if_data byte counts and Mach ticks are 32-bit: the probe must never report a
        // negative or absurd rate when one wraps.
        WrappingCounter32 counter;
        QCOMPARE(counter.update(4294967000u), quint64(4294967000u));
        QCOMPARE(counter.update(200u), quint64(4294967000u) + 496u); // wrapped: 296 to the top, then 200
        QCOMPARE(counter.update(1200u), quint64(4294967000u) + 1496u);
        // A drop back (an interface re-created) adds nothing; counting resumes from the new value.
        const quint64 before = counter.update(1000001200u); // a forward step under 2^31 counts
        QCOMPARE(before, quint64(4294967000u) + 1496u + 1000000000u);
        QCOMPARE(counter.update(3500000000u), before); // a jump over 2^31 is a reset, not traffic
        QCOMPARE(counter.update(3500000100u), before + 100u);
    }

    void mountsThatCannotBeReadAreLeftOutAndReportedOnce()
    {
        QStringList warned;
        const auto usageOf = [](const QString &path) -> std::optional<MountUsage> {
            if (path == QLatin1StringView("/gone"))
                return std::nullopt;
            return MountUsage{path, 10, 100};
        };
        const auto first = collectMountUsage({QStringLiteral("/"), QStringLiteral("/gone")}, warned, usageOf);
        QCOMPARE(first.size(), size_t(1));
        QCOMPARE(first[0].path, QStringLiteral("/"));
        QCOMPARE(warned.size(), 1);
        collectMountUsage({QStringLiteral("/"), QStringLiteral("/gone")}, warned, usageOf);
        QCOMPARE(warned.size(), 1); // not every second
    }

    void procStat()
    {
        const auto stat = parseProcStat(fixture("stat_t0"));
        QVERIFY(stat);
        QCOMPARE(stat->total.user, 1000u);
        QCOMPARE(stat->total.idle, 8000u);
        QCOMPARE(stat->total.total(), 10000u);
        QCOMPARE(stat->cores.size(), size_t(2));
        QCOMPARE(stat->cores[1].iowait, 250u);
    }

    void cpuDeltaMath()
    {
        const auto before = parseProcStat(fixture("stat_t0"));
        const auto after = parseProcStat(fixture("stat_t1"));
        QVERIFY(before && after);
        // Total: +200 ticks, of which idle+iowait +130 → 35 % busy (iowait counts as idle).
        QCOMPARE(cpuPercent(before->total, after->total), 35.0);
        // cpu0: +100 ticks, 60 busy; cpu1: +100 ticks, 10 busy.
        QCOMPARE(cpuPercent(before->cores[0], after->cores[0]), 60.0);
        QCOMPARE(cpuPercent(before->cores[1], after->cores[1]), 10.0);
        // No time passed, or time went backwards (a counter reset): 0, never negative or NaN.
        QCOMPARE(cpuPercent(after->total, after->total), 0.0);
        QCOMPARE(cpuPercent(after->total, before->total), 0.0);
        // Idle stepping back a tick while total advanced: clamped to 100, not above.
        CpuTimes a {0, 0, 0, 100, 0, 0, 0, 0};
        CpuTimes b {10, 0, 0, 99, 0, 0, 0, 0};
        QCOMPARE(cpuPercent(a, b), 100.0);
    }

    void offlineCoreKeepsIndex()
    {
        const auto stat = parseProcStat(fixture("stat_offline_core"));
        QVERIFY(stat);
        QCOMPARE(stat->cores.size(), size_t(4));
        QCOMPARE(stat->cores[2].total(), 0u); // offline: no line
        QCOMPARE(stat->cores[3].idle, 100u);
        // steal counts; guest (already inside user) does not count twice.
        QCOMPARE(stat->total.total(), 402517u + 72078 + 46493 + 177149 + 521 + 364 + 1044);
    }

    void procStatRejectsGarbage()
    {
        QVERIFY(!parseProcStat(""));
        QVERIFY(!parseProcStat("intr 1\nctxt 2\n"));
        QVERIFY(!parseProcStat("cpu 1 2 x 4\n"));
        QVERIFY(!parseProcStat("cpu 1 2\n"));
    }

    void memInfo()
    {
        const auto mem = parseMemInfo(fixture("meminfo"));
        QVERIFY(mem);
        QCOMPARE(mem->totalKiB, 24731184);
        QCOMPARE(mem->usedKiB(), 24731184 - 22771808);
        QCOMPARE(mem->swapTotalKiB, 2097148);
        QCOMPARE(mem->swapUsedKiB(), 2097148 - 1048574);

        const auto old = parseMemInfo(fixture("meminfo_old_kernel"));
        QVERIFY(old);
        QCOMPARE(old->availableKiB, -1);
        QCOMPARE(old->usedKiB(), 2048000 - 512000 - 128000 - 384000);
        QVERIFY(!parseMemInfo("MemFree: 12 kB\n"));
    }

    void loadAvgAndUptime()
    {
        const auto load = parseLoadAvg(fixture("loadavg"));
        QVERIFY(load);
        QCOMPARE(load->one, 6.83);
        QCOMPARE(load->five, 4.26);
        QCOMPARE(load->fifteen, 3.48);
        QCOMPARE(load->running, 11);
        QCOMPARE(load->total, 135);
        QVERIFY(!parseLoadAvg("nonsense"));
        QCOMPARE(parseUptime(fixture("uptime")).value_or(-1), 3501.27);
        QVERIFY(!parseUptime(""));
    }

    void netDev()
    {
        const auto net = parseNetDev(fixture("net_dev_t0"));
        QVERIFY(net);
        QCOMPARE(net->size(), size_t(3));
        QCOMPARE(net->at(0).name, QStringLiteral("lo"));
        QCOMPARE(net->at(1).name, QStringLiteral("eth0"));
        QCOMPARE(net->at(1).rxBytes, 52909857u);
        QCOMPARE(net->at(1).txBytes, 116661u);
        // A counter wide enough to touch the colon still parses.
        QCOMPARE(net->at(2).name, QStringLiteral("wlan0"));
        QCOMPARE(net->at(2).rxBytes, 1234567890123u);
        QVERIFY(!parseNetDev("  eth0: 1 2 3\n"));
        QVERIFY(countsAsHostInterface(QStringLiteral("eth0")));
        QVERIFY(!countsAsHostInterface(QStringLiteral("lo")));
    }

    void diskStats()
    {
        const auto disks = parseDiskStats(fixture("diskstats_t0"));
        QVERIFY(disks);
        QCOMPARE(disks->size(), size_t(7));
        QCOMPARE(disks->at(1).name, QStringLiteral("sda"));
        QCOMPARE(disks->at(1).bytesRead, 400000u * 512);
        QCOMPARE(disks->at(1).bytesWritten, 200000u * 512);
        auto counts = [&](const char *name) { return countsAsHostDisk(QString::fromLatin1(name), *disks); };
        QVERIFY(counts("sda"));
        QVERIFY(counts("sdaa")); // a disk of its own, not a partition of sda
        QVERIFY(counts("nvme0n1"));
        QVERIFY(!counts("sda1")); // partition
        QVERIFY(!counts("nvme0n1p1")); // partition
        QVERIFY(!counts("dm-0")); // stacked on a disk already counted
        QVERIFY(!counts("loop0"));
        QVERIFY(!parseDiskStats("8 0 sda 1 2\n"));
    }

    void ratesAndResets()
    {
        QCOMPARE(ratePerSecond(1000, 3000, 2.0), 1000.0);
        QCOMPARE(ratePerSecond(3000, 1000, 2.0), 0.0); // counter reset: no negative rate
        QCOMPARE(ratePerSecond(1000, 3000, 0.0), 0.0);
    }

    void computeBetweenSnapshots()
    {
        const HostSnapshot before = snapshotOf("stat_t0", "net_dev_t0", "diskstats_t0", 10000);
        const HostSnapshot after = snapshotOf("stat_t1", "net_dev_t1", "diskstats_t1", 12000);
        const HostMetrics m = computeHostMetrics(before, after);
        QCOMPARE(m.cpuPercent, 35.0);
        QCOMPARE(m.corePercent, (std::vector<double> {60.0, 10.0}));
        QCOMPARE(m.memoryTotalMiB, 24731184 / 1024.0);
        QCOMPARE(m.memoryUsedMiB, (24731184 - 22771808) / 1024.0);
        // Over 2 s, loopback left out: eth0 +2,000,000 rx; eth0 +400,000 and wlan0 +1,000,000 tx.
        QCOMPARE(m.rxBytesPerSec, 1000000.0);
        QCOMPARE(m.txBytesPerSec, 700000.0);
        // lo, eth0, wlan0 have rates; tun0 appeared and gets one next time.
        QCOMPARE(m.interfaces.size(), size_t(3));
        QCOMPARE(m.interfaces[0].name, QStringLiteral("lo"));
        QCOMPARE(m.interfaces[0].rxBytesPerSec, 5000000.0);
        // Whole disks only: sda read 2048 + sdaa 1024 sectors; sda 4096 + nvme0n1 10000 written.
        QCOMPARE(m.diskReadBytesPerSec, (2048 + 1024) * 512 / 2.0);
        QCOMPARE(m.diskWriteBytesPerSec, (4096 + 10000) * 512 / 2.0);
        QVERIFY(m.load);
        QCOMPARE(m.uptimeSeconds.value_or(0), 3501.27);

        const QJsonObject extra = hostMetricsExtraJson(m);
        QCOMPARE(extra.value(QLatin1StringView("cpuCores")).toArray().size(), 2);
        QCOMPARE(extra.value(QLatin1StringView("load")).toObject().value(QLatin1StringView("1m")).toDouble(),
            6.83);
        QCOMPARE(extra.value(QLatin1StringView("interfaces"))
                     .toObject()
                     .value(QLatin1StringView("eth0"))
                     .toObject()
                     .value(QLatin1StringView("rx"))
                     .toDouble(),
            1000000.0);
        QCOMPARE(extra.value(QLatin1StringView("mounts"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(QLatin1StringView("total"))
                     .toDouble(),
            100.0);
        QCOMPARE(extra.value(QLatin1StringView("uptime")).toDouble(), 3501.0);
    }

    void missingPartsStayEmpty()
    {
        HostSnapshot empty;
        const HostMetrics m = computeHostMetrics(empty, empty);
        QCOMPARE(m.cpuPercent, 0.0);
        QVERIFY(m.corePercent.empty());
        QVERIFY(m.interfaces.empty());
        QVERIFY(!m.load);
    }

    void linuxProbeReadsProcRoot()
    {
        QTemporaryDir root;
        QVERIFY(root.isValid());
        QVERIFY(QDir(root.path()).mkdir(QStringLiteral("net")));
        const std::pair<const char *, const char *> files[]
            = {{"stat_t0", "stat"}, {"meminfo", "meminfo"}, {"loadavg", "loadavg"}, {"uptime", "uptime"},
                {"net_dev_t0", "net/dev"}, {"diskstats_t0", "diskstats"}};
        for (const auto &[from, to] : files)
            QVERIFY(QFile::copy(QStringLiteral(OPSDECK_PROC_FIXTURES "/") + QLatin1StringView(from),
                root.filePath(QLatin1StringView(to))));
        LinuxHostProbe probe(root.path(), {QDir::rootPath(), QStringLiteral("/no/such/mount")});
        const HostSnapshot s = probe.sample();
        QVERIFY(s.cpu && s.memory && s.load && s.network && s.disks && s.uptimeSeconds);
        QCOMPARE(s.cpu->cores.size(), size_t(2));
        QCOMPARE(s.memory->totalKiB, 24731184);
        // "/" is real (statvfs); the missing mount is left out, not reported as zero.
        QCOMPARE(s.mounts.size(), size_t(1));
        QVERIFY(s.mounts[0].totalBytes > 0);
        QVERIFY(s.mounts[0].usedBytes <= s.mounts[0].totalBytes);

        // A root without the files: every part empty, no crash.
        QTemporaryDir bare;
        LinuxHostProbe none(bare.path(), {});
        const HostSnapshot n = none.sample();
        QVERIFY(!n.cpu && !n.memory && !n.network);
    }

    void sourcePublishesThroughRegistry()
    {
        TopicSet topics(TopicSet::Capacities {});
        AgentRegistry registry(topics);
        auto probe = std::make_unique<ScriptedProbe>();
        probe->snapshots.push_back(snapshotOf("stat_t0", "net_dev_t0", "diskstats_t0", 10000));
        probe->snapshots.push_back(snapshotOf("stat_t1", "net_dev_t1", "diskstats_t1", 12000));
        HostMetricsConfig config;
        config.hostName = QStringLiteral("test-host");
        config.intervalMs = 60000; // ticks are driven by the test
        HostMetricsSource source(registry, config, std::move(probe));
        QVERIFY(source.start()); // primes with the first snapshot, publishes nothing
        const Topic &metrics = topics.topic(opsdeck::protocol::Topic::Metrics);
        QCOMPARE(metrics.headSeq(), 0u);
        source.tick();
        QCOMPARE(metrics.headSeq(), 1u);
        const QJsonObject entry = QJsonDocument::fromJson(metrics.entry(1)->json).object();
        QCOMPARE(entry.value(QLatin1StringView("type")).toString(), QStringLiteral("metrics"));
        QCOMPARE(entry.value(QLatin1StringView("source")).toString(), QStringLiteral("test-host"));
        QCOMPARE(entry.value(QLatin1StringView("host")).toString(), QStringLiteral("test-host"));
        QCOMPARE(entry.value(QLatin1StringView("kind")).toString(), QStringLiteral("host"));
        QCOMPARE(entry.value(QLatin1StringView("cpu")).toDouble(), 35.0);
        QCOMPARE(entry.value(QLatin1StringView("memoryLimit")).toDouble(), std::round(24731184 / 1024.0));
        QCOMPARE(
            entry.value(QLatin1StringView("network")).toObject().value(QLatin1StringView("rx")).toDouble(),
            1000000.0);
        QCOMPARE(
            entry.value(QLatin1StringView("disk")).toObject().value(QLatin1StringView("total")).toDouble(),
            100.0);
        QCOMPARE(
            entry.value(QLatin1StringView("swap")).toObject().value(QLatin1StringView("total")).toDouble(),
            std::round(2097148 / 1024.0 * 100) / 100);
        QCOMPARE(entry.value(QLatin1StringView("cpuCores")).toArray().at(0).toDouble(), 60.0);
        QVERIFY(source.latest());
        source.stop();
        QVERIFY(!source.isRunning());
    }
};

QTEST_GUILESS_MAIN(TestHostProbe)
#include "tst_host_probe.moc"
