#include "unixptyprocess.h"

#include "terminallog.h"

#include <QFileInfo>
#include <QSocketNotifier>
#include <QStandardPaths>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <pty.h>
#include <string>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace opsdeck::terminal {

namespace {
    // waitpid polling: slow while the program runs (a hang-up or kill is noticed within this),
    // fast once the terminal said the program is going away.
    constexpr int kPollRunningMs = 250;
    constexpr int kPollEndingMs = 10;

    // argv/envp built before fork(): after it only async-signal-safe calls are allowed, and the
    // hub may run on a thread of a multi-threaded program (the desktop app).
    struct CStrings
    {
        explicit CStrings(const QStringList &list)
        {
            for (const QString &s : list)
                storage.push_back(s.toStdString());
            for (std::string &s : storage)
                pointers.push_back(s.data());
            pointers.push_back(nullptr);
        }
        std::vector<std::string> storage;
        std::vector<char *> pointers;
    };
} // namespace

UnixPtyProcess::UnixPtyProcess(QObject *parent)
    : PtyProcess(parent)
{
    m_pollTimer.setInterval(kPollRunningMs);
    connect(&m_pollTimer, &QTimer::timeout, this, &UnixPtyProcess::poll);
    m_killTimer.setSingleShot(true);
    connect(&m_killTimer, &QTimer::timeout, this, &UnixPtyProcess::kill);
}

UnixPtyProcess::~UnixPtyProcess()
{
    if (m_killTimer.isActive() || (m_pid > 0 && !m_reaped)) {
        rememberForegroundGroup();
        signalAll(SIGKILL);
    }
    if (m_pid > 0 && !m_reaped) {
        int status = 0;
        while (::waitpid(pid_t(m_pid), &status, 0) < 0 && errno == EINTR) { }
    }
    closeMaster();
}

bool UnixPtyProcess::start(const StartOptions &options)
{
    if (m_pid > 0) {
        m_errorString = QStringLiteral("already started");
        return false;
    }
    QString program = options.program;
    if (!program.contains(u'/'))
        program = QStandardPaths::findExecutable(program);
    if (program.isEmpty()) {
        m_errorString = QStringLiteral("no program '%1' in PATH").arg(options.program);
        return false;
    }
    const QString name = QFileInfo(program).fileName();
    QStringList argv {options.loginShell ? u'-' + name : name};
    argv += options.arguments;
    const CStrings args(argv);
    const CStrings env(options.environment);
    const std::string path = program.toStdString();
    const std::string cwd = options.workingDirectory.toStdString();
    struct winsize size
    {
    };
    size.ws_col = static_cast<unsigned short>(options.cols);
    size.ws_row = static_cast<unsigned short>(options.rows);

    // Signals stay blocked across fork() until the child has reset their handlers: a signal
    // arriving in between would otherwise run the host program's handler in the child.
    sigset_t all;
    sigset_t previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    int master = -1;
    const pid_t pid = ::forkpty(&master, nullptr, nullptr, &size);
    if (pid != 0)
        pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    if (pid < 0) {
        m_errorString = QStringLiteral("forkpty: %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    if (pid == 0) {
        // The child: undo what the host program may have set (blocked or ignored signals are
        // inherited across exec), close inherited descriptors, run the shell.
        struct sigaction dfl
        {
        };
        dfl.sa_handler = SIG_DFL;
        for (int s = 1; s < NSIG; ++s)
            sigaction(s, &dfl, nullptr); // fails harmlessly for SIGKILL, SIGSTOP and gaps
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        ::close_range(3, ~0U, 0);
        if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) {
            static const char message[] = "opsdeck: cannot enter the working directory\r\n";
            [[maybe_unused]] auto ignored = ::write(STDERR_FILENO, message, sizeof message - 1);
        }
        ::execve(path.c_str(), args.pointers.data(), env.pointers.data());
        static const char message[] = "opsdeck: cannot run the shell\r\n";
        [[maybe_unused]] auto ignored = ::write(STDERR_FILENO, message, sizeof message - 1);
        ::_exit(127);
    }

    m_pid = pid;
    m_master = master;
    ::fcntl(m_master, F_SETFD, FD_CLOEXEC);
    ::fcntl(m_master, F_SETFL, ::fcntl(m_master, F_GETFL) | O_NONBLOCK);
    m_readNotifier = std::make_unique<QSocketNotifier>(qintptr(m_master), QSocketNotifier::Read);
    connect(m_readNotifier.get(), &QSocketNotifier::activated, this, &PtyProcess::readyRead);
    m_readNotifier->setEnabled(m_readingEnabled);
    m_writeNotifier = std::make_unique<QSocketNotifier>(qintptr(m_master), QSocketNotifier::Write);
    m_writeNotifier->setEnabled(false);
    connect(m_writeNotifier.get(), &QSocketNotifier::activated, this, &UnixPtyProcess::flushInput);
    m_pollTimer.start();
    qCDebug(lcTerminal) << "started" << program << "pid" << m_pid;
    return true;
}

QByteArray UnixPtyProcess::read(qint64 maxBytes)
{
    QByteArray out;
    if (m_master < 0 || maxBytes <= 0)
        return out;
    out.resize(maxBytes);
    qint64 got = 0;
    // A PTY hands out at most a few KiB per read(): loop to collect one sizeable chunk.
    while (got < maxBytes) {
        const ssize_t n = ::read(m_master, out.data() + got, size_t(maxBytes - got));
        if (n > 0) {
            got += n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
            // EOF, or EIO (Linux) once every slave descriptor is closed: the program is going.
            m_eof = true;
            if (m_readNotifier)
                m_readNotifier->setEnabled(false);
            m_pollTimer.setInterval(kPollEndingMs);
            QTimer::singleShot(0, this, &UnixPtyProcess::poll);
        }
        break;
    }
    out.truncate(got);
    if (m_hungUp)
        return {};
    return out;
}

