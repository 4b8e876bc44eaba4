#pragma once

// The servers of bench_relay besides its child processes (childserver.h): the Opsdeck relay —
// a HubServer plus a relay::UpstreamLink on a QThread of their own, as the console hosts its
// embedded hub (app/core/embeddedhub.cpp), so the measuring client on the main thread never
// shares an event loop with the relay.

#include "childserver.h"

#include <QByteArray>
#include <QJsonObject>
#include <QProcess>
#include <QStringList>
#include <QThread>
#include <QUrl>

namespace opsdeck::bench {

class RelayHost;

// The Opsdeck relay under test: the embedded hub's server and its link to `upstream`.
class OpsdeckRelay
{
public:
    OpsdeckRelay();
    ~OpsdeckRelay();
    OpsdeckRelay(const OpsdeckRelay &) = delete;
    OpsdeckRelay &operator=(const OpsdeckRelay &) = delete;

    // Starts the local hub (loopback, `localSecret` required of its clients) and links it to
    // `upstream` presenting `upstreamToken`; `linkBatch` is UpstreamConfig::logBatch. Returns
    // false with errorString() set.
    bool start(const QUrl &upstream, const QByteArray &upstreamToken, const QByteArray &localSecret, bool linkBatch);
    void stop();

    QUrl url() const { return m_url; }
    QString errorString() const { return m_error; }
    // The kernel id of the relay's thread (its CPU time is the relay's cost).
    qint64 threadTid() const { return m_tid; }
    // Read on the relay's thread: UpstreamLink::stateJson() plus the local hub's unsent bytes
    // (`unsent_bytes`) and the link's `logs_subscribed` (its logs subscription is active).
    QJsonObject state() const;

private:
    QThread m_thread;
    RelayHost *m_host = nullptr;
    QUrl m_url;
    QString m_error;
    qint64 m_tid = 0;
};

} // namespace opsdeck::bench
