import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Opsdeck.Ui
import Opsdeck.Core
import Opsdeck.Agents

// The agent monitor: the fleet as a sortable, filterable table (status, task, heartbeat age,
// seed 000's command queue metrics) and, for the selected agent, a detail panel with its recent
// actions (seed 004), CPU/memory sparklines and a command console.
Item {
    id: pane
    required property AppSession session
    // The agent the detail panel shows; the first one once the fleet has loaded.
    property string selectedId: ""

    function selectAgent(id) {
        if (!id)
            return
        // A filter that hides the agent would leave the operator looking at nothing.
        if (filterModel.rowOfAgent(id) < 0 && agentModel.rowOf(id) >= 0) {
            filterField.text = ""
            filterModel.statusFilter = ""
        }
        selectedId = id
        table.revealAgent(id)
    }

    AgentFeed {
        id: feed
        objectName: "agentFeed"
        client: pane.session ? pane.session.client : null
    }
    AgentListModel {
        id: agentModel
        objectName: "agentModel"
        feed: feed
    }
    AgentFilterModel {
        id: filterModel
        objectName: "agentFilterModel"
        sourceModel: agentModel
        filterText: filterField.text
    }
    AgentDetail {
        id: agentDetail
        model: agentModel
        agentId: pane.selectedId
    }
    AgentActionsModel {
        id: actionsModel
        objectName: "agentActionsModel"
        feed: feed
        agentId: pane.selectedId
    }
    CommandLogModel {
        id: commandLog
        objectName: "commandLogModel"
        client: pane.session ? pane.session.client : null
        agentId: pane.selectedId
    }

    // Select the first agent as soon as there is one, so the detail panel is never blank
    // while agents exist. Later, not at once: a snapshot inserts its rows one by one, and the
    // first row of the sorted table is known only when the whole snapshot is in.
    function selectFirstIfNone() {
        if (pane.selectedId === "" && filterModel.count > 0)
            pane.selectedId = filterModel.agentIdAt(0)
    }
    Connections {
        target: filterModel
        function onCountChanged() { Qt.callLater(pane.selectFirstIfNone) }
    }

    Rectangle { anchors.fill: parent; color: Theme.window }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.pad
        spacing: Theme.gap

        // ---- header: title, counts by status (each a filter), text filter -------------------
        RowLayout {
            Layout.fillWidth: true
            spacing: 10

            ColumnLayout {
                spacing: 0
                Text {
                    text: qsTr("Agents")
                    color: Theme.text
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontHero
                    font.bold: true
                    Accessible.role: Accessible.Heading
                    Accessible.name: text
                }
                BodyText {
                    text: !feed.loaded ? (pane.session && pane.session.connected ? qsTr("Loading the fleet…") : qsTr("Waiting for the hub…"))
                          : filterModel.count === agentModel.count ? qsTr("%n agent(s)", "", agentModel.count)
                          : qsTr("%1 of %2 agents shown").arg(filterModel.count).arg(agentModel.count)
                    color: Theme.textMuted
                    font.pixelSize: Theme.fontSmall + 1
                }
            }

            Item { Layout.preferredWidth: 12 }

            Flow {
                Layout.fillWidth: true
                Layout.alignment: Qt.AlignVCenter
                spacing: 6
                readonly property var counts: agentModel.statusCounts
                FilterChip {
                    objectName: "chipAll"
                    label: qsTr("All"); count: parent.counts.total || 0
                    tone: Theme.accent
                    checked: filterModel.statusFilter === ""
                    onClicked: filterModel.statusFilter = ""
                }
                Repeater {
                    model: ["idle", "busy", "error", "offline"]
                    delegate: FilterChip {
                        required property string modelData
                        objectName: "chip_" + modelData
                        label: modelData.charAt(0).toUpperCase() + modelData.slice(1)
                        count: agentModel.statusCounts[modelData] || 0
                        tone: Theme.statusColor(modelData)
                        checked: filterModel.statusFilter === modelData
                        onClicked: filterModel.statusFilter = checked ? "" : modelData
                    }
                }
                FilterChip {
                    objectName: "chipAttention"
                    readonly property int beats: (agentModel.statusCounts.stale || 0) + (agentModel.statusCounts.lost || 0)
                    label: qsTr("Needs attention")
                    count: (agentModel.statusCounts.error || 0) + (agentModel.statusCounts.offline || 0) + beats
                    tone: count > 0 ? Theme.warn : Theme.textMuted
                    checked: filterModel.statusFilter === "attention"
                    tip: qsTr("Agents in error, offline, or with a stale or lost heartbeat")
                    onClicked: filterModel.statusFilter = checked ? "" : "attention"
                }
            }

            TextField {
                id: filterField
                objectName: "agentFilterField"
                Layout.preferredWidth: Math.min(300, pane.width * 0.22)
                implicitHeight: 32
                placeholderText: qsTr("Filter by name, kind, host, task")
                placeholderTextColor: Theme.textFaint
                color: Theme.text
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                leftPadding: 28
                selectByMouse: true
                Accessible.name: qsTr("Filter agents")
                Keys.onEscapePressed: text = ""
                background: Rectangle {
                    radius: Theme.radius
                    color: Theme.panel
                    border.color: filterField.activeFocus ? Theme.accent : Theme.border
                }
                Text {
                    anchors.left: parent.left
                    anchors.leftMargin: 9
                    anchors.verticalCenter: parent.verticalCenter
                    text: "⌕"
                    color: Theme.textFaint
                    font.pixelSize: Theme.fontTitle
                }
            }
        }

        // ---- the table and the selected agent -------------------------------------------------
        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.gap

            AgentTable {
                id: table
                Layout.fillWidth: true
                Layout.fillHeight: true
                model: filterModel
                loaded: feed.loaded
                selectedId: pane.selectedId
                onAgentActivated: id => pane.selectedId = id
            }

            AgentDetailPanel {
                Layout.preferredWidth: pane.width >= 1600 ? 400 : 360
                Layout.fillHeight: true
                detail: agentDetail
                actions: actionsModel
                commands: commandLog
                connected: pane.session ? pane.session.connected : false
            }
        }
    }
}
