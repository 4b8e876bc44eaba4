#include "ptyprocess.h"

#include <QProcessEnvironment>

#if defined(Q_OS_WIN)
#include "conptyprocess.h"
#elif defined(Q_OS_UNIX)
#include "unixptyprocess.h"
#endif

namespace opsdeck::terminal {

std::unique_ptr<PtyProcess> PtyProcess::create(QObject *parent)
{
#if defined(Q_OS_WIN)
    return std::make_unique<ConPtyProcess>(parent);
#elif defined(Q_OS_UNIX)
    return std::make_unique<UnixPtyProcess>(parent);
#else
    Q_UNUSED(parent);
    return nullptr;
#endif
}

QStringList PtyProcess::terminalEnvironment()
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("TERM"), QStringLiteral("xterm-256color"));
    environment.insert(QStringLiteral("COLORTERM"), QStringLiteral("truecolor"));
    // Variables of a desktop session's own terminal would mislead programs about this one.
    for (const char *name : {"LINES", "COLUMNS", "TERM_PROGRAM", "TERM_PROGRAM_VERSION", "VTE_VERSION"})
        environment.remove(QString::fromLatin1(name));
    return environment.toStringList();
}

QString PtyProcess::defaultShell(const QString &configured)
{
    if (!configured.isEmpty())
        return configured;
#ifdef Q_OS_WIN
    // %COMSPEC% is where Windows keeps the command interpreter (normally C:\Windows\system32\cmd.exe).
    const QString comspec = qEnvironmentVariable("COMSPEC");
    return comspec.isEmpty() ? QStringLiteral("cmd.exe") : comspec;
#else
    const QString shell = qEnvironmentVariable("SHELL");
    return shell.isEmpty() ? QStringLiteral("/bin/sh") : shell;
#endif
}

} // namespace opsdeck::terminal
