import QtQuick
import QtQuick.Controls
import Opsdeck.Ui

// One sortable column header: a click sorts by the column, a second click reverses the order.
AbstractButton {
    id: cell
    property string title: ""
    property int alignment: Text.AlignLeft
    property bool sorted: false
    property bool descending: false

    focusPolicy: Qt.TabFocus
    Accessible.role: Accessible.ColumnHeader
    Accessible.name: sorted ? qsTr("%1, sorted %2").arg(title).arg(descending ? qsTr("descending") : qsTr("ascending"))
                            : qsTr("Sort by %1").arg(title)

    background: Rectangle {
        color: cell.hovered ? Theme.panelHover : "transparent"
        border.color: cell.visualFocus ? Theme.accent : "transparent"
    }
    contentItem: Item {
        Row {
            spacing: 4
            anchors.verticalCenter: parent.verticalCenter
            x: cell.alignment === Text.AlignRight ? parent.width - width : 0
            layoutDirection: cell.alignment === Text.AlignRight ? Qt.RightToLeft : Qt.LeftToRight
            // Sentence case, not the upper-case caption style: the numeric columns are narrow and
            // "Processed" must be read whole, not as "PRO…".
            Text {
                text: cell.title
                color: cell.sorted ? Theme.text : Theme.textMuted
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
                font.bold: true
                elide: Text.ElideRight
                width: Math.min(implicitWidth, cell.availableWidth - (cell.sorted ? 12 : 0))
            }
            Text {
                text: cell.descending ? "▼" : "▲"
                visible: cell.sorted
                color: Theme.accent
                font.pixelSize: 8
                anchors.verticalCenter: parent.verticalCenter
            }
        }
    }
}
