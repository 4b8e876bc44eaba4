#include "lnavpeer.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QStandardPaths>
#include <sys/resource.h>

namespace opsdeck::bench {

namespace {
    double childrenCpuMs()
    {
        struct rusage usage {};
        getrusage(RUSAGE_CHILDREN, &usage);
        return (double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3)
            + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3;
    }
} // namespace

QString findLnav()
{
    return QStandardPaths::findExecutable(QStringLiteral("lnav"));
}

LnavRun runLnavCount(const QString &lnav, const QString &file, int timeoutMs)
{
    LnavRun run;
    QProcess process;
    process.setStandardErrorFile(QProcess::nullDevice());
    const double cpuBefore = childrenCpuMs();
    QElapsedTimer timer;
    timer.start();
    process.start(lnav,
        {QStringLiteral("-n"), QStringLiteral("-c"), QStringLiteral(";SELECT count(*) FROM all_logs"), file});
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(5000);
        run.error = process.error() == QProcess::FailedToStart ? QStringLiteral("did not start")
                                                                 : QStringLiteral("did not finish");
        return run;
    }
    run.ms = double(timer.nsecsElapsed()) / 1e6;
    run.cpuMs = childrenCpuMs() - cpuBefore;
    // The row count is the last number lnav prints (after the column header).
    const QList<QByteArray> words = process.readAllStandardOutput().simplified().split(' ');
    run.rows = words.isEmpty() ? -1 : words.constLast().toLongLong();
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0 || run.rows <= 0) {
        run.error = QStringLiteral("failed (exit %1, rows %2)").arg(process.exitCode()).arg(run.rows);
        return run;
    }
    run.ok = true;
    return run;
}

} // namespace opsdeck::bench
