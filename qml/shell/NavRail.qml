import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Opsdeck.Ui

// Pane switcher on the left; each entry shows its keyboard shortcut.
Rectangle {
    id: rail
    property int currentIndex: 0
    signal activated(int index)

    implicitWidth: 92
    color: Theme.panel
    Rectangle { anchors.right: parent.right; width: 1; height: parent.height; color: Theme.border }

    readonly property var entries: [
        { label: qsTr("Agents"), glyph: "◉", key: "Ctrl+1" },
        { label: qsTr("Metrics"), glyph: "▁▃▆", key: "Ctrl+2" },
        { label: qsTr("Terminal"), glyph: ">_", key: "Ctrl+3" },
        { label: qsTr("Logs"), glyph: "≡", key: "Ctrl+4" }
    ]

    ColumnLayout {
        anchors.fill: parent
        anchors.topMargin: Theme.gap
        spacing: 4

        Repeater {
            model: rail.entries
            delegate: ItemDelegate {
                id: entry
                required property var modelData
                required property int index
                readonly property bool current: rail.currentIndex === index
                Layout.fillWidth: true
                Layout.leftMargin: 8
                Layout.rightMargin: 8
                implicitHeight: 64
                onClicked: rail.activated(index)
                Accessible.name: qsTr("%1 pane (%2)").arg(modelData.label).arg(modelData.key)
                ToolTip.visible: hovered
                ToolTip.text: modelData.key
                ToolTip.delay: 500

                background: Rectangle {
                    radius: Theme.radius
                    color: entry.current ? Theme.selection : entry.hovered ? Theme.panelHover : "transparent"
                    Rectangle {
                        visible: entry.current
                        width: 3
                        height: parent.height - 16
                        anchors.verticalCenter: parent.verticalCenter
                        radius: 2
                        color: Theme.accent
                    }
                }
                contentItem: Column {
                    spacing: 4
                    Text {
                        anchors.horizontalCenter: parent.horizontalCenter
                        text: entry.modelData.glyph
                        color: entry.current ? Theme.accent : Theme.textMuted
                        font.family: Theme.monoFamily
                        font.pixelSize: 17
                        font.bold: true
                    }
                    Text {
                        anchors.horizontalCenter: parent.horizontalCenter
                        text: entry.modelData.label
                        color: entry.current ? Theme.text : Theme.textMuted
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontSmall
                    }
                }
            }
        }
        Item { Layout.fillHeight: true }
    }
}
