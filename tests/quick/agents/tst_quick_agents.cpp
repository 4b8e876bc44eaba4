// QuickTest runner for the Agents pane's QML. The pane normally gets its data from the hub; here
// a small helper plays the feed: it emits AgentFeed's typed signals with agents the QML test
// describes, and lends a HubClient that is never connected (so a command shows "queued").

#include "agentfeed.h"
#include "agentlistmodel.h"
#include "hubclient.h"

#include <QDateTime>
#include <QJsonObject>
#include <QQmlContext>
#include <QQmlEngine>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest>
#include <memory>

Q_IMPORT_QML_PLUGIN(OpsdeckUiPlugin)
Q_IMPORT_QML_PLUGIN(OpsdeckCorePlugin)
Q_IMPORT_QML_PLUGIN(OpsdeckAgentsPlugin)

using namespace opsdeck::agents;

class AgentsQuickHelper : public QObject
{
    Q_OBJECT
public:
    // `agents`: objects in the shape of docs/protocol.md §4.3 `agent`; a numeric
    // `heartbeatAgoMs` stands in for last_heartbeat so tests need no clock arithmetic.
    Q_INVOKABLE void snapshot(QObject *pane, const QVariantList &agents)
    {
        QList<AgentRow> rows;
        for (const QVariant &agent : agents)
            rows.append(toRow(agent.toMap()));
        if (AgentFeed *feed = feedOf(pane))
            Q_EMIT feed->snapshot(rows);
    }
    Q_INVOKABLE void update(QObject *pane, const QVariantMap &agent)
    {
        if (AgentFeed *feed = feedOf(pane))
            Q_EMIT feed->agentUpdated(toRow(agent));
    }
    // Makes the pane's model recompute heartbeat ages now instead of at its next 1 s tick.
    Q_INVOKABLE void refreshAges(QObject *pane)
    {
        if (auto *model = pane ? pane->findChild<AgentListModel *>() : nullptr)
            model->refreshAges();
    }
    // A parentless QObject returned to QML becomes JavaScript-owned and is garbage-collected;
    // this one is a member, so C++ keeps it.
    Q_INVOKABLE QObject *offlineClient()
    {
        QQmlEngine::setObjectOwnership(&m_client, QQmlEngine::CppOwnership);
        return &m_client;
    }

private:
    static AgentFeed *feedOf(QObject *pane) { return pane ? pane->findChild<AgentFeed *>() : nullptr; }
    static AgentRow toRow(const QVariantMap &agent)
    {
        AgentRow row = AgentRow::fromJson(QJsonObject::fromVariantMap(agent));
        row.lastHeartbeatMs = QDateTime::currentMSecsSinceEpoch()
            - agent.value(QStringLiteral("heartbeatAgoMs")).toLongLong();
        return row;
    }

    opsdeck::transport::HubClient m_client;
};

class Setup : public QObject
{
    Q_OBJECT
public Q_SLOTS:
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        // Qt 6.4 puts module files under qrc:/<URI path> (DESIGN.md §8).
        engine->addImportPath(QStringLiteral("qrc:/"));
        if (!m_helper)
            m_helper = std::make_unique<AgentsQuickHelper>();
        engine->rootContext()->setContextProperty(QStringLiteral("agentsHelper"), m_helper.get());
    }
    // Before the application object goes: the helper's HubClient needs it to shut down.
    void cleanupTestCase() { m_helper.reset(); }

private:
    std::unique_ptr<AgentsQuickHelper> m_helper;
};

int main(int argc, char **argv)
{
    Setup setup;
    return quick_test_main_with_setup(argc, argv, "agents", QUICK_TEST_SOURCE_DIR, &setup);
}

#include "tst_quick_agents.moc"
