#include "appsession.h"

#include <QDateTime>
#include <QEventLoop>
#include <QTimer>

namespace opsdeck::app {

using transport::HubClient;

AppSession::AppSession(ProfileStore *profiles, QObject *parent)
    : QObject(parent)
    , m_profiles(profiles)
{
    connect(&m_client, &HubClient::stateChanged, this, [this] {
        if (isConnected() && !m_relayProblem) // the remote hub's trouble outlives the local link
            setProblem({}, {});
        updateCountdown();
        Q_EMIT connectionChanged();
    });
    connect(&m_client, &HubClient::nextAttemptChanged, this, &AppSession::updateCountdown);
    connect(&m_client, &HubClient::disconnected, this, [this](int code, const QString &reason) {
        if (m_client.state() == HubClient::State::Reconnecting)
            setProblem(tr("Lost the connection to the hub (%1%2).").arg(code).arg(reason.isEmpty() ? QString() : QStringLiteral(": ") + reason),
                       tr("Reconnecting automatically; streams resume where they stopped. Press Retry to try now."));
    });
    connect(&m_client, &HubClient::loginRequired, this, [this](const QString &message) {
        setProblem(tr("The hub refused the credentials: %1").arg(message),
                   tr("Restart the console; the embedded hub's per-launch secret did not match."));
    });
    connect(&m_client, &HubClient::failed, this, [this](const QString &message) {
        setProblem(message, tr("Check the hub, then press Retry."));
    });
    m_countdown.setInterval(250);
    connect(&m_countdown, &QTimer::timeout, this, &AppSession::updateCountdown);
    connect(m_profiles, &ProfileStore::activeChanged, this, &AppSession::profileChanged);
    connect(&m_hub, &EmbeddedHub::upstreamStateChanged, this, &AppSession::onUpstreamState);
    connect(&m_hub, &EmbeddedHub::upstreamLoginRequired, this, &AppSession::onUpstreamLoginRequired);
}

AppSession::~AppSession()
{
    shutdown();
}

bool AppSession::start(const EmbeddedHubOptions &options)
{
    if (!m_hub.start(options)) {
        setProblem(tr("The embedded hub could not start: %1").arg(m_hub.errorString()),
                   tr("Another program may hold the port range; restart the console."));
        return false;
    }
    const QByteArray secret = m_hub.secret();
    m_client.setTokenProvider([secret] { return QString::fromLatin1(secret); });
    m_client.open(m_hub.url());
    applyRelay(); // a Dev/Prod profile activated before the hub ran
    Q_EMIT profileChanged();
    return true;
}

void AppSession::shutdown()
{
    if (m_client.state() != HubClient::State::Disconnected) {
        // Close our side first: the hub thread then drains without waiting on this thread.
        QEventLoop loop;
        connect(&m_client, &HubClient::stateChanged, &loop, [&] {
            if (m_client.state() == HubClient::State::Disconnected)
                loop.quit();
        });
        QTimer::singleShot(2000, &loop, &QEventLoop::quit);
        m_client.close();
        if (m_client.state() != HubClient::State::Disconnected)
            loop.exec();
    }
    m_hub.stop();
}

QString AppSession::profileName() const
{
    return m_profiles->activeName();
}

QString AppSession::mode() const
{
    const auto profile = m_profiles->active();
    return profile ? profile->mode : QStringLiteral("demo");
}

QString AppSession::hubLabel() const
{
    if (mode() == QLatin1StringView("demo"))
        return m_hub.url().isValid() ? tr("embedded hub · %1:%2").arg(m_hub.url().host()).arg(m_hub.url().port())
                                     : tr("embedded hub");
    const auto profile = m_profiles->active();
    return profile ? QUrl(profile->url).host() : QString();
}

QString AppSession::stateText() const
{
    switch (m_client.state()) {
    case HubClient::State::Disconnected:
        return tr("Disconnected");
    case HubClient::State::Connecting:
        return tr("Connecting…");
    case HubClient::State::Connected:
        return tr("Connected");
    case HubClient::State::Reconnecting:
        return tr("Reconnecting");
    case HubClient::State::Failed:
        return tr("Failed");
    case HubClient::State::Disconnecting:
        return tr("Disconnecting…");
    }
    return {};
}

void AppSession::reconnectNow()
{
    if (m_client.state() == HubClient::State::Failed || m_client.state() == HubClient::State::Disconnected)
        m_client.open(m_hub.url());
    else if (m_client.state() != HubClient::State::Connected)
        m_client.reconnectNow();
    if (isLinkRetryable())
        m_hub.reconnectUpstream(m_linkedLabel);
}

bool AppSession::activateProfile(const QString &name)
{
    const int row = m_profiles->indexOf(name);
    if (row < 0)
        return false;
    const QString mode = m_profiles->data(m_profiles->index(row), ProfileStore::ModeRole).toString();
    if (mode == QLatin1StringView("demo")) {
        if (m_signIn)
            m_signIn->endSession();
        if (isConnected()) // what is left is the Dev/Prod note, not a connection problem
            setProblem({}, {});
        const bool activated = m_profiles->setActive(name);
        applyRelay();
        return activated;
    }
    if (!m_signIn) {
        // Only a console built without sign-in (some tests) gets here.
        setProblem(tr("“%1” is a %2 profile, and this console was started without operator sign-in.").arg(name, mode),
                   tr("The profile is saved; stay on Demo."));
        Q_EMIT connectionChanged();
        return false;
    }
    if (!m_profiles->setActive(name))
        return false;
    const QString canonical = m_profiles->data(m_profiles->index(row), ProfileStore::NameRole).toString();
    applyRelay(); // the simulated fleet goes; the hub's fleet arrives once signed in
    setRelayProblem(tr("“%1” is a %2 profile: sign in to its hub to see its fleet.").arg(canonical, mode),
                    tr("Your password is never stored; “Remember me” keeps a sign-in token in the system keychain."));
    m_signIn->trySilentSignIn(canonical, m_profiles->data(m_profiles->index(row), ProfileStore::UrlRole).toString(),
                              m_profiles->data(m_profiles->index(row), ProfileStore::UserRole).toString());
    return true;
}

void AppSession::setSignInController(SignInController *signIn)
{
    if (m_signIn == signIn)
        return;
    if (m_signIn)
        disconnect(m_signIn, nullptr, this, nullptr);
    m_signIn = signIn;
    if (m_signIn) {
        connect(m_signIn, &SignInController::stateChanged, this, &AppSession::rememberSignedInUser);
        // The token and the signed-in state change in either order: follow both.
        connect(m_signIn, &SignInController::accessTokenChanged, this, &AppSession::applyRelay);
        connect(m_signIn, &SignInController::stateChanged, this, &AppSession::applyRelay);
    }
    Q_EMIT signInChanged();
}

// The profile keeps the name of whoever signed in last, so the next launch signs in silently.
void AppSession::rememberSignedInUser()
{
    if (!m_signIn->isSignedIn())
        return;
    const auto profile = m_profiles->active();
    if (!profile || profile->name != m_signIn->profile() || profile->user == m_signIn->user())
        return;
    m_profiles->updateProfile(m_profiles->indexOf(profile->name), profile->name, profile->mode, profile->url,
                              m_signIn->user());
}

void AppSession::setProblem(const QString &problem, const QString &hint)
{
    if (m_problem == problem && m_problemHint == hint)
        return;
    m_problem = problem;
    m_problemHint = hint;
    Q_EMIT connectionChanged();
}

void AppSession::updateCountdown()
{
    int seconds = 0;
    if (m_client.state() == HubClient::State::Reconnecting && m_client.nextAttemptAt().isValid())
        seconds = int(std::max<qint64>(0, (QDateTime::currentDateTimeUtc().msecsTo(m_client.nextAttemptAt()) + 999) / 1000));
    if (seconds > 0 && !m_countdown.isActive())
        m_countdown.start();
    else if (seconds == 0)
        m_countdown.stop();
    if (seconds != m_reconnectIn) {
        m_reconnectIn = seconds;
        Q_EMIT countdownChanged();
    }
}

} // namespace opsdeck::app
