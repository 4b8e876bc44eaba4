#pragma once

// One open file of a LogFileTailer, at the level of file descriptors: the tailer must tell "the
// path now names another file" (rotation: device/inode differ) from "the file shrank"
// (copytruncate), which QFile cannot. Holding the descriptor open also keeps the inode allocated,
// so a deleted-and-recreated file can never come back with the inode we compare against.

#include <QString>
#include <cstdint>
#include <optional>

namespace opsdeck::logsource {

struct FileIdentity
{
    uint64_t device = 0;
    uint64_t inode = 0;
    friend bool operator==(const FileIdentity &, const FileIdentity &) = default;
};

class TailedFile
{
public:
    TailedFile() = default;
    ~TailedFile();
    TailedFile(const TailedFile &) = delete;
    TailedFile &operator=(const TailedFile &) = delete;

    // Opens `path` read-only; false with `error` set when it cannot (missing, no permission, not
    // a regular file).
    bool open(const QString &path, QString *error);
    void close();
    bool isOpen() const { return m_fd >= 0; }
    // errno of the last failed open(): ENOENT (not there yet) is expected, EACCES is not.
    int openErrno() const { return m_openErrno; }

    FileIdentity identity() const { return m_identity; }
    // The open file's current size, or -1 when fstat fails.
    int64_t size() const;
    // Reads up to `max` bytes at `offset()` and advances it; 0 at EOF, -1 on error.
    int64_t read(char *buffer, int64_t max);
    int64_t offset() const { return m_offset; }
    void setOffset(int64_t offset) { m_offset = offset; }
    // The offset just after the last '\n' before `end` (within the last 64 KiB), so tailing from
    // the end starts at a line boundary rather than inside a line being written.
    int64_t lineStartBefore(int64_t end);

    // The identity of whatever `path` names now; nullopt when nothing (or no regular file) is there.
    static std::optional<FileIdentity> identityOf(const QString &path);

private:
    int m_fd = -1;
    FileIdentity m_identity;
    int64_t m_offset = 0;
    int m_openErrno = 0;
};

} // namespace opsdeck::logsource
