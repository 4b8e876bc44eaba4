#pragma once

// One link from the embedded hub to a remote hub (DESIGN.md §1, docs/protocol.md §15). It is
// an opsdeck.v1 client of the remote hub — the same client core the console uses, so backoff,
// the outgoing queue, request correlation and resume with (epoch, seq) are not written twice —
// and a source for the local hub: remote agents enter the local registry (commands to them come
// back through this link as its AgentLink), remote log, metrics and flow entries are
// republished on the local topics. The console's subscriptions are to the local hub, whose
// topics never restart while the app runs, so an upstream drop shows only as link state, and a
// hole the remote hub cannot replay as an explicit gap marker in the local stream.

#include "agentregistry.h"
#include "hubclient.h"
#include "historyrelay.h"
#include "terminalrelay.h"

#include <QHash>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <map>

Q_DECLARE_LOGGING_CATEGORY(lcRelay)

namespace opsdeck::transport {
class ClientSubscription;
class HubReply;
} // namespace opsdeck::transport

namespace opsdeck::hub {
class HubServer;
}

namespace opsdeck::hub::relay {

// Where a link stopped in one remote topic: the remote epoch and the last seq it relayed.
struct RelayPosition
{
    QString epoch;
    qint64 seq = 0;
};
using RelayPositions = std::map<protocol::Topic, RelayPosition>;

struct UpstreamConfig
{
    QString label;          // names the remote hub in qualified ids: web-01@<label>
    QUrl url;               // ws(s)://host:port/api/v1/ws (prod) or …/api/v1/ws/dev
    int logHistory = 1000;  // log entries replayed when the link first subscribes
    // Ask the remote hub for log entries in `batch` messages (docs/protocol.md §4.3); each batch
    // is passed on here at once, so the remote window is the only one an entry waits in. false:
    // the remote hub sends each entry as it is published and the local hub batches instead —
    // `batch:false` subscribers then get entries without any window, at one frame per entry on
    // the link (docs/performance.md "Relay hop").
    bool logBatch = true;
    int metricsHistory = 600;
    // Command events replayed when the link first subscribes: what was done on the remote hub
    // lately, by anyone (the agents pane's recent actions).
    int commandHistory = 300;
    // Where an earlier link to the same hub stopped (UpstreamLink::positions()): each topic
    // continues from there — the console switched profile and back, or signed in again — so
    // nothing it already relayed comes twice and what happened meanwhile comes once.
    RelayPositions resumeFrom;
    transport::HubClientOptions client;
};

class UpstreamLink : public QObject, public AgentLink
{
    Q_OBJECT
public:
    UpstreamLink(HubServer &hub, UpstreamConfig config, QObject *parent = nullptr);
    ~UpstreamLink() override;

    // Opens the link (and keeps it open, reconnecting, until stop()).
    void start();
    // Closes the link; the remote agents go offline locally.
    void stop();
    // The bearer token for the next (re)connect; on a live link it is also presented at once
    // (an `auth` message), so a refreshed token never costs a reconnect. A link the remote hub
    // closed for good (4401, 4409, 4403) opens again.
    void setToken(const QString &token);
    // The operator asks to retry now: a link waiting for its next attempt tries at once, one the
    // remote hub closed for good (4409, 4403) opens again with the token it has. A refused token
    // (4401) still needs setToken().
    void reconnectNow();

    const QString &label() const { return m_config.label; }
    // (After stop(), config().resumeFrom holds where it stopped.)
    const UpstreamConfig &config() const { return m_config; }
    transport::HubClient &client() { return m_client; }
    // The remote hub refused the token (4401): nothing is retried until setToken().
    bool loginRequired() const { return m_loginRequired; }
    // Gap markers published because the remote hub could not replay what the link missed.
    int gapsRelayed() const { return m_gapsRelayed; }
    qint64 entriesRelayed() const { return m_entriesRelayed; }
    // Terminals on the remote hub's host opened through this link.
    TerminalRelay &terminals() { return m_terminals; }
    // The last remote position relayed per topic (agents excepted: re-read on every connection).
    RelayPositions positions() const;
    // {label, url, state, latency_ms, reconnect_attempt, last_close_code, last_close_reason,
    //  login_required, failure, entries_relayed, gaps} for stats and the console.
    QJsonObject stateJson() const;

    // AgentLink: commands to this link's agents go to the remote hub with the same id.
    void startCommand(const CommandRequest &request) override;
    void cancelCommand(const QString &commandSyncId) override;

Q_SIGNALS:
    void stateChanged();
    void loginRequiredChanged(const QString &message);

private:
    void onConnected();
    void subscribeTopics();
    void syncAgents(const QJsonObject &queryResult);
    void onAgentEvent(const QJsonObject &entry);
    void applyAgent(const QJsonObject &agentJson, const QString &event);
    void relayEntries(protocol::Topic topic, const QList<QJsonObject> &entries);
    void relayGap(protocol::Topic topic, const QJsonObject &marker);
    void dropAgents();

    HubServer &m_hub;
    UpstreamConfig m_config;
    transport::HubClient m_client;
    QString m_token;
    bool m_loginRequired = false;
    bool m_started = false;
    QList<transport::ClientSubscription *> m_subscriptions;
    QSet<QString> m_agents;                                     // qualified ids registered by this link
    QHash<QString, QPointer<transport::HubReply>> m_commandsBySync; // commandSyncId → upstream request
    TerminalRelay m_terminals; // after m_client: it forwards over it
    HistoryRelay m_history;    // likewise
    int m_gapsRelayed = 0;
    qint64 m_entriesRelayed = 0;
};

} // namespace opsdeck::hub::relay
