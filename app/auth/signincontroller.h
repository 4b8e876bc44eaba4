#pragma once

// The console's sign-in to a Dev or Prod hub: password login, silent sign-in from the keychain,
// automatic refresh before the access token expires, sign-out. QML sees the state, who is signed
// in where, and every problem in plain words; the access token itself stays in C++
// (accessTokenChanged) for the hub link. The app creates it with its dependencies; constructing
// one does no network or keychain work.

#include "authclient.h"
#include "secretstore.h"

#include <QDeadlineTimer>
#include <QObject>
#include <QTimer>
#include <QtQml/qqml.h>

namespace opsdeck::app {

// How a failed background refresh is retried before the session is given up.
struct RefreshRetryPolicy
{
    std::chrono::milliseconds firstDelay{2000};
    std::chrono::milliseconds maxDelay{60000};
    int attempts = 5;
};

class SignInController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("SignInController is created by the application")
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(bool busy READ isBusy NOTIFY stateChanged)
    Q_PROPERTY(bool signedIn READ isSignedIn NOTIFY stateChanged)
    Q_PROPERTY(QString profile READ profile NOTIFY targetChanged)
    Q_PROPERTY(QString url READ url NOTIFY targetChanged)
    Q_PROPERTY(QString hub READ hub NOTIFY targetChanged)
    Q_PROPERTY(QString user READ user NOTIFY userChanged)
    Q_PROPERTY(QStringList roles READ roles NOTIFY userChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY errorChanged)
    Q_PROPERTY(QString errorHint READ errorHint NOTIFY errorChanged)
    Q_PROPERTY(QString errorDetails READ errorDetails NOTIFY errorChanged)
    Q_PROPERTY(QString notice READ notice NOTIFY noticeChanged)
    Q_PROPERTY(int retryAfterSeconds READ retryAfterSeconds NOTIFY retryAfterSecondsChanged)
    Q_PROPERTY(bool rememberMe READ rememberMe WRITE setRememberMe NOTIFY rememberMeChanged)

public:
    enum State { SignedOut, SigningIn, SignedIn, Error };
    Q_ENUM(State)

    SignInController(SecretStore *store, AuthClient *client, QObject *parent = nullptr);
    ~SignInController() override;

    State state() const { return m_state; }
    bool isBusy() const { return m_state == SigningIn; }
    bool isSignedIn() const { return m_state == SignedIn; }
    QString profile() const { return m_profile; }
    QString url() const { return m_url; }
    QString hub() const { return m_hub; } // host:port of the WebSocket URL
    QString user() const { return m_user; }
    QStringList roles() const { return m_roles; }
    QString errorText() const { return m_errorText; }
    QString errorHint() const { return m_errorHint; }
    QString errorDetails() const { return m_errorDetails; }
    // Signed in, but something the operator should know (the keychain could not remember it).
    QString notice() const { return m_notice; }
    int retryAfterSeconds() const { return m_retryAfter; }
    bool rememberMe() const { return m_rememberMe; }
    void setRememberMe(bool remember);

    // For the hub link only; empty while signed out. Never a QML property, never logged.
    QString accessToken() const { return m_tokens.accessToken; }
    QDateTime accessTokenExpiresAt() const { return m_tokens.accessExpiresAt; }

    void setRefreshRetryPolicy(const RefreshRetryPolicy &policy) { m_retry = policy; }

    // Password sign-in. With `remember` the refresh token goes to the keychain
    // ("<profile>/<user>/refresh"); without it an older entry is removed.
    Q_INVOKABLE void signIn(const QString &profile, const QString &url, const QString &user, const QString &password,
                            bool remember);
    // Signs in without asking, with the refresh token in the keychain (or a dev token). On
    // failure: signed out, quietly or with the reason, and interactiveSignInNeeded().
    Q_INVOKABLE void trySilentSignIn(const QString &profile, const QString &url, const QString &user);
    // Dev hubs: a static token from `opsdeck-hub token issue` instead of a password; with
    // `remember` it is kept as "<profile>/<user>/dev-token".
    Q_INVOKABLE void useDevToken(const QString &profile, const QString &url, const QString &user, const QString &token,
                                 bool remember);
    // Logs out at the hub and deletes the keychain entries of this profile and user.
    Q_INVOKABLE void signOut();
    // Abandons a sign-in in progress.
    Q_INVOKABLE void cancel();
    // Leaving the profile: drops the session here; a session the keychain does not remember is
    // also logged out at the hub (nobody could use its refresh token again).
    Q_INVOKABLE void endSession();
    // Sets the profile the dialog signs in to, without any network or keychain work.
    Q_INVOKABLE void setTarget(const QString &profile, const QString &url, const QString &user);

Q_SIGNALS:
    void stateChanged();
    void targetChanged();
    void userChanged();
    void errorChanged();
    void noticeChanged();
    void retryAfterSecondsChanged();
    void rememberMeChanged();
    // The token the hub link presents (empty: signed out). C++ only.
    void accessTokenChanged(const QString &token, const QDateTime &expiresAt);
    // Silent sign-in failed or the session ended: the shell opens the login dialog.
    void interactiveSignInNeeded();

private:
    enum class Origin { Password, Keychain };
    void setState(State state);
    void setUser(const QString &user, const QStringList &roles);
    void setError(const QString &text, const QString &hint, const QString &details = {});
    void setFailure(const AuthFailure &failure) { setError(failure.text, failure.hint, failure.details); }
    void clearError() { setError({}, {}, {}); }
    void setNotice(const QString &notice);
    void adopt(const AuthTokens &tokens, bool remembered);
    void adoptDevToken(const QString &token, const QString &user, const QStringList &roles, const QDateTime &expiresAt);
    bool scheduleDevTokenExpiry(); // false once the dev token has run out
    void saveRefreshToken();
    void finishSilent(const QString &key, const AuthResult &result, quint64 generation);
    void trySilentDevToken(quint64 generation);
    void refreshNow();
    void refreshFailed(const AuthFailure &failure);
    void endWithMessage(const QString &text, const QString &hint, bool forgetStored);
    void dropTokens();
    void startLockout(int seconds);
    void updateLockout();
    QString refreshKey() const { return SecretStore::refreshTokenKey(m_profile, m_keyUser); }
    QString devTokenKey() const { return SecretStore::devTokenKey(m_profile, m_keyUser); }

    SecretStore *m_store;
    AuthClient *m_client;
    State m_state = SignedOut;
    QString m_profile;
    QString m_url;
    QUrl m_base;
    QString m_hub;
    QString m_keyUser; // the user name the keychain entries are filed under
    QString m_user;
    QStringList m_roles;
    QString m_errorText;
    QString m_errorHint;
    QString m_errorDetails;
    QString m_notice;
    bool m_rememberMe = false;
    bool m_remembered = false; // the current refresh token is in the keychain
    bool m_devToken = false;
    AuthTokens m_tokens;
    quint64 m_generation = 0; // bumped whenever an answer in flight must be ignored
    QTimer m_refreshTimer;
    int m_refreshFailures = 0;
    RefreshRetryPolicy m_retry;
    QTimer m_lockoutTimer;
    QDeadlineTimer m_lockoutUntil;
    int m_retryAfter = 0;
};

} // namespace opsdeck::app
