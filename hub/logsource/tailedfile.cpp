#include "tailedfile.h"

#include <QFile>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace opsdeck::logsource {

namespace {
    constexpr int64_t kLineStartScanBytes = 64 * 1024;

    FileIdentity identityFrom(const struct stat &st)
    {
        return FileIdentity {uint64_t(st.st_dev), uint64_t(st.st_ino)};
    }
} // namespace

TailedFile::~TailedFile()
{
    close();
}

bool TailedFile::open(const QString &path, QString *error)
{
    close();
    const QByteArray native = QFile::encodeName(path);
    int fd = -1;
    do {
        fd = ::open(native.constData(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        m_openErrno = errno;
        if (error)
            *error = QString::fromLocal8Bit(std::strerror(errno));
        return false;
    }
    struct stat st
    {
    };
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        m_openErrno = EISDIR;
        if (error)
            *error = QStringLiteral("not a regular file");
        ::close(fd);
        return false;
    }
    m_fd = fd;
    m_identity = identityFrom(st);
    m_offset = 0;
    return true;
}

void TailedFile::close()
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
    m_identity = {};
    m_offset = 0;
}

int64_t TailedFile::size() const
{
    struct stat st
    {
    };
    if (m_fd < 0 || ::fstat(m_fd, &st) != 0)
        return -1;
    return int64_t(st.st_size);
}

int64_t TailedFile::read(char *buffer, int64_t max)
{
    if (m_fd < 0)
        return -1;
    ssize_t n = -1;
    do {
        n = ::pread(m_fd, buffer, size_t(max), off_t(m_offset));
    } while (n < 0 && errno == EINTR);
    if (n > 0)
        m_offset += n;
    return int64_t(n);
}

int64_t TailedFile::lineStartBefore(int64_t end)
{
    if (m_fd < 0 || end <= 0)
        return 0;
    const int64_t from = std::max<int64_t>(0, end - kLineStartScanBytes);
    std::vector<char> buffer(size_t(end - from));
    const ssize_t n = ::pread(m_fd, buffer.data(), buffer.size(), off_t(from));
    if (n <= 0)
        return end;
    for (ssize_t i = n - 1; i >= 0; --i) {
        if (buffer[size_t(i)] == '\n')
            return from + i + 1;
    }
    // No newline in the window: one huge line; start at its end rather than read it all.
    return from == 0 ? 0 : end;
}

std::optional<FileIdentity> TailedFile::identityOf(const QString &path)
{
    struct stat st
    {
    };
    if (::stat(QFile::encodeName(path).constData(), &st) != 0 || !S_ISREG(st.st_mode))
        return std::nullopt;
    return identityFrom(st);
}

} // namespace opsdeck::logsource
