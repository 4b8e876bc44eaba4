import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Opsdeck.Ui
import Opsdeck.Core

// Every connection problem an operator can hit, with what to do next — not only in a log.
Rectangle {
    id: banner
    required property AppSession session
    visible: session.problem.length > 0
    implicitHeight: visible ? layout.implicitHeight + 16 : 0
    color: Qt.rgba(Theme.warn.r, Theme.warn.g, Theme.warn.b, 0.14)
    Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1; color: Theme.warn }

    RowLayout {
        id: layout
        anchors.fill: parent
        anchors.margins: 8
        anchors.leftMargin: Theme.pad
        spacing: Theme.gap
        Text { text: "⚠"; color: Theme.warn; font.pixelSize: 18 }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 2
            BodyText {
                Layout.fillWidth: true
                text: banner.session.problem
                font.bold: true
                wrapMode: Text.WordWrap
            }
            BodyText {
                Layout.fillWidth: true
                text: banner.session.problemHint
                color: Theme.textMuted
                wrapMode: Text.WordWrap
            }
        }
        Button {
            text: qsTr("Retry now")
            visible: !banner.session.connected || banner.session.linkRetryable
            onClicked: banner.session.reconnectNow()
        }
    }
}
