#include "embeddedhub.h"

#include "demofleet.h"
#include "hubserver.h"

#include <QEventLoop>
#include <QLoggingCategory>
#include <QRandomGenerator>

Q_LOGGING_CATEGORY(lcEmbeddedHub, "opsdeck.app.hub")

namespace opsdeck::app {

// Everything that must live on the hub thread: the server, its timers, the demo fleet.
class HubHost : public QObject
{
public:
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
        if (options.demoFleet) {
            hub::demo::DemoFleetConfig fleetConfig;
            fleetConfig.seed = options.seed ? options.seed : QRandomGenerator::system()->generate();
            m_fleet = std::make_unique<hub::demo::DemoFleet>(m_server->registry(), fleetConfig);
            m_fleet->start();
        }
        *url = m_server->url();
        return true;
    }

    void stop()
    {
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
    std::unique_ptr<hub::HubServer> m_server;
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
    m_host = new HubHost;
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
