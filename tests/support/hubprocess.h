#pragma once

// Starts a real opsdeck-hub process on a loopback port for integration tests, reads the URL
// from its first stdout line, and stops it again (SIGTERM, or SIGKILL to simulate a crash).

#include <QProcess>
#include <QStringList>
#include <QUrl>

namespace opsdeck::testing {

class HubProcess
{
public:
    // `args` are passed after `--mode <mode> --listen 127.0.0.1:<port>` (port 0 = any free port).
    explicit HubProcess(QStringList args = {}, quint16 port = 0);
    // dev, prod or demo (the default) for the next start(); empty: no --mode at all.
    void setMode(const QString &mode) { m_mode = mode; }
    ~HubProcess();
    HubProcess(const HubProcess &) = delete;
    HubProcess &operator=(const HubProcess &) = delete;

    // Launches the hub and waits for its "listening on ws://…" (or wss://) line. False (and a reason in
    // errorString()) when it did not come up within `timeoutMs`.
    bool start(int timeoutMs = 20000);
    // SIGTERM and wait for the exit; returns the exit code (-1 when it had to be killed).
    int terminate(int timeoutMs = 10000);
    // SIGKILL: an abrupt crash.
    void kill();

    bool isRunning() const;
    // Waits for a hub that refused to start to exit; its exit code, or -1 (still running, crashed).
    int waitForExit(int timeoutMs = 10000);
    QUrl url() const { return m_url; }
    quint16 port() const { return m_port; }
    QString errorString() const { return m_error; }
    // Everything the hub wrote to stderr so far (its log).
    QByteArray standardError();
    // The path of the opsdeck-hub binary under test.
    static QString binaryPath();

private:
    QStringList m_args;
    QString m_mode = QStringLiteral("demo");
    quint16 m_port;
    QUrl m_url;
    QString m_error;
    QProcess m_process;
    QByteArray m_stderr;
};

} // namespace opsdeck::testing
