// bench_terminal: terminal output and keystrokes through the console's own path.
//
//   terminal.e2e_mb_per_s      file MB (10^6 bytes) / (terminal_open → last byte on the VtermScreen):
//                              PTY `cat` → hub → HubClient → TerminalSession → VtermScreen, with
//                              a TerminalItem in a QQuickWindow repainting (median of runs)
//   terminal.frames            frames swapped during that time (median)
//   terminal.cpu_ms_per_mb     CPU of the bench process (hub, client, screen, renderer) + `cat` +
//                              the X server, per file MB: less sensitive to a loaded machine
//   peer.xterm.mb_per_s        xterm drawing the same file in the same geometry under the same
//                              X server: file MB / (start → exit − start → exit of an empty file)
//   peer.xterm.startup_ms      that empty-file run (median)
//   peer.xterm.cpu_ms_per_mb   xterm + sh + cat + X server, minus the empty-file run, per MB
//   ratio.opsdeck_over_xterm   higher is better for opsdeck
//   peer.xterm_xft.*, ratio.opsdeck_over_xterm_xft   the same with xterm drawing the console's
//                              font (Xft DejaVu Sans Mono 13 px) instead of its default core font
//   terminal.echo_ms_p50/p99   one byte of input → its echo on the VtermScreen, through the hub
//   baseline.raw_ws_echo_ms_p50/p99   the same with a bare QWebSocket doing §11 (no session/screen)
//   terminal.relay_echo_ms_p50/p99   the session's echo through a relaying hub (§15) to the echo hub
//
// Usage: bench_terminal [runs=3] [megabytes=20] [keystrokes=200]. Run it under
// `xvfb-run -a -s '-screen 0 1440x900x24'`; without DISPLAY the window is offscreen and the
// peer is skipped.

#include "benchterm.h"

#include <QFile>
#include <QGuiApplication>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <algorithm>
#include <cstdio>
#include <unistd.h>

using namespace opsdeck::bench;

namespace {
constexpr int kCols = 160;
constexpr int kRows = 48;
constexpr int kRunTimeoutMs = 300 * 1000;

QByteArray loadAverage()
{
    QFile file(QStringLiteral("/proc/loadavg"));
    return file.open(QIODevice::ReadOnly) ? file.readAll().trimmed() : QByteArray("unknown");
}

struct Peer
{
    const char *name;
    QStringList fontArgs;
};

QByteArray makeSecret()
{
    QByteArray bytes(16, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), bytes.size() / 4);
    return bytes.toHex();
}

void fail(const QString &what)
{
    std::fprintf(stderr, "bench_terminal: %s\n", qPrintable(what));
    std::fflush(stdout);
}
} // namespace

