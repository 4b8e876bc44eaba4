#pragma once

// The few libsodium operations hub/auth needs, behind Qt types: random bytes, a BLAKE2b digest
// (refresh tokens are stored only as this hash) and argon2id password hashes. Every function
// initialises libsodium on first use.

#include "authconfig.h"

#include <QByteArray>
#include <QByteArrayView>

namespace opsdeck::hub::auth {

// False only when libsodium cannot initialise (no entropy source); nothing here works then.
bool ensureSodium();

QByteArray randomBytes(int count);
// 32-byte BLAKE2b digest.
QByteArray blake2b(QByteArrayView data);
// Constant-time comparison of two equally long buffers (false for different lengths).
bool constantTimeEquals(QByteArrayView a, QByteArrayView b);

// argon2id via crypto_pwhash_str. An empty result means libsodium ran out of memory.
QByteArray hashPassword(QByteArrayView password, const Argon2Limits &limits);
bool verifyPassword(const QByteArray &storedHash, QByteArrayView password);
bool passwordNeedsRehash(const QByteArray &storedHash, const Argon2Limits &limits);

} // namespace opsdeck::hub::auth
