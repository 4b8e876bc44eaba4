// The in-process hub: a HubServer created, run and destroyed on its own thread, as the console
// embeds it (app/core/embeddedhub.cpp), so the hub's work does not share the GUI thread.

#include "benchterm.h"
#include "hubserver.h"
#include "upstreamlink.h"

#include <QDeadlineTimer>

#include <QMetaObject>
#include <memory>

namespace opsdeck::bench {

hub::HubConfig terminalHubConfig(const QByteArray &secret, const QString &shell)
{
    hub::HubConfig config;
    config.address = QHostAddress::LocalHost; // §11: terminals only on loopback with a secret
    config.port = 0;
    config.secret = secret;
    config.hubName = QStringLiteral("bench-terminal");
    config.terminalsEnabled = true;
    config.terminalShell = shell;
    config.terminalLoginShell = false; // no profile scripts in the measurement
    return config;
}

namespace {
    // Lives on the hub thread: the server is created and destroyed there, like the console's.
    class HubHost : public QObject
    {
    public:
        std::unique_ptr<hub::HubServer> server;
        std::unique_ptr<hub::relay::UpstreamLink> link; // before the server goes
        ~HubHost() override { link.reset(); }
    };
} // namespace

HubThread::HubThread()
{
    m_thread.setObjectName(QStringLiteral("bench-hub"));
}

HubThread::~HubThread()
{
    stop();
}

bool HubThread::start(const hub::HubConfig &config, QString *error)
{
    m_thread.start();
    auto *host = new HubHost;
    host->moveToThread(&m_thread);
    m_host = host;
    bool ok = false;
    QMetaObject::invokeMethod(
        host,
        [&] {
            host->server = std::make_unique<hub::HubServer>(config);
            ok = host->server->listen();
            if (ok)
                m_url = host->server->url();
            else
                *error = host->server->errorString();
        },
        Qt::BlockingQueuedConnection);
    return ok;
}

bool HubThread::linkUpstream(const QString &label, const QUrl &url, const QByteArray &token, QString *error)
{
    auto *host = static_cast<HubHost *>(m_host);
    if (!host) {
        *error = QStringLiteral("the hub is not running");
        return false;
    }
    QMetaObject::invokeMethod(
        host,
        [&] {
            hub::relay::UpstreamConfig config;
            config.label = label;
            config.url = url;
            config.client.watchNetwork = false;
            host->link = std::make_unique<hub::relay::UpstreamLink>(*host->server, config);
            host->link->setToken(QString::fromLatin1(token));
            host->link->start();
        },
        Qt::BlockingQueuedConnection);
    const QDeadlineTimer deadline(10000);
    while (!deadline.hasExpired()) {
        bool connected = false;
        QMetaObject::invokeMethod(
            host,
            [&] { connected = host->link->client().state() == transport::HubClient::State::Connected; },
            Qt::BlockingQueuedConnection);
        if (connected)
            return true;
        QThread::msleep(20);
    }
    *error = QStringLiteral("the link to %1 did not connect").arg(url.toString());
    return false;
}

void HubThread::stop()
{
    if (!m_thread.isRunning())
        return;
    auto *host = static_cast<HubHost *>(m_host);
    // The destructor hangs up every terminal and kills what is left.
    QMetaObject::invokeMethod(
        host, [host] { delete host; }, Qt::BlockingQueuedConnection);
    m_host = nullptr;
    m_thread.quit();
    m_thread.wait();
}

} // namespace opsdeck::bench
