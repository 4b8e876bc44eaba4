#include "signingkey.h"

#include "authconfig.h"
#include "sodiumsupport.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace opsdeck::hub::auth {

namespace {

QString systemError(int err)
{
    return QString::fromLocal8Bit(std::strerror(err));
}

bool writeAll(int fd, const QByteArray &bytes)
{
    qsizetype done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.constData() + done, size_t(bytes.size() - done));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        done += n;
    }
    return true;
}

} // namespace

SigningKey SigningKey::fromBytes(const QByteArray &bytes)
{
    return SigningKey(bytes, false);
}

std::optional<SigningKey> SigningKey::load(const QString &path, QString *error)
{
    const QByteArray native = path.toLocal8Bit();
    const int fd = ::open(native.constData(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        *error = QStringLiteral("cannot read the signing key %1: %2").arg(path, systemError(errno));
        return std::nullopt;
    }
    struct stat info {};
    if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        ::close(fd);
        *error = QStringLiteral("the signing key %1 is not a regular file; move it away and start again").arg(path);
        return std::nullopt;
    }
    if ((info.st_mode & 077) != 0) {
        ::close(fd);
        *error = QStringLiteral("the signing key %1 is accessible by group or others (mode %2); anyone who can read "
                                "it can sign tokens. Run: chmod 600 %1")
                     .arg(path)
                     .arg(info.st_mode & 0777, 4, 8, QLatin1Char('0'));
        return std::nullopt;
    }
    if (info.st_size != kSize) {
        ::close(fd);
        *error = QStringLiteral("the signing key %1 has %2 bytes, expected %3; restore it from a backup or delete "
                                "it to make a new one (every issued token then stops working)")
                     .arg(path)
                     .arg(qint64(info.st_size))
                     .arg(kSize);
        return std::nullopt;
    }
    QByteArray bytes(kSize, Qt::Uninitialized);
    qsizetype done = 0;
    while (done < kSize) {
        const ssize_t n = ::read(fd, bytes.data() + done, size_t(kSize - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        done += n;
    }
    ::close(fd);
    if (done != kSize) {
        *error = QStringLiteral("cannot read the signing key %1 completely").arg(path);
        return std::nullopt;
    }
    return SigningKey(bytes, false);
}

std::optional<SigningKey> SigningKey::loadOrCreate(const QString &path, QString *error)
{
    const QByteArray native = path.toLocal8Bit();
    // O_EXCL: two hubs starting at once cannot both write a key; the loser reads the winner's.
    const int fd = ::open(native.constData(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST)
            return load(path, error);
        *error = QStringLiteral("cannot create the signing key %1: %2").arg(path, systemError(errno));
        return std::nullopt;
    }
    if (!ensureSodium()) {
        ::close(fd);
        ::unlink(native.constData());
        *error = QStringLiteral("libsodium cannot initialise (no source of randomness)");
        return std::nullopt;
    }
    const QByteArray bytes = randomBytes(kSize);
    const bool written = writeAll(fd, bytes) && ::fsync(fd) == 0;
    const int writeErrno = errno;
    ::close(fd);
    if (!written) {
        ::unlink(native.constData());
        *error = QStringLiteral("cannot write the signing key %1: %2").arg(path, systemError(writeErrno));
        return std::nullopt;
    }
    qCInfo(lcHubAuth) << "created a new signing key in" << path;
    return SigningKey(bytes, true);
}

} // namespace opsdeck::hub::auth
