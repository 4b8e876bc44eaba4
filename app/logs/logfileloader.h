#pragma once

// Loads a local log file into a LogModel on a worker thread: reads 1 MiB blocks, parses them
// with LogFileParser and hands batches to the model on the model's thread. A small window of
// batches in flight keeps a fast parser from piling up memory ahead of a busy GUI thread.

#include "logbatch.h"

#include <QObject>
#include <QPointer>
#include <QSemaphore>
#include <QString>

#include <atomic>
#include <functional>

class QThread;

namespace opsdeck::logs {

class LogModel;

class LogFileLoader : public QObject
{
    Q_OBJECT
    Q_PROPERTY(bool running READ isRunning NOTIFY runningChanged)
    Q_PROPERTY(double progress READ progress NOTIFY progressChanged)
    Q_PROPERTY(QString fileName READ fileName NOTIFY runningChanged)
    Q_PROPERTY(QString errorString READ errorString NOTIFY finished)

public:
    explicit LogFileLoader(QObject *parent = nullptr);
    ~LogFileLoader() override;

    // Appends the file's entries to `model` (which is not cleared: the caller decides whether a
    // file gets its own model). Returns false if a load is already running.
    Q_INVOKABLE bool load(const QString &path, opsdeck::logs::LogModel *model);
    Q_INVOKABLE void cancel();

    bool isRunning() const { return m_thread != nullptr; }
    double progress() const { return m_progress; }
    QString fileName() const { return m_path; }
    QString errorString() const { return m_error; }

    // The synchronous core, also used by the benchmark: reads `path` in blocks and calls `sink`
    // for every batch; `progress(done, total)` returning false cancels. Returns an error text,
    // empty on success.
    using BatchSink = std::function<void(const LogBatchPtr &)>;
    using ProgressFn = std::function<bool(qint64 done, qint64 total)>;
    static QString parseFile(const QString &path, const BatchSink &sink, const ProgressFn &progress = {},
                             int64_t *lines = nullptr);

Q_SIGNALS:
    void runningChanged();
    void progressChanged();
    void progressed(qint64 bytesDone, qint64 bytesTotal);
    void finished(bool ok, const QString &error, qint64 lines);

private:
    void deliver(const LogBatchPtr &batch);
    void complete(const QString &error, qint64 lines);

    QThread *m_thread = nullptr;
    QPointer<LogModel> m_model;
    QString m_path;
    QString m_error;
    double m_progress = 0;
    std::atomic_bool m_cancel = false;
    QSemaphore m_window;
};

} // namespace opsdeck::logs
