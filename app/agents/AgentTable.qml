import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Opsdeck.Ui
import Opsdeck.Agents

// The fleet table: a header of sortable columns over a ListView of agents. The column widths
// live here, once, and both the header and every row read them, so they always line up. The
// CPU column gives way first when the window is narrow; the task column takes what is left.
Card {
    id: fleetTable
    property AgentFilterModel model
    property bool loaded: false
    property string selectedId: ""
    signal agentActivated(string id)

    readonly property bool showCpu: list.width >= 860
    // key: the AgentListModel role the column sorts by; width 0 = takes the remaining space.
    readonly property var columns: [
        { key: "agentId", title: qsTr("Agent"), width: 150, align: Text.AlignLeft },
        { key: "status", title: qsTr("Status"), width: 92, align: Text.AlignLeft },
        { key: "task", title: qsTr("Current task"), width: 0, align: Text.AlignLeft },
        { key: "heartbeatAgeS", title: qsTr("Heartbeat"), width: 82, align: Text.AlignRight },
        { key: "cpu", title: qsTr("CPU"), width: showCpu ? 96 : -1, align: Text.AlignLeft },
        { key: "active", title: qsTr("Active"), width: 58, align: Text.AlignRight },
        { key: "processed", title: qsTr("Processed"), width: 80, align: Text.AlignRight },
        { key: "succeeded", title: qsTr("OK"), width: 50, align: Text.AlignRight },
        { key: "failed", title: qsTr("Failed"), width: 58, align: Text.AlignRight },
        { key: "successRate", title: qsTr("Success"), width: 74, align: Text.AlignRight }
    ]
    readonly property int cellPadding: 8
    readonly property real flexWidth: {
        let fixed = 0
        for (const column of columns)
            fixed += Math.max(0, column.width)
        return Math.max(120, list.width - fixed - 8)
    }
    function columnWidth(key) {
        for (const column of columns) {
            if (column.key === key)
                return column.width === 0 ? flexWidth : Math.max(0, column.width)
        }
        return 0
    }

    function revealAgent(id) {
        const row = fleetTable.model ? fleetTable.model.rowOfAgent(id) : -1
        if (row >= 0)
            list.positionViewAtIndex(row, ListView.Contain)
    }
    function step(delta) {
        if (!fleetTable.model || fleetTable.model.count === 0)
            return
        const row = Math.max(0, Math.min(fleetTable.model.count - 1, fleetTable.model.rowOfAgent(fleetTable.selectedId) + delta))
        fleetTable.agentActivated(fleetTable.model.agentIdAt(row))
        list.positionViewAtIndex(row, ListView.Contain)
    }

    clip: true

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 1
        spacing: 0

        // ---- column headers -----------------------------------------------------------------
        Rectangle {
            Layout.fillWidth: true
            implicitHeight: 36
            color: Theme.panelRaised
            radius: Theme.radius
            Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: Theme.radius; color: parent.color }
            Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1; color: Theme.border }

            Row {
                x: 4
                height: parent.height
                Repeater {
                    model: fleetTable.columns
                    delegate: HeaderCell {
                        required property var modelData
                        objectName: "header_" + modelData.key
                        visible: modelData.width >= 0
                        width: fleetTable.columnWidth(modelData.key)
                        height: parent.height
                        padding: fleetTable.cellPadding
                        title: modelData.title
                        alignment: modelData.align
                        sorted: fleetTable.model && fleetTable.model.sortKey === modelData.key
                        descending: fleetTable.model ? fleetTable.model.sortDescending : false
                        onClicked: fleetTable.model.toggleSort(modelData.key)
                    }
                }
            }
        }

        // ---- rows ------------------------------------------------------------------------------
        ListView {
            id: list
            objectName: "agentList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: fleetTable.model
            boundsBehavior: Flickable.StopAtBounds
            keyNavigationEnabled: false
            activeFocusOnTab: true
            Accessible.role: Accessible.Table
            Accessible.name: qsTr("Agents")
            ScrollBar.vertical: ScrollBar { policy: ScrollBar.AsNeeded }
            Keys.onUpPressed: fleetTable.step(-1)
            Keys.onDownPressed: fleetTable.step(1)

            delegate: AgentRowDelegate {
                width: ListView.view.width
                table: fleetTable
                selected: agentId === fleetTable.selectedId
                onActivated: {
                    list.forceActiveFocus()
                    fleetTable.agentActivated(agentId)
                }
            }

            // Empty states say why the table is empty.
            Column {
                anchors.centerIn: parent
                visible: list.count === 0
                spacing: 6
                BodyText {
                    anchors.horizontalCenter: parent.horizontalCenter
                    text: !fleetTable.loaded ? qsTr("Loading agents…") : qsTr("No agent matches")
                    color: Theme.textMuted
                    font.pixelSize: Theme.fontTitle
                }
                BodyText {
                    anchors.horizontalCenter: parent.horizontalCenter
                    visible: fleetTable.loaded
                    text: qsTr("Clear the filter or pick another status to see more.")
                    color: Theme.textFaint
                }
            }
        }
    }
}
