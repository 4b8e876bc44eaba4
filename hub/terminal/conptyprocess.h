#pragma once

// PtyProcess on Windows (10 1809 or later): a pseudo console (ConPTY) between two anonymous
// pipes, the program started on it with CreateProcessW. Compiled only on Windows.
//
// Anonymous pipes are synchronous, so the blocking ends live on threads of their own:
//  - a reader thread ReadFile()s the console's output into a capped buffer. While reading is
//    disabled or the buffer is full it waits instead of reading, so the pipe fills, the console
//    host stops and the program blocks on its next write: the flow-control contract of
//    PtyProcess. It tells the owner thread through a queued call, which emits readyRead().
//  - a writer thread WriteFile()s queued input, so a console host that stops reading its input
//    never blocks the hub's event loop.
// The program's end is seen by a QWinEventNotifier on its process handle (owner thread). A
// console host keeps its output pipe open until its pseudo console is closed, so the console is
// closed once the program has gone; `finished` follows when the pipe has been read to its end.
//
// Windows differences a caller sees: `signal` is always 0 and `exitCode` is the process's exit
// code (an NTSTATUS such as 0xC000013A shows as a negative number); kill() ends the program with
// exit code 1 (what `taskkill /f` gives). A program that cannot be started makes start() fail.

#include "ptyprocess.h"

#include <QByteArray>
#include <QTimer>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

class QWinEventNotifier;

namespace opsdeck::terminal {

class ConPtyProcess : public PtyProcess
{
    Q_OBJECT
public:
    explicit ConPtyProcess(QObject *parent = nullptr);
    // Ends a program that is still running, closes its console and joins the threads.
    ~ConPtyProcess() override;

    bool start(const StartOptions &options) override;
    qint64 pid() const override { return m_pid; }
    bool isRunning() const override { return m_process && !m_exited; }

    QByteArray read(qint64 maxBytes) override;
    void setReadingEnabled(bool enabled) override;
    bool isReadingEnabled() const override { return m_readingEnabled; }

    void write(const QByteArray &bytes) override;
    qint64 pendingInputBytes() const override;
    bool resize(int cols, int rows) override;

    // Closes the pseudo console, whose host sends CTRL_CLOSE_EVENT to every program attached
    // to it (Windows' hang-up); TerminateProcess after `killAfterMs` if the program is still
    // there.
    void hangup(int killAfterMs = 2000) override;
    void kill() override;

private:
    void readLoop();
    void writeLoop();
    void onOutputAvailable();
    void onProcessExited();
    void postOutputAvailable(std::unique_lock<std::mutex> &lock);
    void discardOutput();
    void closeConsole();
    void maybeFinish();
    void releaseHandles();

    // Windows handles (HANDLE, HPCON) as Qt::HANDLE, so this header needs no windows.h.
    Qt::HANDLE m_console = nullptr; // HPCON; null once closed (or handed to m_closer)
    Qt::HANDLE m_inputWrite = nullptr; // our end of the console's input pipe
    Qt::HANDLE m_outputRead = nullptr; // our end of the console's output pipe
    Qt::HANDLE m_process = nullptr;
    qint64 m_pid = -1;

    std::thread m_reader;
    std::thread m_writer;
    std::thread m_closer; // ClosePseudoConsole, which may block until the output is read
    std::unique_ptr<QWinEventNotifier> m_exitNotifier;
    QTimer m_killTimer;

    // Shared with the reader and writer threads, under m_mutex.
    mutable std::mutex m_mutex;
    std::condition_variable m_readerWake; // room in m_output, reading enabled, or discarding
    std::condition_variable m_writerWake; // input queued, or stopping
    QByteArray m_output; // read from the console, not yet taken by read()
    QByteArray m_input; // queued for the writer thread
    qint64 m_inputInFlight = 0; // taken by the writer thread, not yet written
    bool m_readerMayRead = true; // mirrors m_readingEnabled for the reader thread
    bool m_discarding = false; // after a hang-up or kill: read and drop, never wait
    bool m_outputEnded = false; // the console closed its output pipe
    bool m_notifyPosted = false; // an onOutputAvailable call is queued on the owner thread
    bool m_stopWriter = false;

    // Owner thread only.
    bool m_readingEnabled = true;
    bool m_hungUp = false;
    bool m_exited = false;
    bool m_finished = false;
    int m_exitCode = 0;
};

} // namespace opsdeck::terminal
