// TerminalSession against a real WebSocket server in this process that speaks docs/protocol.md
// §11 the way the hub will: open → response + ready, base64 output with byte-offset seq and a
// credit window, input/resize/ack, exit, FORBIDDEN, and attach with a replay of the whole ring
// after the connection drops. The hub's PTY side (hub/terminal) is not needed.

#include "hubclient.h"
#include "message.h"
#include "terminaltabsmodel.h"
#include "termsession.h"

#include <QAbstractItemModelTester>
#include <QJsonDocument>
#include <QPointer>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

using namespace opsdeck::termui;
using opsdeck::transport::HubClient;
using opsdeck::transport::HubClientOptions;

namespace {

QLatin1StringView L(const char *s)
{
    return QLatin1StringView(s);
}

class TerminalFakeHub : public QObject
{
public:
    TerminalFakeHub()
    {
        QObject::connect(&m_server, &QWebSocketServer::newConnection, this, [this] {
            while (QWebSocket *socket = m_server.nextPendingConnection()) {
                socket->setParent(this);
                m_socket = socket;
                QObject::connect(socket, &QWebSocket::textMessageReceived, this,
                    [this](const QString &text) { onMessage(text); });
                send({{L("type"), L("connection_established")}, {L("client_id"), L("c-1")},
                    {L("protocol"), L("opsdeck.v1")}});
            }
        });
        QVERIFY(m_server.listen(QHostAddress::LocalHost));
    }
    QUrl url() const { return QUrl(QStringLiteral("ws://127.0.0.1:%1/ws").arg(m_server.serverPort())); }

    // Writes PTY output: it enters the ring and, when someone is attached, goes out now.
    void output(const QByteArray &bytes)
    {
        const qint64 seq = m_ring.size();
        m_ring += bytes;
        if (m_attached)
            sendOutput(seq, bytes, false);
    }
    void exit(int code)
    {
        send({{L("type"), L("exit")}, {L("terminal"), L("t-1")}, {L("code"), code}, {L("signal"), 0}});
    }
    // The network goes away: the PTY stays, the session is detached.
    void dropConnection()
    {
        m_attached = false;
        if (m_socket)
            m_socket->abort();
    }

    QString refuseWith; // an error code answering terminal_open (FORBIDDEN, UNKNOWN_TYPE)
    QList<QJsonObject> received;
    QByteArray input;
    qint64 acked = 0;
    int opens = 0;
    int attaches = 0;

    QList<QJsonObject> ofType(const char *type) const
    {
        QList<QJsonObject> out;
        for (const QJsonObject &m : received)
            if (m.value(L("type")).toString() == L(type))
                out.append(m);
        return out;
    }

private:
    void send(const QJsonObject &message)
    {
        if (m_socket)
            m_socket->sendTextMessage(
                QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact)));
    }
    void sendOutput(qint64 seq, const QByteArray &bytes, bool replay)
    {
        QJsonObject message {{L("type"), L("output")}, {L("terminal"), L("t-1")}, {L("seq"), seq},
            {L("data_b64"), QString::fromLatin1(bytes.toBase64())}};
        if (replay)
            message.insert(L("replay"), true);
        send(message);
    }
    void onMessage(const QString &text)
    {
        const QJsonObject m = QJsonDocument::fromJson(text.toUtf8()).object();
        received.append(m);
        const QString type = m.value(L("type")).toString();
        const QString id = m.value(L("id")).toString();
        if (type == L("terminal_open")) {
            ++opens;
            if (!refuseWith.isEmpty()) {
                send({{L("type"), L("error")}, {L("id"), id}, {L("code"), refuseWith},
                    {L("message"), L("terminals are not enabled on this hub")},
                    {L("details"), QJsonObject {{L("action"), L("terminal")}}}});
                return;
            }
            send(opsdeck::protocol::makeResponse(id, {{L("terminal"), L("t-1")}, {L("pid"), 4242}}));
            send({{L("type"), L("ready")}, {L("terminal"), L("t-1")}, {L("cols"), m.value(L("cols"))},
                {L("rows"), m.value(L("rows"))}});
            m_attached = true;
        } else if (type == L("attach")) {
            ++attaches;
            send(opsdeck::protocol::makeResponse(
                id, {{L("terminal"), L("t-1")}, {L("pid"), 4242}, {L("from_seq"), 0}}));
            // The whole ring again, in chunks that straddle what the console already has.
            for (qint64 at = 0; at < m_ring.size(); at += 7)
                sendOutput(at, m_ring.mid(at, 7), true);
            send({{L("type"), L("ready")}, {L("terminal"), L("t-1")}, {L("cols"), 80}, {L("rows"), 24}});
            m_attached = true;
        } else if (type == L("input")) {
            input += QByteArray::fromBase64(m.value(L("data_b64")).toString().toLatin1());
        } else if (type == L("ack")) {
            acked += m.value(L("bytes")).toInteger();
        } else if (type == L("terminal_close")) {
            exit(129);
        }
    }

    QWebSocketServer m_server {QStringLiteral("fake-terminal-hub"), QWebSocketServer::NonSecureMode};
    QPointer<QWebSocket> m_socket;
    QByteArray m_ring;
    bool m_attached = false;
};

