#include "ptyprocess.h"

#include <QProcessEnvironment>

#ifdef Q_OS_UNIX
#include "unixptyprocess.h"
#endif

namespace opsdeck::terminal {

std::unique_ptr<PtyProcess> PtyProcess::create(QObject *parent)
{
#ifdef Q_OS_UNIX
    return std::make_unique<UnixPtyProcess>(parent);
#else
    Q_UNUSED(parent);
    return nullptr; // ConPTY is not implemented yet
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
    const QString shell = qEnvironmentVariable("SHELL");
    return shell.isEmpty() ? QStringLiteral("/bin/sh") : shell;
}

} // namespace opsdeck::terminal
