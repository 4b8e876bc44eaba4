#include "httpendpoint.h"

#include "hubmetrics.h"
#include "hubserver.h"

#include <QHttpServer>
#include <QHttpServerResponse>
#include <QJsonObject>

Q_LOGGING_CATEGORY(lcHttp, "opsdeck.hub.http")

namespace opsdeck::hub::observability {

using StatusCode = QHttpServerResponder::StatusCode;

HttpEndpoint::HttpEndpoint(HubServer &server, const sources::HostMetricsSource *host, QObject *parent)
    : QObject(parent)
    , m_server(server)
    , m_host(host)
    , m_http(std::make_unique<QHttpServer>())
{
    m_http->route(
        QStringLiteral("/metrics"), QHttpServerRequest::Method::Get, [this](const QHttpServerRequest &) {
            ++m_requests;
            return QHttpServerResponse(QByteArrayLiteral("text/plain; version=0.0.4; charset=utf-8"),
                renderHubMetrics(m_server, m_host));
        });
    m_http->route(
        QStringLiteral("/healthz"), QHttpServerRequest::Method::Get, [this](const QHttpServerRequest &) {
            ++m_requests;
            // A load balancer takes a draining hub out of rotation before its clients are closed.
            const bool draining = m_server.isDraining();
            const QJsonObject body {
                {QStringLiteral("status"), draining ? QStringLiteral("draining") : QStringLiteral("ok")},
                {QStringLiteral("version"), QStringLiteral(OPSDECK_VERSION)},
                {QStringLiteral("hub_id"), m_server.hubId()},
                {QStringLiteral("mode"), protocol::modeName(m_server.config().mode)},
                {QStringLiteral("connections"), m_server.connectionCount()},
                {QStringLiteral("uptime_s"), m_server.uptimeMs() / 1000}};
            return QHttpServerResponse(body, draining ? StatusCode::ServiceUnavailable : StatusCode::Ok);
        });
    m_http->setMissingHandler([this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        ++m_requests;
        qCDebug(lcHttp) << "404 for" << request.method() << request.url().path();
        responder.write(QByteArrayLiteral("not found; try /metrics or /healthz\n"),
            QByteArrayLiteral("text/plain; charset=utf-8"), StatusCode::NotFound);
    });
}

HttpEndpoint::~HttpEndpoint() = default;

bool HttpEndpoint::listen(const QHostAddress &address, quint16 port)
{
    const quint16 bound = m_http->listen(address, port);
    if (bound == 0) {
        m_error = QStringLiteral("cannot listen for HTTP on %1:%2").arg(address.toString()).arg(port);
        return false;
    }
    m_address = address;
    m_port = bound;
    qCInfo(lcHttp) << "serving /metrics and /healthz on" << url().toString();
    return true;
}

QUrl HttpEndpoint::url() const
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(m_address.toString());
    url.setPort(m_port);
    return url;
}

} // namespace opsdeck::hub::observability
