// QuickTest runner for the Logs pane: the app's QML modules linked in statically, and a running
// AppSession (embedded hub with the demo fleet) for the tests that need the live feed.

#include "appsession.h"

#include <QQmlContext>
#include <QQmlEngine>
#include <QTemporaryDir>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest/quicktest.h>

Q_IMPORT_QML_PLUGIN(OpsdeckUiPlugin)
Q_IMPORT_QML_PLUGIN(OpsdeckCorePlugin)
Q_IMPORT_QML_PLUGIN(OpsdeckLogsPlugin)

using namespace opsdeck::app;

class Setup : public QObject
{
    Q_OBJECT
public Q_SLOTS:
    void applicationAvailable()
    {
        // The export test reads its file back through XMLHttpRequest.
        qputenv("QML_XHR_ALLOW_FILE_READ", "1");
    }
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        engine->addImportPath(QStringLiteral("qrc:/"));
        if (!m_session) {
            m_profiles = std::make_unique<ProfileStore>(nullptr);
            m_session = std::make_unique<AppSession>(m_profiles.get());
            EmbeddedHubOptions options;
            options.seed = 42;
            m_session->start(options);
        }
        engine->rootContext()->setContextProperty(QStringLiteral("testSession"), m_session.get());
        engine->rootContext()->setContextProperty(QStringLiteral("testDir"), m_dir.path());
        engine->rootContext()->setContextProperty(QStringLiteral("fixturesDir"), QStringLiteral(OPSDECK_LOGS_FIXTURES));
    }
    void cleanupTestCase()
    {
        if (m_session)
            m_session->shutdown();
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<ProfileStore> m_profiles;
    std::unique_ptr<AppSession> m_session;
};

QUICK_TEST_MAIN_WITH_SETUP(quick_logs, Setup)
#include "main.moc"
