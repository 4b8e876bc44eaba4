import QtQuick
import Opsdeck.Ui

// DEMO, DEV or PROD. Prod is solid red and says so in words; demo is teal and says "simulated".
Rectangle {
    id: badge
    property string mode: "demo"
    readonly property color tone: Theme.modeColor(mode)
    implicitWidth: row.implicitWidth + 18
    implicitHeight: 26
    radius: 4
    color: mode === "prod" ? tone : Qt.rgba(tone.r, tone.g, tone.b, 0.18)
    border.color: tone
    border.width: mode === "prod" ? 2 : 1
    Accessible.role: Accessible.StaticText
    Accessible.name: qsTr("Mode: %1").arg(label.text + " " + detail.text)

    Row {
        id: row
        anchors.centerIn: parent
        spacing: 6
        Text {
            id: label
            text: badge.mode.toUpperCase()
            color: badge.mode === "prod" ? "#ffffff" : badge.tone
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            font.bold: true
            font.letterSpacing: 1.2
        }
        Text {
            id: detail
            text: badge.mode === "prod" ? qsTr("live production") : badge.mode === "dev" ? qsTr("development") : qsTr("simulated fleet")
            color: badge.mode === "prod" ? "#ffffff" : badge.tone
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            anchors.verticalCenter: parent.verticalCenter
        }
    }
}