HubClientOptions fastReconnect()
{
    HubClientOptions options;
    options.backoff.baseMs = 50;
    options.backoff.capMs = 100;
    options.watchNetwork = false;
    return options;
}

} // namespace

class TestTerminalSession : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void openReadyOutputAckInputResizeExit()
    {
        TerminalFakeHub hub;
        HubClient client(fastReconnect());
        client.open(hub.url());
        TerminalSession session;
        session.setClient(&client);
        session.setWindow(64 * 1024);
        session.open(100, 30);
        QCOMPARE(session.state(), TerminalSession::State::Opening);
        QTRY_COMPARE(session.state(), TerminalSession::State::Ready);
        QCOMPARE(session.terminalId(), QStringLiteral("t-1"));
        const QJsonObject open = hub.ofType("terminal_open").first();
        QCOMPARE(open.value(L("encoding")).toString(), QStringLiteral("base64"));
        QCOMPARE(open.value(L("cols")).toInt(), 100);
        QCOMPARE(open.value(L("rows")).toInt(), 30);
        QCOMPARE(open.value(L("window")).toInt(), 64 * 1024);

        // Output is decoded byte-exactly (a UTF-8 sequence cut between two messages included).
        const QByteArray hello = QStringLiteral("\x1b[32mgrüß\x1b[0m dich\r\n").toUtf8();
        hub.output(hello.left(8)); // ends inside ü
        hub.output(hello.mid(8));
        QTRY_COMPARE(session.screen()->lineText(0), QStringLiteral("grüß dich"));
        QCOMPARE(session.screen()->cell(0, 0).fg, VtermScreen::ansiColor(2));
        QCOMPARE(session.consumedOffset(), qint64(hello.size()));
        // Small output is not acknowledged on its own: acks come in steps of at least an eighth of
        // the window (they count against the hub's message cap).
        QTest::qWait(100);
        QCOMPARE(hub.acked, qint64(0));

        // A flood: acknowledged in steps between an eighth and half of the window, all of it but
        // a remainder below an eighth in the end.
        QByteArray flood;
        for (int i = 0; i < 4000; ++i)
            flood += "line " + QByteArray::number(i) + "\r\n";
        for (qsizetype at = 0; at < flood.size(); at += 16 * 1024)
            hub.output(flood.mid(at, 16 * 1024));
        const qint64 total = hello.size() + flood.size();
        QTRY_VERIFY(hub.acked > total - 8 * 1024);
        // Every ack the session counted reaches the hub (they may still be on the wire).
        QTRY_COMPARE(hub.acked, session.ackedBytes());
        QVERIFY(hub.acked <= total);
        for (const QJsonObject &ack : hub.ofType("ack")) {
            QVERIFY(ack.value(L("bytes")).toInteger() <= 32 * 1024);
            QVERIFY(ack.value(L("bytes")).toInteger() >= 8 * 1024);
        }
        QCOMPARE(session.screen()->lineText(session.screen()->rows() - 2), QStringLiteral("line 3999"));

        // Keys and pastes leave as input; a query is answered through the same path.
        session.screen()->sendKey(Qt::Key_C, Qt::ControlModifier, QStringLiteral("\x03"));
        session.screen()->paste(QStringLiteral("ls\n"));
        QTRY_COMPARE(hub.input, QByteArray("\x03ls\r"));
        hub.output("\x1b[6n");
        QTRY_VERIFY(hub.input.endsWith("R"));

        // The view changed size: the hub hears it once.
        session.screen()->resize(120, 40);
        QTRY_COMPARE(hub.ofType("resize").size(), 1);
        QCOMPARE(hub.ofType("resize").first().value(L("cols")).toInt(), 120);
        QCOMPARE(hub.ofType("resize").first().value(L("rows")).toInt(), 40);

        QSignalSpy exited(&session, &TerminalSession::exited);
        hub.exit(3);
        QTRY_COMPARE(session.state(), TerminalSession::State::Exited);
        QCOMPARE(session.exitCode(), 3);
        QCOMPARE(exited.count(), 1);
        QCOMPARE(session.stateText(), QStringLiteral("exited (code 3)"));
        // Typing into a finished terminal sends nothing.
        const qsizetype before = hub.ofType("input").size();
        session.sendText(QStringLiteral("x"));
        QTest::qWait(50);
        QCOMPARE(hub.ofType("input").size(), before);
    }

    void reconnectReattachesWithoutDoubling()
    {
        TerminalFakeHub hub;
        HubClient client(fastReconnect());
        client.open(hub.url());
        TerminalSession session;
        session.setClient(&client);
        session.open(80, 24);
        QTRY_COMPARE(session.state(), TerminalSession::State::Ready);
        hub.output("one\r\ntwo\r\nthree\r\n");
        QTRY_COMPARE(session.screen()->lineText(2), QStringLiteral("three"));

        // Recorded, not polled: the retry may re-attach within one QTRY poll interval.
        QStringList reconnectingTexts;
        connect(&session, &TerminalSession::stateChanged, this, [&] {
            if (session.state() == TerminalSession::State::Reconnecting)
                reconnectingTexts.append(session.stateText());
        });
        hub.dropConnection();
        QTRY_VERIFY(!reconnectingTexts.isEmpty());
        QCOMPARE(reconnectingTexts.first(), QStringLiteral("reconnecting — session kept"));
        // The shell keeps writing while nobody is attached.
        hub.output("four\r\n");
        QTRY_COMPARE(session.state(), TerminalSession::State::Ready);
        QCOMPARE(hub.attaches, 1);
        QCOMPARE(hub.opens, 1);
        QCOMPARE(hub.ofType("attach").first().value(L("terminal")).toString(), QStringLiteral("t-1"));
        // The replay repeated every byte; the screen shows each line once, and the new one.
        QTRY_COMPARE(session.screen()->lineText(3), QStringLiteral("four"));
        QCOMPARE(session.screen()->lineText(0), QStringLiteral("one"));
        QCOMPARE(session.screen()->lineText(4), QString());
        QCOMPARE(session.screen()->scrollbackCount(), 0);
        QCOMPARE(session.consumedOffset(), qint64(QByteArray("one\r\ntwo\r\nthree\r\nfour\r\n").size()));

        // Live output after the replay lands once, too.
        hub.output("five\r\n");
        QTRY_COMPARE(session.screen()->lineText(4), QStringLiteral("five"));
        QCOMPARE(session.screen()->lineText(5), QString());
    }

    void forbiddenIsShown()
    {
        TerminalFakeHub hub;
        hub.refuseWith = QStringLiteral("FORBIDDEN");
        HubClient client(fastReconnect());
        client.open(hub.url());
        TerminalSession session;
        session.setClient(&client);
        session.open(80, 24);
        QTRY_COMPARE(session.state(), TerminalSession::State::Failed);
        QCOMPARE(session.errorCode(), QStringLiteral("FORBIDDEN"));
        QCOMPARE(session.errorString(), QStringLiteral("terminals are not enabled on this hub"));
        QVERIFY(session.errorHint().contains(QStringLiteral("terminals enabled")));
        // A failed tab can be opened again once the hub allows it.
        hub.refuseWith.clear();
        session.open(80, 24);
        QTRY_COMPARE(session.state(), TerminalSession::State::Ready);
        QVERIFY(session.errorCode().isEmpty());
    }

    void closeHangsUp()
    {
        TerminalFakeHub hub;
        HubClient client(fastReconnect());
        client.open(hub.url());
        TerminalSession session;
        session.setClient(&client);
        session.open(80, 24);
        QTRY_COMPARE(session.state(), TerminalSession::State::Ready);
        session.close();
        QTRY_COMPARE(session.state(), TerminalSession::State::Exited);
        QCOMPARE(hub.ofType("terminal_close").size(), 1);
        QCOMPARE(session.exitCode(), 129);
    }

    void tabsModel()
    {
        TerminalFakeHub hub;
        HubClient client(fastReconnect());
        client.open(hub.url());
        TerminalTabsModel tabs;
        QAbstractItemModelTester tester(&tabs, QAbstractItemModelTester::FailureReportingMode::QtTest);
        tabs.setClient(&client);
        QCOMPARE(tabs.newTab(80, 24), 0);
        QCOMPARE(tabs.newTab(), 1); // opened later, when its view has a size
        QCOMPARE(tabs.count(), 2);
        QCOMPARE(tabs.titleAt(0), QStringLiteral("Terminal 1"));
        QCOMPARE(tabs.titleAt(1), QStringLiteral("Terminal 2"));
        TerminalSession *first = tabs.sessionAt(0);
        QTRY_COMPARE(first->state(), TerminalSession::State::Ready);
        QCOMPARE(tabs.data(tabs.index(0), TerminalTabsModel::StateRole).toInt(),
            int(TerminalSession::State::Ready));
        QCOMPARE(tabs.sessionAt(1)->state(), TerminalSession::State::Idle);

        // The shell's title names the tab until the operator names it.
        QSignalSpy changed(&tabs, &QAbstractItemModel::dataChanged);
        hub.output("\x1b]2;ops@edge-1\x07");
        QTRY_COMPARE(tabs.titleAt(0), QStringLiteral("ops@edge-1"));
        QVERIFY(!changed.isEmpty());
        tabs.rename(0, QStringLiteral("  deploy  "));
        QCOMPARE(tabs.data(tabs.index(0), TerminalTabsModel::TitleRole).toString(), QStringLiteral("deploy"));
        QVERIFY(tabs.data(tabs.index(0), TerminalTabsModel::RenamedRole).toBool());
        tabs.rename(0, QString());
        QCOMPARE(tabs.titleAt(0), QStringLiteral("ops@edge-1"));

        hub.exit(0);
        QTRY_COMPARE(tabs.data(tabs.index(0), TerminalTabsModel::ExitCodeRole).toInt(), 0);
        QCOMPARE(tabs.data(tabs.index(0), TerminalTabsModel::StateTextRole).toString(),
            QStringLiteral("exited (code 0)"));

        // Closing the first tab keeps the second's number: names do not shift under the operator.
        tabs.close(0);
        QCOMPARE(tabs.count(), 1);
        QCOMPARE(tabs.titleAt(0), QStringLiteral("Terminal 2"));
        QCOMPARE(tabs.newTab(), 1);
        QCOMPARE(tabs.titleAt(1), QStringLiteral("Terminal 3"));
        tabs.close(5); // out of range: nothing
        QCOMPARE(tabs.count(), 2);
    }

    void noClientFails()
    {
        TerminalSession session;
        session.open(80, 24);
        QCOMPARE(session.state(), TerminalSession::State::Failed);
        QVERIFY(!session.errorHint().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestTerminalSession)
#include "tst_terminal_session.moc"
