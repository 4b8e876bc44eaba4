#include "faultproxy.h"

#include <QTcpServer>
#include <QTcpSocket>

namespace opsdeck::transport::testing {

FaultProxy::FaultProxy(quint16 targetPort, QObject *parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
    , m_targetPort(targetPort)
{
    connect(m_server, &QTcpServer::newConnection, this, &FaultProxy::onNewConnection);
}

FaultProxy::~FaultProxy()
{
    for (Pair *pair : std::as_const(m_pairs)) {
        // Disconnect first: the forwarding lambdas hold `pair`, which is deleted here.
        for (QTcpSocket *socket : {pair->client.data(), pair->upstream.data()}) {
            if (socket) {
                socket->disconnect(this);
                socket->abort();
            }
        }
        delete pair;
    }
}

bool FaultProxy::listen(quint16 port)
{
    return m_server->listen(QHostAddress::LocalHost, port);
}

quint16 FaultProxy::port() const
{
    return m_server->serverPort();
}

int FaultProxy::connectionCount() const
{
    int count = 0;
    for (const Pair *pair : m_pairs) {
        if (pair->client && pair->client->state() == QAbstractSocket::ConnectedState)
            ++count;
    }
    return count;
}

void FaultProxy::onNewConnection()
{
    while (m_server->hasPendingConnections()) {
        QTcpSocket *client = m_server->nextPendingConnection();
        auto *upstream = new QTcpSocket(this);
        auto *pair = new Pair{client, upstream, false};
        m_pairs.append(pair);
        ++m_accepted;
        auto forward = [pair](QTcpSocket *from, QTcpSocket *to) {
            if (pair->frozen || !from || !to)
                return; // data stays buffered: nothing reaches the other side
            if (to->state() != QAbstractSocket::ConnectedState)
                return; // upstream not connected yet; forwarded once it is
            to->write(from->readAll());
        };
        connect(client, &QTcpSocket::readyRead, this, [pair, forward] { forward(pair->client, pair->upstream); });
        connect(upstream, &QTcpSocket::readyRead, this, [pair, forward] { forward(pair->upstream, pair->client); });
        connect(upstream, &QTcpSocket::connected, this, [pair, forward] { forward(pair->client, pair->upstream); });
        auto closeBoth = [pair] {
            if (pair->frozen)
                return; // a frozen path does not even pass on a close
            if (pair->client)
                pair->client->disconnectFromHost();
            if (pair->upstream)
                pair->upstream->disconnectFromHost();
        };
        connect(client, &QTcpSocket::disconnected, this, closeBoth);
        connect(upstream, &QTcpSocket::disconnected, this, closeBoth);
        connect(upstream, &QTcpSocket::errorOccurred, this, closeBoth);
        upstream->connectToHost(QHostAddress::LocalHost, m_targetPort);
        Q_EMIT connectionAccepted();
    }
}

void FaultProxy::cut()
{
    for (Pair *pair : std::as_const(m_pairs)) {
        pair->frozen = false;
        if (pair->client)
            pair->client->abort();
        if (pair->upstream)
            pair->upstream->abort();
    }
}

void FaultProxy::freeze()
{
    for (Pair *pair : std::as_const(m_pairs))
        pair->frozen = true;
}

} // namespace opsdeck::transport::testing
