import QtQuick
import QtQuick.Controls
import Opsdeck.Ui
import Opsdeck.Logs

// A compact toolbar button of the Logs pane: text with an optional glyph, optionally checkable
// (checked = accent-tinted), with a tooltip that doubles as its accessible description.
Button {
    id: control
    property string glyph: ""
    property string tip: ""
    property color tone: Theme.accent
    property bool emphasized: false // a solid accent button (e.g. "Resume · N new")
    flat: true
    focusPolicy: Qt.TabFocus
    padding: 0
    leftPadding: 10
    rightPadding: 10
    implicitHeight: 28
    font.family: Theme.fontFamily
    font.pixelSize: Theme.fontSmall + 1
    Accessible.name: text.length > 0 ? text : tip
    Accessible.description: tip
    ToolTip.visible: hovered && tip.length > 0
    ToolTip.delay: 500
    ToolTip.text: tip

    contentItem: Row {
        spacing: 6
        Text {
            visible: control.glyph.length > 0
            text: control.glyph
            color: label.color
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            anchors.verticalCenter: parent.verticalCenter
        }
        Text {
            id: label
            visible: control.text.length > 0
            text: control.text
            color: control.emphasized ? Theme.accentText
                 : control.checked ? control.tone
                 : control.enabled ? Theme.text : Theme.textFaint
            font: control.font
            anchors.verticalCenter: parent.verticalCenter
        }
    }
    background: Rectangle {
        implicitWidth: 28
        implicitHeight: 28
        radius: Theme.radius
        color: control.emphasized ? (control.down ? Qt.darker(control.tone, 1.2) : control.tone)
             : control.checked ? Qt.rgba(control.tone.r, control.tone.g, control.tone.b, control.hovered ? 0.24 : 0.16)
             : control.down ? Theme.panelHover
             : control.hovered ? Theme.panelHover : Theme.panelRaised
        border.color: control.visualFocus ? Theme.accent
                    : control.checked ? Qt.rgba(control.tone.r, control.tone.g, control.tone.b, 0.55)
                    : Theme.border
        border.width: control.visualFocus ? 2 : 1
    }
}
