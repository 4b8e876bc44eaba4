#pragma once

// MetricsFeed: the Metrics pane's link to the hub. It holds the live `metrics` subscription
// (which HubClient resumes across reconnects) and, on request, pages a source's history back
// through `query history` until a chart window is covered — so a chart shows the last 15
// minutes at once, not only what arrived since the pane opened. It only emits typed signals;
// MetricsStore subscribes to them.

#include "metrictypes.h"

#include "feedsubscription.h"
#include "hubclient.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QQmlParserStatus>
#include <QSet>
#include <QtQml/qqml.h>

namespace opsdeck::metrics {

class MetricsFeed : public QObject, public QQmlParserStatus
{
    Q_OBJECT
    Q_INTERFACES(QQmlParserStatus)
    QML_ELEMENT
    Q_PROPERTY(opsdeck::transport::HubClient *client READ client WRITE setClient NOTIFY clientChanged)
    // Entries replayed when the live subscription starts: enough for every source to appear in
    // the picker at once, with a little trend for its sparkline.
    Q_PROPERTY(int history READ history WRITE setHistory NOTIFY historyChanged)
    Q_PROPERTY(bool enabled READ isEnabled WRITE setEnabled NOTIFY enabledChanged)
    // "pending", "active", "failed", "closed" or "" (no subscription).
    Q_PROPERTY(QString state READ state NOTIFY stateChanged)
    Q_PROPERTY(QString errorString READ errorString NOTIFY stateChanged)
    Q_PROPERTY(bool loading READ isLoading NOTIFY loadingChanged)
    Q_PROPERTY(qint64 pointsDelivered READ pointsDelivered NOTIFY pointsReceived)

public:
    static constexpr int kDefaultHistory = 1000;
    static constexpr int kPageLimit = 1000;   // docs/protocol.md §5: history limit ≤ 1000
    static constexpr int kMaxPages = 30;      // a runaway guard, far above 15 min of one source

    explicit MetricsFeed(QObject *parent = nullptr);
    ~MetricsFeed() override;

    transport::HubClient *client() const { return m_client; }
    void setClient(transport::HubClient *client);
    int history() const { return m_history; }
    void setHistory(int history);
    bool isEnabled() const { return m_enabled; }
    void setEnabled(bool enabled);
    QString state() const { return m_feed.stateName(); }
    QString errorString() const { return m_feed.errorString(); }
    bool isLoading() const { return !m_loads.isEmpty(); }
    qint64 pointsDelivered() const { return m_delivered; }
    transport::ClientSubscription *subscription() const { return m_feed.subscription(); }

    // Loads `source`'s history far enough back to cover `windowSeconds` before its newest
    // point. Does nothing when that is already loaded or being loaded; historyLoaded() follows.
    Q_INVOKABLE void loadHistory(const QString &source, int windowSeconds);
    // Seconds of `source`'s history already loaded (a large number once the hub has no more).
    int coveredSeconds(const QString &source) const { return m_covered.value(source, 0); }

    void classBegin() override { m_complete = false; }
    void componentComplete() override;

Q_SIGNALS:
    void clientChanged();
    void historyChanged();
    void enabledChanged();
    void stateChanged();
    void loadingChanged();
    // Points of one source, oldest first. Live and history points both come this way; a
    // history page may overlap what already arrived live (the store drops duplicates).
    void pointsReceived(const QString &source, const QList<opsdeck::metrics::MetricPoint> &points);
    // The hub could not deliver some metrics entries (recovered:false): charts must show it.
    void gapReceived(const opsdeck::metrics::MetricsGap &gap);
    void historyLoaded(const QString &source, int windowSeconds);
    void historyFailed(const QString &source, const QString &message);

private:
    struct Load
    {
        int windowSeconds = 0;
        int pages = 0;
        qint64 newestMs = 0; // the newest point of the first page: the window ends there
        QString hub;         // pages are asked of this linked hub (§15 "History"); "" = the local hub
        bool partial = false; // the linked hub was unreachable: local pages only, coverage not kept
    };

    void resubscribe();
    void unsubscribe();
    void onEntries(const QList<QJsonObject> &entries);
    void onGap(const QJsonObject &marker);
    void requestPage(const QString &source, qint64 beforeSeq);
    void onPage(const QString &source, const QJsonObject &result);
    void finishLoad(const QString &source, int coveredSeconds);
    void emitGrouped(const QList<MetricPoint> &points);

    QPointer<transport::HubClient> m_client;
    transport::FeedSubscription m_feed{QStringLiteral("metrics")};
    QHash<QString, Load> m_loads;
    QHash<QString, int> m_covered;
    QHash<QString, QString> m_hubs; // source → the linked hub it is relayed from (from its points)
    int m_history = kDefaultHistory;
    bool m_enabled = true;
    bool m_complete = true; // false between classBegin and componentComplete (QML creation)
    qint64 m_delivered = 0;
};

} // namespace opsdeck::metrics
