import QtQuick
import QtQuick.Layouts
import Opsdeck.Ui

// The terminal pane is its own piece of work (PTY sessions through the hub, libvterm rendering).
// Until it lands, the pane says so plainly instead of pretending to be a terminal.
Item {
    Card {
        anchors.centerIn: parent
        width: Math.min(parent.width - 64, 620)
        height: column.implicitHeight + 48

        ColumnLayout {
            id: column
            anchors.fill: parent
            anchors.margins: 24
            spacing: 10
            Text {
                text: ">_"
                color: Theme.textFaint
                font.family: Theme.monoFamily
                font.pixelSize: 34
                font.bold: true
            }
            Text {
                text: qsTr("Terminals are not available in this build")
                color: Theme.text
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontTitle
                font.bold: true
            }
            BodyText {
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
                elide: Text.ElideNone
                color: Theme.textMuted
                text: qsTr("Terminal tabs will open shells on the hub's host through the same connection, keep "
                           + "running while the network is down, and restore the screen when you come back. "
                           + "Until then, run commands on an agent from the Agents pane (Ctrl+1).")
            }
        }
    }
}
