#include "conptyprocess.h"

#include "terminallog.h"
#include "windowscommandline.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QWinEventNotifier>
#include <algorithm>
#include <vector>

#ifndef NOMINMAX
#define NOMINMAX // std::min/std::max, not the macros
#endif
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
// The SDK declares the pseudo console API only for Windows 10 1809 (NTDDI_WIN10_RS5) and later;
// a build that derives NTDDI_VERSION from _WIN32_WINNT=0x0A00 alone gets 0x0A000000 and no
// CreatePseudoConsole. 1809 is also the oldest Windows that Qt 6 supports.
#ifndef NTDDI_VERSION
#define NTDDI_VERSION 0x0A000006
#endif
#include <windows.h>

#if NTDDI_VERSION < 0x0A000006
#error "ConPTY needs NTDDI_VERSION >= 0x0A000006 (Windows 10 1809)"
#endif

// Written against the Windows SDK's documented API and syntax-checked with the mingw-w64
// headers (scripts/check-windows-sources.sh), but never built or run on Windows by this
// project (docs/operations.md §10).

namespace opsdeck::terminal {

namespace {
    constexpr qsizetype kOutputCap = 64 * 1024; // read ahead of the consumer at most this much
    constexpr DWORD kReadChunk = 16 * 1024;
    constexpr qsizetype kWriteChunk = 16 * 1024;
    constexpr UINT kKilledExitCode = 1; // what `taskkill /f` leaves; Windows has no signals

    static_assert(sizeof(wchar_t) == sizeof(QChar), "UTF-16 wchar_t, as on every Windows compiler");

    QString windowsError(const char *what, DWORD code)
    {
        return QStringLiteral("%1: %2").arg(QString::fromLatin1(what), qt_error_string(int(code)));
    }