void UnixPtyProcess::setReadingEnabled(bool enabled)
{
    if (m_readingEnabled == enabled)
        return;
    m_readingEnabled = enabled;
    if (m_readNotifier && !m_eof)
        m_readNotifier->setEnabled(enabled);
    if (enabled && m_reaped)
        QTimer::singleShot(0, this, &UnixPtyProcess::maybeFinish);
}

void UnixPtyProcess::write(const QByteArray &bytes)
{
    if (m_master < 0 || m_hungUp)
        return;
    m_input += bytes;
    flushInput();
}

void UnixPtyProcess::flushInput()
{
    while (!m_input.isEmpty() && m_master >= 0) {
        const ssize_t n = ::write(m_master, m_input.constData(), size_t(m_input.size()));
        if (n > 0) {
            m_input.remove(0, n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break; // the line discipline is full: wait until it accepts more
        m_input.clear(); // the slave is gone; nobody will read this
    }
    if (m_writeNotifier)
        m_writeNotifier->setEnabled(!m_input.isEmpty());
}

bool UnixPtyProcess::resize(int cols, int rows)
{
    if (m_master < 0)
        return false;
    struct winsize size
    {
    };
    size.ws_col = static_cast<unsigned short>(cols);
    size.ws_row = static_cast<unsigned short>(rows);
    // The kernel sends SIGWINCH to the terminal's foreground process group.
    return ::ioctl(m_master, TIOCSWINSZ, &size) == 0;
}

void UnixPtyProcess::rememberForegroundGroup()
{
    // A foreground job has a process group of its own (job control). It gets the kernel's
    // SIGHUP when the master closes, but one that ignores it would outlive the terminal.
    if (m_master < 0 || m_foregroundGroup > 0)
        return;
    const pid_t group = ::tcgetpgrp(m_master);
    if (group > 0 && group != pid_t(m_pid))
        m_foregroundGroup = group;
}

void UnixPtyProcess::signalAll(int signal)
{
    if (m_pid <= 0)
        return;
    // The child called setsid(): its process group id is its pid. Not after it was reaped: the
    // pid may belong to someone else by then. Background jobs are left alone, as a terminal
    // window's close leaves them (nohup).
    if (!m_reaped) {
        ::kill(-pid_t(m_pid), signal);
        ::kill(pid_t(m_pid), signal);
    }
    if (m_foregroundGroup > 0)
        ::kill(-pid_t(m_foregroundGroup), signal);
}

void UnixPtyProcess::hangup(int killAfterMs)
{
    if (m_pid <= 0 || m_reaped || m_hungUp)
        return;
    m_hungUp = true;
    rememberForegroundGroup();
    signalAll(SIGHUP);
    signalAll(SIGCONT); // a stopped job must run to act on the hang-up
    closeMaster();
    m_killTimer.start(killAfterMs);
    m_pollTimer.setInterval(kPollEndingMs);
}

void UnixPtyProcess::kill()
{
    if (m_pid <= 0 || (m_reaped && m_foregroundGroup <= 0))
        return;
    m_hungUp = true;
    m_killTimer.stop();
    rememberForegroundGroup();
    signalAll(SIGKILL);
    closeMaster();
    m_pollTimer.setInterval(kPollEndingMs);
}

void UnixPtyProcess::closeMaster()
{
    m_readNotifier.reset();
    m_writeNotifier.reset();
    m_input.clear();
    if (m_master >= 0) {
        ::close(m_master);
        m_master = -1;
    }
    m_eof = true;
}

void UnixPtyProcess::poll()
{
    if (!m_reaped && m_pid > 0) {
        int status = 0;
        const pid_t result = ::waitpid(pid_t(m_pid), &status, WNOHANG);
        if (result == pid_t(m_pid)) {
            m_reaped = true;
            if (WIFSIGNALED(status)) {
                m_signal = WTERMSIG(status);
                m_exitCode = 128 + m_signal;
            } else {
                m_exitCode = WEXITSTATUS(status);
            }
        } else if (result < 0 && errno == ECHILD) {
            // Someone else reaped it (a host program's SIGCHLD handler): the status is lost.
            m_reaped = true;
            m_exitCode = -1;
        }
    }
    if (m_reaped)
        maybeFinish();
}

bool UnixPtyProcess::outputPending() const
{
    if (m_master < 0 || m_eof)
        return false;
    pollfd fd {m_master, POLLIN, 0};
    return ::poll(&fd, 1, 0) > 0 && (fd.revents & POLLIN);
}

void UnixPtyProcess::maybeFinish()
{
    if (m_finished || !m_reaped)
        return;
    // The output the program wrote before it ended comes before `finished`. While reading is
    // paused it waits; a background job still holding the terminal does not hold up the exit.
    if (!m_hungUp && outputPending())
        return;
    // After a hang-up the foreground job goes too; until the SIGKILL, give it time to. (Once
    // killed it is not waited for: its zombie may linger where PID 1 does not reap.)
    if (m_hungUp && m_foregroundGroup > 0 && m_killTimer.isActive()
        && ::kill(-pid_t(m_foregroundGroup), 0) == 0)
        return;
    m_killTimer.stop();
    m_finished = true;
    m_pollTimer.stop();
    closeMaster();
    qCDebug(lcTerminal) << "pid" << m_pid << "ended, code" << m_exitCode << "signal" << m_signal;
    Q_EMIT finished(m_exitCode, m_signal);
}

} // namespace opsdeck::terminal
