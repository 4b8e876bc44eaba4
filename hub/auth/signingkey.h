#pragma once

// The hub's HS256 signing key: 32 random bytes in <data-dir>/signing.key, mode 0600. Whoever can
// read this file can mint tokens for any user, so a key readable by group or others is refused
// rather than used (docs/operations.md §7).

#include <QByteArray>
#include <QString>

#include <optional>

namespace opsdeck::hub::auth {

class SigningKey
{
public:
    static constexpr int kSize = 32;

    // Reads `path`, or creates it (O_EXCL, 0600 from the first byte) when it does not exist.
    // Nothing and a sentence in `error` when the file has the wrong size, is not a regular file,
    // or is readable or writable by group or others.
    static std::optional<SigningKey> loadOrCreate(const QString &path, QString *error);
    // Reads only; never creates.
    static std::optional<SigningKey> load(const QString &path, QString *error);
    // For tests: a key that lives in memory only.
    static SigningKey fromBytes(const QByteArray &bytes);

    const QByteArray &bytes() const { return m_bytes; }
    bool wasCreated() const { return m_created; }

private:
    explicit SigningKey(QByteArray bytes, bool created)
        : m_bytes(std::move(bytes))
        , m_created(created)
    {
    }
    QByteArray m_bytes;
    bool m_created = false;
};

} // namespace opsdeck::hub::auth
