#include "commandrunner.h"

#include "agentlog.h"

#include <QStandardPaths>

namespace opsdeck::agent {

namespace {
constexpr int kStdout = 0;
constexpr int kStderr = 1;
const QString kBuiltinStatus = QStringLiteral("status");

QString streamName(int index)
{
    return index == kStdout ? QStringLiteral("stdout") : QStringLiteral("stderr");
}

QString firstWord(const QString &command)
{
    return QProcess::splitCommand(command).value(0);
}

RunResult failure(const RunRequest &request, const QString &code, const QString &message)
{
    RunResult result;
    result.syncId = request.syncId;
    result.commandName = firstWord(request.command);
    result.success = false;
    result.errorCode = code;
    result.errorMessage = message;
    return result;
}
} // namespace

CommandRunner::CommandRunner(CommandRunnerOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{
    qRegisterMetaType<opsdeck::agent::RunResult>();
}

CommandRunner::~CommandRunner()
{
    for (const auto &job : std::as_const(m_jobs)) {
        if (!job->process)
            continue;
        job->process->disconnect(this);
        if (job->process->state() != QProcess::NotRunning) {
            job->process->kill();
            job->process->waitForFinished(2000);
        }
    }
}

QString CommandRunner::refusal(const QString &command) const
{
    const QString program = firstWord(command);
    if (program.isEmpty())
        return QStringLiteral("empty command");
    if (program == kBuiltinStatus || m_options.allow.contains(program))
        return {};
    return QStringLiteral("not allowed: %1 (allowed: %2)")
        .arg(program, (QStringList{kBuiltinStatus} + m_options.allow).join(QStringLiteral(", ")));
}

void CommandRunner::start(const RunRequest &request)
{
    if (m_jobs.contains(request.syncId)) {
        finishLater(failure(request, QStringLiteral("COMMAND_FAILED"),
                            QStringLiteral("a command with id %1 is already running").arg(request.syncId)));
        return;
    }
    if (const QString why = refusal(request.command); !why.isEmpty()) {
        qCInfo(lcAgent) << "refused command" << request.syncId << ":" << why;
        finishLater(failure(request, QStringLiteral("COMMAND_FAILED"), why));
        return;
    }
    const QStringList words = QProcess::splitCommand(request.command);
    if (words.first() == kBuiltinStatus) {
        RunResult result;
        result.syncId = request.syncId;
        result.commandName = kBuiltinStatus;
        result.success = true;
        result.text = m_statusProvider ? m_statusProvider() : QString();
        finishLater(result);
        return;
    }
    const QString program = QStandardPaths::findExecutable(words.first());
    if (program.isEmpty()) {
        finishLater(failure(request, QStringLiteral("COMMAND_FAILED"),
                            QStringLiteral("%1 is allowed but was not found on this agent's PATH").arg(words.first())));
        return;
    }
    auto job = std::make_shared<Job>();
    job->request = request;
    job->program = program;
    job->arguments = words.mid(1);
    job->clock.start();
    job->timeout.setSingleShot(true);
    const QString syncId = request.syncId;
    connect(&job->timeout, &QTimer::timeout, this, [this, syncId] {
        if (const auto found = m_jobs.value(syncId))
            stop(*found, Ending::Timeout, {});
    });
    job->timeout.start(std::max(1, request.timeoutMs));
    m_jobs.insert(syncId, job);
    m_order.append(syncId);
    Q_EMIT queueChanged();
    launchWaiting();
}

void CommandRunner::launchWaiting()
{
    for (const QString &syncId : std::as_const(m_order)) {
        if (runningCount() >= m_options.maxConcurrent)
            return;
        const auto job = m_jobs.value(syncId);
        if (job && !job->process && job->ending == Ending::None)
            launch(*job);
    }
}

void CommandRunner::launch(Job &job)
{
    job.process = std::make_unique<QProcess>();
    QProcess *process = job.process.get();
    const QString syncId = job.request.syncId;
    process->setProgram(job.program);
    process->setArguments(job.arguments);
    process->setProcessChannelMode(QProcess::SeparateChannels);
    connect(process, &QProcess::readyReadStandardOutput, this, [this, syncId] {
        if (const auto found = m_jobs.value(syncId))
            readChannel(*found, QProcess::StandardOutput);
    });
    connect(process, &QProcess::readyReadStandardError, this, [this, syncId] {
        if (const auto found = m_jobs.value(syncId))
            readChannel(*found, QProcess::StandardError);
    });
    connect(process, &QProcess::errorOccurred, this, [this, syncId](QProcess::ProcessError error) {
        const auto found = m_jobs.value(syncId);
        if (!found || error != QProcess::FailedToStart)
            return; // other errors are followed by finished()
        RunResult result = failure(found->request, QStringLiteral("COMMAND_FAILED"),
                                   QStringLiteral("could not start %1: %2").arg(found->program, found->process->errorString()));
        complete(syncId, result);
    });
    connect(process, &QProcess::finished, this, [this, syncId](int exitCode, QProcess::ExitStatus status) {
        const auto found = m_jobs.value(syncId);
        if (!found)
            return;
        Job &job = *found;
        readChannel(job, QProcess::StandardOutput);
        readChannel(job, QProcess::StandardError);
        for (int index : {kStdout, kStderr}) {
            if (!job.partial[index].isEmpty())
                emitLine(job, std::exchange(job.partial[index], {}), index);
        }
        RunResult result;
        result.syncId = syncId;
        result.commandName = firstWord(job.request.command);
        result.text = outputText(job);
        const QString name = result.commandName;
        if (job.ending == Ending::Timeout) {
            result.errorCode = QStringLiteral("COMMAND_TIMEOUT");
            result.errorMessage = QStringLiteral("%1 did not finish within %2 ms and was stopped").arg(name).arg(job.request.timeoutMs);
        } else if (job.ending == Ending::Cancelled) {
            result.errorCode = QStringLiteral("CANCELLED");
            result.errorMessage = job.endingReason;
        } else if (status == QProcess::CrashExit) {
            result.errorCode = QStringLiteral("COMMAND_FAILED");
            result.errorMessage = QStringLiteral("%1 was ended by a signal").arg(name);
        } else if (exitCode != 0) {
            result.errorCode = QStringLiteral("COMMAND_FAILED");
            result.errorMessage = QStringLiteral("%1 exited with status %2").arg(name).arg(exitCode);
        } else {
            result.success = true;
        }
        complete(syncId, result);
    });
    qCInfo(lcAgent) << "running" << job.request.syncId << job.program << job.arguments;
    process->start(QIODevice::ReadOnly); // no stdin: a program waiting for input sees EOF
}

void CommandRunner::readChannel(Job &job, QProcess::ProcessChannel channel)
{
    if (!job.process)
        return;
    job.process->setReadChannel(channel);
    const QByteArray data = job.process->readAll();
    if (!data.isEmpty())
        collect(job, data, channel == QProcess::StandardOutput ? kStdout : kStderr);
}

void CommandRunner::collect(Job &job, const QByteArray &data, int streamIndex)
{
    const qint64 room = m_options.maxOutputBytes - job.output.size();
    job.outputTotal += data.size();
    if (room > 0)
        job.output.append(data.left(room));
    if (job.outputTotal > m_options.maxOutputBytes) {
        // The rest is read and dropped: a flood (`yes`) costs neither memory nor the hub's logs.
        if (!job.truncationNoted) {
            job.truncationNoted = true;
            const qsizetype kept = room > 0 ? room : 0;
            QByteArray &partial = job.partial[streamIndex];
            partial.append(data.left(kept));
            qsizetype newline;
            while ((newline = partial.indexOf('\n')) >= 0)
                emitLine(job, partial.left(newline), streamIndex);
            Q_EMIT outputLine(job.request.syncId, QStringLiteral("stderr"),
                              QStringLiteral("[opsdeck-agent: output beyond %1 bytes is not kept or streamed]")
                                  .arg(m_options.maxOutputBytes));
            job.partial[kStdout].clear();
            job.partial[kStderr].clear();
        }
        return;
    }
    QByteArray &partial = job.partial[streamIndex];
    partial.append(data);
    qsizetype newline;
    while ((newline = partial.indexOf('\n')) >= 0)
        emitLine(job, partial.left(newline), streamIndex);
    if (partial.size() > m_options.maxLineBytes)
        emitLine(job, partial, streamIndex);
}

void CommandRunner::emitLine(Job &job, QByteArray line, int streamIndex)
{
    QByteArray &partial = job.partial[streamIndex];
    partial.remove(0, std::min<qsizetype>(partial.size(), line.size() + 1));
    if (line.endsWith('\r'))
        line.chop(1);
    if (line.size() > m_options.maxLineBytes)
        line.truncate(m_options.maxLineBytes);
    Q_EMIT outputLine(job.request.syncId, streamName(streamIndex), QString::fromUtf8(line));
}

QString CommandRunner::outputText(const Job &job) const
{
    QString text = QString::fromUtf8(job.output);
    if (job.outputTotal > job.output.size())
        text += QStringLiteral("\n[output truncated: kept %1 of %2 bytes]").arg(job.output.size()).arg(job.outputTotal);
    return text;
}

bool CommandRunner::cancel(const QString &syncId, const QString &reason)
{
    const auto job = m_jobs.value(syncId);
    if (!job)
        return false;
    stop(*job, Ending::Cancelled, reason);
    return true;
}

void CommandRunner::cancelAll(const QString &reason)
{
    const QStringList ids = m_order;
    for (const QString &id : ids)
        cancel(id, reason);
}

void CommandRunner::stop(Job &job, Ending ending, const QString &reason)
{
    if (job.ending != Ending::None)
        return;
    job.ending = ending;
    job.endingReason = reason;
    if (!job.process) {
        // Still waiting for a slot: nothing to stop.
        RunResult result = ending == Ending::Timeout
                               ? failure(job.request, QStringLiteral("COMMAND_TIMEOUT"),
                                         QStringLiteral("waited %1 ms for a free slot (--max-concurrent %2)")
                                             .arg(job.request.timeoutMs)
                                             .arg(m_options.maxConcurrent))
                               : failure(job.request, QStringLiteral("CANCELLED"), reason);
        complete(job.request.syncId, result);
        return;
    }
    qCInfo(lcAgent) << "stopping" << job.request.syncId << (ending == Ending::Timeout ? "(timeout)" : "(cancelled)");
    job.process->terminate();
    job.kill.setSingleShot(true);
    QProcess *process = job.process.get();
    connect(&job.kill, &QTimer::timeout, process, [process] { process->kill(); });
    job.kill.start(m_options.killGraceMs);
}

void CommandRunner::complete(const QString &syncId, RunResult result)
{
    const auto job = m_jobs.take(syncId);
    if (!job)
        return;
    m_order.removeOne(syncId);
    job->timeout.stop();
    job->kill.stop();
    if (job->process) {
        job->process->disconnect(this);
        if (job->process->state() != QProcess::NotRunning)
            job->process->kill(); // FailedToStart leaves nothing running; this is belt and braces
        // Not deleted here: we may be inside one of its signals.
        QProcess *process = job->process.release();
        connect(process, &QProcess::finished, process, &QObject::deleteLater);
        if (process->state() == QProcess::NotRunning)
            process->deleteLater();
    }
    result.durationMs = job->clock.elapsed();
    ++m_processed;
    ++(result.success ? m_succeeded : m_failed);
    Q_EMIT finished(result);
    Q_EMIT queueChanged();
    launchWaiting();
}

void CommandRunner::finishLater(RunResult result)
{
    QMetaObject::invokeMethod(
        this,
        [this, result] {
            ++m_processed;
            ++(result.success ? m_succeeded : m_failed);
            Q_EMIT finished(result);
            Q_EMIT queueChanged();
        },
        Qt::QueuedConnection);
}

QStringList CommandRunner::activeIds() const
{
    return m_order;
}

int CommandRunner::runningCount() const
{
    int running = 0;
    for (const auto &job : m_jobs)
        running += job->process ? 1 : 0;
    return running;
}

QString CommandRunner::currentTask() const
{
    return m_order.isEmpty() ? QString() : m_jobs.value(m_order.first())->request.command;
}

} // namespace opsdeck::agent
