#pragma once

// A program running on a pseudo terminal. The interface is platform neutral so a Windows
// (ConPTY) implementation can be added beside the Unix one; create() picks what the platform has.
//
// Reading is pull-based: readyRead() says the terminal has output, read() takes it. A consumer
// that cannot take more (its flow-control window is used up) calls setReadingEnabled(false):
// the PTY's buffer then fills and the program blocks on its next write, like on a slow line.

#include <QObject>
#include <QStringList>
#include <memory>

namespace opsdeck::terminal {

class PtyProcess : public QObject
{
    Q_OBJECT
public:
    struct StartOptions
    {
        QString program; // absolute path, or a name looked up in PATH
        QStringList arguments; // argv[1…]
        QStringList environment; // the complete environment, KEY=VALUE
        QString workingDirectory; // empty: the hub's current directory
        bool loginShell = false; // argv[0] is "-<name>", the Unix convention (ignored on Windows)
        int cols = 80;
        int rows = 24;
    };

    // The platform's implementation, or nullptr where terminals are not available.
    static std::unique_ptr<PtyProcess> create(QObject *parent = nullptr);
    // The process environment plus TERM=xterm-256color and COLORTERM=truecolor.
    static QStringList terminalEnvironment();
    // `configured` when set, else $SHELL, else /bin/sh; on Windows %COMSPEC%, else cmd.exe.
    static QString defaultShell(const QString &configured = {});

    using QObject::QObject;
    ~PtyProcess() override = default;

    // False (see errorString()) when no PTY or process could be made. A program that cannot be
    // executed starts, prints why on the terminal and exits with 127.
    virtual bool start(const StartOptions &options) = 0;
    virtual qint64 pid() const = 0;
    virtual bool isRunning() const = 0;

    // At most `maxBytes` of the output available now (never blocks; empty when none).
    virtual QByteArray read(qint64 maxBytes) = 0;
    virtual void setReadingEnabled(bool enabled) = 0;
    virtual bool isReadingEnabled() const = 0;

    // Queues input for the program; written as the terminal accepts it.
    virtual void write(const QByteArray &bytes) = 0;
    virtual qint64 pendingInputBytes() const = 0;
    virtual bool resize(int cols, int rows) = 0;

    // SIGHUP to the program's process group (what closing a terminal window does), SIGKILL
    // after `killAfterMs` if it is still there. Output after a hang-up is discarded.
    virtual void hangup(int killAfterMs = 2000) = 0;
    virtual void kill() = 0;

    QString errorString() const { return m_errorString; }

Q_SIGNALS:
    void readyRead();
    // Once, after the program ended and its output was read (or discarded by a hang-up).
    // `exitCode` is the exit status, or 128 + signal when a signal ended it.
    void finished(int exitCode, int signal);

protected:
    QString m_errorString;
};

} // namespace opsdeck::terminal
