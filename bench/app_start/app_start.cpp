// bench_app_start: the console's start-up and idle footprint, against the smallest Qt Quick
// program in the same run.
//
//   app.first_frame_ms          process start → first frame of `opsdeck --demo` (median of runs)
//   app.connected_ms            → the client is connected to the embedded hub
//   app.fleet_shown_ms          → the agents table has its first rows
//   app.idle_rss_mib            VmRSS after the demo has run for the idle period (median)
//   peer.quick_hello.first_frame_ms / idle_rss_mib   the same for bench_quick_hello
//   ratio.first_frame_app_over_peer, ratio.idle_rss_app_over_peer
//
// Usage: bench_app_start [runs=5] [idle_seconds=10]. It inherits the environment: run it under
// `xvfb-run -a -s '-screen 0 1440x900x24'` for a real X11 window, or with QT_QPA_PLATFORM=offscreen.

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QHash>
#include <QProcess>
#include <QTemporaryDir>
#include <QTimer>
#include <algorithm>
#include <cstdio>

namespace {

struct Run
{
    QHash<QString, double> milestonesMs;
    double idleRssMiB = -1;
    QString error;
};

double rssMiBOf(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toDouble() / 1024.0;
    }
    return -1;
}

// Starts `program`, notes when each "startup NAME" line arrives, waits for `last`, lets it run
// for `idleMs`, reads its RSS, then stops it.
Run measure(const QString &program, const QStringList &arguments, const QString &last, int idleMs,
    const QString &home)
{
    Run run;
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HOME"), home); // never the operator's saved profiles
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/.config"));
    process.setProcessEnvironment(env);
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    QElapsedTimer clock;
    QEventLoop loop;
    bool done = false;
    QObject::connect(&process, &QProcess::readyReadStandardOutput, &loop, [&] {
        while (process.canReadLine()) {
            const QByteArray line = process.readLine().trimmed();
            if (!line.startsWith("startup "))
                continue;
            const QString name = QString::fromLatin1(line.mid(8));
            run.milestonesMs.insert(name, double(clock.nsecsElapsed()) / 1e6);
            if (name == last) {
                done = true;
                loop.quit();
            }
        }
    });
    QObject::connect(&process, &QProcess::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(60000, &loop, &QEventLoop::quit);
    clock.start();
    process.start(program, arguments);
    loop.exec();
    if (!done) {
        run.error = QStringLiteral("%1 never reported %2").arg(program, last);
    } else {
        QTimer::singleShot(idleMs, &loop, &QEventLoop::quit);
        loop.exec();
        run.idleRssMiB = rssMiBOf(process.processId());
    }
    process.terminate();
    if (!process.waitForFinished(10000)) {
        process.kill();
        process.waitForFinished();
    }
    return run;
}

double median(QList<double> values)
{
    if (values.isEmpty())
        return -1;
    std::sort(values.begin(), values.end());
    return values.at(values.size() / 2);
}

void print(const char *name, double value)
{
    std::printf("%s %.1f\n", name, value);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const int runs = argc > 1 ? std::max(1, atoi(argv[1])) : 5;
    const int idleMs = (argc > 2 ? std::max(0, atoi(argv[2])) : 10) * 1000;
    QTemporaryDir home;

    QList<double> firstFrame, connected, fleet, rss, peerFrame, peerRss;
    for (int i = 0; i < runs; ++i) {
        // Alternate the two so machine noise lands on both alike.
        const Run ours = measure(QStringLiteral(OPSDECK_APP_BINARY),
            {QStringLiteral("--demo"), QStringLiteral("--startup-report"), QStringLiteral("--seed"),
                QStringLiteral("1")},
            QStringLiteral("fleet_shown"), idleMs, home.path());
        if (!ours.error.isEmpty()) {
            std::fprintf(stderr, "bench_app_start: %s\n", qPrintable(ours.error));
            return 1;
        }
        firstFrame.append(ours.milestonesMs.value(QStringLiteral("first_frame"), -1));
        connected.append(ours.milestonesMs.value(QStringLiteral("connected"), -1));
        fleet.append(ours.milestonesMs.value(QStringLiteral("fleet_shown"), -1));
        rss.append(ours.idleRssMiB);

        const Run peer = measure(QStringLiteral(OPSDECK_QUICK_HELLO_BINARY), {},
            QStringLiteral("first_frame"), idleMs, home.path());
        if (!peer.error.isEmpty()) {
            std::fprintf(stderr, "bench_app_start: %s\n", qPrintable(peer.error));
            return 1;
        }
        peerFrame.append(peer.milestonesMs.value(QStringLiteral("first_frame"), -1));
        peerRss.append(peer.idleRssMiB);
    }
    std::printf("runs %d\nidle_seconds %d\nplatform %s\n", runs, idleMs / 1000,
        qPrintable(qEnvironmentVariable("QT_QPA_PLATFORM", QStringLiteral("default"))));
    print("app.first_frame_ms", median(firstFrame));
    print("app.connected_ms", median(connected));
    print("app.fleet_shown_ms", median(fleet));
    print("app.idle_rss_mib", median(rss));
    print("peer.quick_hello.first_frame_ms", median(peerFrame));
    print("peer.quick_hello.idle_rss_mib", median(peerRss));
    std::printf("ratio.first_frame_app_over_peer %.2f\n", median(firstFrame) / median(peerFrame));
    std::printf("ratio.idle_rss_app_over_peer %.2f\n", median(rss) / median(peerRss));
    return 0;
}
