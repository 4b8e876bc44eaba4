// Dev hubs accept a static token from `opsdeck-hub token issue` instead of a password. The console
// reads its claims (sub, roles, exp) only to show who is signed in and when it runs out; the hub
// verifies the signature.

#include "authlog.h"
#include "signincontroller.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace opsdeck::app {

namespace {

struct DevTokenClaims
{
    bool valid = false;
    QString subject;
    QStringList roles;
    QDateTime expiresAt; // invalid: no exp claim
};

DevTokenClaims readClaims(const QString &token)
{
    const QStringList parts = token.trimmed().split(u'.');
    if (parts.size() != 3)
        return {};
    const auto decoded = QByteArray::fromBase64Encoding(
        parts.at(1).toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    if (!decoded)
        return {};
    const QJsonDocument document = QJsonDocument::fromJson(*decoded);
    if (!document.isObject())
        return {};
    const QJsonObject claims = document.object();
    DevTokenClaims result;
    result.valid = true;
    result.subject = claims.value(QLatin1StringView("sub")).toString();
    for (const QJsonValue &role : claims.value(QLatin1StringView("roles")).toArray())
        result.roles.append(role.toString());
    if (claims.contains(QLatin1StringView("exp")))
        result.expiresAt = QDateTime::fromSecsSinceEpoch(claims.value(QLatin1StringView("exp")).toInteger(), Qt::UTC);
    return result;
}

} // namespace

void SignInController::useDevToken(const QString &profile, const QString &url, const QString &user,
                                   const QString &token, bool remember)
{
    ++m_generation;
    dropTokens();
    setTarget(profile, url, user);
    setNotice({});
    const DevTokenClaims claims = readClaims(token);
    if (!claims.valid) {
        setError(tr("That is not a token: paste the whole line `opsdeck-hub token issue` printed (three parts "
                    "separated by dots)."),
                 {});
        setState(Error);
        return;
    }
    if (claims.expiresAt.isValid() && claims.expiresAt <= QDateTime::currentDateTimeUtc()) {
        setError(tr("This token expired on %1.").arg(claims.expiresAt.toLocalTime().toString(Qt::ISODate)),
                 tr("Issue a new one with `opsdeck-hub token issue --ttl 30d`."));
        setState(Error);
        return;
    }
    if (m_keyUser.isEmpty())
        m_keyUser = claims.subject;
    adoptDevToken(token.trimmed(), claims.subject.isEmpty() ? m_keyUser : claims.subject, claims.roles,
                  claims.expiresAt);
    if (!remember)
        return;
    m_store->write(devTokenKey(), token.trimmed(), this, [this, generation = m_generation](const SecretError &error) {
        if (generation == m_generation && !error.ok())
            setNotice(tr("Signed in, but this computer could not remember the token. %1 %2").arg(error.text(), error.hint()));
    });
}

void SignInController::trySilentDevToken(quint64 generation)
{
    const QString key = devTokenKey();
    m_store->read(key, this, [this, generation, key](const QString &token, const SecretError &error) {
        if (generation != m_generation)
            return;
        if (!error.ok() && !error.isNotFound())
            setError(error.text(), error.hint(), error.detail);
        const DevTokenClaims claims = error.ok() ? readClaims(token) : DevTokenClaims{};
        const bool usable = claims.valid
                            && (!claims.expiresAt.isValid() || claims.expiresAt > QDateTime::currentDateTimeUtc());
        if (!usable) {
            if (error.ok()) // a stored token that expired or is garbage is of no use to anyone
                m_store->remove(key, this, [](const SecretError &) {});
            setState(SignedOut);
            Q_EMIT interactiveSignInNeeded();
            return;
        }
        setRememberMe(true);
        adoptDevToken(token, claims.subject.isEmpty() ? m_keyUser : claims.subject, claims.roles, claims.expiresAt);
    });
}

bool SignInController::scheduleDevTokenExpiry()
{
    if (!m_tokens.accessExpiresAt.isValid())
        return true;
    const qint64 remaining = QDateTime::currentDateTimeUtc().msecsTo(m_tokens.accessExpiresAt);
    if (remaining <= 0)
        return false;
    // QTimer takes an int: a 30-day token is checked again each day until it runs out.
    m_refreshTimer.start(std::chrono::milliseconds(std::min<qint64>(remaining, 24LL * 3600 * 1000)));
    return true;
}

void SignInController::adoptDevToken(const QString &token, const QString &user, const QStringList &roles,
                                     const QDateTime &expiresAt)
{
    m_tokens = {};
    m_tokens.accessToken = token;
    m_tokens.accessExpiresAt = expiresAt;
    m_devToken = true;
    m_remembered = false;
    setUser(user, roles);
    clearError();
    // No refresh for a static token: when it runs out the operator is told (refreshNow).
    scheduleDevTokenExpiry();
    qCInfo(lcAuth) << "signed in" << user << "on" << m_hub << "with a dev token";
    Q_EMIT accessTokenChanged(token, expiresAt);
    setState(SignedIn);
}

} // namespace opsdeck::app
