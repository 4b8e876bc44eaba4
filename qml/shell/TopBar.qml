import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Opsdeck.Ui
import Opsdeck.Core

// Always visible: product, mode badge, profile and hub, connection state with reconnect
// countdown, queued messages and latency.
Rectangle {
    id: bar
    required property AppSession session
    // Dev/Prod sign-in (null when the app runs without one).
    readonly property var signIn: session.signIn
    signal paletteRequested()
    signal profilesRequested()
    signal signInRequested()

    implicitHeight: 52
    color: Theme.panel
    Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1; color: Theme.border }

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.pad
        anchors.rightMargin: Theme.pad
        spacing: Theme.gap

        Text {
            text: "Opsdeck"
            color: Theme.text
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontTitle + 2
            font.bold: true
        }

        ModeBadge {
            objectName: "modeBadge"
            mode: bar.session.mode
            hub: bar.signIn ? bar.signIn.hub : ""
            user: bar.signIn && bar.signIn.signedIn ? bar.signIn.user : ""
            busy: bar.signIn ? bar.signIn.busy : false
        }

        // The profile and its hub; a click opens the profile manager.
        AbstractButton {
            id: profileButton
            objectName: "profileButton"
            implicitWidth: profileColumn.implicitWidth + 16
            implicitHeight: profileColumn.implicitHeight + 8
            onClicked: bar.profilesRequested()
            Accessible.name: qsTr("Profile %1; manage profiles").arg(bar.session.profileName)
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Switch or manage connection profiles")
            ToolTip.delay: 600
            background: Rectangle {
                radius: Theme.radius
                color: profileButton.hovered ? Theme.panelHover : "transparent"
                border.color: profileButton.visualFocus ? Theme.accent : "transparent"
            }
            contentItem: ColumnLayout {
                id: profileColumn
                spacing: 0
                BodyText {
                    text: bar.session.profileName + "  ▾"
                    font.bold: true
                }
                BodyText {
                    text: bar.session.hubLabel
                    color: Theme.textMuted
                    font.pixelSize: Theme.fontSmall
                }
            }
        }

        // Dev and Prod: sign in (the login dialog) or sign out (the hub forgets the session, the
        // keychain its entry).
        Button {
            id: accountButton
            objectName: "accountButton"
            visible: bar.signIn !== null && bar.session.mode !== "demo"
            enabled: bar.signIn !== null && !bar.signIn.busy
            text: bar.signIn && bar.signIn.signedIn ? qsTr("Sign out") : qsTr("Sign in…")
            flat: true
            onClicked: bar.signIn.signedIn ? bar.signIn.signOut() : bar.signInRequested()
            Accessible.name: bar.signIn && bar.signIn.signedIn ? qsTr("Sign out of %1").arg(bar.signIn.hub)
                                                               : qsTr("Sign in to this profile's hub")
            contentItem: Text {
                text: accountButton.text
                color: accountButton.enabled ? Theme.text : Theme.textFaint
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
                horizontalAlignment: Text.AlignHCenter
                verticalAlignment: Text.AlignVCenter
            }
            background: Rectangle {
                implicitWidth: 84
                implicitHeight: 30
                radius: Theme.radius
                color: accountButton.hovered ? Theme.panelHover : Theme.panelRaised
                border.color: accountButton.visualFocus ? Theme.accent : Theme.border
            }
        }

        Item { Layout.fillWidth: true }

        Button {
            id: paletteButton
            text: qsTr("Search or run…  Ctrl+K")
            flat: true
            onClicked: bar.paletteRequested()
            Accessible.name: qsTr("Open the command palette")
            contentItem: Text {
                text: paletteButton.text
                color: Theme.textMuted
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
                verticalAlignment: Text.AlignVCenter
            }
            background: Rectangle {
                implicitWidth: 220
                implicitHeight: 30
                radius: Theme.radius
                color: paletteButton.hovered ? Theme.panelHover : Theme.panelRaised
                border.color: Theme.border
            }
        }

        ConnectionIndicator {
            session: bar.session
        }

        Metric {
            label: qsTr("queued")
            value: bar.session.client.queuedCount
            tone: bar.session.client.queuedCount > 0 ? Theme.warn : Theme.textMuted
        }
        Metric {
            label: qsTr("latency")
            value: bar.session.connected && bar.session.client.latencyMs >= 0 ? bar.session.client.latencyMs + " ms" : "—"
            tone: bar.session.client.latencyMs > 500 ? Theme.warn : Theme.textMuted
        }

        Button {
            id: themeButton
            text: Theme.dark ? "☀" : "☾"
            flat: true
            onClicked: Theme.dark = !Theme.dark
            Accessible.name: Theme.dark ? qsTr("Switch to the light theme") : qsTr("Switch to the dark theme")
            ToolTip.visible: hovered
            ToolTip.text: Accessible.name
            contentItem: Text {
                text: themeButton.text
                color: Theme.textMuted
                font.pixelSize: 16
                horizontalAlignment: Text.AlignHCenter
                verticalAlignment: Text.AlignVCenter
            }
            background: Rectangle { implicitWidth: 30; implicitHeight: 30; radius: 15; color: themeButton.hovered ? Theme.panelHover : "transparent" }
        }
    }

    component Metric: ColumnLayout {
        property string label
        property var value
        property color tone: Theme.textMuted
        spacing: 0
        Text {
            text: String(parent.value)
            color: parent.tone
            font.family: Theme.monoFamily
            font.pixelSize: Theme.fontBody
            font.bold: true
            Layout.alignment: Qt.AlignRight
        }
        Text {
            text: parent.label
            color: Theme.textFaint
            font.family: Theme.fontFamily
            font.pixelSize: 10
            Layout.alignment: Qt.AlignRight
        }
    }
}
