// QuickTest runner for the login dialog: Opsdeck.Auth linked in statically, a real SignInController
// over the in-memory keychain, talking to the hub's sign-in API served in this process
// (FakeAuthHub) — and to a port that accepts and never answers, for the busy state.

#include "fakeauthhub.h"
#include "signincontroller.h"

#include <QApplication>
#include <QQmlContext>
#include <QQmlEngine>
#include <QTcpServer>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest/quicktest.h>

Q_IMPORT_QML_PLUGIN(OpsdeckUiPlugin)
Q_IMPORT_QML_PLUGIN(OpsdeckAuthPlugin)

using namespace opsdeck::app;

class Setup : public QObject
{
    Q_OBJECT
public Q_SLOTS:
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        engine->addImportPath(QStringLiteral("qrc:/"));
        if (!m_signIn) {
            m_hub = std::make_unique<opsdeck::testing::FakeAuthHub>();
            if (!m_hub->start())
                qFatal("the fake hub could not listen");
            m_hub->addUser(QStringLiteral("alice"), QStringLiteral("correct horse"), {QStringLiteral("operator")});
            m_hub->setLockout(2, 3);
            if (!m_mute.listen(QHostAddress::LocalHost, 0))
                qFatal("the mute server could not listen");
            m_store = std::make_unique<MemorySecretStore>();
            m_client = std::make_unique<AuthClient>();
            m_signIn = std::make_unique<SignInController>(m_store.get(), m_client.get());
        }
        QQmlContext *context = engine->rootContext();
        context->setContextProperty(QStringLiteral("testSignIn"), m_signIn.get());
        context->setContextProperty(QStringLiteral("hubUrl"), m_hub->webSocketUrl().toString());
        context->setContextProperty(QStringLiteral("muteUrl"),
                                    QStringLiteral("ws://127.0.0.1:%1/api/v1/ws").arg(m_mute.serverPort() - 1));
    }

private:
    std::unique_ptr<opsdeck::testing::FakeAuthHub> m_hub;
    QTcpServer m_mute; // accepts, never answers: a sign-in stays busy until cancelled
    std::unique_ptr<MemorySecretStore> m_store;
    std::unique_ptr<AuthClient> m_client;
    std::unique_ptr<SignInController> m_signIn;
};

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    Setup setup;
    return quick_test_main_with_setup(argc, argv, "quick_appauth", QUICK_TEST_SOURCE_DIR, &setup);
}

#include "main.moc"
