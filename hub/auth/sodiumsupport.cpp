#include "sodiumsupport.h"

#include <sodium.h>

namespace opsdeck::hub::auth {

bool ensureSodium()
{
    // sodium_init() is thread-safe and idempotent (returns 1 once initialised).
    static const bool ok = sodium_init() >= 0;
    return ok;
}

QByteArray randomBytes(int count)
{
    ensureSodium();
    QByteArray bytes(count, Qt::Uninitialized);
    randombytes_buf(bytes.data(), size_t(bytes.size()));
    return bytes;
}

QByteArray blake2b(QByteArrayView data)
{
    ensureSodium();
    QByteArray digest(crypto_generichash_BYTES, Qt::Uninitialized);
    crypto_generichash(reinterpret_cast<unsigned char *>(digest.data()), size_t(digest.size()),
                       reinterpret_cast<const unsigned char *>(data.data()), size_t(data.size()), nullptr, 0);
    return digest;
}

bool constantTimeEquals(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    return sodium_memcmp(a.data(), b.data(), size_t(a.size())) == 0;
}

QByteArray hashPassword(QByteArrayView password, const Argon2Limits &limits)
{
    ensureSodium();
    const Argon2Limits l = limits.resolved();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, password.data(), static_cast<unsigned long long>(password.size()), l.opsLimit,
                              l.memLimit, crypto_pwhash_ALG_ARGON2ID13)
        != 0)
        return {};
    return QByteArray(out);
}

bool verifyPassword(const QByteArray &storedHash, QByteArrayView password)
{
    ensureSodium();
    // crypto_pwhash_str_verify wants a NUL-terminated string; QByteArray guarantees one.
    return crypto_pwhash_str_verify(storedHash.constData(), password.data(),
                                    static_cast<unsigned long long>(password.size()))
        == 0;
}

bool passwordNeedsRehash(const QByteArray &storedHash, const Argon2Limits &limits)
{
    ensureSodium();
    const Argon2Limits l = limits.resolved();
    return crypto_pwhash_str_needs_rehash(storedHash.constData(), l.opsLimit, l.memLimit) != 0;
}

} // namespace opsdeck::hub::auth
