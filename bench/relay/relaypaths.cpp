#include "relaypaths.h"

#include "clientsubscription.h"
#include "hubserver.h"
#include "procstats.h"
#include "upstreamlink.h"

#include <QEventLoop>

#include <memory>

namespace opsdeck::bench {

// Everything that lives on the relay's thread.
class RelayHost : public QObject
{
public:
    bool start(const QUrl &upstream, const QByteArray &upstreamToken, const QByteArray &localSecret, bool linkBatch,
               QUrl *url, QString *error)
    {
        m_tid = currentThreadTid();
        // The embedded hub's configuration (app/core/embeddedhub.cpp) minus terminals.
        hub::HubConfig config;
        config.address = QHostAddress::LocalHost;
        config.port = 0;
        config.secret = localSecret;
        config.hubName = QStringLiteral("opsdeck-embedded");
        m_server = std::make_unique<hub::HubServer>(config);
        if (!m_server->listen()) {
            *error = m_server->errorString();
            return false;
        }
        // The link as EmbeddedHub::linkUpstream makes it: default history and client options.
        hub::relay::UpstreamConfig linkConfig;
        linkConfig.label = QStringLiteral("source");
        linkConfig.url = upstream;
        linkConfig.logBatch = linkBatch;
        m_link = std::make_unique<hub::relay::UpstreamLink>(*m_server, linkConfig);
        m_link->setToken(QString::fromLatin1(upstreamToken));
        m_link->start();
        *url = m_server->url();
        return true;
    }

    void stop()
    {
        if (m_link)
            m_link->stop();
        m_link.reset();
        if (m_server) {
            QEventLoop loop;
            QObject::connect(m_server.get(), &hub::HubServer::stopped, &loop, &QEventLoop::quit);
            m_server->shutdown(QStringLiteral("benchmark run over"));
            if (m_server->connectionCount() > 0)
                loop.exec();
        }
        m_server.reset();
    }

    QJsonObject state() const
    {
        if (!m_link || !m_server)
            return {};
        QJsonObject state = m_link->stateJson();
        state.insert(QStringLiteral("unsent_bytes"), m_server->unsentBytes());
        bool logsActive = false;
        for (const transport::ClientSubscription *sub : m_link->client().subscriptions()) {
            if (sub->topic() == QLatin1StringView("logs"))
                logsActive = sub->state() == transport::ClientSubscription::State::Active;
        }
        state.insert(QStringLiteral("logs_subscribed"), logsActive);
        return state;
    }

    qint64 tid() const { return m_tid; }

private:
    std::unique_ptr<hub::HubServer> m_server;
    std::unique_ptr<hub::relay::UpstreamLink> m_link;
    qint64 m_tid = 0;
};

OpsdeckRelay::OpsdeckRelay()
{
    m_thread.setObjectName(QStringLiteral("opsdeck-relay"));
}

OpsdeckRelay::~OpsdeckRelay()
{
    stop();
}

bool OpsdeckRelay::start(const QUrl &upstream, const QByteArray &upstreamToken, const QByteArray &localSecret,
                         bool linkBatch)
{
    m_thread.start();
    m_host = new RelayHost;
    m_host->moveToThread(&m_thread);
    bool ok = false;
    QMetaObject::invokeMethod(
        m_host, [&] { ok = m_host->start(upstream, upstreamToken, localSecret, linkBatch, &m_url, &m_error); },
        Qt::BlockingQueuedConnection);
    m_tid = m_host->tid();
    if (!ok)
        stop();
    return ok;
}

void OpsdeckRelay::stop()
{
    if (!m_thread.isRunning())
        return;
    if (m_host) {
        QMetaObject::invokeMethod(
            m_host,
            [this] {
                m_host->stop();
                delete m_host;
            },
            Qt::BlockingQueuedConnection);
        m_host = nullptr;
    }
    m_thread.quit();
    m_thread.wait();
}

QJsonObject OpsdeckRelay::state() const
{
    if (!m_host)
        return {};
    QJsonObject state;
    QMetaObject::invokeMethod(m_host, [&] { state = m_host->state(); }, Qt::BlockingQueuedConnection);
    return state;
}

} // namespace opsdeck::bench