    COORD consoleSize(int cols, int rows)
    {
        return COORD {SHORT(std::clamp(cols, 1, 0x7fff)), SHORT(std::clamp(rows, 1, 0x7fff))};
    }
} // namespace

ConPtyProcess::ConPtyProcess(QObject *parent)
    : PtyProcess(parent)
{
    m_killTimer.setSingleShot(true);
    connect(&m_killTimer, &QTimer::timeout, this, &ConPtyProcess::kill);
}

ConPtyProcess::~ConPtyProcess()
{
    m_killTimer.stop();
    m_exitNotifier.reset();
    if (m_process && !m_exited)
        ::TerminateProcess(m_process, kKilledExitCode);
    discardOutput(); // the reader drains the pipe from now on, so the console host never waits
    {
        std::lock_guard lock(m_mutex);
        m_stopWriter = true;
        m_input.clear();
    }
    m_writerWake.notify_all();
    bool readerEnded = false;
    {
        std::lock_guard lock(m_mutex);
        readerEnded = m_outputEnded;
    }
    if (readerEnded && m_reader.joinable()) {
        // Nobody drains the pipe any more (a read error ended the reader): closing our end lets
        // a console host blocked on it go, so ClosePseudoConsole below cannot wait for ever.
        m_reader.join();
        ::CloseHandle(m_outputRead);
        m_outputRead = nullptr;
    }
    // Safe on this thread: the reader drains the pipe meanwhile. The console host's end closes
    // the pipes, which ends the reader (ERROR_BROKEN_PIPE) and a writer blocked in WriteFile
    // (ERROR_NO_DATA), so the joins below return. Until Windows 11 24H2 this call (and m_closer's)
    // waits for the programs still attached to the console to act on CTRL_CLOSE_EVENT; Windows
    // ends those that do not within seconds.
    if (m_console) {
        ::ClosePseudoConsole(m_console);
        m_console = nullptr;
    }
    for (std::thread *thread : {&m_closer, &m_reader, &m_writer}) {
        if (thread->joinable())
            thread->join();
    }
    releaseHandles();
}

bool ConPtyProcess::start(const StartOptions &options)
{
    if (m_process) {
        m_errorString = QStringLiteral("already started");
        return false;
    }
    QString program = options.program;
    if (!program.contains(u'/') && !program.contains(u'\\'))
        program = QStandardPaths::findExecutable(program); // tries PATHEXT's .exe, .com, …
    if (program.isEmpty()) {
        m_errorString = QStringLiteral("no program '%1' in PATH").arg(options.program);
        return false;
    }
    // The Unix child reports a directory it cannot enter on the terminal, but a console host
    // paints its screen over anything written before it: say it here instead.
    const QString workingDirectory = QDir::toNativeSeparators(options.workingDirectory);
    if (!workingDirectory.isEmpty() && !QFileInfo(workingDirectory).isDir()) {
        m_errorString = QStringLiteral("no directory '%1'").arg(workingDirectory);
        return false;
    }
    // options.loginShell is ignored: "-name" as argv[0] is a Unix shell convention; cmd.exe and
    // PowerShell read their profiles on every start.

    HANDLE inputRead = nullptr;
    HANDLE outputWrite = nullptr;
    // Not inheritable (no SECURITY_ATTRIBUTES): the program reaches them only through the
    // console host, and no other child of the hub holds a pipe open.
    if (!::CreatePipe(&inputRead, &m_inputWrite, nullptr, 0)
        || !::CreatePipe(&m_outputRead, &outputWrite, nullptr, 0)) {
        m_errorString = windowsError("CreatePipe", ::GetLastError());
        if (inputRead)
            ::CloseHandle(inputRead);
        releaseHandles();
        return false;
    }
    HPCON console = nullptr;
    const HRESULT created = ::CreatePseudoConsole(
        consoleSize(options.cols, options.rows), inputRead, outputWrite, 0, &console);
    // The console host holds its own duplicates; ours would keep the output pipe open after the
    // host has gone, and the reader would never see its end.
    ::CloseHandle(inputRead);
    ::CloseHandle(outputWrite);
    if (FAILED(created)) {
        m_errorString = windowsError("CreatePseudoConsole", DWORD(created));
        releaseHandles();
        return false;
    }
    m_console = console;

    SIZE_T listSize = 0;
    ::InitializeProcThreadAttributeList(nullptr, 1, 0, &listSize); // fails, telling the size
    std::vector<char> listStorage(listSize);
    auto *attributes = reinterpret_cast<LPPROC_THREAD_ATTRIBUTE_LIST>(listStorage.data());
    if (!::InitializeProcThreadAttributeList(attributes, 1, 0, &listSize)) {
        m_errorString = windowsError("InitializeProcThreadAttributeList", ::GetLastError());
        releaseHandles();
        return false;
    }
    if (!::UpdateProcThreadAttribute(attributes, 0, PROC_THREAD_ATTRIBUTE_PSEUDOCONSOLE, m_console,
            sizeof(HPCON), nullptr, nullptr)) {
        m_errorString = windowsError("UpdateProcThreadAttribute", ::GetLastError());
        ::DeleteProcThreadAttributeList(attributes);
        releaseHandles();
        return false;
    }
    STARTUPINFOEXW startup {};
    startup.StartupInfo.cb = sizeof startup;
    // Null standard handles make the program take them from the pseudo console. Without this
    // flag Windows hands it copies of the hub's own stdin/stdout/stderr when those are pipes
    // (a service, a test harness reading "listening on"), and its output never reaches the
    // terminal (microsoft/terminal#11276, microsoft/node-pty#334).
    startup.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
    startup.lpAttributeList = attributes;

    QString line = windows::commandLine(program, options.arguments); // CreateProcessW may write to it
    QString environment = windows::environmentBlock(options.environment);
    PROCESS_INFORMATION info {};
    const BOOL started = ::CreateProcessW(nullptr, reinterpret_cast<wchar_t *>(line.data()), nullptr,
        nullptr, FALSE, EXTENDED_STARTUPINFO_PRESENT | CREATE_UNICODE_ENVIRONMENT,
        environment.data(),
        workingDirectory.isEmpty() ? nullptr : reinterpret_cast<const wchar_t *>(workingDirectory.utf16()),
        &startup.StartupInfo, &info);
    const DWORD startError = ::GetLastError();
    ::DeleteProcThreadAttributeList(attributes);
    if (!started) {
        m_errorString = windowsError("cannot run the shell", startError);
        releaseHandles();
        return false;
    }
    ::CloseHandle(info.hThread);
    m_process = info.hProcess;
    m_pid = qint64(info.dwProcessId);

    m_reader = std::thread([this] { readLoop(); });
    m_writer = std::thread([this] { writeLoop(); });
    // A process handle stays signalled: the notifier is disabled on its first activation.
    m_exitNotifier = std::make_unique<QWinEventNotifier>(m_process);
    connect(m_exitNotifier.get(), &QWinEventNotifier::activated, this, &ConPtyProcess::onProcessExited);
    qCDebug(lcTerminal) << "started" << program << "pid" << m_pid << "on a pseudo console";
    return true;
}

void ConPtyProcess::readLoop()
{
    std::vector<char> chunk(kReadChunk);
    for (;;) {
        DWORD want = 0;
        {
            std::unique_lock lock(m_mutex);
            // Not reading is the flow control: the pipe fills, then the console host stops,
            // then the program blocks on its next write.
            m_readerWake.wait(lock, [this] {
                return m_discarding || (m_readerMayRead && m_output.size() < kOutputCap);
            });
            want = m_discarding ? kReadChunk : DWORD(std::min<qsizetype>(kReadChunk, kOutputCap - m_output.size()));
        }
        DWORD got = 0;
        const bool ok = ::ReadFile(m_outputRead, chunk.data(), want, &got, nullptr);
        const DWORD error = ok ? ERROR_SUCCESS : ::GetLastError();
        bool notify = false;
        {
            std::lock_guard lock(m_mutex);
            const bool kept = ok && got > 0 && !m_discarding;
            if (kept)
                m_output.append(chunk.data(), qsizetype(got));
            if (!ok)
                m_outputEnded = true;
            if ((kept || !ok) && !m_notifyPosted)
                notify = m_notifyPosted = true;
        }
        if (notify)
            QMetaObject::invokeMethod(this, &ConPtyProcess::onOutputAvailable, Qt::QueuedConnection);
        if (!ok) {
            // ERROR_BROKEN_PIPE: the console host closed it, the normal end.
            if (error != ERROR_BROKEN_PIPE)
                qCWarning(lcTerminal) << "pid" << m_pid << windowsError("reading the console", error);
            return;
        }
    }
}

void ConPtyProcess::writeLoop()
{
    for (;;) {
        QByteArray chunk;
        {
            std::unique_lock lock(m_mutex);
            m_writerWake.wait(lock, [this] { return m_stopWriter || !m_input.isEmpty(); });
            if (m_stopWriter)
                return;
            chunk = m_input.left(kWriteChunk);
            m_input.remove(0, chunk.size());
            m_inputInFlight = chunk.size();
        }
        qsizetype done = 0;
        bool ok = true;
        while (ok && done < chunk.size()) {
            DWORD written = 0;
            ok = ::WriteFile(m_inputWrite, chunk.constData() + done, DWORD(chunk.size() - done), &written, nullptr);
            done += qsizetype(written);
        }
        std::lock_guard lock(m_mutex);
        m_inputInFlight = 0;
        if (!ok) {
            // The console host has gone (ERROR_NO_DATA, ERROR_BROKEN_PIPE): nobody reads this.
            m_input.clear();
            return;
        }
    }
}

QByteArray ConPtyProcess::read(qint64 maxBytes)
{
    if (maxBytes <= 0)
        return {};
    QByteArray out;
    bool notify = false;
    {
        std::lock_guard lock(m_mutex);
        if (!m_discarding) {
            out = m_output.left(qsizetype(maxBytes));
            m_output.remove(0, out.size());
        }
        // What a level-triggered notifier would do: more output, or its end, is reported again.
        if ((!m_output.isEmpty() || m_outputEnded) && !m_notifyPosted)
            notify = m_notifyPosted = true;
    }
    m_readerWake.notify_one(); // there is room again
    if (notify)
        QMetaObject::invokeMethod(this, &ConPtyProcess::onOutputAvailable, Qt::QueuedConnection);
    return out;
}

void ConPtyProcess::setReadingEnabled(bool enabled)
{
    if (m_readingEnabled == enabled)
        return;
    m_readingEnabled = enabled;
    bool notify = false;
    {
        std::lock_guard lock(m_mutex);
        m_readerMayRead = enabled;
        if (enabled && (!m_output.isEmpty() || m_outputEnded) && !m_notifyPosted)
            notify = m_notifyPosted = true;
    }
    m_readerWake.notify_one();
    if (notify)
        QMetaObject::invokeMethod(this, &ConPtyProcess::onOutputAvailable, Qt::QueuedConnection);
}

void ConPtyProcess::onOutputAvailable()
{
    bool hasOutput = false;
    {
        std::lock_guard lock(m_mutex);
        m_notifyPosted = false;
        hasOutput = !m_output.isEmpty();
    }
    if (hasOutput && m_readingEnabled && !m_hungUp)
        Q_EMIT readyRead();
    maybeFinish();
}

void ConPtyProcess::write(const QByteArray &bytes)
{
    if (!m_process || m_exited || m_hungUp || bytes.isEmpty())
        return;
    {
        std::lock_guard lock(m_mutex);
        if (m_stopWriter)
            return;
        m_input += bytes;
    }
    m_writerWake.notify_one();
}

qint64 ConPtyProcess::pendingInputBytes() const
{
    std::lock_guard lock(m_mutex);
    return m_input.size() + m_inputInFlight;
}

bool ConPtyProcess::resize(int cols, int rows)
{
    if (!m_console)
        return false;
    // The console host reflows its buffer and tells the program (WINDOW_BUFFER_SIZE_EVENT).
    return SUCCEEDED(::ResizePseudoConsole(m_console, consoleSize(cols, rows)));
}

void ConPtyProcess::hangup(int killAfterMs)
{
    if (!m_process || m_finished || m_hungUp)
        return;
    m_hungUp = true;
    discardOutput();
    if (m_exited) {
        // Gone, but its last output was still held back by flow control: that is dropped now.
        QTimer::singleShot(0, this, &ConPtyProcess::maybeFinish);
        return;
    }
    closeConsole();
    m_killTimer.start(killAfterMs);
    qCDebug(lcTerminal) << "pid" << m_pid << "hung up";
}

void ConPtyProcess::kill()
{
    if (!m_process || m_finished)
        return;
    if (m_exited) {
        hangup();
        return;
    }
    m_hungUp = true;
    m_killTimer.stop();
    discardOutput();
    // Only the shell: the programs it started on this console get CTRL_CLOSE_EVENT from the
    // console host below; ones it started elsewhere (`start`) are left alone, like nohup jobs.
    if (!::TerminateProcess(m_process, kKilledExitCode))
        qCWarning(lcTerminal) << "pid" << m_pid << windowsError("TerminateProcess", ::GetLastError());
    closeConsole();
}

void ConPtyProcess::discardOutput()
{
    {
        std::lock_guard lock(m_mutex);
        m_discarding = true;
        m_output.clear();
        m_input.clear();
    }
    m_readerWake.notify_all();
}

void ConPtyProcess::closeConsole()
{
    if (!m_console)
        return;
    // On a thread of its own: before Windows 11 24H2 ClosePseudoConsole returns only after the
    // console host has ended, which may wait for the reader to take output that flow control
    // holds back. The thread owns nothing but the console handle.
    HPCON console = m_console;
    m_console = nullptr;
    m_closer = std::thread([console] { ::ClosePseudoConsole(console); });
}

void ConPtyProcess::onProcessExited()
{
    if (m_exited)
        return;
    m_exitNotifier->setEnabled(false);
    DWORD code = 0;
    m_exitCode = ::GetExitCodeProcess(m_process, &code) ? int(code) : -1;
    m_exited = true;
    m_killTimer.stop();
    {
        std::lock_guard lock(m_mutex);
        m_stopWriter = true;
        m_input.clear();
    }
    m_writerWake.notify_all();
    // The console host keeps the output pipe open while it lives: close it so the pipe ends
    // after the program's last output (programs still attached get CTRL_CLOSE_EVENT).
    closeConsole();
    maybeFinish();
}

void ConPtyProcess::maybeFinish()
{
    if (m_finished || !m_exited)
        return;
    // The program's output comes before `finished`; after a hang-up it is discarded.
    if (!m_hungUp) {
        std::lock_guard lock(m_mutex);
        if (!m_outputEnded || !m_output.isEmpty())
            return;
    }
    m_finished = true;
    qCDebug(lcTerminal) << "pid" << m_pid << "ended, code" << m_exitCode;
    Q_EMIT finished(m_exitCode, 0);
}

void ConPtyProcess::releaseHandles()
{
    // The output pipe first: a console host blocked writing to it then lets go, so the
    // ClosePseudoConsole below cannot wait for a reader that is not there.
    for (HANDLE *handle : {&m_outputRead, &m_inputWrite}) {
        if (*handle) {
            ::CloseHandle(*handle);
            *handle = nullptr;
        }
    }
    if (m_console) {
        ::ClosePseudoConsole(m_console);
        m_console = nullptr;
    }
    if (m_process) {
        ::CloseHandle(m_process);
        m_process = nullptr;
    }
}

} // namespace opsdeck::terminal
