import QtQuick
import QtQuick.Controls
import Opsdeck.Ui

// One agent in the fleet table. The agent cell carries kind and host on a second line, so the
// queue metrics keep their columns even at 1280 px.
AbstractButton {
    id: row
    required property int index
    required property string agentId
    required property string kind
    required property string host
    required property string status
    required property string task
    required property bool connected
    required property int heartbeatAgeS
    required property string heartbeatState
    required property int active
    required property int processed
    required property int succeeded
    required property int failed
    required property real successRate
    required property real cpu
    required property var cpuHistory

    property Item table
    property bool selected: false
    signal activated()

    implicitHeight: 46
    focusPolicy: Qt.NoFocus
    onClicked: activated()
    Accessible.role: Accessible.Row
    Accessible.name: qsTr("%1, %2, %3, heartbeat %4").arg(agentId).arg(status).arg(task || qsTr("no task")).arg(ageText(heartbeatAgeS))
    Accessible.selected: selected

    function ageText(seconds) {
        if (seconds < 0) return "—"
        if (seconds < 60) return seconds + " s"
        if (seconds < 3600) return Math.floor(seconds / 60) + " m " + (seconds % 60) + " s"
        return Math.floor(seconds / 3600) + " h " + Math.floor((seconds % 3600) / 60) + " m"
    }
    readonly property color beatColor: heartbeatState === "lost" ? Theme.error
                                     : heartbeatState === "stale" ? Theme.warn : Theme.textMuted
    readonly property color dimText: connected ? Theme.text : Theme.textMuted

    background: Rectangle {
        color: row.selected ? Theme.selection : row.hovered ? Theme.panelHover : (row.index % 2 ? Theme.panelRaised : "transparent")
        Rectangle { visible: row.selected; width: 3; height: parent.height; color: Theme.accent }
        Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1; color: Theme.border; opacity: 0.6 }
    }

    function cw(key) { return table ? table.columnWidth(key) : 0 }
    readonly property int pad: table ? table.cellPadding : 8

    contentItem: Row {
        x: 4
        // Agent: id, then kind · host.
        Item {
            width: row.cw("agentId"); height: row.height
            Column {
                x: row.pad
                width: parent.width - 2 * row.pad
                anchors.verticalCenter: parent.verticalCenter
                spacing: 2
                // A relayed agent is `name@hub` (docs/protocol.md §15): the name leads, the hub
                // goes on the second line, so a narrow column never cuts off what tells rows apart.
                readonly property int at: row.agentId.lastIndexOf("@")
                BodyText {
                    width: parent.width
                    text: parent.at > 0 ? row.agentId.substring(0, parent.at) : row.agentId
                    color: row.dimText
                    font.bold: true
                }
                BodyText {
                    width: parent.width
                    text: row.kind + " · " + row.host
                          + (parent.at > 0 ? " · " + row.agentId.substring(parent.at + 1) : "")
                    color: Theme.textMuted
                    font.pixelSize: Theme.fontSmall
                }
            }
        }
        Item {
            width: row.cw("status"); height: row.height
            Pill {
                x: row.pad
                anchors.verticalCenter: parent.verticalCenter
                text: row.status
                tone: Theme.statusColor(row.status)
            }
        }
        Item {
            width: row.cw("task"); height: row.height
            BodyText {
                x: row.pad
                width: parent.width - 2 * row.pad
                anchors.verticalCenter: parent.verticalCenter
                text: row.task.length > 0 ? row.task : "—"
                color: row.task.length > 0 ? row.dimText : Theme.textFaint
            }
        }
        Item {
            width: row.cw("heartbeatAgeS"); height: row.height
            Row {
                anchors.right: parent.right
                anchors.rightMargin: row.pad
                anchors.verticalCenter: parent.verticalCenter
                spacing: 6
                Rectangle {
                    width: 7; height: 7; radius: 3.5
                    anchors.verticalCenter: parent.verticalCenter
                    color: row.heartbeatState === "ok" ? Theme.ok : row.beatColor
                }
                BodyText {
                    text: row.ageText(row.heartbeatAgeS)
                    color: row.beatColor
                    font.family: Theme.monoFamily
                    font.pixelSize: Theme.fontSmall + 1
                    font.bold: row.heartbeatState !== "ok"
                }
            }
        }
        Item {
            width: row.cw("cpu"); height: row.height
            visible: row.table ? row.table.showCpu : false
            Row {
                x: row.pad
                anchors.verticalCenter: parent.verticalCenter
                spacing: 6
                Sparkline {
                    width: 44; height: 20
                    anchors.verticalCenter: parent.verticalCenter
                    values: row.cpuHistory
                    lineColor: row.cpu > 85 ? Theme.warn : Theme.accent
                }
                BodyText {
                    anchors.verticalCenter: parent.verticalCenter
                    text: row.cpu < 0 ? "—" : Math.round(row.cpu) + "%"
                    color: Theme.textMuted
                    font.family: Theme.monoFamily
                    font.pixelSize: Theme.fontSmall + 1
                }
            }
        }
        NumberCell { width: row.cw("active"); height: row.height; pad: row.pad; value: row.active; tone: row.active > 0 ? Theme.info : Theme.textFaint; strong: row.active > 0 }
        NumberCell { width: row.cw("processed"); height: row.height; pad: row.pad; value: row.processed; tone: row.dimText }
        NumberCell { width: row.cw("succeeded"); height: row.height; pad: row.pad; value: row.succeeded; tone: row.succeeded > 0 ? Theme.ok : Theme.textFaint }
        NumberCell { width: row.cw("failed"); height: row.height; pad: row.pad; value: row.failed; tone: row.failed > 0 ? Theme.error : Theme.textFaint; strong: row.failed > 0 }
        NumberCell {
            width: row.cw("successRate"); height: row.height; pad: row.pad
            value: row.successRate < 0 ? "—" : row.successRate.toFixed(row.successRate >= 99.95 || row.successRate === 0 ? 0 : 1) + "%"
            tone: row.successRate < 0 ? Theme.textFaint
                : row.successRate >= 95 ? Theme.ok
                : row.successRate >= 80 ? Theme.warn : Theme.error
        }
    }

    // A right-aligned figure of the queue metrics. (Inline components do not see this file's
    // ids, so everything comes in through properties.)
    component NumberCell: Item {
        id: numberCell
        property var value: 0
        property color tone: Theme.text
        property bool strong: false
        property int pad: 8
        BodyText {
            anchors.right: parent.right
            anchors.rightMargin: numberCell.pad
            anchors.verticalCenter: parent.verticalCenter
            text: String(numberCell.value)
            color: numberCell.tone
            font.family: Theme.monoFamily
            font.pixelSize: Theme.fontSmall + 1
            font.bold: numberCell.strong
        }
    }
}
