import QtQuick

// A small coloured label: statuses, levels, counts.
Rectangle {
    id: pill
    property alias text: label.text
    property color tone: Theme.textMuted
    property bool solid: false
    implicitWidth: label.implicitWidth + 14
    implicitHeight: 20
    radius: height / 2
    color: solid ? tone : Qt.rgba(tone.r, tone.g, tone.b, 0.16)
    border.color: Qt.rgba(tone.r, tone.g, tone.b, solid ? 1 : 0.45)
    Accessible.role: Accessible.StaticText
    Accessible.name: label.text

    Text {
        id: label
        anchors.centerIn: parent
        color: pill.solid ? "#ffffff" : pill.tone
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontSmall
        font.bold: true
    }
}
