import QtQuick
import QtQuick.Layouts
import Opsdeck.Ui
import Opsdeck.Core
import Opsdeck.Terminal

// Terminal tabs: shells on the hub's host through the console's one hub connection
// (docs/protocol.md §11). A tab bar, the current tab's terminal, and a status line. The first
// tab opens when the pane is first shown — not at start-up — so a console that never visits the
// pane never asks the hub for a PTY. When the hub refuses, the pane says why and what to do.
Item {
    id: pane
    property AppSession session: null
    // The connection; tests lend one without an AppSession.
    property var client: session ? session.client : null
    property int currentIndex: 0
    property TerminalSession current: null
    readonly property alias tabs: tabsModel
    readonly property alias terminal: term

    function syncCurrent() {
        if (tabsModel.count === 0) {
            current = null
            return
        }
        currentIndex = Math.max(0, Math.min(currentIndex, tabsModel.count - 1))
        current = tabsModel.sessionAt(currentIndex)
    }
    function newTab() {
        // With a known grid the shell opens at once; otherwise when the view has its size.
        currentIndex = hostReachable ? tabsModel.newTab(term.cols, term.rows) : tabsModel.newTab(0, 0)
        syncCurrent()
        term.forceActiveFocus()
    }
    function closeTab(index) {
        tabsModel.close(index)
        if (currentIndex >= index && currentIndex > 0)
            currentIndex -= 1
        syncCurrent()
    }
    // Where new shells open can be reached: the local hub, or a linked remote hub whose link is
    // up (a Dev/Prod profile before sign-in is not: the tab waits instead of failing).
    readonly property bool hostReachable: !session || session.remoteHub === "" || session.remoteHubConnected
    function openPending() {
        if (current && current.state === TerminalSession.Idle && term.cols > 0 && hostReachable)
            current.open(term.cols, term.rows)
    }
    onHostReachableChanged: {
        if (!hostReachable)
            return
        // A tab that found the link down when it asked gets its shell now, without a click.
        if (current && current.state === TerminalSession.Failed && current.errorCode === "HUB_UNAVAILABLE"
                && current.hub === session.remoteHub)
            current.open(term.cols, term.rows)
        else
            openPending()
    }

    // The first visit opens the first shell (visibility can change during construction, so both
    // paths go through the same count check).
    function ensureTab() {
        if (visible && client && tabsModel.count === 0)
            newTab()
    }

    onCurrentIndexChanged: syncCurrent()
    onVisibleChanged: {
        ensureTab()
        if (visible)
            term.forceActiveFocus()
    }
    onClientChanged: ensureTab()
    Component.onCompleted: ensureTab()

    TerminalTabsModel {
        id: tabsModel
        objectName: "terminalTabs"
        client: pane.client
        // Dev/Prod: new shells open on the profile's hub host, through the embedded hub's link.
        remoteHub: pane.session ? pane.session.remoteHub : ""
    }

    Shortcut {
        sequence: "Ctrl+Shift+T"
        enabled: pane.visible
        onActivated: pane.newTab()
    }
    Shortcut {
        sequence: "Ctrl+Shift+W"
        enabled: pane.visible && tabsModel.count > 0
        onActivated: pane.closeTab(pane.currentIndex)
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        TerminalTabBar {
            Layout.fillWidth: true
            tabs: tabsModel
            currentIndex: pane.currentIndex
            onActivated: index => {
                pane.currentIndex = index
                term.forceActiveFocus()
            }
            onNewTabRequested: pane.newTab()
            onCloseRequested: index => pane.closeTab(index)
        }

        Rectangle {
            id: body
            Layout.fillWidth: true
            Layout.fillHeight: true
            color: Theme.window

            TerminalItem {
                id: term
                objectName: "terminalItem"
                anchors.fill: parent
                screen: pane.current ? pane.current.screen : null
                visible: pane.current !== null && pane.current.state !== TerminalSession.Failed
                focus: true
                inputEnabled: pane.current !== null && pane.current.state === TerminalSession.Ready
                fontFamily: Theme.monoFamily
                fontPixelSize: Theme.fontBody
                foreground: Theme.text
                background: Theme.window
                cursorColor: Theme.accent
                selectionColor: Theme.selection
                onGridSizeChanged: pane.openPending()
                onScreenChanged: pane.openPending()
            }

            // Reconnecting and exited are said in a strip over the top row of the terminal, not
            // beside it: the grid keeps its size (no resize churn at the PTY during an outage) and
            // the rest of the screen stays readable (the output is what the operator wants to see).
            Rectangle {
                id: strip
                objectName: "terminalStrip"
                readonly property bool reconnecting: pane.current !== null
                                                     && pane.current.state === TerminalSession.Reconnecting
                readonly property bool exited: pane.current !== null && pane.current.state === TerminalSession.Exited
                visible: reconnecting || exited
                anchors.left: parent.left
                anchors.right: parent.right
                anchors.top: parent.top
                // Whole terminal rows (and the grid's top padding): no row is half hidden.
                height: term.cellHeight > 0 ? 6 + Math.ceil(26 / term.cellHeight) * term.cellHeight : 32
                // Opaque: the terminal's top row must not show through the words (it is hidden
                // for as long as the strip is there; everything below stays readable).
                color: Qt.tint(Theme.window, Qt.rgba(tone.r, tone.g, tone.b, Theme.dark ? 0.18 : 0.12))
                readonly property color tone: reconnecting ? Theme.warn : Theme.textMuted
                Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1; color: strip.tone; opacity: 0.5 }
                RowLayout {
                    anchors.fill: parent
                    anchors.leftMargin: 12
                    anchors.rightMargin: 8
                    BodyText {
                        Layout.fillWidth: true
                        color: Theme.text
                        text: strip.reconnecting
                              ? (pane.current.hub !== ""
                                 ? qsTr("The link to %1 is down — the shell keeps running there. Reconnecting; the screen comes back as it was.")
                                   .arg(pane.current.hub)
                                 : qsTr("Connection lost — the shell keeps running on the hub. Reconnecting; the screen comes back as it was."))
                              : qsTr("The shell ended — %1. Its output stays here; press Restart for a new shell in this tab.")
                                .arg(pane.current ? pane.current.stateText : "")
                    }
                    BodyText {
                        visible: strip.exited
                        text: qsTr("Restart")
                        color: Theme.accent
                        font.bold: true
                        MouseArea {
                            anchors.fill: parent
                            cursorShape: Qt.PointingHandCursor
                            onClicked: {
                                pane.current.open(term.cols, term.rows)
                                term.forceActiveFocus()
                            }
                        }
                    }
                }
            }

            TerminalMessage {
                id: message
                objectName: "terminalMessage"
                anchors.centerIn: parent
                readonly property bool failed: pane.current !== null && pane.current.state === TerminalSession.Failed
                readonly property bool opening: pane.current !== null
                                                && (pane.current.state === TerminalSession.Opening
                                                    || pane.current.state === TerminalSession.Idle)
                visible: pane.current === null || failed || opening
                glyphColor: failed ? Theme.error : Theme.textFaint
                title: {
                    if (pane.current === null)
                        return pane.client ? qsTr("No terminal open") : qsTr("Not connected to a hub")
                    if (opening)
                        return pane.current.hub !== "" ? qsTr("Opening a shell on %1's host…").arg(pane.current.hub)
                                                       : qsTr("Opening a shell on the hub's host…")
                    switch (pane.current.errorCode) {
                    case "FORBIDDEN": return qsTr("This hub does not allow terminals")
                    case "HUB_UNAVAILABLE": return qsTr("Not connected to %1").arg(pane.current.hub)
                    case "LINK_CLOSED": return qsTr("No longer linked to %1").arg(pane.current.hub)
                    case "UNKNOWN_TYPE": return qsTr("This hub does not serve terminals")
                    default: return qsTr("The terminal could not be opened")
                    }
                }
                body: {
                    if (pane.current === null)
                        return pane.client ? qsTr("Open a shell on the hub's host with + or Ctrl+Shift+T. It keeps running "
                                                  + "while the network is down and comes back as it was.")
                                           : qsTr("Terminals run through the console's hub connection. Pick a profile from the top bar.")
                    if (opening && pane.current.state === TerminalSession.Idle && !pane.hostReachable)
                        return qsTr("Waiting for the link to %1 — sign in if asked; the shell opens as soon as the link is up.")
                               .arg(pane.current.hub)
                    if (opening)
                        return pane.client && pane.client.state !== 2 /* Connected */
                               ? qsTr("Waiting for the hub connection; the shell opens as soon as it is back.")
                               : ""
                    return pane.current.errorHint
                }
                detail: failed ? qsTr("hub said: %1 — %2").arg(pane.current.errorCode).arg(pane.current.errorString) : ""
                actionText: pane.current === null ? (pane.client ? qsTr("New terminal") : "")
                                                  : failed ? qsTr("Try again") : ""
                onActionTriggered: {
                    if (pane.current === null)
                        pane.newTab()
                    else
                        pane.current.open(term.cols, term.rows)
                }
            }
        }

        TerminalStatusLine {
            Layout.fillWidth: true
            session: pane.current
            cols: term.cols
            rows: term.rows
            scrollOffset: term.scrollOffset
            zoom: term.zoom
        }
    }
}
