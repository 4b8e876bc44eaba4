#pragma once

// What the QML shell sees of the running console: the active profile and mode, the HubClient
// to the (embedded) hub, and the connection state in words an operator can act on.

#include "embeddedhub.h"
#include "hubclient.h"
#include "profilestore.h"
#include "signincontroller.h"

#include <QObject>
#include <QTimer>
#include <QtQml/qqml.h>

namespace opsdeck::app {

// Lets QML read HubClient's properties (queuedCount, latencyMs…) without the transport library
// depending on QtQml.
struct HubClientForeign
{
    Q_GADGET
    QML_FOREIGN(opsdeck::transport::HubClient)
    QML_NAMED_ELEMENT(HubClient)
    QML_UNCREATABLE("HubClient belongs to the AppSession")
};

class AppSession : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("AppSession is created by the application")
    Q_PROPERTY(opsdeck::transport::HubClient *client READ client CONSTANT)
    Q_PROPERTY(opsdeck::app::ProfileStore *profiles READ profiles CONSTANT)
    Q_PROPERTY(QString profileName READ profileName NOTIFY profileChanged)
    Q_PROPERTY(QString mode READ mode NOTIFY profileChanged)
    Q_PROPERTY(QString hubLabel READ hubLabel NOTIFY profileChanged)
    // The label a Dev or Prod profile's hub has in the embedded hub (web-01@<label>, terminals
    // opened there); empty for Demo.
    Q_PROPERTY(QString remoteHub READ remoteHub NOTIFY profileChanged)
    // The embedded hub's link to that hub is up (signed in, connected): terminals can open there.
    Q_PROPERTY(bool remoteHubConnected READ isRemoteHubConnected NOTIFY remoteHubConnectedChanged)
    Q_PROPERTY(QString stateText READ stateText NOTIFY connectionChanged)
    Q_PROPERTY(bool connected READ isConnected NOTIFY connectionChanged)
    Q_PROPERTY(int reconnectInSeconds READ reconnectInSeconds NOTIFY countdownChanged)
    Q_PROPERTY(QString problem READ problem NOTIFY connectionChanged)
    Q_PROPERTY(QString problemHint READ problemHint NOTIFY connectionChanged)
    // The problem is the link to the remote hub, and retrying it now may help (not a refused sign-in).
    Q_PROPERTY(bool linkRetryable READ isLinkRetryable NOTIFY connectionChanged)
    Q_PROPERTY(opsdeck::app::SignInController *signIn READ signIn NOTIFY signInChanged)

public:
    AppSession(ProfileStore *profiles, QObject *parent = nullptr);
    ~AppSession() override;

    // Starts the embedded hub and connects to it. False with problem() set when the hub could
    // not start.
    bool start(const EmbeddedHubOptions &options = {});
    // Closes the link and drains the embedded hub.
    void shutdown();

    transport::HubClient *client() { return &m_client; }
    ProfileStore *profiles() { return m_profiles; }
    QString profileName() const;
    QString mode() const;
    QString hubLabel() const;
    QString remoteHub() const;
    bool isRemoteHubConnected() const { return m_remoteConnected; }
    bool isLinkRetryable() const { return m_relayProblem && !m_linkedLabel.isEmpty() && !m_remoteConnected; }
    QString stateText() const;
    bool isConnected() const { return m_client.state() == transport::HubClient::State::Connected; }
    int reconnectInSeconds() const { return m_reconnectIn; }
    QString problem() const { return m_problem; }
    QString problemHint() const { return m_problemHint; }

    // The console's own connection, and the link to the remote hub when that is what is down.
    Q_INVOKABLE void reconnectNow();
    // Activates a profile. Dev and prod need a sign-in: with a SignInController the profile becomes
    // active and a silent sign-in starts (the shell opens the login dialog when it fails); without
    // one, activating them explains that instead of pretending to connect.
    Q_INVOKABLE bool activateProfile(const QString &name);

    // The sign-in for Dev and Prod profiles (owned by the caller; may stay null: Demo only).
    void setSignInController(SignInController *signIn);
    SignInController *signIn() const { return m_signIn; }

Q_SIGNALS:
    void profileChanged();
    void connectionChanged();
    void countdownChanged();
    void signInChanged();
    void remoteHubConnectedChanged();

private:
    void setProblem(const QString &problem, const QString &hint);
    void updateCountdown();
    void rememberSignedInUser();
    // Relay (appsessionrelay.cpp): what the embedded hub serves follows the active profile — the
    // simulated fleet for Demo, a link to the profile's hub (with the signed-in operator's token)
    // for Dev and Prod.
    void applyRelay();
    void onUpstreamState(const QString &label, const QJsonObject &state);
    void onUpstreamLoginRequired(const QString &label, const QString &message);
    void setRelayProblem(const QString &problem, const QString &hint);
    void setRemoteConnected(bool connected);

    ProfileStore *m_profiles;
    SignInController *m_signIn = nullptr;
    EmbeddedHub m_hub;
    transport::HubClient m_client;
    QTimer m_countdown;
    int m_reconnectIn = 0;
    QString m_problem;
    QString m_problemHint;
    QString m_linkedLabel; // the upstream the embedded hub is linked to; empty: none
    QString m_linkedUrl;
    bool m_remoteConnected = false; // the link to m_linkedLabel is connected
    bool m_relayProblem = false; // the banner shows the link's trouble (cleared when it recovers)
};

} // namespace opsdeck::app
