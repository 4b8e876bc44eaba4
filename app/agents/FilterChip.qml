import QtQuick
import QtQuick.Controls
import Opsdeck.Ui

// A status count in the pane header that is also its filter: "Busy 3". Checked = the table
// shows only that status.
AbstractButton {
    id: chip
    property string label: ""
    property int count: 0
    property color tone: Theme.textMuted
    property string tip: ""

    checkable: false
    focusPolicy: Qt.TabFocus
    implicitHeight: 28
    implicitWidth: content.implicitWidth + 20
    Accessible.role: Accessible.Button
    Accessible.name: qsTr("%1: %2").arg(label).arg(count)
    Accessible.description: tip.length > 0 ? tip : qsTr("Show only %1 agents").arg(label.toLowerCase())
    Accessible.checkable: true
    Accessible.checked: checked
    ToolTip.visible: hovered && tip.length > 0
    ToolTip.delay: 500
    ToolTip.text: tip

    background: Rectangle {
        radius: height / 2
        color: chip.checked ? Qt.rgba(chip.tone.r, chip.tone.g, chip.tone.b, 0.20)
             : chip.hovered ? Theme.panelHover : Theme.panel
        border.color: chip.visualFocus ? Theme.accent
                    : chip.checked ? Qt.rgba(chip.tone.r, chip.tone.g, chip.tone.b, 0.7) : Theme.border
        border.width: chip.visualFocus ? 2 : 1
    }
    contentItem: Item {
        Row {
            id: content
            anchors.centerIn: parent
            spacing: 7
            Rectangle {
                width: 8; height: 8; radius: 4
                anchors.verticalCenter: parent.verticalCenter
                color: chip.tone
                opacity: chip.count > 0 || chip.checked ? 1 : 0.35
            }
            Text {
                text: chip.label
                color: chip.checked ? Theme.text : Theme.textMuted
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall + 1
                anchors.verticalCenter: parent.verticalCenter
            }
            Text {
                text: chip.count
                color: chip.count > 0 ? Theme.text : Theme.textFaint
                font.family: Theme.monoFamily
                font.pixelSize: Theme.fontSmall + 1
                font.bold: true
                anchors.verticalCenter: parent.verticalCenter
            }
        }
    }
}
