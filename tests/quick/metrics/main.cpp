// QuickTest runner for the Metrics pane: the app's QML modules linked in statically, a
// QApplication (Qt Charts' QML types need one, DESIGN.md §8) and a running AppSession (embedded
// hub with the demo fleet) so the pane shows live data and hub health.

#include "appsession.h"

#include <QApplication>
#include <QQmlContext>
#include <QQmlEngine>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest/quicktest.h>

Q_IMPORT_QML_PLUGIN(OpsdeckUiPlugin)
Q_IMPORT_QML_PLUGIN(OpsdeckCorePlugin)
Q_IMPORT_QML_PLUGIN(OpsdeckMetricsPlugin)

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
            EmbeddedHubOptions options;
            options.seed = 42;
            m_session->start(options);
        }
        engine->rootContext()->setContextProperty(QStringLiteral("testSession"), m_session.get());
        // Set OPSDECK_METRICS_GRAB=<dir> to keep pictures of the pane the test drove.
        engine->rootContext()->setContextProperty(QStringLiteral("grabDir"),
                                                  qEnvironmentVariable("OPSDECK_METRICS_GRAB"));
    }
    void cleanupTestCase()
    {
        if (m_session)
            m_session->shutdown();
    }

private:
    std::unique_ptr<ProfileStore> m_profiles;
    std::unique_ptr<AppSession> m_session;
};

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    Setup setup;
    return quick_test_main_with_setup(argc, argv, "quick_metrics", QUICK_TEST_SOURCE_DIR, &setup);
}

#include "main.moc"
