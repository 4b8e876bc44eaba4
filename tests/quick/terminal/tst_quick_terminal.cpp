// QuickTest runner for the terminal pane. The pane's tests need a hub that refuses terminals
// (FORBIDDEN, as a hub without terminals enabled does); the helper runs a minimal one on
// loopback and lends a HubClient connected to it. TerminalItem's tests need no network at all.

#include "hubclient.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QQmlContext>
#include <QQmlEngine>
#include <QQuickItem>
#include <QWebSocket>
#include <QWebSocketServer>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest>
#include <memory>

Q_IMPORT_QML_PLUGIN(OpsdeckUiPlugin)
Q_IMPORT_QML_PLUGIN(OpsdeckCorePlugin)
Q_IMPORT_QML_PLUGIN(OpsdeckTerminalPlugin)

class TerminalQuickHelper : public QObject
{
    Q_OBJECT
public:
    TerminalQuickHelper()
    {
        connect(&m_server, &QWebSocketServer::newConnection, this, [this] {
            while (QWebSocket *socket = m_server.nextPendingConnection()) {
                socket->setParent(this);
                connect(socket, &QWebSocket::textMessageReceived, socket, [socket](const QString &text) {
                    const QJsonObject m = QJsonDocument::fromJson(text.toUtf8()).object();
                    if (m.value(QLatin1StringView("type")).toString() != QLatin1StringView("terminal_open"))
                        return;
                    const QJsonObject error {{QStringLiteral("type"), QStringLiteral("error")},
                        {QStringLiteral("id"), m.value(QLatin1StringView("id"))},
                        {QStringLiteral("code"), QStringLiteral("FORBIDDEN")},
                        {QStringLiteral("message"), QStringLiteral("terminals are not enabled on this hub")}};
                    socket->sendTextMessage(
                        QString::fromUtf8(QJsonDocument(error).toJson(QJsonDocument::Compact)));
                });
                socket->sendTextMessage(
                    QStringLiteral(R"({"type":"connection_established","client_id":"c-1"})"));
            }
        });
        m_server.listen(QHostAddress::LocalHost);
        opsdeck::transport::HubClientOptions options;
        options.watchNetwork = false;
        m_client = std::make_unique<opsdeck::transport::HubClient>(options);
        m_client->open(QUrl(QStringLiteral("ws://127.0.0.1:%1/ws").arg(m_server.serverPort())));
    }
    ~TerminalQuickHelper() override { m_client.reset(); }

    Q_INVOKABLE QObject *refusingClient()
    {
        QQmlEngine::setObjectOwnership(m_client.get(), QQmlEngine::CppOwnership);
        return m_client.get();
    }
    // Bytes arrive in QML as an ArrayBuffer; tests compare strings.
    Q_INVOKABLE QString latin1(const QByteArray &bytes) const { return QString::fromLatin1(bytes); }
    // The pointer the window shows over an item (QQuickItem::cursor is not visible to QML).
    Q_INVOKABLE int cursorShape(QQuickItem *item) const { return item ? int(item->cursor().shape()) : -1; }

private:
    QWebSocketServer m_server {QStringLiteral("refusing-hub"), QWebSocketServer::NonSecureMode};
    std::unique_ptr<opsdeck::transport::HubClient> m_client;
};

class Setup : public QObject
{
    Q_OBJECT
public Q_SLOTS:
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        engine->addImportPath(QStringLiteral("qrc:/"));
        if (!m_helper)
            m_helper = std::make_unique<TerminalQuickHelper>();
        engine->rootContext()->setContextProperty(QStringLiteral("terminalHelper"), m_helper.get());
    }
    void cleanupTestCase() { m_helper.reset(); }

private:
    std::unique_ptr<TerminalQuickHelper> m_helper;
};

int main(int argc, char **argv)
{
    Setup setup;
    return quick_test_main_with_setup(argc, argv, "terminal", QUICK_TEST_SOURCE_DIR, &setup);
}

#include "tst_quick_terminal.moc"
