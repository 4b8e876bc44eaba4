import QtQuick
import QtQuick.Controls
import Opsdeck.Ui
import Opsdeck.Logs

// One row of the log list: time, level, source, a stderr marker and the message's first line
// (with the search matches marked); a multi-line entry has a "+N lines" expander that shows the
// whole message. A gap marker is a banner row of its own: entries the hub could not deliver.
Rectangle {
    id: row

    required property int index
    required property string timestamp
    required property string level
    required property string stream
    required property string source
    required property string host
    required property string firstLine
    required property int lineCount
    required property bool isGap
    required property var matchRanges
    required property bool matches
    required property bool expanded
    required property var model

    property bool selected: false
    property bool current: false
    property bool highlightMode: false
    property int timeWidth: 180
    property int sourceWidth: 128
    signal pressed(int index, int modifiers)
    signal expandToggled(int index)

    readonly property int lineHeight: 22
    readonly property bool multiLine: lineCount > 1 && !isGap
    readonly property color levelTone: Theme.levelColor(level)
    readonly property bool loud: level === "error" || level === "fatal" || level === "warn"

    width: ListView.view ? ListView.view.width : 600
    height: isGap ? 30 : expanded && multiLine ? Math.max(lineHeight, fullText.implicitHeight + 8) : lineHeight
    color: selected ? Theme.selection
         : mouse.containsMouse ? Theme.panelHover
         : highlightMode && matches ? Qt.rgba(Theme.warn.r, Theme.warn.g, Theme.warn.b, 0.10)
         : level === "fatal" || level === "error" ? Qt.rgba(Theme.error.r, Theme.error.g, Theme.error.b, Theme.dark ? 0.07 : 0.05)
         : "transparent"

    Accessible.role: Accessible.ListItem
    Accessible.name: isGap ? firstLine : (timestamp + " " + level + " " + source + " " + firstLine)
    Accessible.selected: selected

    MouseArea {
        id: mouse
        anchors.fill: parent
        hoverEnabled: true
        acceptedButtons: Qt.LeftButton
        onPressed: mouse => row.pressed(row.index, mouse.modifiers)
        onDoubleClicked: if (row.multiLine) row.expandToggled(row.index)
    }

    // Severity stripe at the left edge.
    Rectangle {
        visible: !row.isGap && (row.loud || row.current)
        width: 3
        height: parent.height
        color: row.current ? Theme.accent : row.levelTone
    }

    // ---- an entry --------------------------------------------------------------------------
    Item {
        visible: !row.isGap
        anchors.fill: parent
        anchors.leftMargin: 10
        anchors.rightMargin: 10

        Text {
            id: time
            x: 0
            y: (row.lineHeight - height) / 2
            width: row.timeWidth - 8
            text: row.timestamp
            color: Theme.textMuted
            font.family: Theme.monoFamily
            font.pixelSize: 12
            elide: Text.ElideRight
        }
        Rectangle {
            id: levelPill
            x: row.timeWidth
            y: (row.lineHeight - height) / 2
            width: 48
            height: 16
            radius: 3
            visible: row.level.length > 0
            color: Qt.rgba(row.levelTone.r, row.levelTone.g, row.levelTone.b, row.loud ? 0.22 : 0.12)
            Text {
                anchors.centerIn: parent
                text: row.level.toUpperCase()
                color: row.levelTone
                font.family: Theme.fontFamily
                font.pixelSize: 10
                font.bold: true
                font.letterSpacing: 0.3
            }
        }
        Text {
            id: sourceText
            x: row.timeWidth + 58
            y: (row.lineHeight - height) / 2
            width: row.sourceWidth - 8
            text: row.source
            color: Theme.textMuted
            font.family: Theme.fontFamily
            font.pixelSize: 12
            elide: Text.ElideRight
        }
        Text {
            id: streamMark
            x: row.timeWidth + 58 + row.sourceWidth
            y: (row.lineHeight - height) / 2
            width: 30
            visible: row.stream === "stderr"
            text: "err"
            color: Theme.error
            font.family: Theme.monoFamily
            font.pixelSize: 10
            font.bold: true
        }
        Item {
            id: messageArea
            x: row.timeWidth + 58 + row.sourceWidth + 34
            width: parent.width - x
            height: parent.height

            Text {
                id: firstText
                visible: !(row.expanded && row.multiLine)
                y: (row.lineHeight - height) / 2
                width: parent.width - (expander.visible ? expander.width + 8 : 0)
                readonly property bool marked: row.matchRanges.length > 0
                textFormat: marked ? Text.RichText : Text.PlainText
                text: marked ? LogsUi.highlight(row.firstLine, row.matchRanges, row.markColor, row.markText, row.firstLine.length)
                             : row.firstLine
                color: row.level === "trace" || row.level === "debug" ? Theme.textMuted : Theme.text
                font.family: Theme.monoFamily
                font.pixelSize: 12
                elide: Text.ElideRight
                clip: marked
                maximumLineCount: 1
                wrapMode: Text.NoWrap
            }
            Text {
                id: fullText
                visible: row.expanded && row.multiLine
                y: 4
                width: parent.width - expander.width - 8
                readonly property bool marked: row.matchRanges.length > 0
                readonly property string message: visible ? row.model.message : ""
                textFormat: marked ? Text.RichText : Text.PlainText
                text: marked ? LogsUi.highlight(message, row.matchRanges, row.markColor, row.markText) : message
                color: Theme.text
                font.family: Theme.monoFamily
                font.pixelSize: 12
                wrapMode: Text.WrapAnywhere
                lineHeight: 1.15
            }
            AbstractButton {
                id: expander
                objectName: "expander"
                visible: row.multiLine
                anchors.right: parent.right
                y: (row.lineHeight - height) / 2
                implicitWidth: expanderText.implicitWidth + 14
                implicitHeight: 18
                focusPolicy: Qt.NoFocus
                onClicked: row.expandToggled(row.index)
                Accessible.role: Accessible.Button
                Accessible.name: row.expanded ? qsTr("Collapse the entry") : qsTr("Show all %1 lines").arg(row.lineCount)
                background: Rectangle {
                    radius: 9
                    color: expander.hovered ? Theme.panelHover : Theme.panelRaised
                    border.color: Theme.border
                }
                contentItem: Text {
                    id: expanderText
                    text: row.expanded ? qsTr("▴ collapse") : qsTr("+%1 lines").arg(row.lineCount - 1)
                    color: Theme.accent
                    font.family: Theme.fontFamily
                    font.pixelSize: 10
                    font.bold: true
                    horizontalAlignment: Text.AlignHCenter
                    verticalAlignment: Text.AlignVCenter
                }
            }
        }
    }

    readonly property string markColor: Theme.dark ? "#8a6d1f" : "#ffe08a"
    readonly property string markText: Theme.dark ? "#ffffff" : "#1c2230"

    // ---- a gap marker ----------------------------------------------------------------------
    Rectangle {
        visible: row.isGap
        anchors.fill: parent
        anchors.topMargin: 3
        anchors.bottomMargin: 3
        anchors.leftMargin: 6
        anchors.rightMargin: 6
        radius: 4
        color: Qt.rgba(Theme.warn.r, Theme.warn.g, Theme.warn.b, row.selected ? 0.30 : 0.14)
        border.color: Qt.rgba(Theme.warn.r, Theme.warn.g, Theme.warn.b, 0.6)
        border.width: 1

        Text {
            anchors.left: parent.left
            anchors.leftMargin: 8
            anchors.verticalCenter: parent.verticalCenter
            width: row.timeWidth - 14
            text: row.timestamp
            color: Theme.textMuted
            font.family: Theme.monoFamily
            font.pixelSize: 12
        }
        Text {
            anchors.left: parent.left
            anchors.leftMargin: row.timeWidth + 4
            anchors.right: parent.right
            anchors.rightMargin: 8
            anchors.verticalCenter: parent.verticalCenter
            text: "⋯  " + row.firstLine + "  " + qsTr("— the hub could not deliver these entries")
            color: Theme.warn
            font.family: Theme.fontFamily
            font.pixelSize: 12
            font.bold: true
            elide: Text.ElideRight
        }
    }

    Rectangle {
        anchors.bottom: parent.bottom
        width: parent.width
        height: 1
        visible: row.expanded && row.multiLine
        color: Theme.border
    }
}
