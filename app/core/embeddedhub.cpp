#include "embeddedhub.h"

#include "demofleet.h"
#include "hubserver.h"
#include "upstreamlink.h"

#include <QEventLoop>
#include <QLoggingCategory>
#include <QRandomGenerator>

#include <map>

Q_LOGGING_CATEGORY(lcEmbeddedHub, "opsdeck.app.hub")

namespace opsdeck::app {

// Everything that must live on the hub thread: the server, its timers, the demo fleet.
class HubHost : public QObject
{
public:
    explicit HubHost(EmbeddedHub *owner)
        : m_owner(owner)
    {
    }

    bool start(const EmbeddedHubOptions &options, const QByteArray &secret, QUrl *url, QString *error)
    {
        hub::HubConfig config;
        config.address = QHostAddress::LocalHost; // never anything but loopback
        config.port = 0;
        config.secret = secret;
        config.hubName = QStringLiteral("opsdeck-embedded");
        // The operator's own machine: loopback plus the per-launch secret are what §11 asks of a
        // hub before it hands out a shell, and this hub has both.
        config.terminalsEnabled = true;
        m_server = std::make_unique<hub::HubServer>(config);
        if (!m_server->listen()) {
            *error = m_server->errorString();
            return false;
        }
        if (options.demoFleet)
            setDemoFleet(true, options.seed);
        *url = m_server->url();
        return true;
    }

    void setDemoFleet(bool enabled, quint32 seed)
    {
        if (enabled == bool(m_fleet))
            return;
        if (!enabled) {
            m_fleet->stop();
            // Gone, not offline: the operator switched to another fleet.
            for (const QString &id : m_fleet->agentIds())
                m_server->registry().removeAgent(id);
            m_fleet.reset();
            return;
        }
        hub::demo::DemoFleetConfig fleetConfig;
        fleetConfig.seed = seed ? seed : QRandomGenerator::system()->generate();
        m_fleet = std::make_unique<hub::demo::DemoFleet>(m_server->registry(), fleetConfig);
        m_fleet->start();
    }

    void linkUpstream(const QString &label, const QUrl &url, const QString &token)
    {
        unlinkUpstream(label);
        hub::relay::UpstreamConfig config;
        config.label = label;
        config.url = url;
        // Linked to this hub before (a profile switch and back, a new sign-in): continue there.
        if (const auto it = m_stoppedAt.find(stoppedKey(label, url)); it != m_stoppedAt.end())
            config.resumeFrom = it->second;
        auto link = std::make_unique<hub::relay::UpstreamLink>(*m_server, config);
        hub::relay::UpstreamLink *raw = link.get();
        EmbeddedHub *owner = m_owner;
        // Emitted from this thread; the owner's receivers get them queued on theirs.
        connect(raw, &hub::relay::UpstreamLink::stateChanged, this,
                [owner, raw] { Q_EMIT owner->upstreamStateChanged(raw->label(), raw->stateJson()); });
        connect(raw, &hub::relay::UpstreamLink::loginRequiredChanged, this,
                [owner, raw](const QString &message) { Q_EMIT owner->upstreamLoginRequired(raw->label(), message); });
        raw->setToken(token);
        raw->start();
        m_links.emplace(label, std::move(link));
    }

    void setUpstreamToken(const QString &label, const QString &token)
    {
        if (const auto it = m_links.find(label); it != m_links.end())
            it->second->setToken(token);
    }

    void reconnectUpstream(const QString &label)
    {
        if (const auto it = m_links.find(label); it != m_links.end())
            it->second->reconnectNow();
    }

    void unlinkUpstream(const QString &label)
    {
        if (const auto it = m_links.find(label); it != m_links.end()) {
            it->second->stop();
            m_stoppedAt[stoppedKey(label, it->second->config().url)] = it->second->config().resumeFrom;
            for (const hub::AgentRecord *record : m_server->registry().agents()) {
                if (record->info.id.endsWith(QLatin1Char('@') + label))
                    m_server->registry().removeAgent(record->info.id);
            }
            m_links.erase(it);
        }
    }

