// A consumer that stops reading must cost the hub bounded memory, never stall other clients,
// and — once it reads again — receive every entry in order (retention permitting).

#include "hubtesthelpers.h"

#include <QJsonDocument>
#include <QTcpSocket>
#include <QTest>

using namespace opsdeck::testing;

namespace {
// A WebSocket peer written by hand, so the test controls exactly when bytes are read.
class RawPeer
{
public:
    bool open(quint16 port)
    {
        // A small receive window makes the hub's own buffer fill quickly, whatever the machine.
        m_socket.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 8192);
        // Without a cap, QTcpSocket keeps reading into its own buffer whenever the event loop
        // runs (it does, serving the bystander): the peer would not really stall.
        m_socket.setReadBufferSize(16384);
        m_socket.connectToHost(QStringLiteral("127.0.0.1"), port);
        if (!m_socket.waitForConnected(5000))
            return false;
        m_socket.write("GET /api/v1/ws/demo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        while (!m_buffer.contains("\r\n\r\n")) {
            if (!m_socket.waitForReadyRead(5000))
                return false;
            m_buffer += m_socket.readAll();
        }
        const bool upgraded = m_buffer.startsWith("HTTP/1.1 101");
        m_buffer = m_buffer.mid(m_buffer.indexOf("\r\n\r\n") + 4);
        return upgraded;
    }

    void sendText(const QByteArray &payload)
    {
        QByteArray frame;
        frame.append(char(0x81));
        const char mask[4] = {0x12, 0x34, 0x56, 0x78};
        if (payload.size() < 126) {
            frame.append(char(0x80 | payload.size()));
        } else {
            frame.append(char(0x80 | 126));
            frame.append(char((payload.size() >> 8) & 0xff));
            frame.append(char(payload.size() & 0xff));
        }
        frame.append(mask, 4);
        for (qsizetype i = 0; i < payload.size(); ++i)
            frame.append(char(payload[i] ^ mask[i % 4]));
        m_socket.write(frame);
        m_socket.flush();
    }

    // Reads whatever is available (waiting up to `timeoutMs` for more) and returns the complete
    // text frames received; `gotBytes` tells whether anything arrived at all.
    QList<QJsonObject> read(int timeoutMs, bool *gotBytes)
    {
        if (m_socket.bytesAvailable() == 0)
            m_socket.waitForReadyRead(timeoutMs);
        const QByteArray chunk = m_socket.readAll();
        *gotBytes = !chunk.isEmpty();
        m_buffer += chunk;
        QList<QJsonObject> messages;
        qsizetype at = 0;
        for (;;) {
            const qsizetype left = m_buffer.size() - at;
            if (left < 2)
                break;
            const auto b0 = quint8(m_buffer[at]);
            quint64 length = quint8(m_buffer[at + 1]) & 0x7f;
            qsizetype header = 2;
            if (length == 126) {
                if (left < 4)
                    break;
                length = (quint64(quint8(m_buffer[at + 2])) << 8) | quint8(m_buffer[at + 3]);
                header = 4;
            } else if (length == 127) {
                if (left < 10)
                    break;
                length = 0;
                for (int i = 0; i < 8; ++i)
                    length = (length << 8) | quint8(m_buffer[at + 2 + i]);
                header = 10;
            }
            if (quint64(left) < header + length)
                break;
            if ((b0 & 0x0f) == 0x1)
                messages.append(QJsonDocument::fromJson(m_buffer.mid(at + header, qsizetype(length))).object());
            at += header + qsizetype(length);
        }
        m_buffer.remove(0, at);
        return messages;
    }

private:
    QTcpSocket m_socket;
    QByteArray m_buffer;
};

qint64 stat(TestClient &client, const char *name)
{
    const auto stats = client.request(msg({{QStringLiteral("type"), QStringLiteral("query")}, {QStringLiteral("query"), QStringLiteral("stats")}}));
    return resultOf(stats).value(QLatin1StringView(name)).toInteger();
}
} // namespace

class TestHubBackpressure : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aStalledReaderLosesNothingAndBlocksNoOne()
    {
        HubProcess hub({QStringLiteral("--bench-logs"), QStringLiteral("20000"), QStringLiteral("--retention-logs"),
                        QStringLiteral("5000000"), QStringLiteral("--rate-limit"), QStringLiteral("100000/1m"),
                        QStringLiteral("--backlog-high-bytes"), QStringLiteral("262144")});
        QVERIFY2(hub.start(), qPrintable(hub.errorString()));
        RawPeer stalled;
        QVERIFY(stalled.open(hub.port()));
        stalled.sendText("{\"type\":\"subscribe\",\"id\":\"r1\",\"topic\":\"logs\",\"history\":0}");

        // The stalled peer reads nothing until the hub has had to hold back its stream.
        TestClient bystander;
        QVERIFY(bystander.open(hub.url()));
        const QDeadlineTimer deadline(60000);
        while (stat(bystander, "backlog_pauses") < 1) {
            QVERIFY2(!deadline.hasExpired(), "the hub never held the stalled reader back");
            // Each round trip is answered while the stalled peer is being held back: the hub
            // keeps serving everyone else.
            QCOMPARE(str(bystander.request(msg({{QStringLiteral("type"), QStringLiteral("ping")}})), QStringLiteral("type")),
                     QStringLiteral("pong"));
        }
        const qint64 headWhenStalled = headSeq(bystander);

        // Now it reads: everything published since it subscribed arrives, in order, no gap.
        qint64 lastSeq = 0;
        qint64 received = 0;
        bool gapSeen = false;
        QString problem;
        while (lastSeq < headWhenStalled) {
            QVERIFY2(!deadline.hasExpired(), qPrintable(QStringLiteral("read up to %1 of %2").arg(lastSeq).arg(headWhenStalled)));
            bool gotBytes = false;
            const QList<QJsonObject> messages = stalled.read(5000, &gotBytes);
            QVERIFY2(gotBytes, "the hub stopped sending after the reader resumed");
            for (const QJsonObject &m : messages) {
                gapSeen |= m.value(QLatin1StringView("type")).toString() == QLatin1StringView("gap");
                if (m.value(QLatin1StringView("type")).toString() != QLatin1StringView("batch"))
                    continue;
                for (const QJsonValue &value : m.value(QLatin1StringView("logs")).toArray()) {
                    const qint64 seq = value.toObject().value(QLatin1StringView("seq")).toInteger();
                    if (lastSeq != 0 && seq != lastSeq + 1 && problem.isEmpty())
                        problem = QStringLiteral("seq %1 after %2").arg(seq).arg(lastSeq);
                    lastSeq = seq;
                    ++received;
                }
            }
        }
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QVERIFY(!gapSeen);
        QVERIFY(received > 1000);
    }
};

QTEST_GUILESS_MAIN(TestHubBackpressure)
#include "tst_hub_backpressure.moc"
