import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Opsdeck.Ui
import Opsdeck.Core

// Ctrl+K: jump to a pane or an agent, or run an action, by typing part of its name.
Popup {
    id: palette
    required property AppSession session
    signal paneRequested(string name)
    signal agentRequested(string id)
    signal profilesRequested()

    property var agentIds: []
    modal: true
    focus: true
    x: (parent.width - width) / 2
    y: 80
    width: Math.min(parent.width - 80, 560)
    padding: 0
    onOpened: {
        query.text = ""
        query.forceActiveFocus()
        refreshAgents()
    }

    function refreshAgents() {
        const reply = session.client.request({ type: "query", query: "agents" })
        reply.finished.connect(function() {
            if (reply.ok)
                palette.agentIds = reply.result.agents.map(a => a.id)
        })
    }

    readonly property var actions: {
        const list = [
            { title: qsTr("Go to Agents"), hint: "Ctrl+1", run: () => paneRequested("agents") },
            { title: qsTr("Go to Metrics"), hint: "Ctrl+2", run: () => paneRequested("metrics") },
            { title: qsTr("Go to Terminal"), hint: "Ctrl+3", run: () => paneRequested("terminal") },
            { title: qsTr("Go to Logs"), hint: "Ctrl+4", run: () => paneRequested("logs") },
            { title: qsTr("Reconnect to the hub now"), hint: qsTr("action"), run: () => session.reconnectNow() },
            { title: qsTr("Manage connection profiles…"), hint: qsTr("action"), run: () => profilesRequested() },
            { title: Theme.dark ? qsTr("Switch to the light theme") : qsTr("Switch to the dark theme"), hint: qsTr("action"),
              run: () => Theme.dark = !Theme.dark }
        ]
        for (const id of agentIds)
            list.push({ title: qsTr("Agent %1").arg(id), hint: qsTr("agent"), run: () => agentRequested(id) })
        return list
    }
    readonly property var matches: actions.filter(a => a.title.toLowerCase().indexOf(query.text.toLowerCase()) >= 0)

    function runCurrent() {
        if (list.currentIndex >= 0 && list.currentIndex < matches.length) {
            const action = matches[list.currentIndex]
            close()
            action.run()
        }
    }

    background: Rectangle {
        color: Theme.panel
        border.color: Theme.borderStrong
        radius: Theme.radius + 2
    }

    contentItem: ColumnLayout {
        spacing: 0
        TextField {
            id: query
            Layout.fillWidth: true
            Layout.margins: 10
            placeholderText: qsTr("Type a pane, an agent or an action…")
            Accessible.name: qsTr("Command palette search")
            color: Theme.text
            placeholderTextColor: Theme.textFaint
            font.pixelSize: Theme.fontBody + 2
            background: Rectangle { color: Theme.panelRaised; radius: Theme.radius; border.color: Theme.border; implicitHeight: 36 }
            onTextChanged: list.currentIndex = 0
            Keys.onDownPressed: list.incrementCurrentIndex()
            Keys.onUpPressed: list.decrementCurrentIndex()
            Keys.onReturnPressed: palette.runCurrent()
            Keys.onEnterPressed: palette.runCurrent()
        }
        ListView {
            id: list
            Layout.fillWidth: true
            Layout.preferredHeight: Math.min(contentHeight, 360)
            Layout.bottomMargin: 8
            clip: true
            model: palette.matches
            currentIndex: 0
            delegate: ItemDelegate {
                id: row
                required property var modelData
                required property int index
                width: ListView.view.width
                highlighted: ListView.isCurrentItem
                onClicked: { list.currentIndex = index; palette.runCurrent() }
                background: Rectangle { color: row.highlighted ? Theme.selection : row.hovered ? Theme.panelHover : "transparent" }
                contentItem: RowLayout {
                    BodyText { text: row.modelData.title; Layout.fillWidth: true }
                    Text { text: row.modelData.hint; color: Theme.textFaint; font.pixelSize: Theme.fontSmall; font.family: Theme.fontFamily }
                }
            }
        }
    }
}
