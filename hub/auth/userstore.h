#pragma once

// Operator accounts in users.sqlite (docs/operations.md §6): name, argon2id hash, roles, created,
// last login, disabled. Hashes never leave this class: list() and find() return no hash.

#include "authconfig.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace opsdeck::hub::auth {

class AuthDatabase;

struct UserRecord
{
    QString name;
    QStringList roles;
    qint64 createdMs = 0;
    qint64 lastLoginMs = 0; // 0: never logged in
    bool disabled = false;
};

// Nothing on success; otherwise a sentence that says what to do.
using StoreError = std::optional<QString>;

class UserStore
{
public:
    static constexpr int kMinPasswordLength = 8;
    static constexpr int kMaxPasswordBytes = 1024;

    UserStore(AuthDatabase &database, Argon2Limits limits);

    StoreError add(const QString &name, const QString &password, const QStringList &roles);
    StoreError setPassword(const QString &name, const QString &password);
    StoreError setRoles(const QString &name, const QStringList &roles);
    StoreError setDisabled(const QString &name, bool disabled);
    StoreError remove(const QString &name);

    QList<UserRecord> list() const;
    std::optional<UserRecord> find(const QString &name) const;

    // The user when `password` is theirs and the account is enabled; records the login and
    // upgrades the hash when the configured cost changed. An unknown (or invalid) name costs the
    // same time: the password is checked against a dummy hash.
    std::optional<UserRecord> verify(const QString &name, const QString &password);

    // Computes the dummy hash now, so the first login with an unknown name is not faster.
    void prepareDummyHash();

    // Length rules for a new password; nothing when it is acceptable.
    static StoreError checkNewPassword(const QString &password);

private:
    std::optional<QByteArray> storedHash(const QString &name, UserRecord *record) const;

    AuthDatabase &m_database;
    Argon2Limits m_limits;
    QByteArray m_dummyHash;
};

} // namespace opsdeck::hub::auth
