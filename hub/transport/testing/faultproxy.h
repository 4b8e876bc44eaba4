#pragma once

// A TCP proxy on loopback between a client and a hub that can break the path the way real
// networks do: cut() resets every connection (the client sees the TCP connection die),
// freeze() keeps the connections open but stops forwarding (a dead NAT entry, a suspended
// peer) — only a heartbeat can notice that one. New connections are forwarded normally.

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>

class QTcpServer;
class QTcpSocket;

namespace opsdeck::transport::testing {

class FaultProxy : public QObject
{
    Q_OBJECT

public:
    explicit FaultProxy(quint16 targetPort, QObject *parent = nullptr);
    ~FaultProxy() override;

    bool listen(quint16 port = 0);
    quint16 port() const;
    void setTargetPort(quint16 port) { m_targetPort = port; }

    void cut();
    void freeze();
    int connectionCount() const;
    int connectionsAccepted() const { return m_accepted; }

Q_SIGNALS:
    void connectionAccepted();

private:
    struct Pair
    {
        QPointer<QTcpSocket> client;
        QPointer<QTcpSocket> upstream;
        bool frozen = false;
    };
    void onNewConnection();

    QTcpServer *m_server = nullptr;
    quint16 m_targetPort;
    // Kept until destruction (a test's lifetime): the forwarding lambdas point at them.
    QList<Pair *> m_pairs;
    int m_accepted = 0;
};

} // namespace opsdeck::transport::testing
