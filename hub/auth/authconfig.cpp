#include "authconfig.h"

#include <sodium.h>

#include <QRegularExpression>
#include <QSet>

Q_LOGGING_CATEGORY(lcHubAuth, "opsdeck.hub.auth")

namespace opsdeck::hub::auth {

Argon2Limits Argon2Limits::interactive()
{
    return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

Argon2Limits Argon2Limits::minimum()
{
    return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

Argon2Limits Argon2Limits::resolved() const
{
    const Argon2Limits defaults = interactive();
    return {opsLimit ? opsLimit : defaults.opsLimit, memLimit ? memLimit : defaults.memLimit};
}

std::optional<std::chrono::seconds> parseDuration(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^\\s*(\\d{1,9})\\s*([smhdw]?)\\s*$"));
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    const qint64 count = match.captured(1).toLongLong();
    const QString unit = match.captured(2);
    qint64 factor = 1;
    if (unit == u"m")
        factor = 60;
    else if (unit == u"h")
        factor = 3600;
    else if (unit == u"d")
        factor = 24 * 3600;
    else if (unit == u"w")
        factor = 7 * 24 * 3600;
    const qint64 seconds = count * factor;
    constexpr qint64 tenYears = qint64(3653) * 24 * 3600;
    if (seconds <= 0 || seconds > tenYears)
        return std::nullopt;
    return std::chrono::seconds(seconds);
}

bool isValidUserName(const QString &name)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9._-]{1,64}$"));
    return pattern.match(name).hasMatch();
}

QString userNameRule()
{
    return QStringLiteral("1 to 64 characters from A-Z, a-z, 0-9, '.', '_' and '-'");
}

QStringList operatorRoles()
{
    return {QStringLiteral("viewer"), QStringLiteral("operator"), QStringLiteral("admin")};
}

bool isValidOperatorRole(const QString &role)
{
    return operatorRoles().contains(role);
}

std::optional<QString> checkOperatorRoles(const QStringList &roles)
{
    if (roles.isEmpty())
        return QStringLiteral("give at least one role (viewer, operator or admin)");
    QSet<QString> seen;
    for (const QString &role : roles) {
        if (!isValidOperatorRole(role))
            return QStringLiteral("unknown role \"%1\"; roles are viewer, operator and admin").arg(role);
        if (seen.contains(role))
            return QStringLiteral("role \"%1\" given twice").arg(role);
        seen.insert(role);
    }
    return std::nullopt;
}

} // namespace opsdeck::hub::auth
