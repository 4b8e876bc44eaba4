#pragma once

// Follows one log file like `tail -F` and hands over parsed entries (docs/operations.md, "Tailing
// log files"): from the end (or the start), lines as they are appended, a partial last line held
// until its newline, multi-line entries grouped by LogFileParser, and the path's life cycle —
// rotation (rename + new file: the old one is read to EOF first), copytruncate (the size shrinks:
// read again from 0), deletion and re-creation, a file that does not exist yet.
//
// Change notification comes from QFileSystemWatcher (the file and its directory) plus a polling
// timer, since inotify misses changes on network filesystems and loses a file's watch once it is
// renamed. Every notification runs the same check, so both paths agree.

#include "logtypes.h"
#include "tailedfile.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>
#include <memory>

class QFileSystemWatcher;

namespace opsdeck::logs {
class LogFileParser;
}

namespace opsdeck::logsource {

struct TailedEntry
{
    qint64 timeMs = 0; // from the line, else when it was read (ms since the epoch, UTC)
    bool timeFromLine = false;
    logs::LogLevel level = logs::LogLevel::Unknown;
    QString message; // UTF-8 decoded, invalid bytes replaced by U+FFFD; may hold '\n'
};

struct LogFileTailerOptions
{
    QString path;
    bool fromStart = false; // a file that exists at start() is read from its beginning
    int pollIntervalMs = 1000; // the fallback check when no watcher event comes
    int entryQuietMs = 400; // an entry still open this long after the last bytes is complete
    int partialLineMs = 5000; // a line without its newline this long is taken as complete
    qint64 maxLineBytes = 64 * 1024; // a longer line is cut (memory stays bounded)
    qint64 maxEntryBytes = 64 * 1024; // a longer message is truncated with a note
    qint64 readChunkBytes = 64 * 1024;
    int chunksPerTurn = 16; // then yield to the event loop; a large backlog does not stall it
};

class LogFileTailer : public QObject
{
    Q_OBJECT
public:
    explicit LogFileTailer(LogFileTailerOptions options, QObject *parent = nullptr);
    ~LogFileTailer() override;

    void start();
    void stop();

    QString path() const { return m_options.path; }
    // For tests and diagnostics: the file being read now (inode 0 when none) and how far.
    bool isFileOpen() const { return m_file.isOpen(); }
    quint64 inode() const { return m_file.identity().inode; }
    qint64 offset() const { return m_file.offset(); }
    qint64 entriesRead() const { return m_entriesRead; }

    // Runs one check now (what a watcher event or the poll timer does).
    void checkNow();

Q_SIGNALS:
    void entriesReady(const QList<opsdeck::logsource::TailedEntry> &entries);
    void fileOpened(const QString &path, quint64 inode);
    void fileRotated(const QString &path); // the path names a new file (or none); old one read to EOF
    void fileTruncated(const QString &path); // the size shrank; reading again from 0

private:
    void scheduleCheck();
    void check();
    bool openPath(bool atStart);
    // Reads up to one turn's budget; true when the file's end was reached.
    bool readSome();
    void finishFile();
    void onQuiet();
    void emitBatch();
    void rewatch();

    LogFileTailerOptions m_options;
    TailedFile m_file;
    std::unique_ptr<logs::LogFileParser> m_parser;
    QFileSystemWatcher *m_watcher = nullptr;
    QTimer m_pollTimer;
    QTimer m_checkTimer; // coalesces watcher events and continues a large backlog
    QTimer m_quietTimer;
    QElapsedTimer m_sinceData;
    QByteArray m_buffer;
    bool m_running = false;
    bool m_started = false; // the first open honours fromStart; later files are read from 0
    QString m_lastError;
    qint64 m_entriesRead = 0;
};

} // namespace opsdeck::logsource

Q_DECLARE_METATYPE(opsdeck::logsource::TailedEntry)
