#include "procparse.h"

#include <QByteArray>
#include <QList>
#include <algorithm>

namespace opsdeck::hub::sources {

namespace {
    // Whitespace-separated fields of one line (the /proc files use runs of spaces for alignment).
    QList<QByteArrayView> fields(QByteArrayView line)
    {
        QList<QByteArrayView> out;
        qsizetype i = 0;
        while (i < line.size()) {
            while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
                ++i;
            const qsizetype start = i;
            while (i < line.size() && line[i] != ' ' && line[i] != '\t')
                ++i;
            if (i > start)
                out.append(line.sliced(start, i - start));
        }
        return out;
    }

    template<typename Fn> void forEachLine(QByteArrayView text, Fn fn)
    {
        qsizetype start = 0;
        while (start < text.size()) {
            qsizetype end = text.indexOf('\n', start);
            if (end < 0)
                end = text.size();
            fn(text.sliced(start, end - start));
            start = end + 1;
        }
    }

    std::optional<quint64> toU64(QByteArrayView field)
    {
        bool ok = false;
        const quint64 value = field.toByteArray().toULongLong(&ok);
        return ok ? std::optional<quint64>(value) : std::nullopt;
    }

    std::optional<CpuTimes> cpuTimes(const QList<QByteArrayView> &f)
    {
        // cpu user nice system idle [iowait irq softirq steal guest guest_nice]: 4 on ancient kernels.
        if (f.size() < 5)
            return std::nullopt;
        quint64 values[8] = {};
        for (qsizetype i = 1; i < f.size() && i <= 8; ++i) {
            const auto v = toU64(f[i]);
            if (!v)
                return std::nullopt;
            values[i - 1] = *v;
        }
        return CpuTimes {
            values[0], values[1], values[2], values[3], values[4], values[5], values[6], values[7]};
    }
} // namespace

qint64 MemInfo::usedKiB() const
{
    const qint64 available = availableKiB >= 0 ? availableKiB : freeKiB + buffersKiB + cachedKiB;
    return std::max<qint64>(0, totalKiB - available);
}

std::optional<ProcStat> parseProcStat(QByteArrayView text)
{
    ProcStat stat;
    bool sawTotal = false;
    bool bad = false;
    forEachLine(text, [&](QByteArrayView line) {
        if (!line.startsWith("cpu"))
            return;
        const QList<QByteArrayView> f = fields(line);
        const auto times = cpuTimes(f);
        if (!times) {
            bad = true;
            return;
        }
        if (f[0] == "cpu") {
            stat.total = *times;
            sawTotal = true;
            return;
        }
        bool ok = false;
        const int index = f[0].sliced(3).toByteArray().toInt(&ok);
        if (!ok || index < 0 || index > 65535) {
            bad = true;
            return;
        }
        // Offline CPUs have no line, so the index, not the order, places a core.
        if (size_t(index) >= stat.cores.size())
            stat.cores.resize(size_t(index) + 1);
        stat.cores[size_t(index)] = *times;
    });
    if (!sawTotal || bad)
        return std::nullopt;
    return stat;
}

std::optional<MemInfo> parseMemInfo(QByteArrayView text)
{
    MemInfo info;
    bool sawTotal = false;
    forEachLine(text, [&](QByteArrayView line) {
        const QList<QByteArrayView> f = fields(line);
        if (f.size() < 2)
            return;
        const auto value = toU64(f[1]);
        if (!value)
            return;
        const qint64 kib = qint64(*value);
        const QByteArrayView key = f[0];
        if (key == "MemTotal:") {
            info.totalKiB = kib;
            sawTotal = true;
        } else if (key == "MemFree:") {
            info.freeKiB = kib;
        } else if (key == "MemAvailable:") {
            info.availableKiB = kib;
        } else if (key == "Buffers:") {
            info.buffersKiB = kib;
        } else if (key == "Cached:") {
            info.cachedKiB = kib;
        } else if (key == "SwapTotal:") {
            info.swapTotalKiB = kib;
        } else if (key == "SwapFree:") {
            info.swapFreeKiB = kib;
        }
    });
    if (!sawTotal || info.totalKiB <= 0)
        return std::nullopt;
    return info;
}

std::optional<LoadAvg> parseLoadAvg(QByteArrayView text)
{
    // "0.52 0.58 0.59 2/1234 56789"
    const QList<QByteArrayView> f = fields(text.trimmed());
    if (f.size() < 4)
        return std::nullopt;
    LoadAvg load;
    bool ok1 = false, ok5 = false, ok15 = false;
    load.one = f[0].toByteArray().toDouble(&ok1);
    load.five = f[1].toByteArray().toDouble(&ok5);
    load.fifteen = f[2].toByteArray().toDouble(&ok15);
    if (!ok1 || !ok5 || !ok15)
        return std::nullopt;
    const qsizetype slash = f[3].indexOf('/');
    if (slash > 0) {
        load.running = f[3].first(slash).toByteArray().toInt();
        load.total = f[3].sliced(slash + 1).toByteArray().toInt();
    }
    return load;
}

std::optional<std::vector<NetDevCounters>> parseNetDev(QByteArrayView text)
{
    if (text.trimmed().isEmpty())
        return std::nullopt; // unreadable, not "no devices"
    // Two header lines, then "  eth0: rx_bytes rx_packets … (8 rx fields) tx_bytes …".
    std::vector<NetDevCounters> out;
    bool bad = false;
    forEachLine(text, [&](QByteArrayView line) {
        const qsizetype colon = line.indexOf(':');
        if (colon < 0)
            return; // the headers ("Inter-|   Receive …") have no colon
        // "eth0:123" happens when the counter is wide: the colon, not a space, ends the name.
        const QList<QByteArrayView> f = fields(line.sliced(colon + 1));
        const QByteArrayView name = line.first(colon).trimmed();
        if (name.isEmpty() || f.size() < 9) {
            bad = true;
            return;
        }
        const auto rx = toU64(f[0]);
        const auto tx = toU64(f[8]);
        if (!rx || !tx) {
            bad = true;
            return;
        }
        out.push_back({QString::fromUtf8(name), *rx, *tx});
    });
    if (bad)
        return std::nullopt;
    return out;
}

std::optional<std::vector<DiskCounters>> parseDiskStats(QByteArrayView text)
{
    if (text.trimmed().isEmpty())
        return std::nullopt; // unreadable, not "no devices"
    // major minor name reads merged sectors_read ms writes merged sectors_written ms …
    std::vector<DiskCounters> out;
    bool bad = false;
    forEachLine(text, [&](QByteArrayView line) {
        const QList<QByteArrayView> f = fields(line);
        if (f.isEmpty())
            return;
        if (f.size() < 10) {
            bad = true;
            return;
        }
        const auto read = toU64(f[5]);
        const auto written = toU64(f[9]);
        if (!read || !written) {
            bad = true;
            return;
        }
        out.push_back({QString::fromUtf8(f[2]), *read * 512, *written * 512});
    });
    if (bad)
        return std::nullopt;
    return out;
}

std::optional<double> parseUptime(QByteArrayView text)
{
    const QList<QByteArrayView> f = fields(text.trimmed());
    if (f.isEmpty())
        return std::nullopt;
    bool ok = false;
    const double seconds = f[0].toByteArray().toDouble(&ok);
    return ok && seconds >= 0 ? std::optional<double>(seconds) : std::nullopt;
}

double cpuPercent(const CpuTimes &before, const CpuTimes &after)
{
    if (after.total() <= before.total())
        return 0;
    const double total = double(after.total() - before.total());
    // idle can step back by a tick on some kernels (NO_HZ accounting): clamp, never negative.
    const double idle = after.idleAll() >= before.idleAll() ? double(after.idleAll() - before.idleAll()) : 0;
    return std::clamp((total - idle) / total * 100.0, 0.0, 100.0);
}

double ratePerSecond(quint64 before, quint64 after, double seconds)
{
    if (seconds <= 0 || after < before)
        return 0;
    return double(after - before) / seconds;
}

bool countsAsHostInterface(const QString &name)
{
    return name != QLatin1StringView("lo");
}

bool countsAsHostDisk(const QString &name, const std::vector<DiskCounters> &all)
{
    static const char *const kVirtual[] = {"loop", "ram", "zram", "dm-", "md", "sr", "fd"};
    for (const char *prefix : kVirtual) {
        if (name.startsWith(QLatin1StringView(prefix)))
            return false;
    }
    // A partition is named after its disk plus a number (sda1) or "p" and a number (nvme0n1p1).
    // (sdaa is a disk of its own, not a partition of sda.)
    auto isNumber = [](QStringView s) {
        return !s.isEmpty() && std::all_of(s.begin(), s.end(), [](QChar c) { return c.isDigit(); });
    };
    return std::none_of(all.begin(), all.end(), [&](const DiskCounters &other) {
        if (other.name.isEmpty() || name.size() <= other.name.size() || !name.startsWith(other.name))
            return false;
        const QStringView suffix = QStringView(name).mid(other.name.size());
        return isNumber(suffix) || (suffix.startsWith(u'p') && isNumber(suffix.mid(1)));
    });
}

} // namespace opsdeck::hub::sources
