import QtQuick
import Opsdeck.Ui
import Opsdeck.Core

// Live charts and hub health (filled in by the metrics work).
Item {
    id: pane
    required property AppSession session
    BodyText { anchors.centerIn: parent; text: qsTr("Metrics") }
}
