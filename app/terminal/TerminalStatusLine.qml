import QtQuick
import QtQuick.Layouts
import Opsdeck.Ui
import Opsdeck.Terminal

// Under the terminal: its size, its state (with the exit code, or the reconnect promise) and
// the keys that are not obvious in a terminal.
Rectangle {
    id: line
    property TerminalSession session: null
    property int cols: 0
    property int rows: 0
    property int scrollOffset: 0
    property int zoom: 0

    implicitHeight: 26
    color: Theme.panel

    readonly property color tone: {
        if (!session)
            return Theme.textMuted
        switch (session.state) {
        case TerminalSession.Ready: return Theme.ok
        case TerminalSession.Opening:
        case TerminalSession.Reconnecting: return Theme.warn
        case TerminalSession.Failed: return Theme.error
        default: return Theme.textMuted
        }
    }

    Rectangle { anchors.top: parent.top; width: parent.width; height: 1; color: Theme.border }

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: 12
        anchors.rightMargin: 12
        spacing: 16
        Text {
            objectName: "terminalSize"
            text: line.cols > 0 ? qsTr("%1×%2").arg(line.cols).arg(line.rows) : "—"
            color: Theme.textMuted
            font.family: Theme.monoFamily
            font.pixelSize: Theme.fontSmall
        }
        Text {
            objectName: "terminalHost"
            visible: line.session !== null
            // Which machine the shell runs on: a linked hub's host, or the console's own hub's.
            text: line.session && line.session.hub !== "" ? qsTr("on %1").arg(line.session.hub)
                                                          : qsTr("on the local hub's host")
            color: Theme.textMuted
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
        }
        Text {
            objectName: "terminalState"
            text: line.session ? line.session.stateText : qsTr("no terminal")
            color: line.tone
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            font.bold: true
        }
        Text {
            visible: line.scrollOffset > 0
            text: qsTr("↑ %1 lines back — Shift+PgDn or type to return").arg(line.scrollOffset)
            color: Theme.info
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
        }
        Item { Layout.fillWidth: true }
        Text {
            visible: line.zoom !== 0
            text: qsTr("zoom %1%2").arg(line.zoom > 0 ? "+" : "").arg(line.zoom)
            color: Theme.textFaint
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
        }
        Text {
            text: qsTr("Ctrl+Shift+C copy · Ctrl+Shift+V paste · Ctrl+= / Ctrl+- zoom")
            color: Theme.textFaint
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            elide: Text.ElideLeft
            Layout.maximumWidth: 420
        }
    }
}
