#pragma once

// opsdeck-agent's core: one connection to a hub's agent endpoint (docs/protocol.md §14) through
// the client core's HubClient (reconnect with backoff, pings), re-registering after every
// reconnect; commands from the hub run in a CommandRunner; command output, followed log files,
// queue metrics, heartbeats and its own process metrics go back to the hub.

#include "agentoptions.h"
#include "commandrunner.h"
#include "logbatcher.h"
#include "processmetrics.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>
#include <vector>

namespace opsdeck::transport {
class HubClient;
class HubReply;
} // namespace opsdeck::transport

namespace opsdeck::logsource {
class LogFileTailer;
struct TailedEntry;
} // namespace opsdeck::logsource

namespace opsdeck::agent {

class AgentService : public QObject
{
    Q_OBJECT
public:
    explicit AgentService(AgentOptions options, QObject *parent = nullptr);
    ~AgentService() override;

    // Connects (and keeps reconnecting) and starts following the log files.
    void start();
    // Cancels what runs (the hub gets those results while still connected), closes the
    // connection with 1000, then emits stopped().
    void stop();

    const AgentOptions &options() const { return m_options; }
    transport::HubClient &client() { return *m_client; }
    CommandRunner &runner() { return *m_runner; }
    // `register` was sent on the current connection: reports flow.
    bool isLinked() const { return m_linked; }
    int registrations() const { return m_registrations; }
    QString statusText() const;

Q_SIGNALS:
    // The hub acknowledged a register (after every (re)connect).
    void registered();
    // The hub refused this agent for good (token, name, replaced): `message` says what to do.
    void fatal(const QString &message);
    void stopped();

private:
    void onConnected();
    void onDisconnected();
    void onFailed();
    void onMessage(const QJsonObject &message);
    void onCommand(const QJsonObject &message);
    void onResult(const RunResult &result);
    void onTailed(const QString &path, const QList<logsource::TailedEntry> &entries);
    void sendQueueMetrics();
    void sendStatus(const QString &type);
    void sendMetrics();
    bool send(const QJsonObject &message);
    QString currentStatus() const;

    AgentOptions m_options;
    std::unique_ptr<transport::HubClient> m_client;
    std::unique_ptr<CommandRunner> m_runner;
    LogBatcher m_batcher;
    ProcessMetrics m_processMetrics;
    std::vector<std::unique_ptr<logsource::LogFileTailer>> m_tailers;
    QTimer m_heartbeatTimer;
    QTimer m_metricsTimer;
    QString m_lastToken;
    QPointer<transport::HubReply> m_registerReply;
    QHash<QString, quint64> m_commandConnection; // commandSyncId → connection it came on
    quint64 m_connection = 0;                    // counts connections
    QDateTime m_connectedSince;
    qint64 m_txBytes = 0;
    qint64 m_rxBytes = 0;
    qint64 m_lastTxBytes = 0;
    qint64 m_lastRxBytes = 0;
    qint64 m_lastMetricsMs = 0;
    int m_registrations = 0;
    bool m_linked = false;
    bool m_stopping = false;
};

} // namespace opsdeck::agent
