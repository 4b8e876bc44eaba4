import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Opsdeck.Ui
import Opsdeck.Logs

// A multi-select picker (sources, streams): a button that names the selection and a popup of
// check boxes. An empty selection means "all".
ToolbarButton {
    id: picker
    property string caption: ""          // "Source"
    property string allText: qsTr("all")
    property string allOption: qsTr("All")
    property var options: []             // every value known so far
    property var selected: []            // the chosen values; [] = all
    signal chosen(var values)

    text: caption + ": " + (selected.length === 0 ? allText
                            : selected.length === 1 ? selected[0]
                            : qsTr("%1 selected").arg(selected.length))
    glyph: ""
    checked: selected.length > 0
    checkable: false
    tip: qsTr("Choose which %1 to show").arg(caption.toLowerCase())
    onClicked: popup.opened ? popup.close() : popup.open()

    function toggle(value) {
        const next = selected.slice()
        const at = next.indexOf(value)
        if (at >= 0)
            next.splice(at, 1)
        else
            next.push(value)
        chosen(next.length === options.length ? [] : next)
    }

    Popup {
        id: popup
        y: picker.height + 4
        width: Math.max(picker.width, 220)
        padding: 6
        focus: true
        background: Rectangle {
            color: Theme.panel
            border.color: Theme.borderStrong
            radius: Theme.radius
        }
        contentItem: ColumnLayout {
            spacing: 2
            OptionRow {
                Layout.fillWidth: true
                text: picker.allOption
                on: picker.selected.length === 0
                onActivated: picker.chosen([])
            }
            Rectangle { Layout.fillWidth: true; height: 1; color: Theme.border }
            ListView {
                Layout.fillWidth: true
                Layout.preferredHeight: Math.min(contentHeight, 300)
                clip: true
                model: picker.options
                boundsBehavior: Flickable.StopAtBounds
                ScrollBar.vertical: ScrollBar {}
                delegate: OptionRow {
                    required property string modelData
                    width: ListView.view.width
                    text: modelData
                    on: picker.selected.indexOf(modelData) >= 0
                    onActivated: picker.toggle(modelData)
                }
            }
            BodyText {
                visible: picker.options.length === 0
                text: qsTr("Nothing seen yet")
                color: Theme.textFaint
                Layout.margins: 6
            }
        }
    }

    component OptionRow: AbstractButton {
        id: option
        property bool on: false
        signal activated()
        onClicked: activated()
        implicitHeight: 28
        Accessible.role: Accessible.CheckBox
        Accessible.name: text
        Accessible.checked: on
        background: Rectangle { radius: 4; color: option.hovered || option.visualFocus ? Theme.panelHover : "transparent" }
        contentItem: RowLayout {
            spacing: 8
            Rectangle {
                Layout.leftMargin: 6
                width: 14; height: 14; radius: 3
                color: option.on ? Theme.accent : "transparent"
                border.color: option.on ? Theme.accent : Theme.borderStrong
                Text {
                    anchors.centerIn: parent
                    visible: option.on
                    text: "✓"
                    color: Theme.accentText
                    font.pixelSize: 11
                    font.bold: true
                }
            }
            BodyText {
                Layout.fillWidth: true
                text: option.text
            }
        }
    }
}
