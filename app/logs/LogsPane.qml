import QtQuick
import Opsdeck.Ui
import Opsdeck.Core

// The log viewer (filled in by the logs pane work).
Item {
    id: pane
    required property AppSession session
    function focusSearch() {}
    BodyText { anchors.centerIn: parent; text: qsTr("Logs") }
}