    void stop()
    {
        for (auto &[label, link] : m_links)
            link->stop();
        m_links.clear();
        if (m_fleet)
            m_fleet->stop();
        if (m_server) {
            QEventLoop loop;
            connect(m_server.get(), &hub::HubServer::stopped, &loop, &QEventLoop::quit);
            m_server->shutdown(QStringLiteral("console closing"));
            if (m_server->connectionCount() > 0)
                loop.exec();
        }
        m_fleet.reset();
        m_server.reset();
    }

private:
    EmbeddedHub *m_owner;
    std::unique_ptr<hub::HubServer> m_server;
    std::map<QString, std::unique_ptr<hub::relay::UpstreamLink>> m_links;
    // Where each link stopped, by label and hub address (the same label may name another hub
    // after a profile edit; its positions would mean nothing there).
    static QString stoppedKey(const QString &label, const QUrl &url)
    {
        return label + QLatin1Char(' ') + url.adjusted(QUrl::RemoveQuery).toString();
    }
    std::map<QString, hub::relay::RelayPositions> m_stoppedAt;
    std::unique_ptr<hub::demo::DemoFleet> m_fleet;
};

EmbeddedHub::EmbeddedHub(QObject *parent)
    : QObject(parent)
{
    m_thread.setObjectName(QStringLiteral("opsdeck-hub"));
}

EmbeddedHub::~EmbeddedHub()
{
    stop();
}

QByteArray EmbeddedHub::makeSecret()
{
    QByteArray bytes(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), bytes.size() / 4);
    return bytes.toHex();
}

bool EmbeddedHub::start(const EmbeddedHubOptions &options)
{
    if (m_thread.isRunning())
        return true;
    m_secret = makeSecret();
    m_thread.start();
    m_host = new HubHost(this);
    m_host->moveToThread(&m_thread);
    bool ok = false;
    QMetaObject::invokeMethod(
        m_host, [&] { ok = m_host->start(options, m_secret, &m_url, &m_error); }, Qt::BlockingQueuedConnection);
    if (!ok) {
        qCWarning(lcEmbeddedHub) << "embedded hub failed:" << m_error;
        stop();
        return false;
    }
    qCInfo(lcEmbeddedHub) << "embedded hub listening on" << m_url.toString();
    return true;
}

void EmbeddedHub::linkUpstream(const QString &label, const QUrl &url, const QString &token)
{
    if (m_host)
        QMetaObject::invokeMethod(m_host, [host = m_host, label, url, token] { host->linkUpstream(label, url, token); });
}

void EmbeddedHub::setUpstreamToken(const QString &label, const QString &token)
{
    if (m_host)
        QMetaObject::invokeMethod(m_host, [host = m_host, label, token] { host->setUpstreamToken(label, token); });
}

void EmbeddedHub::reconnectUpstream(const QString &label)
{
    if (m_host)
        QMetaObject::invokeMethod(m_host, [host = m_host, label] { host->reconnectUpstream(label); });
}

void EmbeddedHub::unlinkUpstream(const QString &label)
{
    if (m_host)
        QMetaObject::invokeMethod(m_host, [host = m_host, label] { host->unlinkUpstream(label); });
}

void EmbeddedHub::setDemoFleet(bool enabled, quint32 seed)
{
    if (m_host)
        QMetaObject::invokeMethod(m_host, [host = m_host, enabled, seed] { host->setDemoFleet(enabled, seed); });
}

void EmbeddedHub::stop()
{
    if (!m_thread.isRunning())
        return;
    QMetaObject::invokeMethod(
        m_host,
        [this] {
            m_host->stop();
            delete m_host;
        },
        Qt::BlockingQueuedConnection);
    m_host = nullptr;
    m_thread.quit();
    m_thread.wait();
}

} // namespace opsdeck::app
