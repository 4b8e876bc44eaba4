#include "logfileloader.h"

#include "logfileparser.h"
#include "logmodel.h"

#include <QFile>
#include <QFileInfo>
#include <QThread>

namespace opsdeck::logs {

namespace {
constexpr qint64 kBlockSize = 1 << 20;
constexpr int kBatchesInFlight = 4;
} // namespace

LogFileLoader::LogFileLoader(QObject *parent)
    : QObject(parent)
    , m_window(kBatchesInFlight)
{
}

LogFileLoader::~LogFileLoader()
{
    if (m_thread) {
        cancel();
        m_thread->wait();
        delete m_thread;
    }
}

QString LogFileLoader::parseFile(const QString &path, const BatchSink &sink, const ProgressFn &progress, int64_t *lines)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return file.errorString();
    const qint64 total = file.size();
    LogFileParser parser(QFileInfo(path).fileName().toStdString());
    QByteArray block(kBlockSize, Qt::Uninitialized);
    qint64 done = 0;
    for (;;) {
        const qint64 n = file.read(block.data(), kBlockSize);
        if (n < 0)
            return file.errorString();
        if (n == 0)
            break;
        parser.feed(std::string_view(block.constData(), std::size_t(n)));
        done += n;
        if (parser.hasFullBatch())
            sink(parser.takeBatch());
        if (progress && !progress(done, total))
            return QStringLiteral("cancelled");
    }
    parser.finish();
    auto last = parser.takeBatch();
    if (!last->items.empty())
        sink(last);
    if (lines)
        *lines = parser.lineCount();
    return QString();
}

bool LogFileLoader::load(const QString &path, LogModel *model)
{
    if (m_thread || !model)
        return false;
    m_model = model;
    m_path = path;
    m_error.clear();
    m_progress = 0;
    m_cancel = false;
    m_thread = QThread::create([this, path] {
        int64_t lines = 0;
        const QString error = parseFile(
            path,
            [this](const LogBatchPtr &batch) {
                // Wait for a free slot, but give up promptly on cancel.
                while (!m_window.tryAcquire(1, 50)) {
                    if (m_cancel)
                        return;
                }
                QMetaObject::invokeMethod(this, [this, batch] { deliver(batch); }, Qt::QueuedConnection);
            },
            [this](qint64 done, qint64 total) {
                QMetaObject::invokeMethod(
                    this,
                    [this, done, total] {
                        m_progress = total > 0 ? double(done) / double(total) : 1.0;
                        Q_EMIT progressChanged();
                        Q_EMIT progressed(done, total);
                    },
                    Qt::QueuedConnection);
                return !m_cancel;
            },
            &lines);
        QMetaObject::invokeMethod(this, [this, error, lines] { complete(error, lines); }, Qt::QueuedConnection);
    });
    m_thread->setObjectName(QStringLiteral("log-file-loader"));
    m_thread->start(QThread::LowPriority);
    qCDebug(lcLogs) << "loading log file" << path;
    Q_EMIT runningChanged();
    return true;
}

void LogFileLoader::deliver(const LogBatchPtr &batch)
{
    m_window.release();
    if (m_model && !m_cancel)
        m_model->appendBatch(batch);
}

void LogFileLoader::complete(const QString &error, qint64 lines)
{
    if (!m_thread)
        return;
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
    // Deliveries queued before this completion have already run (same queue, in order).
    m_window.release(kBatchesInFlight - m_window.available());
    m_error = m_cancel ? QStringLiteral("cancelled") : error;
    if (m_error.isEmpty())
        m_progress = 1.0;
    qCDebug(lcLogs) << "log file" << m_path << "loaded:" << lines << "lines" << m_error;
    Q_EMIT progressChanged();
    Q_EMIT runningChanged();
    Q_EMIT finished(m_error.isEmpty(), m_error, lines);
}

void LogFileLoader::cancel()
{
    m_cancel = true;
}

} // namespace opsdeck::logs
