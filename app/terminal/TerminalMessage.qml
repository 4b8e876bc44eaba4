import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Opsdeck.Ui

// A card over the terminal area that says what is going on and what to do next: no tab yet,
// opening, the hub refused, the shell ended. One primary action at most.
Card {
    id: card
    property string glyph: ">_"
    property color glyphColor: Theme.textFaint
    property string title
    property string body
    property string detail
    property string actionText
    signal actionTriggered()

    width: Math.min(parent ? parent.width - 64 : 620, 620)
    height: column.implicitHeight + 48

    ColumnLayout {
        id: column
        anchors.fill: parent
        anchors.margins: 24
        spacing: 10
        Text {
            text: card.glyph
            color: card.glyphColor
            font.family: Theme.monoFamily
            font.pixelSize: 34
            font.bold: true
        }
        Text {
            objectName: "terminalMessageTitle"
            Layout.fillWidth: true
            text: card.title
            wrapMode: Text.WordWrap
            color: Theme.text
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontTitle
            font.bold: true
        }
        BodyText {
            objectName: "terminalMessageBody"
            Layout.fillWidth: true
            visible: text.length > 0
            text: card.body
            wrapMode: Text.WordWrap
            elide: Text.ElideNone
            color: Theme.textMuted
        }
        Text {
            objectName: "terminalMessageDetail"
            Layout.fillWidth: true
            visible: text.length > 0
            text: card.detail
            wrapMode: Text.WrapAnywhere
            color: Theme.textFaint
            font.family: Theme.monoFamily
            font.pixelSize: Theme.fontSmall
        }
        Button {
            id: action
            objectName: "terminalMessageAction"
            visible: card.actionText.length > 0
            Layout.topMargin: 6
            text: card.actionText
            onClicked: card.actionTriggered()
            contentItem: Text {
                text: action.text
                color: Theme.accentText
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                font.bold: true
                horizontalAlignment: Text.AlignHCenter
                verticalAlignment: Text.AlignVCenter
            }
            background: Rectangle {
                implicitWidth: 120
                implicitHeight: 32
                radius: Theme.radius
                color: action.down ? Qt.darker(Theme.accent, 1.2) : Theme.accent
                border.color: action.visualFocus ? Theme.text : "transparent"
            }
        }
    }
}
