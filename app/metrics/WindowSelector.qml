import QtQuick
import QtQuick.Controls
import Opsdeck.Ui

// Segmented buttons for the chart window: 1, 5 or 15 minutes.
Rectangle {
    id: selector
    property int seconds: 300
    readonly property var choices: [60, 300, 900]
    signal chosen(int seconds)

    implicitWidth: row.implicitWidth + 4
    implicitHeight: 30
    radius: Theme.radius
    color: Theme.panelRaised
    border.color: Theme.border
    Accessible.role: Accessible.Grouping
    Accessible.name: qsTr("Chart window")

    Row {
        id: row
        anchors.centerIn: parent
        spacing: 2
        Repeater {
            model: selector.choices
            delegate: AbstractButton {
                id: segment
                required property int modelData
                readonly property bool on: selector.seconds === modelData
                objectName: "window" + modelData
                width: 52
                height: 26
                checkable: true
                checked: on
                focusPolicy: Qt.TabFocus
                text: qsTr("%1 min").arg(modelData / 60)
                Accessible.role: Accessible.RadioButton
                Accessible.name: qsTr("Show the last %n minute(s)", "", modelData / 60)
                Accessible.checked: on
                onClicked: selector.chosen(modelData)
                background: Rectangle {
                    radius: Theme.radius - 2
                    color: segment.on ? Theme.accent : segment.hovered ? Theme.panelHover : "transparent"
                    border.color: segment.visualFocus ? Theme.accent : "transparent"
                    border.width: 2
                }
                contentItem: Text {
                    text: segment.text
                    color: segment.on ? Theme.accentText : Theme.text
                    horizontalAlignment: Text.AlignHCenter
                    verticalAlignment: Text.AlignVCenter
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall + 1
                    font.bold: segment.on
                }
            }
        }
    }
}
