import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Opsdeck.Ui
import Opsdeck.Core
import Opsdeck.Auth
import Opsdeck.Agents
import Opsdeck.Metrics
import Opsdeck.Logs
import Opsdeck.Terminal

// The console window: mode badge and connection state always in view, four panes, keyboard first.
ApplicationWindow {
    id: root

    required property AppSession session
    property string initialPane: "agents"
    property bool darkTheme: true
    property bool showProfiles: false
    property bool showLogin: false
    Component.onCompleted: {
        Theme.dark = darkTheme
        if (showProfiles)
            profilesDialog.open()
        // --login: when the silent sign-in is still under way, interactiveSignInNeeded opens it.
        if (showLogin && session.signIn && !session.signIn.busy && !session.signIn.signedIn)
            loginDialog.open()
    }
    readonly property var paneNames: ["agents", "metrics", "terminal", "logs"]
    property int currentPane: Math.max(0, paneNames.indexOf(initialPane))

    width: 1440
    height: 900
    minimumWidth: 1100
    minimumHeight: 680
    visible: true
    title: qsTr("Opsdeck — %1 (%2)").arg(session.profileName).arg(session.mode.toUpperCase())
    color: Theme.window
    font.family: Theme.fontFamily
    font.pixelSize: Theme.fontBody

    function showPane(name) {
        const index = paneNames.indexOf(name)
        if (index >= 0)
            currentPane = index
    }

    header: TopBar {
        session: root.session
        onPaletteRequested: palette.open()
        onProfilesRequested: profilesDialog.open()
        onSignInRequested: loginDialog.open()
    }

    // A production session gets a red frame around everything: no one mistakes it for the demo.
    Rectangle {
        anchors.fill: parent
        z: 100
        color: "transparent"
        border.color: Theme.prod
        border.width: root.session.mode === "prod" ? 3 : 0
        visible: border.width > 0
    }

    RowLayout {
        anchors.fill: parent
        spacing: 0

        NavRail {
            Layout.fillHeight: true
            currentIndex: root.currentPane
            onActivated: index => root.currentPane = index
        }

        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 0

            ProblemBanner {
                Layout.fillWidth: true
                session: root.session
            }

            StackLayout {
                id: panes
                Layout.fillWidth: true
                Layout.fillHeight: true
                currentIndex: root.currentPane

                AgentsPane {
                    id: agentsPane
                    session: root.session
                }
                MetricsPane {
                    session: root.session
                }
                TerminalPane {
                    session: root.session
                }
                LogsPane {
                    id: logsPane
                    session: root.session
                }
            }
        }
    }

    Shortcut { sequence: "Ctrl+1"; onActivated: root.currentPane = 0 }
    Shortcut { sequence: "Ctrl+2"; onActivated: root.currentPane = 1 }
    Shortcut { sequence: "Ctrl+3"; onActivated: root.currentPane = 2 }
    Shortcut { sequence: "Ctrl+4"; onActivated: root.currentPane = 3 }
    Shortcut { sequence: "Ctrl+K"; onActivated: palette.open() }
    Shortcut {
        sequence: "/"
        enabled: !palette.opened
        onActivated: {
            root.currentPane = 3
            logsPane.focusSearch()
        }
    }

    ProfilesDialog {
        id: profilesDialog
        session: root.session
    }

    // Dev/Prod sign-in: opens when a silent sign-in from the keychain did not work.
    LoginDialog {
        id: loginDialog
        controller: root.session.signIn
        mode: root.session.mode === "dev" ? "dev" : "prod"
    }
    Connections {
        target: root.session.signIn
        ignoreUnknownSignals: true
        function onInteractiveSignInNeeded() {
            if (root.session.mode !== "demo")
                loginDialog.open()
        }
        // Signed in, but the keychain could not remember it: the dialog says so (with OK).
        function onNoticeChanged() {
            if (root.session.signIn.signedIn && root.session.signIn.notice !== "")
                loginDialog.open()
        }
    }

    CommandPalette {
        id: palette
        session: root.session
        onProfilesRequested: profilesDialog.open()
        onPaneRequested: name => root.showPane(name)
        onAgentRequested: id => {
            root.showPane("agents")
            agentsPane.selectAgent(id)
        }
    }
}
