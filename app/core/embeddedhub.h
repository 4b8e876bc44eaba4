#pragma once

// The hub inside the desktop app (DESIGN.md §1): the same HubServer as opsdeck-hub, on its own
// QThread, bound to 127.0.0.1 on a free port, demanding a secret made fresh for this launch.
// The secret never leaves memory: it is handed to the app's HubClient, never written anywhere.

#include <QByteArray>
#include <QJsonObject>
#include <QObject>
#include <QThread>
#include <QUrl>

#include <memory>

namespace opsdeck::app {

class HubHost;

struct EmbeddedHubOptions
{
    bool demoFleet = true;
    quint32 seed = 0; // 0: random
};

class EmbeddedHub : public QObject
{
    Q_OBJECT
public:
    explicit EmbeddedHub(QObject *parent = nullptr);
    ~EmbeddedHub() override;

    // Starts the hub thread and waits until the hub listens. False (see errorString()) if it
    // could not bind.
    bool start(const EmbeddedHubOptions &options = {});
    // Drains the hub's clients (1001), stops its thread and waits for it.
    void stop();

    // Relay (docs/protocol.md §15): links the hub to a remote hub, whose agents and streams then
    // appear in this hub under `<name>@<label>`. `token` is the operator's access token (never
    // stored by the hub). Linking a label again replaces its URL and token.
    void linkUpstream(const QString &label, const QUrl &url, const QString &token);
    // A refreshed access token for a linked hub: used at once on the live link.
    void setUpstreamToken(const QString &label, const QString &token);
    void unlinkUpstream(const QString &label);
    // "Retry now" for the link (UpstreamLink::reconnectNow).
    void reconnectUpstream(const QString &label);
    // Starts or stops the simulated fleet (a Dev/Prod profile shows only the remote fleet).
    void setDemoFleet(bool enabled, quint32 seed = 0);

    bool isRunning() const { return m_thread.isRunning(); }
    QUrl url() const { return m_url; }
    QByteArray secret() const { return m_secret; }
    QString errorString() const { return m_error; }

    static QByteArray makeSecret();

Q_SIGNALS:
    // A link's state changed (UpstreamLink::stateJson(): state, latency, login_required…).
    void upstreamStateChanged(const QString &label, const QJsonObject &state);
    // The remote hub refused the link's token (4401): the operator must sign in again.
    void upstreamLoginRequired(const QString &label, const QString &message);

private:
    QThread m_thread;
    HubHost *m_host = nullptr; // lives in m_thread
    QUrl m_url;
    QByteArray m_secret;
    QString m_error;
};

} // namespace opsdeck::app
