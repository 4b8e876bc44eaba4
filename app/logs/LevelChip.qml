import QtQuick
import QtQuick.Controls
import Opsdeck.Ui
import Opsdeck.Logs

// A level filter toggle: coloured dot, level name and how many entries of that level are held.
AbstractButton {
    id: chip
    required property string level
    property int entries: 0
    checkable: true
    focusPolicy: Qt.TabFocus
    implicitHeight: 26
    implicitWidth: row.implicitWidth + 18
    readonly property color tone: Theme.levelColor(level)
    Accessible.role: Accessible.CheckBox
    Accessible.name: qsTr("Show %1 entries").arg(level)
    Accessible.checked: checked
    ToolTip.visible: hovered
    ToolTip.delay: 500
    ToolTip.text: (checked ? qsTr("Hide %1 entries") : qsTr("Show %1 entries")).arg(level)

    background: Rectangle {
        radius: height / 2
        color: chip.checked ? Qt.rgba(chip.tone.r, chip.tone.g, chip.tone.b, chip.hovered ? 0.26 : 0.16)
                            : chip.hovered ? Theme.panelHover : "transparent"
        border.color: chip.visualFocus ? Theme.accent
                    : chip.checked ? Qt.rgba(chip.tone.r, chip.tone.g, chip.tone.b, 0.6) : Theme.border
        border.width: chip.visualFocus ? 2 : 1
    }
    contentItem: Item {
        opacity: chip.checked ? 1 : 0.7
        Row {
            id: row
            anchors.centerIn: parent
            spacing: 6
            Rectangle {
                width: 8; height: 8; radius: 4
                anchors.verticalCenter: parent.verticalCenter
                color: chip.checked ? chip.tone : "transparent"
                border.color: chip.tone
                border.width: 1.5
            }
            Text {
                text: chip.level.toUpperCase()
                color: chip.checked ? chip.tone : Theme.textFaint
                font.strikeout: !chip.checked
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
                font.bold: true
                font.letterSpacing: 0.4
                anchors.verticalCenter: parent.verticalCenter
            }
            Text {
                text: LogsUi.number(chip.entries)
                color: chip.checked ? Theme.textMuted : Theme.textFaint
                font.family: Theme.monoFamily
                font.pixelSize: Theme.fontSmall
                anchors.verticalCenter: parent.verticalCenter
            }
        }
    }
}
