#pragma once

// bench_terminal's parts: the generated file, an in-process hub on its own thread (as the console
// embeds it), the end-to-end throughput run, the echo latency runs and the xterm peer. Each run
// is bounded by a timeout and reports an error string instead of hanging.

#include "hubconfig.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QThread>
#include <QUrl>

namespace opsdeck::bench {

// The file `cat` writes: ls -l style lines, a third of the names in SGR colours, some UTF-8.
struct Corpus
{
    QString path;
    qint64 bytes = 0;
    qint64 lines = 0; // the PTY turns each \n into \r\n (onlcr): bytes + lines reach the terminal
};
Corpus writeCorpus(const QString &path, qint64 targetBytes);
// Writes an executable /bin/sh script (the hub's configured shell is a path, not a command line).
bool writeScript(const QString &path, const QByteArray &body);

// A HubServer living on its own thread, created and destroyed there.
class HubThread
{
public:
    HubThread();
    ~HubThread();
    bool start(const hub::HubConfig &config, QString *error);
    void stop();
    QUrl url() const { return m_url; }
    // Links this hub to a remote one as the console's embedded hub does (hub/relay), presenting
    // `token`; true once the link is connected.
    bool linkUpstream(const QString &label, const QUrl &url, const QByteArray &token, QString *error);

private:
    QThread m_thread;
    QObject *m_host = nullptr;
    QUrl m_url;
};
hub::HubConfig terminalHubConfig(const QByteArray &secret, const QString &shell);

struct E2eResult
{
    double seconds = -1; // terminal_open → the last output byte fed to the screen
    qint64 consumed = 0; // output bytes fed to the screen
    int frames = 0; // frames swapped from the open to the first frame after the last byte
    int exitCode = -1;
    QString error;
};
// Opens a cols × rows terminal through HubClient + TerminalSession, shown by a TerminalItem in
// a QQuickWindow, and waits for the program (the hub's shell) to exit.
E2eResult runEndToEnd(
    const QUrl &url, const QByteArray &secret, qint64 expectedBytes, int cols, int rows, int timeoutMs);

struct EchoResult
{
    QList<double> ms;
    QString error;
};
// Between keystrokes: 50 a second, a fast typist, a quarter of the 200 messages/s terminal cap.
constexpr int kEchoPaceMs = 20;
// One byte of input at a time, each timed until its echo is on the VtermScreen.
// `hub`: open the terminal on that linked remote hub (docs/protocol.md §15) instead.
EchoResult echoThroughSession(const QUrl &url, const QByteArray &secret, int keystrokes, int cols,
                              const QString &hub = {});
// The same with a bare QWebSocket speaking §11: until the `output` carrying the byte arrives.
EchoResult echoRawWebSocket(const QUrl &url, const QByteArray &secret, int keystrokes, int cols);

struct XtermResult
{
    double seconds = -1; // process start → exit
    QString skipped; // why the peer could not run at all
    QString note; // the first line xterm printed, if any
    QString error;
};
// `xterm -geometry COLSxROWS [fontArgs] -e sh -c 'cat FILE; exit'`, timed start → exit.
XtermResult runXterm(const QString &file, int cols, int rows, const QStringList &fontArgs, int timeoutMs);

// CPU seconds (user + system) of this process (all threads), or of its reaped children and
// their reaped children (the hub's `cat`; xterm with its `sh` and `cat`). The X server is in
// neither.
double cpuSeconds(bool children);
// CPU seconds of the Xvfb serving $DISPLAY (both sides draw through it), -1 when not found.
double xServerCpuSeconds();

double percentile(QList<double> values, double p);
double median(const QList<double> &values);

} // namespace opsdeck::bench
