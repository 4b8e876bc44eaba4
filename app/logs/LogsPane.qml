import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Opsdeck.Ui
import Opsdeck.Core
import Opsdeck.Logs

// The Logs pane: the live log of the hub (history, then live entries; gaps shown, never hidden)
// and any local log files opened beside it, each in its own tab with its own filters.
Item {
    id: pane
    required property AppSession session

    property int currentTab: 0 // 0: Live; 1…: fileTabs[i - 1]
    readonly property LogView currentView: currentTab === 0 ? liveView
        : (fileViews.itemAt(currentTab - 1) ? fileViews.itemAt(currentTab - 1) : liveView)

    function focusSearch() {
        currentView.focusSearch()
    }
    function openFile(path) {
        for (let i = 0; i < fileTabs.count; ++i) {
            if (fileTabs.get(i).path === path) {
                currentTab = i + 1
                return
            }
        }
        fileTabs.append({ path: path, name: LogsUi.fileName(path) })
        currentTab = fileTabs.count
    }
    function closeFile(index) {
        if (currentTab >= index + 1)
            currentTab = Math.max(0, currentTab - 1)
        fileTabs.remove(index)
    }

    LogModel {
        id: liveModel
        objectName: "logModel"
    }
    LogFeed {
        id: feed
        objectName: "logFeed"
        client: pane.session ? pane.session.client : null
        model: liveModel
        history: 2000
    }
    LogStats {
        id: liveStats
        model: liveModel
    }
    ListModel { id: fileTabs }

    Rectangle { anchors.fill: parent; color: Theme.window }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        // ---- tabs ---------------------------------------------------------------------------
        Rectangle {
            Layout.fillWidth: true
            implicitHeight: 38
            color: Theme.window
            Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1; color: Theme.border }

            RowLayout {
                anchors.fill: parent
                anchors.leftMargin: 12
                anchors.rightMargin: 12
                spacing: 2

                Tab {
                    objectName: "liveTab"
                    title: qsTr("Live")
                    dot: feed.state === "active" ? Theme.ok : Theme.textFaint
                    active: pane.currentTab === 0
                    closable: false
                    onActivated: pane.currentTab = 0
                }
                Repeater {
                    model: fileTabs
                    delegate: Tab {
                        required property int index
                        required property string name
                        required property string path
                        title: name
                        tip: path
                        active: pane.currentTab === index + 1
                        closable: true
                        onActivated: pane.currentTab = index + 1
                        onCloseRequested: pane.closeFile(index)
                    }
                }
                Item { Layout.fillWidth: true }
                ToolbarButton {
                    objectName: "openFileButton"
                    glyph: "+"
                    text: qsTr("Open file…")
                    tip: qsTr("Open a local log file in a new tab")
                    onClicked: openDialog.open()
                }
            }
        }

        // ---- the views ----------------------------------------------------------------------
        Item {
            Layout.fillWidth: true
            Layout.fillHeight: true

            LogView {
                id: liveView
                objectName: "liveView"
                anchors.fill: parent
                visible: pane.currentTab === 0
                live: true
                logModel: liveModel
                stats: liveStats
                feedState: feed.state
            }
            Repeater {
                id: fileViews
                model: fileTabs
                delegate: LogView {
                    id: fileView
                    required property int index
                    required property string path
                    anchors.fill: parent
                    visible: pane.currentTab === index + 1
                    live: false
                    logModel: fileModel
                    stats: fileStats
                    loading: loader.running
                    loadProgress: loader.progress
                    statusNote: loader.errorString.length > 0 ? qsTr("Could not read %1: %2").arg(path).arg(loader.errorString) : path
                    LogModel {
                        id: fileModel
                        objectName: "fileLogModel"
                        followTail: false
                    }
                    LogStats { id: fileStats; model: fileModel }
                    LogFileLoader { id: loader }
                    Component.onCompleted: loader.load(path, fileModel)
                    Component.onDestruction: loader.cancel()
                }
            }
        }
    }

    FileDialog {
        id: openDialog
        title: qsTr("Open a log file")
        fileMode: FileDialog.OpenFile
        nameFilters: [qsTr("Log files (*.log *.txt *.out *.err *.ndjson *.jsonl)"), qsTr("All files (*)")]
        onAccepted: pane.openFile(LogsUi.localPath(selectedFile))
    }

    component Tab: AbstractButton {
        id: tab
        property string title
        property string tip: ""
        property color dot: "transparent"
        property bool active: false
        property bool closable: false
        signal activated()
        signal closeRequested()
        onClicked: activated()
        implicitHeight: 38
        implicitWidth: tabRow.implicitWidth + 24
        focusPolicy: Qt.TabFocus
        Accessible.role: Accessible.PageTab
        Accessible.name: title
        Accessible.selected: active
        ToolTip.visible: hovered && tip.length > 0
        ToolTip.delay: 600
        ToolTip.text: tip
        background: Item {
            Rectangle {
                anchors.fill: parent
                anchors.topMargin: 6
                radius: Theme.radius
                color: tab.active ? Theme.panel : tab.hovered ? Theme.panelHover : "transparent"
                border.color: tab.active ? Theme.border : "transparent"
            }
            Rectangle {
                visible: tab.active
                anchors.bottom: parent.bottom
                width: parent.width
                height: 2
                color: Theme.accent
            }
        }
        contentItem: Item {
            Row {
                id: tabRow
                anchors.centerIn: parent
                anchors.verticalCenterOffset: 3
                spacing: 7
                Rectangle {
                    visible: !tab.closable
                    width: 8; height: 8; radius: 4
                    anchors.verticalCenter: parent.verticalCenter
                    color: tab.dot
                }
                Text {
                    text: tab.title
                    color: tab.active ? Theme.text : Theme.textMuted
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontBody
                    font.bold: tab.active
                    anchors.verticalCenter: parent.verticalCenter
                }
                AbstractButton {
                    id: closeButton
                    visible: tab.closable
                    width: 18; height: 18
                    anchors.verticalCenter: parent.verticalCenter
                    focusPolicy: Qt.NoFocus
                    Accessible.name: qsTr("Close %1").arg(tab.title)
                    onClicked: tab.closeRequested()
                    contentItem: Text {
                        text: "✕"
                        color: closeButton.hovered ? Theme.text : Theme.textFaint
                        font.pixelSize: 10
                        horizontalAlignment: Text.AlignHCenter
                        verticalAlignment: Text.AlignVCenter
                    }
                    background: Rectangle { radius: 9; color: closeButton.hovered ? Theme.panelHover : "transparent" }
                }
            }
        }
    }
}
