// AppSession's side of the relay (docs/protocol.md §15, docs/console.md "Signing in"): the active
// profile decides what the embedded hub serves, and the link's state reaches the operator as
// words in the banner. The panes never know: they keep their subscriptions to the embedded hub.

#include "appsession.h"
#include "signincontroller.h"

#include <QJsonObject>
#include <QRegularExpression>

namespace opsdeck::app {

namespace {
// The label that qualifies remote names (web-01@prod-eu): the profile's name, made safe.
QString relayLabel(const QString &profileName)
{
    static const QRegularExpression unsafe(QStringLiteral("[^a-z0-9._-]+"));
    QString label = profileName.toLower().replace(unsafe, QStringLiteral("-"));
    while (label.startsWith(u'-'))
        label.remove(0, 1);
    while (label.endsWith(u'-'))
        label.chop(1);
    return label.isEmpty() ? QStringLiteral("remote") : label;
}
} // namespace

void AppSession::setRemoteConnected(bool connected)
{
    if (connected == m_remoteConnected)
        return;
    m_remoteConnected = connected;
    Q_EMIT remoteHubConnectedChanged();
    Q_EMIT connectionChanged(); // linkRetryable
}

QString AppSession::remoteHub() const
{
    const auto profile = m_profiles->active();
    return profile && profile->mode != QLatin1StringView("demo") ? relayLabel(profile->name) : QString();
}

void AppSession::applyRelay()
{
    if (!m_hub.isRunning())
        return; // start() applies it
    const auto profile = m_profiles->active();
    const bool remote = profile && profile->mode != QLatin1StringView("demo");
    m_hub.setDemoFleet(!remote);
    const bool signedIn = remote && m_signIn && m_signIn->isSignedIn() && m_signIn->profile() == profile->name
        && !m_signIn->accessToken().isEmpty();
    if (!signedIn) {
        if (!m_linkedLabel.isEmpty()) {
            m_hub.unlinkUpstream(m_linkedLabel);
            m_linkedLabel.clear();
            m_linkedUrl.clear();
            setRemoteConnected(false);
        }
        return;
    }
    const QString label = relayLabel(profile->name);
    if (label == m_linkedLabel && profile->url == m_linkedUrl) {
        m_hub.setUpstreamToken(label, m_signIn->accessToken()); // a refresh: used on the live link
        return;
    }
    if (!m_linkedLabel.isEmpty())
        m_hub.unlinkUpstream(m_linkedLabel);
    setRemoteConnected(false);
    m_linkedLabel = label;
    m_linkedUrl = profile->url;
    m_hub.linkUpstream(label, QUrl(profile->url), m_signIn->accessToken());
    setRelayProblem(tr("Connecting to %1…").arg(QUrl(profile->url).host()),
                    tr("The fleet of %1 appears as soon as its hub answers.").arg(profile->name));
}

void AppSession::onUpstreamState(const QString &label, const QJsonObject &state)
{
    if (label != m_linkedLabel)
        return; // a link that was just replaced
    const QString host = QUrl(m_linkedUrl).host();
    const QString name = state.value(QLatin1StringView("state")).toString();
    setRemoteConnected(name == QLatin1StringView("connected"));
    if (name == QLatin1StringView("connected")) {
        if (m_relayProblem)
            setRelayProblem({}, {});
        return;
    }
    if (state.value(QLatin1StringView("login_required")).toBool())
        return; // onUpstreamLoginRequired says what to do
    if (name == QLatin1StringView("reconnecting")) {
        const int code = state.value(QLatin1StringView("last_close_code")).toInt();
        const QString reason = state.value(QLatin1StringView("last_close_reason")).toString();
        setRelayProblem(
            tr("Lost the connection to %1%2.")
                .arg(host, code > 0 ? QStringLiteral(" (%1%2)").arg(code).arg(reason.isEmpty() ? QString()
                                                                                                : QStringLiteral(": ") + reason)
                                    : QString()),
            tr("Reconnecting automatically (attempt %1); streams resume where they stopped, and anything the hub "
               "could not keep is marked as a gap.")
                .arg(state.value(QLatin1StringView("reconnect_attempt")).toInt()));
    } else if (name == QLatin1StringView("failed")) {
        // 4409 (another console of yours took over, or an admin ended the session), 4403, 1008…
        const QString failure = state.value(QLatin1StringView("failure")).toString();
        setRelayProblem(failure.isEmpty() ? tr("Gave up connecting to %1.").arg(host)
                                          : tr("%1 closed the connection: %2").arg(host, failure),
                        tr("Nothing is retried automatically; press Retry now (or switch to the profile again) to "
                           "take the session back."));
    }
}

void AppSession::onUpstreamLoginRequired(const QString &label, const QString &message)
{
    if (label != m_linkedLabel || !m_signIn)
        return;
    setRelayProblem(tr("%1 no longer accepts your sign-in: %2").arg(QUrl(m_linkedUrl).host(), message),
                    tr("Signing in again; if that does not work you will be asked for your password."));
    // The refresh token (if remembered) may still be good: a silent sign-in gets a new access
    // token, and the shell opens the login dialog when it cannot.
    const auto profile = m_profiles->active();
    if (profile)
        m_signIn->trySilentSignIn(profile->name, profile->url, profile->user);
}

void AppSession::setRelayProblem(const QString &problem, const QString &hint)
{
    m_relayProblem = !problem.isEmpty();
    setProblem(problem, hint);
}

} // namespace opsdeck::app
