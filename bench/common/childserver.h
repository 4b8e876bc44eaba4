#pragma once

// A benchmark's server child process (opsdeck-hub, a Node.js peer): started with its arguments,
// its log in a file of the temp directory, ready once it prints its first stdout line
// `listening on ws://…`. Shared by bench_fanout and bench_relay.

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace opsdeck::bench {

class ChildServer
{
public:
    // `name` names the stderr file (in the temp directory) the child's log goes to.
    ChildServer(const QString &name, const QString &program, const QStringList &args, const QString &workDir = {});
    ~ChildServer();
    ChildServer(const ChildServer &) = delete;
    ChildServer &operator=(const ChildServer &) = delete;

    // Starts the child and waits for its `listening on` line.
    bool start(int timeoutMs = 20000);
    // SIGTERM, then SIGKILL after 5 s.
    void stop();

    bool running() const { return m_process.state() == QProcess::Running; }
    qint64 pid() const { return m_process.processId(); }
    QUrl url() const { return m_url; }
    QString errorString() const { return m_error; }
    QString stderrPath() const { return m_stderrPath; }

private:
    QProcess m_process;
    QString m_stderrPath;
    QUrl m_url;
    QString m_error;
};

} // namespace opsdeck::bench
