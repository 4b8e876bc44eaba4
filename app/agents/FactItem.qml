import QtQuick
import QtQuick.Layouts
import Opsdeck.Ui

// A caption over a value in the detail panel ("HEARTBEAT" / "2 s").
ColumnLayout {
    id: fact
    property string label: ""
    property string value: ""
    property color tone: Theme.text
    property bool mono: false
    spacing: 2
    Accessible.role: Accessible.StaticText
    Accessible.name: label + ": " + value

    SectionLabel {
        text: fact.label
        Layout.fillWidth: true
        elide: Text.ElideRight
    }
    BodyText {
        Layout.fillWidth: true
        text: fact.value.length > 0 ? fact.value : "—"
        color: fact.value.length > 0 ? fact.tone : Theme.textFaint
        font.family: fact.mono ? Theme.monoFamily : Theme.fontFamily
    }
}
