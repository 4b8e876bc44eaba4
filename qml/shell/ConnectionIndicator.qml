import QtQuick
import QtQuick.Layouts
import Opsdeck.Ui
import Opsdeck.Core

// The link to the hub: a dot, the state in words, and the reconnect countdown.
RowLayout {
    id: indicator
    required property AppSession session
    readonly property color tone: session.connected ? Theme.ok
                                 : session.stateText === "Failed" ? Theme.error : Theme.warn
    spacing: 8
    Accessible.role: Accessible.StaticText
    Accessible.name: qsTr("Connection: %1").arg(stateLabel.text)

    Rectangle {
        width: 10
        height: 10
        radius: 5
        color: indicator.tone
        SequentialAnimation on opacity {
            running: !indicator.session.connected
            loops: Animation.Infinite
            NumberAnimation { to: 0.3; duration: 600 }
            NumberAnimation { to: 1.0; duration: 600 }
        }
    }
    Text {
        id: stateLabel
        text: indicator.session.reconnectInSeconds > 0
              ? qsTr("%1 · retry in %2 s").arg(indicator.session.stateText).arg(indicator.session.reconnectInSeconds)
              : indicator.session.stateText
        color: indicator.tone
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontBody
        font.bold: true
    }
}
