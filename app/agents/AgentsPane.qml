import QtQuick
import Opsdeck.Ui
import Opsdeck.Core

// The agent monitor (filled in by the agents work).
Item {
    id: pane
    required property AppSession session
    function selectAgent(id) {}
    BodyText { anchors.centerIn: parent; text: qsTr("Agents") }
}
