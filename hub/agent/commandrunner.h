#pragma once

// Runs the commands the hub sends an agent (docs/operations.md §8): only programs on the
// allow-list (the first word of the command must equal an allowed name), found on PATH with
// QStandardPaths::findExecutable, started with QProcess — never through a shell, arguments split
// with QProcess::splitCommand. Output lines are streamed while the program runs; the collected
// output (capped) is the result. A timeout or a cancel terminates the program, then kills it.
// Counts what it did the way seed 000's ICommandQueueMonitor does.

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <functional>
#include <memory>

namespace opsdeck::agent {

struct RunRequest
{
    QString syncId;  // commandSyncId
    QString command; // e.g. "df -h /"
    int timeoutMs = 30000;
};

struct RunResult
{
    QString syncId;
    QString commandName; // the first word
    bool success = false;
    QString text;        // collected stdout and stderr in arrival order
    QString errorCode;   // COMMAND_FAILED, COMMAND_TIMEOUT, CANCELLED; empty on success
    QString errorMessage;
    qint64 durationMs = 0;
};

struct CommandRunnerOptions
{
    QStringList allow;
    int maxConcurrent = 4;
    qint64 maxOutputBytes = 256 * 1024;
    int maxLineBytes = 16 * 1024; // a longer streamed line is cut
    int killGraceMs = 2000;       // after terminate(), before kill()
};

class CommandRunner : public QObject
{
    Q_OBJECT
public:
    explicit CommandRunner(CommandRunnerOptions options, QObject *parent = nullptr);
    ~CommandRunner() override; // kills what still runs

    // The text of the built-in `status` command.
    void setStatusProvider(std::function<QString()> provider) { m_statusProvider = std::move(provider); }

    // Takes a command: it runs now, or waits for a free slot. The result always comes later
    // through finished(), also for a refused command.
    void start(const RunRequest &request);
    // Ends a waiting or running command with CANCELLED; false for an unknown id.
    bool cancel(const QString &syncId, const QString &reason = QStringLiteral("Cancelled by the operator"));
    void cancelAll(const QString &reason);

    // ICommandQueueMonitor
    QStringList activeIds() const;  // running and waiting, oldest first
    qint64 processed() const { return m_processed; }
    qint64 succeeded() const { return m_succeeded; }
    qint64 failed() const { return m_failed; }
    int runningCount() const;
    // The command text of the oldest active command (the agent's `task`), empty when idle.
    QString currentTask() const;

    const CommandRunnerOptions &options() const { return m_options; }
    // Empty when allowed (or `status`); otherwise why not, for the result.
    QString refusal(const QString &command) const;

Q_SIGNALS:
    // stream is "stdout" or "stderr"; the line has no line break.
    void outputLine(const QString &syncId, const QString &stream, const QString &line);
    void finished(const opsdeck::agent::RunResult &result);
    // Something of activeIds/processed/succeeded/failed changed.
    void queueChanged();

private:
    enum class Ending { None, Timeout, Cancelled };
    struct Job
    {
        RunRequest request;
        QString program; // resolved path
        QStringList arguments;
        std::unique_ptr<QProcess> process;
        QTimer timeout;
        QTimer kill;
        QElapsedTimer clock;
        QByteArray output;
        qint64 outputTotal = 0;
        QByteArray partial[2]; // stdout, stderr: a line still without its newline
        Ending ending = Ending::None;
        QString endingReason;
        bool truncationNoted = false;
    };

    void launchWaiting();
    void launch(Job &job);
    void readChannel(Job &job, QProcess::ProcessChannel channel);
    void collect(Job &job, const QByteArray &data, int streamIndex);
    void emitLine(Job &job, QByteArray line, int streamIndex);
    void stop(Job &job, Ending ending, const QString &reason);
    void complete(const QString &syncId, RunResult result);
    void finishLater(RunResult result);
    QString outputText(const Job &job) const;

    CommandRunnerOptions m_options;
    std::function<QString()> m_statusProvider;
    QList<QString> m_order;                      // active ids, oldest first
    QHash<QString, std::shared_ptr<Job>> m_jobs; // running and waiting
    qint64 m_processed = 0;
    qint64 m_succeeded = 0;
    qint64 m_failed = 0;
};

} // namespace opsdeck::agent

Q_DECLARE_METATYPE(opsdeck::agent::RunResult)
