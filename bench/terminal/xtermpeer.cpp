// The peer: xterm rendering the same file under the same X server. xterm reads its PTY and
// draws as it goes, like the console; what it cannot tell us is when the last byte was drawn,
// so the run is timed from process start to exit (the caller subtracts an empty-file run).

#include "benchterm.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QStandardPaths>

namespace opsdeck::bench {

XtermResult runXterm(const QString &file, int cols, int rows, const QStringList &fontArgs, int timeoutMs)
{
    XtermResult result;
    if (qEnvironmentVariableIsEmpty("DISPLAY")) {
        result.skipped = QStringLiteral("DISPLAY is not set; run under xvfb-run");
        return result;
    }
    const QString xterm = QStandardPaths::findExecutable(QStringLiteral("xterm"));
    if (xterm.isEmpty()) {
        result.skipped = QStringLiteral("xterm is not installed (Debian package xterm)");
        return result;
    }
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // UTF-8 like the console's screen; the file has 2-, 3- and 4-byte sequences.
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C.UTF-8"));
    process.setProcessEnvironment(env);
    // Its complaints (a missing core font) become one `#` line instead of noise in the figures.
    process.setProcessChannelMode(QProcess::MergedChannels);
    QStringList arguments {
        QStringLiteral("-geometry"), QStringLiteral("%1x%2").arg(cols).arg(rows), QStringLiteral("-u8")};
    arguments += fontArgs;
    // The file name is ours (a temporary directory), so quoting it for sh is enough.
    arguments += {QStringLiteral("-e"), QStringLiteral("sh"), QStringLiteral("-c"),
        QStringLiteral("cat '%1'; exit").arg(file)};
    QElapsedTimer clock;
    clock.start();
    process.start(xterm, arguments);
    if (!process.waitForStarted(10000)) {
        result.error = QStringLiteral("xterm did not start: %1").arg(process.errorString());
        return result;
    }
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(5000);
        result.error = QStringLiteral("xterm did not finish within %1 s").arg(timeoutMs / 1000);
        return result;
    }
    result.seconds = double(clock.nsecsElapsed()) / 1e9;
    const QList<QByteArray> said = process.readAll().trimmed().split('\n');
    result.note = QString::fromLocal8Bit(said.first());
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        result.error = QStringLiteral("xterm exited with status %1").arg(process.exitCode());
    return result;
}

} // namespace opsdeck::bench
