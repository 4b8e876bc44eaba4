#include "agentservice.h"

#include "agentlog.h"
#include "hubclient.h"
#include "logfiletailer.h"
#include "logtypes.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStandardPaths>

Q_LOGGING_CATEGORY(lcAgent, "opsdeck.agent")

namespace opsdeck::agent {

namespace {
QLatin1StringView L(const char *text)
{
    return QLatin1StringView(text);
}

QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

qint64 frameBytes(const QJsonObject &message)
{
    return QJsonDocument(message).toJson(QJsonDocument::Compact).size();
}
} // namespace

AgentService::AgentService(AgentOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_client(std::make_unique<transport::HubClient>())
    , m_runner(std::make_unique<CommandRunner>(CommandRunnerOptions{m_options.allow, m_options.maxConcurrent,
                                                                    m_options.maxOutputBytes}))
{
    m_client->setTokenProvider([this] {
        // Read on every attempt, so a rotated token is used without a restart.
        const TokenFileResult read = readTokenFile(m_options.tokenFile);
        if (read.token.isEmpty())
            qCWarning(lcAgent).noquote() << read.error << "— using the token read before";
        else
            m_lastToken = read.token;
        return m_lastToken;
    });
    connect(m_client.get(), &transport::HubClient::connected, this, &AgentService::onConnected);
    connect(m_client.get(), &transport::HubClient::disconnected, this, &AgentService::onDisconnected);
    connect(m_client.get(), &transport::HubClient::failed, this, &AgentService::onFailed);
    connect(m_client.get(), &transport::HubClient::messageReceived, this, &AgentService::onMessage);
    connect(m_client.get(), &transport::HubClient::hubError, this,
            [](const QString &code, const QString &message, const QJsonObject &details) {
                qCWarning(lcAgent).noquote() << "the hub refused a message:" << code << message
                                             << QJsonDocument(details).toJson(QJsonDocument::Compact);
            });

    m_runner->setStatusProvider([this] { return statusText(); });
    connect(m_runner.get(), &CommandRunner::outputLine, this,
            [this](const QString &, const QString &stream, const QString &line) {
                m_batcher.add(QJsonObject{{QStringLiteral("timestamp"), isoTime(QDateTime::currentMSecsSinceEpoch())},
                                          {QStringLiteral("stream"), stream},
                                          {QStringLiteral("message"), line}});
            });
    connect(m_runner.get(), &CommandRunner::finished, this, &AgentService::onResult);
    connect(m_runner.get(), &CommandRunner::queueChanged, this, [this] {
        sendQueueMetrics();
        sendStatus(QStringLiteral("status"));
    });
    connect(&m_batcher, &LogBatcher::ready, this, [this](const QJsonObject &message) { send(message); });

    m_heartbeatTimer.setInterval(m_options.heartbeatIntervalMs);
    connect(&m_heartbeatTimer, &QTimer::timeout, this, [this] { sendStatus(QStringLiteral("heartbeat")); });
    m_metricsTimer.setInterval(m_options.metricsIntervalMs);
    connect(&m_metricsTimer, &QTimer::timeout, this, &AgentService::sendMetrics);
}

AgentService::~AgentService()
{
    // The runner kills its programs; nothing may be sent from its signals any more.
    m_runner->disconnect(this);
    m_client->disconnect(this);
}

void AgentService::start()
{
    for (const QString &path : std::as_const(m_options.logFiles)) {
        logsource::LogFileTailerOptions tailerOptions;
        tailerOptions.path = path;
        auto tailer = std::make_unique<logsource::LogFileTailer>(tailerOptions);
        connect(tailer.get(), &logsource::LogFileTailer::entriesReady, this,
                [this, path](const QList<logsource::TailedEntry> &entries) { onTailed(path, entries); });
        tailer->start();
        m_tailers.push_back(std::move(tailer));
    }
    for (const QString &program : std::as_const(m_options.allow)) {
        if (QStandardPaths::findExecutable(program).isEmpty())
            qCWarning(lcAgent) << "allowed program" << program << "is not on PATH; commands using it will fail";
    }
    qCInfo(lcAgent).noquote() << "agent" << m_options.name << "connecting to" << m_options.hubUrl.toString();
    m_client->open(m_options.hubUrl);
}

void AgentService::stop()
{
    if (m_stopping)
        return;
    m_stopping = true;
    m_heartbeatTimer.stop();
    m_metricsTimer.stop();
    for (auto &tailer : m_tailers)
        tailer->stop();
    m_runner->cancelAll(QStringLiteral("opsdeck-agent is stopping"));
    // The cancelled commands' results go out while the connection is still up (a program gets
    // 2 s between SIGTERM and SIGKILL), then the connection closes.
    auto *clock = new QElapsedTimer;
    clock->start();
    auto *poll = new QTimer(this);
    connect(poll, &QTimer::timeout, this, [this, poll, clock] {
        if (!m_runner->activeIds().isEmpty() && clock->elapsed() < 3000)
            return;
        poll->deleteLater();
        delete clock;
        m_batcher.flush();
        m_linked = false;
        m_client->close();
        QTimer::singleShot(300, this, &AgentService::stopped); // lets the close frame go out
    });
    poll->start(20);
}

void AgentService::onConnected()
{
    ++m_connection;
    m_connectedSince = QDateTime::currentDateTimeUtc();
    QJsonObject registration{{QStringLiteral("type"), QStringLiteral("register")},
                             {QStringLiteral("name"), m_options.name},
                             {QStringLiteral("kind"), m_options.kind},
                             {QStringLiteral("host"), m_options.host},
                             {QStringLiteral("version"), QStringLiteral(OPSDECK_VERSION)},
                             {QStringLiteral("capabilities"), QJsonArray{QStringLiteral("status")}},
                             {QStringLiteral("allow"), QJsonArray::fromStringList(m_options.allow)}};
    m_txBytes += frameBytes(registration);
    m_registerReply = m_client->request(registration);
    connect(m_registerReply, &transport::HubReply::finished, this, [this, reply = m_registerReply] {
        if (!reply || !reply->errorCode().isEmpty()) {
            if (reply && reply->errorCode() != QLatin1StringView("CANCELLED")) // cancelled: the connection went
                qCWarning(lcAgent).noquote() << "register refused:" << reply->errorCode() << reply->errorMessage();
            return;
        }
        ++m_registrations;
        qCInfo(lcAgent).noquote() << "registered as" << reply->result().value(L("agent_id")).toString();
        Q_EMIT registered();
    });
    // The hub reads messages in order: everything after the register is the registered agent's.
    m_linked = true;
    sendQueueMetrics();
    sendStatus(QStringLiteral("heartbeat"));
    sendMetrics();
    m_batcher.setOnline(true);
    m_heartbeatTimer.start();
    m_metricsTimer.start();
}

void AgentService::onDisconnected()
{
    m_linked = false;
    m_batcher.setOnline(false);
    m_heartbeatTimer.stop();
    m_metricsTimer.stop();
    if (m_registerReply) // a new connection registers anew; the old request must not be resent
        m_client->cancel(m_registerReply->id());
    // The hub has failed this connection's commands with AGENT_UNAVAILABLE: stop their programs.
    if (!m_stopping)
        m_runner->cancelAll(QStringLiteral("the connection to the hub was lost"));
}

void AgentService::onFailed()
{
    const int code = m_client->lastCloseCode();
    const QString reason = m_client->lastCloseReason();
    QString message;
    switch (code) {
    case 4401:
        message = QStringLiteral("the hub refused the agent token (%1); check --token-file, or issue a new token for "
                                 "agent '%2'")
                      .arg(reason, m_options.name);
        break;
    case 4403:
        message = QStringLiteral("the hub refused agent '%1' (%2); --name must be the name the token was issued for")
                      .arg(m_options.name, reason);
        break;
    case 4409:
        message = QStringLiteral("another opsdeck-agent connected as '%1' and replaced this one").arg(m_options.name);
        break;
    default:
        message = m_client->failureMessage();
    }
    Q_EMIT fatal(message);
}

void AgentService::onMessage(const QJsonObject &message)
{
    m_rxBytes += frameBytes(message);
    const QString type = message.value(L("type")).toString();
    if (type == L("command")) {
        onCommand(message);
    } else if (type == L("cancel")) {
        const QString syncId = message.value(L("commandSyncId")).toString();
        if (!m_runner->cancel(syncId))
            qCDebug(lcAgent) << "cancel for" << syncId << "which is not running";
    } else if (type == L("broadcast")) {
        qCInfo(lcAgent).noquote() << "hub notice:" << message.value(L("event")).toString()
                                  << message.value(L("message")).toString();
    }
}

void AgentService::onCommand(const QJsonObject &message)
{
    const QString syncId = message.value(L("commandSyncId")).toString();
    const QString command = message.value(L("command")).toString();
    if (syncId.isEmpty()) {
        qCWarning(lcAgent) << "ignored a command without commandSyncId";
        return;
    }
    m_commandConnection.insert(syncId, m_connection);
    const int timeoutMs = message.value(L("timeout_ms")).toInt(30000);
    qCInfo(lcAgent).noquote() << "command" << syncId << ":" << command;
    m_runner->start(RunRequest{syncId, command, timeoutMs > 0 ? timeoutMs : 30000});
}

void AgentService::onResult(const RunResult &result)
{
    const auto connection = m_commandConnection.take(result.syncId);
    if (!m_linked || connection != m_connection) {
        // The hub already failed it (AGENT_UNAVAILABLE) when that connection went away.
        qCInfo(lcAgent) << "result of" << result.syncId << "not sent: the connection it came on is gone";
        return;
    }
    QJsonObject message{{QStringLiteral("type"), QStringLiteral("command_result")},
                        {QStringLiteral("commandSyncId"), result.syncId},
                        {QStringLiteral("isSuccess"), result.success},
                        {QStringLiteral("commandName"), result.commandName},
                        {QStringLiteral("commandType"), QStringLiteral("text")},
                        {QStringLiteral("textResult"), QJsonObject{{QStringLiteral("response"), result.text}}}};
    if (!result.success)
        message.insert(QStringLiteral("error"), QJsonObject{{QStringLiteral("code"), result.errorCode},
                                                            {QStringLiteral("message"), result.errorMessage}});
    // Output first: a client that sees the result has the streamed lines too.
    m_batcher.flush();
    send(message);
}

void AgentService::onTailed(const QString &path, const QList<logsource::TailedEntry> &entries)
{
    for (const logsource::TailedEntry &entry : entries) {
        QJsonObject log{{QStringLiteral("timestamp"), isoTime(entry.timeMs)},
                        {QStringLiteral("stream"), QStringLiteral("file")},
                        {QStringLiteral("message"), entry.message},
                        {QStringLiteral("file"), path}};
        if (entry.level != logs::LogLevel::Unknown)
            log.insert(QStringLiteral("level"), logs::levelName(entry.level));
        m_batcher.add(log);
    }
}

QString AgentService::currentStatus() const
{
    return m_runner->activeIds().isEmpty() ? QStringLiteral("idle") : QStringLiteral("busy");
}

void AgentService::sendStatus(const QString &type)
{
    send(QJsonObject{{QStringLiteral("type"), type},
                     {QStringLiteral("status"), currentStatus()},
                     {QStringLiteral("task"), m_runner->currentTask().left(512)}});
}

void AgentService::sendQueueMetrics()
{
    const QStringList active = m_runner->activeIds();
    send(QJsonObject{{QStringLiteral("type"), QStringLiteral("queue_metrics")},
                     {QStringLiteral("activeCount"), active.size()},
                     {QStringLiteral("activeIds"), QJsonArray::fromStringList(active.mid(0, 1000))},
                     {QStringLiteral("processed"), m_runner->processed()},
                     {QStringLiteral("succeeded"), m_runner->succeeded()},
                     {QStringLiteral("failed"), m_runner->failed()}});
}

void AgentService::sendMetrics()
{
    const ProcessSample sample = m_processMetrics.sample();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const double seconds = m_lastMetricsMs > 0 ? double(now - m_lastMetricsMs) / 1000.0 : 0;
    const double rx = seconds > 0 ? double(m_rxBytes - m_lastRxBytes) / seconds : 0;
    const double tx = seconds > 0 ? double(m_txBytes - m_lastTxBytes) / seconds : 0;
    m_lastMetricsMs = now;
    m_lastRxBytes = m_rxBytes;
    m_lastTxBytes = m_txBytes;
    send(QJsonObject{{QStringLiteral("type"), QStringLiteral("metrics")},
                     {QStringLiteral("cpu"), sample.cpuPercent},
                     {QStringLiteral("memory_mib"), sample.rssMiB},
                     {QStringLiteral("memory_limit_mib"), sample.memoryLimitMiB},
                     {QStringLiteral("rx_bytes_per_s"), rx},
                     {QStringLiteral("tx_bytes_per_s"), tx},
                     {QStringLiteral("timestamp"), isoTime(now)}});
}

bool AgentService::send(const QJsonObject &message)
{
    if (!m_linked)
        return false; // reports are current state: the next connection sends fresh ones
    m_txBytes += frameBytes(message);
    return m_client->send(message);
}

QString AgentService::statusText() const
{
    QStringList lines;
    lines << QStringLiteral("agent %1 (kind %2) on %3, opsdeck-agent %4")
                 .arg(m_options.name, m_options.kind, m_options.host, QStringLiteral(OPSDECK_VERSION));
    lines << QStringLiteral("hub %1, connected since %2")
                 .arg(m_options.hubUrl.toString(), m_connectedSince.toString(Qt::ISODate));
    lines << QStringLiteral("allowed: %1").arg((QStringList{QStringLiteral("status")} + m_options.allow).join(QStringLiteral(", ")));
    lines << QStringLiteral("commands: %1 active (%2 running), %3 processed, %4 succeeded, %5 failed")
                 .arg(m_runner->activeIds().size())
                 .arg(m_runner->runningCount())
                 .arg(m_runner->processed())
                 .arg(m_runner->succeeded())
                 .arg(m_runner->failed());
    lines << QStringLiteral("following: %1")
                 .arg(m_options.logFiles.isEmpty() ? QStringLiteral("no log files") : m_options.logFiles.join(QStringLiteral(", ")));
    if (m_batcher.droppedTotal() > 0)
        lines << QStringLiteral("log entries dropped while offline: %1").arg(m_batcher.droppedTotal());
    return lines.join(QLatin1Char('\n'));
}

} // namespace opsdeck::agent
