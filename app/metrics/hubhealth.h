#pragma once

// HubHealth: the hub-health panel's data. Every couple of seconds it asks the hub for `stats`
// (docs/protocol.md §5) through the console's HubClient and adds what only the client knows:
// round-trip latency and how often the link had to be re-established.

#include "hubclient.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QQmlParserStatus>
#include <QTimer>
#include <QVariantList>
#include <QtQml/qqml.h>

namespace opsdeck::metrics {

class HubHealth : public QObject, public QQmlParserStatus
{
    Q_OBJECT
    Q_INTERFACES(QQmlParserStatus)
    QML_ELEMENT
    Q_PROPERTY(opsdeck::transport::HubClient *client READ client WRITE setClient NOTIFY clientChanged)
    Q_PROPERTY(int intervalMs READ intervalMs WRITE setIntervalMs NOTIFY intervalMsChanged)
    Q_PROPERTY(bool active READ isActive WRITE setActive NOTIFY activeChanged)
    // True once a `stats` answer arrived; the other hub figures are meaningless before.
    Q_PROPERTY(bool valid READ isValid NOTIFY statsChanged)
    Q_PROPERTY(int connections READ connections NOTIFY statsChanged)
    Q_PROPERTY(qint64 connectionsAccepted READ connectionsAccepted NOTIFY statsChanged)
    Q_PROPERTY(double messagesPerSecond READ messagesPerSecond NOTIFY statsChanged)
    Q_PROPERTY(qint64 messagesIn READ messagesIn NOTIFY statsChanged)
    Q_PROPERTY(qint64 messagesOut READ messagesOut NOTIFY statsChanged)
    Q_PROPERTY(qint64 backlogPauses READ backlogPauses NOTIFY statsChanged)
    Q_PROPERTY(int commandsRunning READ commandsRunning NOTIFY statsChanged)
    Q_PROPERTY(qint64 uptimeSeconds READ uptimeSeconds NOTIFY statsChanged)
    // [{code, count}], most frequent first.
    Q_PROPERTY(QVariantList errorsByCode READ errorsByCode NOTIFY statsChanged)
    Q_PROPERTY(QVariantList closesByCode READ closesByCode NOTIFY statsChanged)
    Q_PROPERTY(qint64 errorTotal READ errorTotal NOTIFY statsChanged)
    // messages/s of the last samples, oldest first (for a sparkline); latency: ping when known,
    // else the query round trip.
    Q_PROPERTY(QVariantList rateHistory READ rateHistory NOTIFY statsChanged)
    Q_PROPERTY(QVariantList latencyHistory READ latencyHistory NOTIFY statsChanged)
    // The client's WebSocket ping round trip (-1 until the first pong, which takes a heartbeat
    // period) and the round trip of the latest `stats` query (known within seconds).
    Q_PROPERTY(int latencyMs READ latencyMs NOTIFY latencyChanged)
    Q_PROPERTY(int queryRoundTripMs READ queryRoundTripMs NOTIFY statsChanged)
    // Times the link came back (entered Connected again) after the first connect.
    Q_PROPERTY(int reconnects READ reconnects NOTIFY reconnectsChanged)
    // Times the established link was lost (entered Reconnecting).
    Q_PROPERTY(int disconnects READ disconnects NOTIFY reconnectsChanged)
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorStringChanged)

public:
    static constexpr int kHistoryLength = 60;

    explicit HubHealth(QObject *parent = nullptr);
    ~HubHealth() override;

    transport::HubClient *client() const { return m_client; }
    void setClient(transport::HubClient *client);
    int intervalMs() const { return m_timer.interval(); }
    void setIntervalMs(int ms);
    bool isActive() const { return m_active; }
    void setActive(bool active);

    bool isValid() const { return m_valid; }
    int connections() const { return m_connections; }
    qint64 connectionsAccepted() const { return m_connectionsAccepted; }
    double messagesPerSecond() const { return m_messagesPerSecond; }
    qint64 messagesIn() const { return m_messagesIn; }
    qint64 messagesOut() const { return m_messagesOut; }
    qint64 backlogPauses() const { return m_backlogPauses; }
    int commandsRunning() const { return m_commandsRunning; }
    qint64 uptimeSeconds() const { return m_uptimeSeconds; }
    QVariantList errorsByCode() const { return m_errorsByCode; }
    QVariantList closesByCode() const { return m_closesByCode; }
    qint64 errorTotal() const { return m_errorTotal; }
    QVariantList rateHistory() const;
    QVariantList latencyHistory() const;
    int latencyMs() const { return m_client ? m_client->latencyMs() : -1; }
    int queryRoundTripMs() const { return m_roundTripMs; }
    int reconnects() const { return m_reconnects; }
    int disconnects() const { return m_disconnects; }
    QString errorString() const { return m_error; }

    // Asks for `stats` now (the timer calls it too). Skipped while an answer is outstanding,
    // so a slow hub never piles up queries (or trips its rate limit).
    Q_INVOKABLE void refresh();
    // Applies one `stats` result (public for tests).
    void applyStats(const QJsonObject &stats);

    void classBegin() override { m_complete = false; }
    void componentComplete() override;

Q_SIGNALS:
    void clientChanged();
    void intervalMsChanged();
    void activeChanged();
    void statsChanged();
    void latencyChanged();
    void reconnectsChanged();
    void errorStringChanged();

private:
    void onStateChanged(transport::HubClient::State state);
    void updateTimer();
    void setError(const QString &error);

    QPointer<transport::HubClient> m_client;
    QTimer m_timer;
    bool m_active = true;
    bool m_complete = true;
    bool m_inFlight = false;
    QElapsedTimer m_sentAt;
    int m_roundTripMs = -1;
    bool m_everConnected = false;
    quint64 m_generation = 0; // answers from before a client change are dropped

    bool m_valid = false;
    int m_connections = 0;
    qint64 m_connectionsAccepted = 0;
    double m_messagesPerSecond = 0;
    qint64 m_messagesIn = 0;
    qint64 m_messagesOut = 0;
    qint64 m_backlogPauses = 0;
    int m_commandsRunning = 0;
    qint64 m_uptimeSeconds = 0;
    QVariantList m_errorsByCode;
    QVariantList m_closesByCode;
    qint64 m_errorTotal = 0;
    QList<double> m_rateHistory;
    QList<double> m_latencyHistory;
    int m_reconnects = 0;
    int m_disconnects = 0;
    QString m_error;
};

} // namespace opsdeck::metrics
