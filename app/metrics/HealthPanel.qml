import QtQuick
import QtQuick.Layouts
import Opsdeck.Ui
import Opsdeck.Metrics

// Hub health at a glance: what the hub reports in `stats` and what the console's own link sees.
Card {
    id: panel
    required property HubHealth health
    readonly property bool healthy: health.valid && health.errorString === ""

    function formatUptime(seconds) {
        if (seconds < 60)
            return qsTr("%1 s").arg(seconds)
        const minutes = Math.floor(seconds / 60)
        if (minutes < 60)
            return qsTr("%1 min").arg(minutes)
        const hours = Math.floor(minutes / 60)
        if (hours < 48)
            return qsTr("%1 h %2 min").arg(hours).arg(minutes % 60)
        return qsTr("%1 d %2 h").arg(Math.floor(hours / 24)).arg(hours % 24)
    }
    function rateText(value) {
        return value >= 1000 ? (value / 1000).toFixed(1) + "k" : value.toFixed(value < 10 ? 1 : 0)
    }

    implicitHeight: 104
    Accessible.role: Accessible.Grouping
    Accessible.name: qsTr("Hub health")

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: 16
        anchors.rightMargin: 16
        spacing: 0

        ColumnLayout {
            Layout.preferredWidth: 120
            spacing: 6
            SectionLabel { text: qsTr("Hub health") }
            Pill {
                text: !panel.health.valid ? qsTr("waiting") : panel.health.errorString !== "" ? qsTr("stale") : qsTr("live")
                tone: !panel.health.valid ? Theme.textMuted : panel.health.errorString !== "" ? Theme.warn : Theme.ok
            }
            Text {
                text: panel.health.valid ? qsTr("up %1").arg(panel.formatUptime(panel.health.uptimeSeconds)) : ""
                color: Theme.textMuted
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
            }
        }

        Tile {
            label: qsTr("Connections")
            value: panel.health.valid ? String(panel.health.connections) : "—"
            detail: panel.health.valid ? qsTr("%1 accepted").arg(panel.health.connectionsAccepted) : ""
        }
        Tile {
            label: qsTr("Messages/s out")
            value: panel.health.valid ? panel.rateText(panel.health.messagesPerSecond) : "—"
            trend: panel.health.rateHistory
            trendColor: Theme.info
        }
        Tile {
            label: qsTr("Latency")
            readonly property int ms: panel.health.latencyMs >= 0 ? panel.health.latencyMs : panel.health.queryRoundTripMs
            value: ms >= 0 ? qsTr("%1 ms").arg(ms) : "—"
            valueColor: ms > 250 ? Theme.error : ms > 80 ? Theme.warn : Theme.text
            trend: panel.health.latencyHistory
            trendColor: Theme.ok
            detail: panel.health.latencyMs >= 0 ? qsTr("ping · query %1 ms").arg(panel.health.queryRoundTripMs)
                  : panel.health.queryRoundTripMs >= 0 ? qsTr("query round trip") : qsTr("console ↔ hub")
        }
        Tile {
            label: qsTr("Reconnects")
            value: String(panel.health.reconnects)
            valueColor: panel.health.reconnects > 0 ? Theme.warn : Theme.text
            detail: panel.health.disconnects > 0 ? qsTr("link lost %n time(s)", "", panel.health.disconnects) : qsTr("link steady")
        }

        Rectangle { Layout.fillHeight: true; Layout.topMargin: 16; Layout.bottomMargin: 16; width: 1; color: Theme.border }

        CodeList {
            Layout.fillWidth: true
            Layout.leftMargin: 16
            label: qsTr("Errors by code")
            codes: panel.health.errorsByCode
            tone: Theme.error
            emptyText: qsTr("none")
        }
        CodeList {
            Layout.fillWidth: true
            Layout.leftMargin: 16
            label: qsTr("Closes by code")
            codes: panel.health.closesByCode
            tone: Theme.warn
            emptyText: qsTr("none")
        }
    }

    component Tile: ColumnLayout {
        id: tile
        property string label
        property string value
        property string detail
        property color valueColor: Theme.text
        property var trend: []
        property color trendColor: Theme.accent
        Layout.preferredWidth: 150
        Layout.alignment: Qt.AlignVCenter
        spacing: 2
        Accessible.role: Accessible.StaticText
        Accessible.name: label + ": " + value
        SectionLabel { text: tile.label }
        RowLayout {
            spacing: 8
            Text {
                text: tile.value
                color: tile.valueColor
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontHero
                font.bold: true
            }
            Sparkline {
                visible: tile.trend.length > 1
                Layout.preferredWidth: 60
                Layout.preferredHeight: 22
                values: tile.trend
                maxValue: Math.max(1, Math.max.apply(null, tile.trend) * 1.2)
                lineColor: tile.trendColor
            }
        }
        Text {
            text: tile.detail
            visible: text !== ""
            color: Theme.textMuted
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
        }
    }

    component CodeList: ColumnLayout {
        id: codeList
        property string label
        property var codes: []
        property color tone: Theme.error
        property string emptyText
        Layout.alignment: Qt.AlignVCenter
        spacing: 6
        SectionLabel { text: codeList.label }
        Flow {
            Layout.fillWidth: true
            spacing: 6
            Repeater {
                model: codeList.codes
                delegate: Pill {
                    required property var modelData
                    text: modelData.code + " × " + modelData.count
                    tone: codeList.tone
                    Accessible.name: qsTr("%1: %2").arg(modelData.code).arg(modelData.count)
                }
            }
            Pill {
                visible: codeList.codes.length === 0
                text: codeList.emptyText
                tone: Theme.ok
            }
        }
    }
}
