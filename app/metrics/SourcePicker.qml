import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Opsdeck.Ui
import Opsdeck.Metrics

// Every metrics source, hosts first then agents, with its live CPU and a one-minute trend.
// A source that stopped reporting is dimmed (its charts shade the silence).
Card {
    id: picker
    required property MetricsStore store
    property string current: ""
    signal picked(string source)

    function move(delta) {
        const count = list.count
        if (count === 0)
            return
        const at = Math.max(0, store.sources.indexOf(current))
        picked(store.sources.sourceAt(Math.min(count - 1, Math.max(0, at + delta))))
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 1
        spacing: 0

        RowLayout {
            Layout.fillWidth: true
            Layout.margins: 12
            Layout.bottomMargin: 6
            SectionLabel { text: qsTr("Sources") }
            Item { Layout.fillWidth: true }
            SectionLabel {
                text: qsTr("CPU")
                color: Theme.textFaint
            }
        }

        ListView {
            id: list
            objectName: "sourceList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: picker.store.sources
            currentIndex: picker.store.sources.count >= 0 ? picker.store.sources.indexOf(picker.current) : -1
            boundsBehavior: Flickable.StopAtBounds
            keyNavigationEnabled: false
            activeFocusOnTab: true
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Metrics sources")
            Keys.onUpPressed: picker.move(-1)
            Keys.onDownPressed: picker.move(1)
            ScrollBar.vertical: ScrollBar {}

            section.property: "kind"
            section.delegate: Item {
                required property string section
                width: ListView.view.width
                height: 28
                SectionLabel {
                    anchors.left: parent.left
                    anchors.leftMargin: 12
                    anchors.bottom: parent.bottom
                    anchors.bottomMargin: 4
                    text: parent.section === "host" ? qsTr("Hosts") : qsTr("Agents")
                    color: Theme.textFaint
                }
            }

            delegate: AbstractButton {
                id: row
                required property string source
                required property string kind
                required property string host
                required property real cpu
                required property real memoryPercent
                required property real lastSeen
                required property var cpuTrend
                readonly property bool selected: source === picker.current
                readonly property bool silent: picker.store.latestTimeMs - lastSeen > picker.store.silenceMs
                width: ListView.view.width
                height: 40
                focusPolicy: Qt.NoFocus
                Accessible.role: Accessible.ListItem
                Accessible.name: qsTr("%1 %2, CPU %3 percent%4").arg(kind).arg(source).arg(cpu.toFixed(0))
                                 .arg(silent ? qsTr(", not reporting") : "")
                Accessible.selected: selected
                onClicked: {
                    list.forceActiveFocus()
                    picker.picked(source)
                }

                background: Rectangle {
                    color: row.selected ? Theme.selection : row.hovered ? Theme.panelHover : "transparent"
                    Rectangle {
                        visible: row.selected
                        width: 3
                        height: parent.height
                        color: Theme.accent
                    }
                }
                contentItem: RowLayout {
                    spacing: 8
                    opacity: row.silent ? 0.55 : 1
                    Rectangle {
                        Layout.leftMargin: 12
                        width: 8; height: 8; radius: 4
                        color: row.silent ? Theme.textFaint : Theme.ok
                    }
                    ColumnLayout {
                        Layout.fillWidth: true
                        spacing: 0
                        BodyText {
                            Layout.fillWidth: true
                            text: row.source
                            font.bold: row.selected
                        }
                        Text {
                            Layout.fillWidth: true
                            visible: row.kind !== "host"
                            text: row.silent ? qsTr("on %1 · not reporting").arg(row.host) : qsTr("on %1").arg(row.host)
                            color: Theme.textMuted
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontSmall
                            elide: Text.ElideRight
                        }
                    }
                    Sparkline {
                        Layout.preferredWidth: 54
                        Layout.preferredHeight: 20
                        values: row.cpuTrend
                        // Most sources idle in single digits: a 10/25/50/100 % scale shows their shape.
                        maxValue: {
                            const peak = Math.max.apply(null, row.cpuTrend.length ? row.cpuTrend : [0]) * 1.1
                            return peak <= 10 ? 10 : peak <= 25 ? 25 : peak <= 50 ? 50 : 100
                        }
                        lineColor: row.cpu >= 85 ? Theme.error : row.cpu >= 60 ? Theme.warn : Theme.accent
                    }
                    Text {
                        Layout.preferredWidth: 44
                        Layout.rightMargin: 12
                        horizontalAlignment: Text.AlignRight
                        text: row.cpu.toFixed(row.cpu < 10 ? 1 : 0) + "%"
                        color: row.cpu >= 85 ? Theme.error : row.cpu >= 60 ? Theme.warn : Theme.text
                        font.family: Theme.monoFamily
                        font.pixelSize: Theme.fontSmall + 1
                    }
                }
            }
        }

        BodyText {
            visible: list.count === 0
            Layout.margins: 12
            Layout.fillWidth: true
            wrapMode: Text.WordWrap
            text: qsTr("Waiting for the first metrics from the hub…")
            color: Theme.textFaint
        }
    }
}
