import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Opsdeck.Ui
import Opsdeck.Terminal

// The row of terminal tabs: a click selects, a double click renames in place (Enter keeps,
// Esc cancels, an empty name goes back to the shell's title), × closes, + opens another shell.
// A dot per tab tells its state at a glance: green ready, amber opening or reconnecting,
// grey exited, red failed.
Rectangle {
    id: bar
    required property TerminalTabsModel tabs
    property int currentIndex: 0
    signal activated(int index)
    signal newTabRequested()
    signal closeRequested(int index)

    implicitHeight: 36
    color: Theme.panel

    function stateColor(state) {
        switch (state) {
        case TerminalSession.Ready: return Theme.ok
        case TerminalSession.Opening:
        case TerminalSession.Reconnecting: return Theme.warn
        case TerminalSession.Failed: return Theme.error
        default: return Theme.textFaint
        }
    }

    Rectangle {
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        height: 1
        color: Theme.border
    }

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: 8
        anchors.rightMargin: 8
        spacing: 2

        Repeater {
            model: bar.tabs
            delegate: Rectangle {
                id: tab
                required property int index
                required property string title
                required property int sessionState
                readonly property bool current: index === bar.currentIndex
                property bool editing: false
                objectName: "terminalTab" + index
                Layout.preferredWidth: Math.min(220, Math.max(120, row.implicitWidth + 20))
                Layout.preferredHeight: 28
                Layout.alignment: Qt.AlignBottom
                radius: Theme.radius
                color: current ? Theme.window : tabMouse.containsMouse ? Theme.panelHover : "transparent"
                border.color: current ? Theme.border : "transparent"

                // Squares off the bottom corners so the current tab joins the terminal below it.
                Rectangle {
                    visible: tab.current
                    anchors.left: parent.left
                    anchors.right: parent.right
                    anchors.bottom: parent.bottom
                    anchors.leftMargin: 1
                    anchors.rightMargin: 1
                    height: Theme.radius + 1
                    color: Theme.window
                }

                MouseArea {
                    id: tabMouse
                    anchors.fill: parent
                    hoverEnabled: true
                    acceptedButtons: Qt.LeftButton | Qt.MiddleButton
                    onClicked: mouse => {
                        if (mouse.button === Qt.MiddleButton)
                            bar.closeRequested(tab.index)
                        else
                            bar.activated(tab.index)
                    }
                    onDoubleClicked: {
                        renameField.text = tab.title
                        tab.editing = true
                        renameField.forceActiveFocus()
                        renameField.selectAll()
                    }
                }

                RowLayout {
                    id: row
                    anchors.fill: parent
                    anchors.leftMargin: 10
                    anchors.rightMargin: 4
                    spacing: 7
                    Rectangle {
                        Layout.preferredWidth: 7
                        Layout.preferredHeight: 7
                        radius: 3.5
                        color: bar.stateColor(tab.sessionState)
                    }
                    Text {
                        visible: !tab.editing
                        Layout.fillWidth: true
                        text: tab.title
                        elide: Text.ElideRight
                        color: tab.current ? Theme.text : Theme.textMuted
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontBody
                    }
                    TextField {
                        id: renameField
                        objectName: "terminalRenameField"
                        visible: tab.editing
                        Layout.fillWidth: true
                        Layout.preferredHeight: 22
                        padding: 2
                        color: Theme.text
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontBody
                        background: Rectangle { color: Theme.panel; border.color: Theme.accent; radius: 3 }
                        onAccepted: {
                            bar.tabs.rename(tab.index, text)
                            tab.editing = false
                        }
                        Keys.onEscapePressed: tab.editing = false
                        onActiveFocusChanged: if (!activeFocus) tab.editing = false
                    }
                    ToolButton {
                        objectName: "terminalCloseTab" + tab.index
                        Layout.preferredWidth: 22
                        Layout.preferredHeight: 22
                        text: "×"
                        font.pixelSize: 15
                        opacity: tab.current || tabMouse.containsMouse || hovered ? 1 : 0.45
                        onClicked: bar.closeRequested(tab.index)
                        ToolTip.visible: hovered
                        ToolTip.text: qsTr("Close terminal (Ctrl+Shift+W) — hangs up the shell")
                        contentItem: Text {
                            text: "×"
                            horizontalAlignment: Text.AlignHCenter
                            verticalAlignment: Text.AlignVCenter
                            color: parent.hovered ? Theme.error : Theme.textMuted
                            font.pixelSize: 15
                        }
                        background: Rectangle { radius: 4; color: parent.hovered ? Theme.panelHover : "transparent" }
                    }
                }
            }
        }

        ToolButton {
            id: plus
            objectName: "terminalNewTab"
            Layout.preferredWidth: 28
            Layout.preferredHeight: 28
            onClicked: bar.newTabRequested()
            ToolTip.visible: hovered
            ToolTip.text: qsTr("New terminal (Ctrl+Shift+T)")
            contentItem: Text {
                text: "+"
                horizontalAlignment: Text.AlignHCenter
                verticalAlignment: Text.AlignVCenter
                color: plus.hovered ? Theme.text : Theme.textMuted
                font.pixelSize: 18
            }
            background: Rectangle { radius: 4; color: plus.hovered ? Theme.panelHover : "transparent" }
        }
        Item { Layout.fillWidth: true }
    }
}
