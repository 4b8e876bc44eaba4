import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Opsdeck.Ui
import Opsdeck.Agents

// The command box of the detail panel: type a command for the selected agent and watch it go
// queued (offline) → sent → accepted → its result, which comes back correlated by the command's
// id. The demo agents' commands are offered as hints.
ColumnLayout {
    id: console_
    property CommandLogModel log
    property string agentId: ""
    property bool connected: false
    property int recall: -1 // Up/Down walks through this agent's earlier commands

    spacing: 6

    function submit() {
        const text = input.text.trim()
        if (text.length === 0 || !log)
            return
        if (log.send(text).length > 0) {
            input.text = ""
            recall = -1
        }
    }
    function stateTone(state) {
        switch (state) {
        case "queued": return Theme.warn
        case "accepted": return Theme.info
        case "succeeded": return Theme.ok
        case "failed": return Theme.error
        default: return Theme.textMuted
        }
    }
    function recallCommand(delta) {
        if (!log || log.count === 0)
            return
        const next = recall < 0 ? (delta < 0 ? log.count - 1 : -1) : recall + delta
        if (next < 0 || next >= log.count) {
            recall = -1
            input.text = ""
            return
        }
        recall = next
        input.text = logView.itemAtIndex(next) ? logView.itemAtIndex(next).command : input.text
    }

    RowLayout {
        Layout.fillWidth: true
        SectionLabel { text: qsTr("Command console") }
        Item { Layout.fillWidth: true }
        Pill {
            visible: !console_.connected
            text: qsTr("offline · commands queue")
            tone: Theme.warn
        }
        Pill {
            visible: console_.log && console_.log.pendingCount > 0
            text: qsTr("%1 pending").arg(console_.log ? console_.log.pendingCount : 0)
            tone: Theme.info
        }
        AbstractButton {
            id: clearButton
            visible: console_.log && console_.log.count > 0
            implicitWidth: clearText.implicitWidth + 12
            implicitHeight: 20
            Accessible.name: qsTr("Clear finished commands")
            onClicked: console_.log.clear()
            contentItem: Text {
                id: clearText
                text: qsTr("Clear")
                color: clearButton.hovered ? Theme.text : Theme.textMuted
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
                horizontalAlignment: Text.AlignHCenter
                verticalAlignment: Text.AlignVCenter
            }
            background: Rectangle { radius: 4; color: clearButton.hovered ? Theme.panelHover : "transparent" }
        }
    }

    Rectangle {
        Layout.fillWidth: true
        Layout.fillHeight: true
        Layout.minimumHeight: 60
        radius: Theme.radius
        color: Theme.window
        border.color: Theme.border

        ListView {
            id: logView
            objectName: "commandLog"
            anchors.fill: parent
            anchors.margins: 6
            clip: true
            model: console_.log
            spacing: 6
            boundsBehavior: Flickable.StopAtBounds
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Command results")
            ScrollBar.vertical: ScrollBar {}
            // A console reads top to bottom: follow the newest line.
            onCountChanged: Qt.callLater(() => logView.positionViewAtEnd())

            delegate: ColumnLayout {
                id: line
                required property string commandId
                required property string command
                required property string commandState
                required property string response
                required property string errorCode
                required property string errorMessage
                required property double durationMs
                required property bool wasQueued
                width: ListView.view.width
                spacing: 2
                Accessible.role: Accessible.ListItem
                Accessible.name: qsTr("%1: %2 %3").arg(command).arg(commandState).arg(errorCode.length > 0 ? errorMessage : response)

                RowLayout {
                    Layout.fillWidth: true
                    spacing: 6
                    Text {
                        text: "›"
                        color: Theme.accent
                        font.family: Theme.monoFamily
                        font.pixelSize: Theme.fontBody
                        font.bold: true
                    }
                    BodyText {
                        Layout.fillWidth: true
                        text: line.command
                        font.family: Theme.monoFamily
                        font.pixelSize: Theme.fontSmall + 1
                    }
                    BodyText {
                        visible: line.durationMs >= 0
                        text: line.durationMs + " ms"
                        color: Theme.textFaint
                        font.family: Theme.monoFamily
                        font.pixelSize: Theme.fontSmall
                    }
                    Pill {
                        text: line.wasQueued && line.commandState !== "queued" ? line.commandState + " · was queued" : line.commandState
                        tone: console_.stateTone(line.commandState)
                    }
                    // A pending command can be taken back: out of the offline queue, or a cancel
                    // to the hub (the result then arrives as failed, CANCELLED).
                    AbstractButton {
                        id: cancelButton
                        objectName: "cancelCommand"
                        visible: ["queued", "sent", "accepted"].indexOf(line.commandState) >= 0
                        implicitWidth: 20
                        implicitHeight: 20
                        focusPolicy: Qt.TabFocus
                        onClicked: console_.log.cancel(line.commandId)
                        Accessible.name: qsTr("Cancel %1").arg(line.command)
                        ToolTip.visible: hovered
                        ToolTip.text: qsTr("Cancel this command")
                        ToolTip.delay: 400
                        contentItem: Text {
                            text: "✕"
                            color: cancelButton.hovered ? Theme.error : Theme.textMuted
                            font.pixelSize: Theme.fontSmall
                            horizontalAlignment: Text.AlignHCenter
                            verticalAlignment: Text.AlignVCenter
                        }
                        background: Rectangle {
                            radius: 4
                            color: cancelButton.hovered ? Theme.panelHover : "transparent"
                            border.color: cancelButton.visualFocus ? Theme.accent : "transparent"
                        }
                    }
                }
                Text {
                    Layout.fillWidth: true
                    Layout.leftMargin: 14
                    visible: text.length > 0
                    text: line.errorCode.length > 0 ? line.errorCode + (line.errorMessage.length > 0 ? ": " + line.errorMessage : "")
                                                    : line.response
                    color: line.errorCode.length > 0 ? Theme.error : Theme.text
                    opacity: 0.92
                    font.family: Theme.monoFamily
                    font.pixelSize: Theme.fontSmall + 1
                    wrapMode: Text.WrapAtWordBoundaryOrAnywhere
                    maximumLineCount: 4
                    elide: Text.ElideRight
                }
            }

            BodyText {
                anchors.centerIn: parent
                width: parent.width - 24
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.WordWrap
                visible: logView.count === 0
                text: qsTr("Results of commands sent to %1 appear here.").arg(console_.agentId)
                color: Theme.textFaint
                font.pixelSize: Theme.fontSmall + 1
            }
        }
    }

    Flow {
        Layout.fillWidth: true
        spacing: 4
        Repeater {
            model: console_.log ? console_.log.hints : []
            delegate: AbstractButton {
                id: hint
                required property string modelData
                implicitHeight: 22
                implicitWidth: hintText.implicitWidth + 14
                focusPolicy: Qt.TabFocus
                Accessible.name: qsTr("Use command %1").arg(modelData)
                onClicked: {
                    input.text = modelData
                    input.forceActiveFocus()
                }
                contentItem: Text {
                    id: hintText
                    text: hint.modelData
                    color: hint.hovered ? Theme.text : Theme.textMuted
                    font.family: Theme.monoFamily
                    font.pixelSize: Theme.fontSmall
                    horizontalAlignment: Text.AlignHCenter
                    verticalAlignment: Text.AlignVCenter
                }
                background: Rectangle {
                    radius: 4
                    color: hint.hovered ? Theme.panelHover : Theme.panelRaised
                    border.color: hint.visualFocus ? Theme.accent : Theme.border
                }
            }
        }
    }

    RowLayout {
        Layout.fillWidth: true
        spacing: 6
        TextField {
            id: input
            objectName: "commandInput"
            Layout.fillWidth: true
            implicitHeight: 32
            enabled: console_.agentId.length > 0
            placeholderText: qsTr("Command for %1 (Enter to send)").arg(console_.agentId)
            placeholderTextColor: Theme.textFaint
            color: Theme.text
            font.family: Theme.monoFamily
            font.pixelSize: Theme.fontBody
            selectByMouse: true
            Accessible.name: qsTr("Command for agent %1").arg(console_.agentId)
            onAccepted: console_.submit()
            Keys.onUpPressed: console_.recallCommand(-1)
            Keys.onDownPressed: console_.recallCommand(1)
            background: Rectangle {
                radius: Theme.radius
                color: Theme.window
                border.color: input.activeFocus ? Theme.accent : Theme.border
            }
        }
        Button {
            id: sendButton
            objectName: "sendCommandButton"
            text: console_.connected ? qsTr("Send") : qsTr("Queue")
            enabled: input.text.trim().length > 0 && console_.agentId.length > 0
            implicitHeight: 32
            Accessible.name: console_.connected ? qsTr("Send command") : qsTr("Queue command until the hub is reachable")
            onClicked: console_.submit()
            contentItem: Text {
                text: sendButton.text
                color: sendButton.enabled ? Theme.accentText : Theme.textFaint
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                font.bold: true
                horizontalAlignment: Text.AlignHCenter
                verticalAlignment: Text.AlignVCenter
            }
            background: Rectangle {
                implicitWidth: 72
                radius: Theme.radius
                color: !sendButton.enabled ? Theme.panelRaised
                     : sendButton.down ? Qt.darker(Theme.accent, 1.2) : Theme.accent
                border.color: sendButton.visualFocus ? Theme.text : "transparent"
            }
        }
    }
}
