// The generated file, the shell script, CPU accounting (ours, children, the X server) and percentiles.

#include "benchterm.h"

#include <QDir>
#include <QFile>
#include <algorithm>
#include <array>
#include <cmath>
#include <random>
#include <sys/resource.h>
#include <unistd.h>

namespace opsdeck::bench {

Corpus writeCorpus(const QString &path, qint64 targetBytes)
{
    Corpus corpus {path, 0, 0};
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    // Fixed seed: every run (and both sides of a run) sees the same bytes.
    std::mt19937 random(20261201);
    static const std::array<const char *, 12> words {"config", "deploy", "report", "backup", "node",
        "metrics", "agent", "release", "cache", "journal", "snapshot", "build"};
    // Names with 2-, 3- and 4-byte UTF-8 sequences, as real directories have them.
    static const std::array<const char *, 6> utf8 {
        "résumé", "übersicht", "данные", "数据集", "✓-done", "🚀-launch"};
    static const std::array<const char *, 5> months {"Jan", "Mar", "Jun", "Sep", "Nov"};
    QByteArray buffer;
    buffer.reserve(1 << 20);
    while (corpus.bytes < targetBytes) {
        const unsigned kind = random() % 10;
        QByteArray name = words[random() % words.size()];
        if (random() % 8 == 0)
            name = utf8[random() % utf8.size()];
        name += '-' + QByteArray::number(random() % 100000);
        QByteArray perms = "-rw-r--r--";
        QByteArray shown = name + ".log";
        // ls --color's defaults: directories bold blue, executables bold green, links bold cyan.
        if (kind < 2) {
            perms = "drwxr-xr-x";
            shown = "\x1b[01;34m" + name + "\x1b[0m";
        } else if (kind < 3) {
            perms = "-rwxr-xr-x";
            shown = "\x1b[01;32m" + name + ".sh\x1b[0m";
        } else if (kind < 4) {
            perms = "lrwxrwxrwx";
            shown = "\x1b[01;36m" + name + "\x1b[0m -> ../" + name + ".d";
        }
        buffer += perms + ' ' + QByteArray::number(1 + random() % 9) + " ops ops "
            + QByteArray::number(random() % 10000000).rightJustified(9, ' ') + ' '
            + months[random() % months.size()] + ' '
            + QByteArray::number(1 + random() % 28).rightJustified(2, ' ') + ' '
            + QByteArray::number(random() % 24).rightJustified(2, '0') + ':'
            + QByteArray::number(random() % 60).rightJustified(2, '0') + ' ' + shown + '\n';
        ++corpus.lines;
        if (buffer.size() >= (1 << 20) - 512 || corpus.bytes + buffer.size() >= targetBytes) {
            if (file.write(buffer) != buffer.size())
                return {};
            corpus.bytes += buffer.size();
            buffer.clear();
        }
    }
    return corpus;
}

bool writeScript(const QString &path, const QByteArray &body)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    file.write("#!/bin/sh\n" + body + '\n');
    file.close();
    return file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
}

double cpuSeconds(bool children)
{
    struct rusage usage
    {
    };
    ::getrusage(children ? RUSAGE_CHILDREN : RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval &t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double xServerCpuSeconds()
{
    // xvfb-run starts `Xvfb :N …`; other engineers' X servers have other display numbers.
    const QByteArray display = qgetenv("DISPLAY");
    if (display.isEmpty())
        return -1;
    const QStringList pids = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &pid : pids) {
        QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
        if (!cmdline.open(QIODevice::ReadOnly))
            continue;
        const QList<QByteArray> argv = cmdline.readAll().split('\0');
        if (argv.size() < 2 || !argv.first().endsWith("Xvfb") || !argv.contains(display))
            continue;
        QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
        if (!stat.open(QIODevice::ReadOnly))
            return -1;
        // Fields after the ")" of the command name: state is the 1st, utime the 12th, stime 13th.
        const QByteArray line = stat.readAll();
        const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
        if (fields.size() < 13)
            return -1;
        return double(fields.at(11).toLongLong() + fields.at(12).toLongLong())
            / double(::sysconf(_SC_CLK_TCK));
    }
    return -1;
}

double percentile(QList<double> values, double p)
{
    if (values.isEmpty())
        return -1;
    std::sort(values.begin(), values.end());
    // Nearest rank: p99 of 200 samples is the 198th smallest.
    const qsizetype rank = qsizetype(std::ceil(p / 100.0 * double(values.size())));
    return values.at(std::clamp<qsizetype>(rank - 1, 0, values.size() - 1));
}

double median(const QList<double> &values)
{
    return percentile(values, 50);
}

} // namespace opsdeck::bench
