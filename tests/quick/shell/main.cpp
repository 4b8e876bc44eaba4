// QuickTest runner for the console shell's dialogs: the shell module linked in statically and an
// AppSession over an in-memory ProfileStore. The embedded hub is not started: the profile manager
// needs no connection, and a test that does not need a hub should not wait for one.

#include "appsession.h"

#include <QApplication>
#include <QQmlContext>
#include <QQmlEngine>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest/quicktest.h>

Q_IMPORT_QML_PLUGIN(OpsdeckUiPlugin)
Q_IMPORT_QML_PLUGIN(OpsdeckCorePlugin)
Q_IMPORT_QML_PLUGIN(OpsdeckShellPlugin)

using namespace opsdeck::app;

class Setup : public QObject
{
    Q_OBJECT
public Q_SLOTS:
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        engine->addImportPath(QStringLiteral("qrc:/"));
        if (!m_session) {
            m_profiles = std::make_unique<ProfileStore>(nullptr);
            m_session = std::make_unique<AppSession>(m_profiles.get());
        }
        engine->rootContext()->setContextProperty(QStringLiteral("testSession"), m_session.get());
    }

private:
    std::unique_ptr<ProfileStore> m_profiles;
    std::unique_ptr<AppSession> m_session;
};

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    Setup setup;
    return quick_test_main_with_setup(argc, argv, "quick_shell", QUICK_TEST_SOURCE_DIR, &setup);
}

#include "main.moc"
