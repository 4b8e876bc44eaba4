import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Opsdeck.Ui
import Opsdeck.Agents

// The selected agent: who it is, what it does, its command queue (seed 000), CPU and memory over
// the last minute, its recent actions (seed 004's action history: running → outcome) and a
// console for commands.
Card {
    id: panel
    property AgentDetail detail
    property AgentActionsModel actions
    property CommandLogModel commands
    property bool connected: false

    readonly property var facts: detail ? detail.facts : ({})
    readonly property bool present: detail ? detail.present : false

    function ageText(seconds) {
        if (seconds === undefined || seconds < 0) return "—"
        if (seconds < 60) return qsTr("%1 s ago").arg(seconds)
        if (seconds < 3600) return qsTr("%1 m %2 s ago").arg(Math.floor(seconds / 60)).arg(seconds % 60)
        return qsTr("%1 h %2 m ago").arg(Math.floor(seconds / 3600)).arg(Math.floor((seconds % 3600) / 60))
    }
    function lastValue(values) {
        return values && values.length > 0 ? values[values.length - 1] : -1
    }

    BodyText {
        anchors.centerIn: parent
        visible: !panel.present
        text: qsTr("Select an agent to see its details")
        color: Theme.textMuted
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.pad
        spacing: 10
        visible: panel.present

        // ---- identity ---------------------------------------------------------------------
        RowLayout {
            Layout.fillWidth: true
            spacing: 8
            Text {
                Layout.fillWidth: true
                text: panel.facts.agentId || ""
                color: Theme.text
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontTitle + 2
                font.bold: true
                elide: Text.ElideRight
                Accessible.role: Accessible.Heading
                Accessible.name: qsTr("Agent %1").arg(text)
            }
            Pill {
                text: panel.facts.status || ""
                tone: Theme.statusColor(panel.facts.status)
                solid: true
            }
        }
        BodyText {
            Layout.fillWidth: true
            Layout.topMargin: -6
            text: [panel.facts.kind, panel.facts.version ? "v" + panel.facts.version : "", panel.facts.host,
                   panel.facts.connected ? qsTr("connected") : qsTr("disconnected")].filter(s => s).join("  ·  ")
            color: Theme.textMuted
            font.pixelSize: Theme.fontSmall + 1
        }

        GridLayout {
            Layout.fillWidth: true
            columns: 2
            columnSpacing: 16
            rowSpacing: 8
            FactItem {
                Layout.columnSpan: 2
                Layout.fillWidth: true
                label: qsTr("Current task")
                value: panel.facts.task || ""
            }
            FactItem {
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                label: qsTr("Heartbeat")
                value: panel.ageText(panel.facts.heartbeatAgeS)
                tone: panel.facts.heartbeatState === "lost" ? Theme.error
                    : panel.facts.heartbeatState === "stale" ? Theme.warn : Theme.text
            }
            FactItem {
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                label: qsTr("Capabilities")
                value: (panel.facts.capabilities || []).join(", ")
            }
        }

        // ---- command queue (seed 000's ICommandQueueMonitor) ------------------------------
        SectionLabel { text: qsTr("Command queue") }
        RowLayout {
            Layout.fillWidth: true
            spacing: 6
            QueueTile { label: qsTr("Active"); value: panel.facts.active ?? 0; tone: value > 0 ? Theme.info : Theme.text }
            QueueTile { label: qsTr("Processed"); value: panel.facts.processed ?? 0 }
            QueueTile { label: qsTr("Succeeded"); value: panel.facts.succeeded ?? 0; tone: value > 0 ? Theme.ok : Theme.text }
            QueueTile { label: qsTr("Failed"); value: panel.facts.failed ?? 0; tone: value > 0 ? Theme.error : Theme.text }
            QueueTile {
                label: qsTr("Success")
                readonly property real rate: panel.facts.successRate ?? -1
                value: rate < 0 ? "—" : rate.toFixed(rate >= 99.95 || rate === 0 ? 0 : 1) + "%"
                tone: rate < 0 ? Theme.textFaint : rate >= 95 ? Theme.ok : rate >= 80 ? Theme.warn : Theme.error
            }
        }

        // ---- resources ----------------------------------------------------------------------
        RowLayout {
            Layout.fillWidth: true
            spacing: 12
            Resource {
                label: qsTr("CPU")
                values: panel.detail ? panel.detail.cpuHistory : []
                tone: Theme.accent
            }
            Resource {
                label: qsTr("Memory")
                values: panel.detail ? panel.detail.memHistory : []
                tone: Theme.demo
            }
        }

        // ---- recent actions -----------------------------------------------------------------
        RowLayout {
            Layout.fillWidth: true
            SectionLabel { text: qsTr("Recent actions") }
            Item { Layout.fillWidth: true }
            BodyText {
                text: panel.actions ? qsTr("last %1").arg(panel.actions.count) : ""
                color: Theme.textFaint
                font.pixelSize: Theme.fontSmall
            }
        }
        ListView {
            id: actionList
            objectName: "recentActions"
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.preferredHeight: 2
            Layout.minimumHeight: 60
            clip: true
            model: panel.actions
            boundsBehavior: Flickable.StopAtBounds
            spacing: 1
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Recent actions")
            ScrollBar.vertical: ScrollBar {}
            delegate: ActionRowItem {
                width: ListView.view.width
            }
            BodyText {
                anchors.centerIn: parent
                visible: actionList.count === 0
                text: qsTr("No commands or flow blocks yet")
                color: Theme.textFaint
            }
        }

        // ---- command console ----------------------------------------------------------------
        CommandConsole {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.preferredHeight: 3
            Layout.minimumHeight: 170
            log: panel.commands
            agentId: panel.facts.agentId || ""
            connected: panel.connected
        }
    }

    component QueueTile: Rectangle {
        id: tile
        property string label
        property var value
        property color tone: Theme.text
        Layout.fillWidth: true
        Layout.preferredWidth: 1
        implicitHeight: 50
        radius: Theme.radius
        color: Theme.panelRaised
        border.color: Theme.border
        Accessible.role: Accessible.StaticText
        Accessible.name: label + ": " + value
        Column {
            anchors.centerIn: parent
            spacing: 2
            Text {
                anchors.horizontalCenter: parent.horizontalCenter
                text: String(tile.value)
                color: tile.tone
                font.family: Theme.monoFamily
                font.pixelSize: Theme.fontTitle
                font.bold: true
            }
            Text {
                anchors.horizontalCenter: parent.horizontalCenter
                text: tile.label
                color: Theme.textMuted
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall - 1
            }
        }
    }

    component Resource: ColumnLayout {
        id: resource
        property string label
        property var values: []
        property color tone: Theme.accent
        readonly property real current: values && values.length > 0 ? values[values.length - 1] : -1
        Layout.fillWidth: true
        Layout.preferredWidth: 1
        spacing: 4
        Accessible.role: Accessible.Chart
        Accessible.name: qsTr("%1 over the last minute, now %2").arg(label).arg(current < 0 ? qsTr("unknown") : Math.round(current) + "%")
        RowLayout {
            Layout.fillWidth: true
            SectionLabel { text: resource.label }
            Item { Layout.fillWidth: true }
            Text {
                text: resource.current < 0 ? "—" : resource.current.toFixed(1) + "%"
                color: Theme.text
                font.family: Theme.monoFamily
                font.pixelSize: Theme.fontSmall + 1
                font.bold: true
            }
        }
        Rectangle {
            Layout.fillWidth: true
            implicitHeight: 40
            radius: 4
            color: Theme.panelRaised
            border.color: Theme.border
            Sparkline {
                anchors.fill: parent
                anchors.margins: 3
                values: resource.values
                lineColor: resource.tone
            }
        }
    }

    component ActionRowItem: Rectangle {
        id: action
        required property int index
        required property string kind
        required property string text
        required property string detail
        required property string actionState
        required property double timestampMs
        required property double durationMs
        implicitHeight: 40
        color: index % 2 ? "transparent" : Theme.panelRaised
        radius: 4
        Accessible.role: Accessible.ListItem
        Accessible.name: qsTr("%1 %2: %3").arg(kind).arg(text).arg(actionState)
        readonly property color tone: actionState === "running" ? Theme.info : actionState === "succeeded" ? Theme.ok : Theme.error

        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 8
            anchors.rightMargin: 8
            spacing: 8
            Text {
                text: action.actionState === "running" ? "●" : action.actionState === "succeeded" ? "✓" : "✕"
                color: action.tone
                font.pixelSize: Theme.fontBody
                font.bold: true
                Layout.preferredWidth: 12
            }
            ColumnLayout {
                Layout.fillWidth: true
                spacing: 1
                BodyText {
                    Layout.fillWidth: true
                    text: action.text || action.kind
                    font.family: action.kind === "command" ? Theme.monoFamily : Theme.fontFamily
                    font.pixelSize: Theme.fontSmall + 1
                }
                BodyText {
                    Layout.fillWidth: true
                    text: [action.kind === "command" ? qsTr("command") : qsTr("block"), action.detail,
                           action.actionState === "running" ? qsTr("in progress") : action.actionState].filter(s => s).join(" · ")
                    color: Theme.textMuted
                    font.pixelSize: Theme.fontSmall
                }
            }
            ColumnLayout {
                spacing: 1
                BodyText {
                    Layout.alignment: Qt.AlignRight
                    text: action.timestampMs > 0 ? Qt.formatTime(new Date(action.timestampMs), "HH:mm:ss") : ""
                    color: Theme.textMuted
                    font.family: Theme.monoFamily
                    font.pixelSize: Theme.fontSmall
                }
                BodyText {
                    Layout.alignment: Qt.AlignRight
                    text: action.durationMs >= 0 ? (action.durationMs < 1000 ? action.durationMs + " ms"
                                                    : (action.durationMs / 1000).toFixed(1) + " s") : ""
                    color: Theme.textFaint
                    font.family: Theme.monoFamily
                    font.pixelSize: Theme.fontSmall
                }
            }
        }
    }
}
