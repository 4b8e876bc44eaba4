#pragma once

// The hub's observability port (opsdeck-hub --http-listen): GET /metrics (Prometheus text)
// and GET /healthz (200 while serving, 503 while draining). A QHttpServer on the hub's own
// thread, so it reads the hub's counters without locks. Everything else is 404.

#include <QHostAddress>
#include <QLoggingCategory>
#include <QObject>
#include <QUrl>
#include <memory>

Q_DECLARE_LOGGING_CATEGORY(lcHttp)

class QHttpServer;

namespace opsdeck::hub {
class HubServer;
namespace sources {
    class HostMetricsSource;
}
} // namespace opsdeck::hub

namespace opsdeck::hub::observability {

class HttpEndpoint : public QObject
{
    Q_OBJECT
public:
    // `host` (may be nullptr) adds the host's newest metrics to /metrics; both must outlive this.
    HttpEndpoint(HubServer &server, const sources::HostMetricsSource *host, QObject *parent = nullptr);
    ~HttpEndpoint() override;

    // Port 0: any free port. False (see errorString()) when the address cannot be bound.
    bool listen(const QHostAddress &address, quint16 port);
    quint16 port() const { return m_port; }
    QUrl url() const; // http://ADDRESS:PORT
    QString errorString() const { return m_error; }

    qint64 requestsServed() const { return m_requests; }

private:
    HubServer &m_server;
    const sources::HostMetricsSource *m_host;
    std::unique_ptr<QHttpServer> m_http;
    QHostAddress m_address;
    quint16 m_port = 0;
    QString m_error;
    qint64 m_requests = 0;
};

} // namespace opsdeck::hub::observability
