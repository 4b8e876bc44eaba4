#pragma once

// PtyProcess on Unix: forkpty(), a non-blocking master fd watched by QSocketNotifiers, and
// exit detection without a SIGCHLD handler (the hub is a library inside other programs, which
// may own that signal): EOF/EIO on the master plus waitpid(WNOHANG) polling of this one pid.

#include "ptyprocess.h"

#include <QByteArray>
#include <QTimer>
#include <memory>

class QSocketNotifier;

namespace opsdeck::terminal {

class UnixPtyProcess : public PtyProcess
{
    Q_OBJECT
public:
    explicit UnixPtyProcess(QObject *parent = nullptr);
    // Kills and reaps a program that is still running, so no zombie outlives its session.
    ~UnixPtyProcess() override;

    bool start(const StartOptions &options) override;
    qint64 pid() const override { return m_pid; }
    bool isRunning() const override { return m_pid > 0 && !m_reaped; }

    QByteArray read(qint64 maxBytes) override;
    void setReadingEnabled(bool enabled) override;
    bool isReadingEnabled() const override { return m_readingEnabled; }

    void write(const QByteArray &bytes) override;
    qint64 pendingInputBytes() const override { return m_input.size(); }
    bool resize(int cols, int rows) override;

    void hangup(int killAfterMs = 2000) override;
    void kill() override;

private:
    void closeMaster();
    void flushInput();
    void poll();
    void maybeFinish();
    bool outputPending() const;
    void signalAll(int signal);
    void rememberForegroundGroup();

    int m_master = -1;
    qint64 m_pid = -1;
    qint64 m_foregroundGroup = 0; // the job in the foreground when hung up, if not the shell
    std::unique_ptr<QSocketNotifier> m_readNotifier;
    std::unique_ptr<QSocketNotifier> m_writeNotifier;
    QByteArray m_input;
    QTimer m_pollTimer;
    QTimer m_killTimer;
    bool m_readingEnabled = true;
    bool m_eof = false;
    bool m_reaped = false;
    bool m_hungUp = false;
    bool m_finished = false;
    int m_exitCode = 0;
    int m_signal = 0;
};

} // namespace opsdeck::terminal
