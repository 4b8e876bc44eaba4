#include "logfiletailer.h"

#include "logfileparser.h"
#include "logsourcelog.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <cerrno>

Q_LOGGING_CATEGORY(lcLogSource, "opsdeck.hub.logsource")

namespace opsdeck::logsource {

using logs::LogFileParser;

namespace {
    constexpr int kCoalesceMs = 20; // a busy file fires inotify per write; one read serves a burst

    // Cuts `bytes` to at most `max` bytes without splitting a UTF-8 sequence, noting what was dropped.
    QString decodeBounded(std::string_view bytes, qint64 max)
    {
        if (qint64(bytes.size()) <= max)
            return QString::fromUtf8(bytes.data(), qsizetype(bytes.size()));
        std::size_t cut = std::size_t(max);
        while (cut > 0 && (static_cast<unsigned char>(bytes[cut]) & 0xC0) == 0x80)
            --cut;
        return QString::fromUtf8(bytes.data(), qsizetype(cut))
            + QStringLiteral("\n… [truncated: %1 more bytes]").arg(bytes.size() - cut);
    }
} // namespace

LogFileTailer::LogFileTailer(LogFileTailerOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{
    qRegisterMetaType<QList<TailedEntry>>();
    m_options.readChunkBytes = std::clamp<qint64>(m_options.readChunkBytes, 4096, 16 << 20);
    m_options.chunksPerTurn = std::max(1, m_options.chunksPerTurn);
    m_buffer.resize(qsizetype(m_options.readChunkBytes));
    m_pollTimer.setInterval(std::max(10, m_options.pollIntervalMs));
    connect(&m_pollTimer, &QTimer::timeout, this, &LogFileTailer::check);
    m_checkTimer.setSingleShot(true);
    connect(&m_checkTimer, &QTimer::timeout, this, &LogFileTailer::check);
    m_quietTimer.setSingleShot(true);
    connect(&m_quietTimer, &QTimer::timeout, this, &LogFileTailer::onQuiet);
    m_sinceData.start();
}

LogFileTailer::~LogFileTailer()
{
    stop();
}

void LogFileTailer::start()
{
    if (m_running)
        return;
    m_running = true;
    m_watcher = new QFileSystemWatcher(this);
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, &LogFileTailer::scheduleCheck);
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, &LogFileTailer::scheduleCheck);
    m_pollTimer.start();
    check();
    m_started = true;
    rewatch();
}

void LogFileTailer::stop()
{
    if (!m_running)
        return;
    m_running = false;
    m_pollTimer.stop();
    m_checkTimer.stop();
    // Whatever was read is handed over, so stopping loses nothing that reached the hub.
    if (m_file.isOpen())
        finishFile();
    delete m_watcher;
    m_watcher = nullptr;
}

void LogFileTailer::checkNow()
{
    check();
}

void LogFileTailer::scheduleCheck()
{
    if (m_running && !m_checkTimer.isActive())
        m_checkTimer.start(kCoalesceMs);
}

void LogFileTailer::check()
{
    if (!m_running)
        return;
    if (!m_file.isOpen() && !openPath(m_started ? true : m_options.fromStart))
        return;
    // The path is looked at before reading: everything written to the old file before it was
    // renamed away is then read by the readSome() below, before switching.
    const std::optional<FileIdentity> current = TailedFile::identityOf(m_options.path);
    const bool replaced = !current || *current != m_file.identity();
    if (!readSome()) {
        m_checkTimer.start(0); // a backlog: continue on the next turn
        return;
    }
    if (replaced) {
        qCInfo(lcLogSource) << m_options.path
                            << (current ? "was rotated; following the new file" : "is gone; waiting for it");
        finishFile();
        Q_EMIT fileRotated(m_options.path);
        if (current && openPath(true) && !readSome())
            m_checkTimer.start(0);
        return;
    }
    const qint64 size = m_file.size();
    if (size >= 0 && size < m_file.offset()) {
        qCInfo(lcLogSource) << m_options.path << "was truncated; reading it from the start";
        m_parser->finish();
        emitBatch();
        m_parser = std::make_unique<LogFileParser>();
        m_file.setOffset(0);
        Q_EMIT fileTruncated(m_options.path);
        if (!readSome())
            m_checkTimer.start(0);
    }
}

