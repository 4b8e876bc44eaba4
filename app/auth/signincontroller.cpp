#include "signincontroller.h"

#include "authlog.h"

#include <algorithm>

namespace opsdeck::app {

SignInController::SignInController(SecretStore *store, AuthClient *client, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_client(client)
{
    Q_ASSERT(store && client);
    m_refreshTimer.setSingleShot(true);
    connect(&m_refreshTimer, &QTimer::timeout, this, &SignInController::refreshNow);
    m_lockoutTimer.setInterval(250);
    connect(&m_lockoutTimer, &QTimer::timeout, this, &SignInController::updateLockout);
}

SignInController::~SignInController() = default;

void SignInController::setRememberMe(bool remember)
{
    if (m_rememberMe == remember)
        return;
    m_rememberMe = remember;
    Q_EMIT rememberMeChanged();
}

void SignInController::setTarget(const QString &profile, const QString &url, const QString &user)
{
    const QString trimmedUser = user.trimmed();
    const QUrl parsed(url.trimmed());
    const bool changed = profile != m_profile || url != m_url;
    m_profile = profile;
    m_url = url;
    m_base = AuthClient::authBaseUrl(parsed);
    m_hub = AuthClient::hubAddress(parsed);
    m_keyUser = trimmedUser;
    if (changed)
        Q_EMIT targetChanged();
    if (m_state != SignedIn)
        setUser(trimmedUser, {});
}

void SignInController::signIn(const QString &profile, const QString &url, const QString &user, const QString &password,
                              bool remember)
{
    const quint64 generation = ++m_generation;
    dropTokens();
    setTarget(profile, url, user);
    setRememberMe(remember);
    setNotice({});
    m_lockoutTimer.stop();
    if (m_retryAfter != 0) {
        m_retryAfter = 0;
        Q_EMIT retryAfterSecondsChanged();
    }
    if (m_keyUser.isEmpty() || password.isEmpty()) {
        setError(m_keyUser.isEmpty() ? tr("Enter your user name.") : tr("Enter your password."), {});
        setState(Error);
        return;
    }
    if (!m_base.isValid()) {
        setError(tr("The profile's hub URL “%1” is not a ws:// or wss:// address.").arg(url),
                 tr("Fix the URL in the profile manager, then sign in."));
        setState(Error);
        return;
    }
    clearError();
    setState(SigningIn);
    m_client->login(m_base, m_keyUser, password, this, [this, generation, remember](const AuthResult &result) {
        if (generation != m_generation || result.failure.kind == AuthFailure::Kind::Cancelled)
            return;
        if (!result.ok()) {
            if (result.failure.kind == AuthFailure::Kind::LockedOut)
                startLockout(result.failure.retryAfterSeconds);
            setFailure(result.failure);
            setState(Error);
            return;
        }
        // The keychain entry is filed under the hub's spelling of the name, the one the profile
        // keeps for the next silent sign-in.
        m_keyUser = result.tokens.user;
        adopt(result.tokens, remember);
        if (remember) {
            saveRefreshToken();
        } else {
            // "Remember me" off: a sign-in remembered earlier is forgotten too.
            m_store->remove(refreshKey(), this, [](const SecretError &error) {
                if (!error.ok())
                    qCWarning(lcAuth) << "could not forget the saved sign-in:" << error.text();
            });
        }
    });
}

void SignInController::trySilentSignIn(const QString &profile, const QString &url, const QString &user)
{
    const quint64 generation = ++m_generation;
    dropTokens();
    setTarget(profile, url, user);
    clearError();
    setNotice({});
    if (m_keyUser.isEmpty() || !m_base.isValid()) {
        setState(SignedOut);
        // Like every other outcome, later: the shell may not be listening yet (start-up).
        QMetaObject::invokeMethod(this, [this, generation] {
            if (generation == m_generation)
                Q_EMIT interactiveSignInNeeded();
        }, Qt::QueuedConnection);
        return;
    }
    setState(SigningIn);
    const QString key = refreshKey();
    m_store->read(key, this, [this, generation, key](const QString &secret, const SecretError &error) {
        if (generation != m_generation)
            return;
        if (error.isNotFound())
            return trySilentDevToken(generation);
        if (!error.ok()) {
            setError(error.text(), error.hint(), error.detail);
            setState(SignedOut);
            Q_EMIT interactiveSignInNeeded();
            return;
        }
        m_client->refresh(m_base, secret, this, [this, generation, key](const AuthResult &result) {
            finishSilent(key, result, generation);
        });
    });
}

void SignInController::finishSilent(const QString &key, const AuthResult &result, quint64 generation)
{
    if (generation != m_generation || result.failure.kind == AuthFailure::Kind::Cancelled)
        return;
    if (result.ok()) {
        setRememberMe(true);
        adopt(result.tokens, true);
        saveRefreshToken(); // rotated: the one read is spent
        return;
    }
    using Kind = AuthFailure::Kind;
    const Kind kind = result.failure.kind;
    if (kind == Kind::InvalidRefreshToken || kind == Kind::RefreshTokenReused) {
        m_store->remove(key, this, [](const SecretError &) {});
        // An expired sign-in just asks for the password; a reused one says what happened.
        if (kind == Kind::RefreshTokenReused)
            setFailure(result.failure);
        setState(SignedOut);
    } else {
        // Network, TLS or hub trouble: the saved sign-in is kept for the next attempt.
        setFailure(result.failure);
        setState(Error);
    }
    Q_EMIT interactiveSignInNeeded();
}

void SignInController::signOut()
{
    ++m_generation;
    const bool hadSession = !m_tokens.accessToken.isEmpty();
    if (hadSession && !m_devToken) {
        m_client->logout(m_base, m_tokens.refreshToken, m_tokens.accessToken, this, [](const AuthFailure &failure) {
            if (!failure.ok())
                qCWarning(lcAuth) << "the hub was not told about the sign-out:" << failure.text;
        });
    }
    qCInfo(lcAuth) << "signing out" << m_user << "from" << m_hub;
    clearError();
    setNotice({});
    if (!m_profile.isEmpty() && !m_keyUser.isEmpty()) {
        for (const QString &key : {refreshKey(), devTokenKey()}) {
            m_store->remove(key, this, [this](const SecretError &error) {
                if (!error.ok()) {
                    setError(error.text(), error.hint(), error.detail);
                }
            });
        }
    }
    dropTokens();
    setUser(m_keyUser, {});
    setState(SignedOut);
}

void SignInController::cancel()
{
    if (m_state != SigningIn)
        return;
    ++m_generation;
    m_client->abortAll();
    setState(SignedOut);
}

void SignInController::endSession()
{
    ++m_generation;
    if (!m_tokens.accessToken.isEmpty() && !m_remembered && !m_devToken)
        m_client->logout(m_base, m_tokens.refreshToken, m_tokens.accessToken, this, [](const AuthFailure &) {});
    dropTokens();
    clearError();
    setNotice({});
    setState(SignedOut);
}

void SignInController::adopt(const AuthTokens &tokens, bool remembered)
{
    m_tokens = tokens;
    m_remembered = remembered;
    m_devToken = false;
    m_refreshFailures = 0;
    setUser(tokens.user, tokens.roles);
    clearError();
    // Renew at ~80% of the lifetime: early enough for a few retries before the hub closes the link.
    m_refreshTimer.start(std::chrono::milliseconds(std::max<qint64>(1000, tokens.accessLifetimeSeconds * 800)));
    Q_EMIT accessTokenChanged(m_tokens.accessToken, m_tokens.accessExpiresAt);
    setState(SignedIn);
}

void SignInController::saveRefreshToken()
{
    m_store->write(refreshKey(), m_tokens.refreshToken, this, [this, generation = m_generation](const SecretError &error) {
        if (generation != m_generation || error.ok())
            return;
        m_remembered = false;
        setNotice(tr("Signed in, but this computer could not remember it. %1 %2").arg(error.text(), error.hint()));
    });
}

void SignInController::refreshNow()
{
    if (m_devToken && scheduleDevTokenExpiry())
        return;
    if (m_devToken)
        return endWithMessage(tr("Your dev token for %1 has expired.").arg(m_hub),
                              tr("Issue a new one with `opsdeck-hub token issue` and sign in again."), true);
    const quint64 generation = m_generation;
    m_client->refresh(m_base, m_tokens.refreshToken, this, [this, generation](const AuthResult &result) {
        if (generation != m_generation || result.failure.kind == AuthFailure::Kind::Cancelled)
            return;
        if (!result.ok())
            return refreshFailed(result.failure);
        const bool remembered = m_remembered;
        adopt(result.tokens, remembered);
        if (remembered)
            saveRefreshToken();
    });
}

void SignInController::refreshFailed(const AuthFailure &failure)
{
    if (failure.isTransient() && m_refreshFailures < m_retry.attempts) {
        const std::chrono::milliseconds delay =
            std::min<std::chrono::milliseconds>(m_retry.maxDelay, m_retry.firstDelay * (1 << std::min(m_refreshFailures, 20)));
        // Only worth it while the token still works; after that the operator has to sign in again.
        if (QDateTime::currentDateTimeUtc().addMSecs(delay.count()) < m_tokens.accessExpiresAt) {
            ++m_refreshFailures;
            qCInfo(lcAuth) << "refresh failed; retrying in" << delay.count() << "ms";
            m_refreshTimer.start(delay);
            return;
        }
    }
    if (failure.isTransient())
        return endWithMessage(tr("Your session on %1 ended: the hub could not be reached to renew it. %2")
                                  .arg(m_hub, failure.text),
                              tr("Sign in again once the hub is reachable."), false);
    const bool forget = failure.kind == AuthFailure::Kind::InvalidRefreshToken
                        || failure.kind == AuthFailure::Kind::RefreshTokenReused;
    endWithMessage(failure.text, failure.hint, forget);
}

void SignInController::endWithMessage(const QString &text, const QString &hint, bool forgetStored)
{
    ++m_generation;
    qCInfo(lcAuth) << "session of" << m_user << "on" << m_hub << "ended";
    if (forgetStored) {
        m_store->remove(m_devToken ? devTokenKey() : refreshKey(), this, [](const SecretError &error) {
            if (!error.ok())
                qCWarning(lcAuth) << "could not forget the saved sign-in:" << error.text();
        });
    }
    dropTokens();
    setUser(m_keyUser, {});
    setError(text, hint);
    setState(SignedOut);
    Q_EMIT interactiveSignInNeeded();
}

void SignInController::dropTokens()
{
    m_refreshTimer.stop();
    const bool had = !m_tokens.accessToken.isEmpty();
    m_tokens = {};
    m_remembered = false;
    m_devToken = false;
    if (had)
        Q_EMIT accessTokenChanged({}, {});
}

void SignInController::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged();
}

void SignInController::setUser(const QString &user, const QStringList &roles)
{
    if (m_user == user && m_roles == roles)
        return;
    m_user = user;
    m_roles = roles;
    Q_EMIT userChanged();
}

void SignInController::setError(const QString &text, const QString &hint, const QString &details)
{
    if (m_errorText == text && m_errorHint == hint && m_errorDetails == details)
        return;
    m_errorText = text;
    m_errorHint = hint;
    m_errorDetails = details;
    Q_EMIT errorChanged();
}

void SignInController::setNotice(const QString &notice)
{
    if (m_notice == notice)
        return;
    m_notice = notice;
    Q_EMIT noticeChanged();
}

void SignInController::startLockout(int seconds)
{
    m_lockoutUntil.setRemainingTime(std::chrono::seconds(seconds));
    m_lockoutTimer.start();
    updateLockout();
}

void SignInController::updateLockout()
{
    const int seconds = m_lockoutUntil.hasExpired() ? 0 : int((m_lockoutUntil.remainingTime() + 999) / 1000);
    if (seconds == 0)
        m_lockoutTimer.stop();
    if (seconds != m_retryAfter) {
        m_retryAfter = seconds;
        Q_EMIT retryAfterSecondsChanged();
    }
}

} // namespace opsdeck::app