int main(int argc, char *argv[])
{
    // A safety net over the per-step timeouts: the benchmark always ends by itself.
    ::alarm(1800);
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")
        && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    // The hub's and the client's per-connection info lines would be in the measurement.
    if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(QStringLiteral("opsdeck.*.info=false\nopsdeck.*.debug=false"));
    const int runs = argc > 1 ? std::max(1, atoi(argv[1])) : 3;
    const int megabytes = argc > 2 ? std::max(1, atoi(argv[2])) : 20;
    const int keystrokes = argc > 3 ? std::max(1, atoi(argv[3])) : 200;

    QTemporaryDir dir;
    const Corpus corpus = writeCorpus(dir.filePath(QStringLiteral("ls.txt")), qint64(megabytes) * 1000000);
    const QString empty = dir.filePath(QStringLiteral("empty.txt"));
    const QString script = dir.filePath(QStringLiteral("cat-file.sh"));
    if (corpus.bytes == 0 || !QFile(empty).open(QIODevice::WriteOnly)
        || !writeScript(script, "exec cat '" + corpus.path.toUtf8() + "'")) {
        fail(QStringLiteral("cannot write the test files in %1").arg(dir.path()));
        return 1;
    }
    std::printf("# load_average_start %s\n", loadAverage().constData());
    std::printf("# platform %s, geometry %dx%d, runs %d\n", qPrintable(QGuiApplication::platformName()),
        kCols, kRows, runs);
    std::printf("# file %lld bytes, %lld lines (the PTY makes %lld bytes of them: \\n → \\r\\n)\n",
        corpus.bytes, corpus.lines, corpus.bytes + corpus.lines);
    std::fflush(stdout);

    const QByteArray secret = makeSecret();
    const double fileMb = double(corpus.bytes) / 1e6;
    // Two xterms: as started in the brief (its default core font, "fixed"), and drawing with the
    // console's font (Xft, DejaVu Sans Mono 13 px, antialiased) — the same glyph work as ours.
    const QList<Peer> peers {{"xterm", {}},
        {"xterm_xft", {QStringLiteral("-fa"), QStringLiteral("DejaVu Sans Mono:pixelsize=13")}}};
    QList<double> ours, frames, oursCpu;
    QList<QList<double>> peerMbps(peers.size()), peerStartup(peers.size()), peerCpu(peers.size());
    QString peerSkipped;
    {
        HubThread hub;
        QString error;
        if (!hub.start(terminalHubConfig(secret, script), &error)) {
            fail(QStringLiteral("the hub did not start: %1").arg(error));
            return 1;
        }
        for (int run = 0; run < runs; ++run) {
            // Alternate the sides so machine noise lands on all of them alike.
            const double cpu0 = cpuSeconds(false), child0 = cpuSeconds(true), x0 = xServerCpuSeconds();
            const E2eResult e2e
                = runEndToEnd(hub.url(), secret, corpus.bytes + corpus.lines, kCols, kRows, kRunTimeoutMs);
            if (!e2e.error.isEmpty()) {
                fail(QStringLiteral("end to end: %1").arg(e2e.error));
                return 1;
            }
            const double cpu = cpuSeconds(false) - cpu0, catCpu = cpuSeconds(true) - child0;
            const double xCpu = xServerCpuSeconds() - x0;
            std::printf(
                "# run %d: opsdeck %.2f s, %d frames, CPU %.2f s (bench process) + %.2f s (cat) + %.2f s "
                "(X server)\n",
                run + 1, e2e.seconds, e2e.frames, cpu, catCpu, xCpu);
            oursCpu.append(1000 * (cpu + catCpu + std::max(0.0, xCpu)) / fileMb);
            std::fflush(stdout);
            ours.append(fileMb / e2e.seconds);
            frames.append(e2e.frames);
            for (qsizetype p = 0; p < peers.size() && peerSkipped.isEmpty(); ++p) {
                const double before = cpuSeconds(true), x0 = xServerCpuSeconds();
                const XtermResult full
                    = runXterm(corpus.path, kCols, kRows, peers[p].fontArgs, kRunTimeoutMs);
                const double fullCpu = cpuSeconds(true) - before, fullX = xServerCpuSeconds() - x0;
                const double before0 = cpuSeconds(true), x00 = xServerCpuSeconds();
                const XtermResult startup = runXterm(empty, kCols, kRows, peers[p].fontArgs, 30000);
                const double startupCpu
                    = cpuSeconds(true) - before0 + std::max(0.0, xServerCpuSeconds() - x00);
                if (!full.skipped.isEmpty()) {
                    peerSkipped = full.skipped;
                    break;
                }
                if (!full.error.isEmpty() || !startup.error.isEmpty()) {
                    fail(QStringLiteral("%1: %2").arg(
                        QLatin1StringView(peers[p].name), full.error.isEmpty() ? startup.error : full.error));
                    return 1;
                }
                std::printf(
                    "# run %d: %s %.2f s, empty file %.3f s, CPU %.2f s (xterm + sh + cat) + %.2f s (X "
                    "server)\n",
                    run + 1, peers[p].name, full.seconds, startup.seconds, fullCpu, fullX);
                std::fflush(stdout);
                if (run == 0 && !full.note.isEmpty())
                    std::printf("# %s said: %s\n", peers[p].name, qPrintable(full.note));
                peerMbps[p].append(fileMb / (full.seconds - startup.seconds));
                peerStartup[p].append(startup.seconds * 1000);
                peerCpu[p].append(1000 * (fullCpu + std::max(0.0, fullX) - startupCpu) / fileMb);
            }
        }
    }
    std::printf("terminal.e2e_mb_per_s %.2f\n", median(ours));
    std::printf("terminal.frames %.0f\n", median(frames));
    std::printf("terminal.cpu_ms_per_mb %.0f\n", median(oursCpu));
    if (peerSkipped.isEmpty()) {
        for (qsizetype p = 0; p < peers.size(); ++p) {
            const char *name = peers[p].name;
            std::printf("peer.%s.mb_per_s %.2f\n", name, median(peerMbps[p]));
            std::printf("peer.%s.startup_ms %.0f\n", name, median(peerStartup[p]));
            std::printf("ratio.opsdeck_over_%s %.2f\n", name, median(ours) / median(peerMbps[p]));
            std::printf("peer.%s.cpu_ms_per_mb %.0f\n", name, median(peerCpu[p]));
            std::printf("ratio.cpu_opsdeck_over_%s %.2f\n", name, median(oursCpu) / median(peerCpu[p]));
        }
    } else {
        std::printf("# peer xterm: skipped (%s)\n", qPrintable(peerSkipped));
    }
    std::fflush(stdout);

    // Echo: a hub whose terminals run /bin/cat, so the kernel's line discipline echoes.
    HubThread echoHub;
    QString error;
    if (!echoHub.start(terminalHubConfig(secret, QStringLiteral("/bin/cat")), &error)) {
        fail(QStringLiteral("the echo hub did not start: %1").arg(error));
        return 1;
    }
    const EchoResult session = echoThroughSession(echoHub.url(), secret, keystrokes, kCols);
    const EchoResult raw = echoRawWebSocket(echoHub.url(), secret, keystrokes, kCols);
    // The same keystrokes from a console whose profile is a remote hub: its embedded hub relays
    // the terminal to the echo hub (one more hub and one more loopback hop each way).
    HubThread embeddedHub;
    const QByteArray embeddedSecret = secret + "-embedded";
    opsdeck::hub::HubConfig embeddedConfig = terminalHubConfig(embeddedSecret, QStringLiteral("/bin/cat"));
    embeddedConfig.terminalsEnabled = false;
    if (!embeddedHub.start(embeddedConfig, &error)
        || !embeddedHub.linkUpstream(QStringLiteral("remote"), echoHub.url(), secret, &error)) {
        fail(QStringLiteral("the relaying hub did not start: %1").arg(error));
        return 1;
    }
    const EchoResult relayed
        = echoThroughSession(embeddedHub.url(), embeddedSecret, keystrokes, kCols, QStringLiteral("remote"));
    embeddedHub.stop();
    echoHub.stop();
    for (const QString &problem : {session.error, raw.error, relayed.error}) {
        if (!problem.isEmpty()) {
            fail(problem);
            return 1;
        }
    }
    std::printf("# echo: %d keystrokes each, one in flight, %d ms apart\n", keystrokes, kEchoPaceMs);
    std::printf("terminal.echo_ms_p50 %.3f\n", percentile(session.ms, 50));
    std::printf("terminal.echo_ms_p99 %.3f\n", percentile(session.ms, 99));
    std::printf("baseline.raw_ws_echo_ms_p50 %.3f\n", percentile(raw.ms, 50));
    std::printf("baseline.raw_ws_echo_ms_p99 %.3f\n", percentile(raw.ms, 99));
    std::printf(
        "ratio.echo_p50_session_over_raw %.2f\n", percentile(session.ms, 50) / percentile(raw.ms, 50));
    std::printf("terminal.relay_echo_ms_p50 %.3f\n", percentile(relayed.ms, 50));
    std::printf("terminal.relay_echo_ms_p99 %.3f\n", percentile(relayed.ms, 99));
    std::printf("ratio.echo_p50_relayed_over_direct %.2f\n", percentile(relayed.ms, 50) / percentile(session.ms, 50));
    std::printf("# load_average_end %s\n", loadAverage().constData());
    return 0;
}