bool LogFileTailer::openPath(bool atStart)
{
    QString error;
    if (!m_file.open(m_options.path, &error)) {
        // Said once per kind of failure, not once per poll.
        if (error != m_lastError) {
            if (m_file.openErrno() == ENOENT)
                qCInfo(lcLogSource) << m_options.path << "does not exist yet; waiting for it";
            else
                qCWarning(lcLogSource) << "cannot read" << m_options.path << ':' << error << "- retrying";
            m_lastError = error;
        }
        rewatch();
        return false;
    }
    m_lastError.clear();
    m_file.setOffset(atStart ? 0 : m_file.lineStartBefore(m_file.size()));
    m_parser = std::make_unique<LogFileParser>();
    qCInfo(lcLogSource) << "following" << m_options.path << "from byte" << m_file.offset();
    if (m_watcher) {
        // The old watch may have followed the renamed inode; watch whatever the path names now.
        m_watcher->removePath(m_options.path);
    }
    rewatch();
    Q_EMIT fileOpened(m_options.path, m_file.identity().inode);
    return true;
}

bool LogFileTailer::readSome()
{
    bool gotData = false;
    bool atEnd = false;
    for (int chunk = 0; chunk < m_options.chunksPerTurn; ++chunk) {
        const int64_t n = m_file.read(m_buffer.data(), m_buffer.size());
        if (n <= 0) {
            if (n < 0)
                qCWarning(lcLogSource)
                    << "reading" << m_options.path << "failed:" << qt_error_string(int(errno));
            atEnd = true;
            break;
        }
        gotData = true;
        m_parser->feed(std::string_view(m_buffer.constData(), std::size_t(n)));
        // A "line" that never ends (a binary file, a runaway writer) is cut rather than buffered.
        if (m_parser->pendingLineBytes() > std::size_t(m_options.maxLineBytes))
            m_parser->finish();
        if (m_parser->hasFullBatch())
            emitBatch();
    }
    if (gotData) {
        m_sinceData.restart();
        m_quietTimer.start(std::max(1, m_options.entryQuietMs));
        emitBatch();
    }
    return atEnd;
}

void LogFileTailer::finishFile()
{
    if (m_parser) {
        m_parser->finish();
        emitBatch();
    }
    m_parser.reset();
    m_file.close();
    m_quietTimer.stop();
}

void LogFileTailer::onQuiet()
{
    if (!m_parser)
        return;
    // Read what is there first: a missed watcher event must not close an entry early.
    check();
    if (!m_parser)
        return;
    const qint64 quiet = m_sinceData.elapsed();
    if (quiet < m_options.entryQuietMs) {
        m_quietTimer.start(int(m_options.entryQuietMs - quiet));
        return;
    }
    if (m_parser->pendingLineBytes() > 0) {
        // A partial line may still be the next line of the open entry (a trace being written),
        // so the entry waits with it.
        if (quiet < m_options.partialLineMs) {
            m_quietTimer.start(int(m_options.partialLineMs - quiet));
            return;
        }
        m_parser->finish();
    } else {
        m_parser->completeEntry();
    }
    emitBatch();
}

void LogFileTailer::emitBatch()
{
    if (!m_parser)
        return;
    const auto batch = m_parser->takeBatch();
    if (batch->items.empty())
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QList<TailedEntry> entries;
    entries.reserve(qsizetype(batch->items.size()));
    for (const auto &item : batch->items) {
        const logs::LogEntryInput in = batch->input(item);
        TailedEntry entry;
        entry.timeFromLine = item.hasTimestamp;
        entry.timeMs = item.hasTimestamp ? item.timestampMs : now;
        entry.level = item.level;
        entry.message = decodeBounded(in.message, m_options.maxEntryBytes);
        // A syslog tag or a JSON line's logger would otherwise be lost: the entry's source is
        // the configured name of the file.
        if (!in.source.empty())
            entry.message = QString::fromUtf8(in.source.data(), qsizetype(in.source.size()))
                + QLatin1StringView(": ") + entry.message;
        entries.append(std::move(entry));
    }
    m_entriesRead += entries.size();
    Q_EMIT entriesReady(entries);
}

void LogFileTailer::rewatch()
{
    if (!m_watcher)
        return;
    const QString dir = QFileInfo(m_options.path).absolutePath();
    if (!m_watcher->directories().contains(dir) && QFileInfo(dir).isDir())
        m_watcher->addPath(dir);
    if (!m_watcher->files().contains(m_options.path) && QFileInfo::exists(m_options.path))
        m_watcher->addPath(m_options.path);
}

} // namespace opsdeck::logsource
