import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Opsdeck.Ui
import Opsdeck.Logs

// One log view: the toolbar (search, levels, sources, streams, pause, follow, time zone,
// export), a virtualised list over a LogModel and a status line. The Live tab and every opened
// file get one each, so each keeps its own filters and position.
Item {
    id: view

    required property LogModel logModel
    property bool live: false
    property LogStats stats: null
    property string feedState: ""          // live: the subscription's state
    property bool loading: false            // file: still reading
    property real loadProgress: 0
    property string statusNote: ""          // file: "app.log · 12 MB"

    // Selection: rows [min(anchor, end), max(anchor, end)]; -1 = none.
    property int selectionAnchor: -1
    property int selectionEnd: -1
    readonly property int selectionFirst: Math.min(selectionAnchor, selectionEnd)
    readonly property int selectionLast: Math.max(selectionAnchor, selectionEnd)
    readonly property bool hasSelection: selectionAnchor >= 0 && selectionEnd >= 0

    readonly property var levelNames: ["trace", "debug", "info", "warn", "error", "fatal"]
    readonly property alias searchField: search
    readonly property alias list: list

    function focusSearch() {
        search.forceActiveFocus()
        search.selectAll()
    }
    function clearSearch() {
        search.text = ""
        logModel.searchText = ""
    }
    function copySelection() {
        if (!hasSelection)
            return false
        LogsUi.copyText(logModel.rowsText(selectionFirst, selectionLast))
        copiedNote.show(selectionLast - selectionFirst + 1)
        return true
    }
    function select(row, modifiers) {
        if ((modifiers & Qt.ShiftModifier) && selectionAnchor >= 0) {
            selectionEnd = row
        } else {
            selectionAnchor = row
            selectionEnd = row
        }
        list.currentIndex = row
        list.forceActiveFocus()
    }
    function clearSelection() {
        selectionAnchor = -1
        selectionEnd = -1
    }
    function followNow() {
        logModel.followTail = true
        Qt.callLater(scrollToEnd)
    }
    // Where following put the view last: scrolling above it (wheel, drag, keys, scroll bar) is
    // the user reading back, which stops following.
    property real followY: 0
    function scrollToEnd() {
        list.positionViewAtEnd()
        followY = list.contentY
    }
    function nextMatch(forward) {
        const from = list.currentIndex >= 0 ? list.currentIndex : (forward ? -1 : logModel.count)
        const row = logModel.findMatch(from, forward)
        if (row >= 0) {
            logModel.followTail = false
            select(row, 0)
            list.positionViewAtIndex(row, ListView.Center)
        }
        return row
    }

    Connections {
        target: view.logModel
        function onRowsAppended(first, last) {
            if (view.logModel.followTail)
                Qt.callLater(view.scrollToEnd)
        }
        function onModelReset() {
            view.clearSelection()
            if (view.logModel.followTail)
                Qt.callLater(view.scrollToEnd)
        }
        function onRowsRemoved(parent, first, last) {
            // The capacity cap drops the oldest rows: keep the selection on the same entries.
            const n = last - first + 1
            if (view.selectionAnchor >= 0) {
                view.selectionAnchor = Math.max(0, view.selectionAnchor - n)
                view.selectionEnd = Math.max(0, view.selectionEnd - n)
            }
        }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        // ---- toolbar, first row: search and levels -----------------------------------------
        Rectangle {
            Layout.fillWidth: true
            implicitHeight: toolbar.implicitHeight + 16
            color: Theme.panel

            ColumnLayout {
                id: toolbar
                anchors.fill: parent
                anchors.margins: 8
                anchors.leftMargin: 12
                anchors.rightMargin: 12
                spacing: 8

                RowLayout {
                    Layout.fillWidth: true
                    spacing: 6

                    TextField {
                        id: search
                        objectName: "logSearch"
                        Layout.fillWidth: true
                        Layout.minimumWidth: 220
                        Layout.maximumWidth: 560
                        implicitHeight: 30
                        leftPadding: 30
                        rightPadding: search.text.length > 0 ? 28 : 8
                        placeholderText: view.logModel.regex ? qsTr("Regular expression…  ( / )") : qsTr("Search messages…  ( / )")
                        placeholderTextColor: Theme.textFaint
                        color: Theme.text
                        selectByMouse: true
                        selectionColor: Theme.selection
                        selectedTextColor: Theme.text
                        font.family: view.logModel.regex ? Theme.monoFamily : Theme.fontFamily
                        font.pixelSize: Theme.fontBody
                        Accessible.name: qsTr("Search log messages")
                        Accessible.description: qsTr("Press / to focus, Escape to clear, Enter for the next match")
                        background: Rectangle {
                            radius: Theme.radius
                            color: Theme.panelRaised
                            border.color: view.logModel.filterError.length > 0 ? Theme.error
                                        : search.activeFocus ? Theme.accent : Theme.border
                            border.width: search.activeFocus || view.logModel.filterError.length > 0 ? 2 : 1
                        }
                        Text {
                            anchors.left: parent.left
                            anchors.leftMargin: 10
                            anchors.verticalCenter: parent.verticalCenter
                            text: "⌕"
                            color: Theme.textMuted
                            font.pixelSize: 16
                        }
                        AbstractButton {
                            id: clearButton
                            visible: search.text.length > 0
                            anchors.right: parent.right
                            anchors.rightMargin: 4
                            anchors.verticalCenter: parent.verticalCenter
                            width: 22; height: 22
                            focusPolicy: Qt.NoFocus
                            Accessible.name: qsTr("Clear the search")
                            onClicked: view.clearSearch()
                            contentItem: Text {
                                text: "✕"
                                color: clearButton.hovered ? Theme.text : Theme.textMuted
                                font.pixelSize: 11
                                horizontalAlignment: Text.AlignHCenter
                                verticalAlignment: Text.AlignVCenter
                            }
                            background: Rectangle { radius: 11; color: clearButton.hovered ? Theme.panelHover : "transparent" }
                        }
                        // Typing re-filters after a short pause: a million rows are not re-scanned per key.
                        onTextChanged: searchDelay.restart()
                        Timer {
                            id: searchDelay
                            interval: 150
                            onTriggered: view.logModel.searchText = search.text
                        }
                        Keys.onEscapePressed: event => {
                            if (search.text.length > 0) {
                                view.clearSearch()
                            } else {
                                list.forceActiveFocus()
                            }
                            event.accepted = true
                        }
                        Keys.onReturnPressed: event => {
                            searchDelay.stop()
                            view.logModel.searchText = search.text
                            view.nextMatch(!(event.modifiers & Qt.ShiftModifier))
                        }
                        Keys.onEnterPressed: event => {
                            searchDelay.stop()
                            view.logModel.searchText = search.text
                            view.nextMatch(!(event.modifiers & Qt.ShiftModifier))
                        }
                        Keys.onDownPressed: list.forceActiveFocus()
                    }

                    ToolbarButton {
                        objectName: "regexToggle"
                        text: ".*"
                        font.family: Theme.monoFamily
                        font.bold: true
                        checkable: true
                        checked: view.logModel.regex
                        onToggled: view.logModel.regex = checked
                        tip: qsTr("Regular expression")
                        Accessible.name: qsTr("Regular expression search")
                    }
                    Row {
                        spacing: 0
                        Layout.alignment: Qt.AlignVCenter
                        ToolbarButton {
                            objectName: "filterMode"
                            text: qsTr("Filter")
                            checkable: true
                            autoExclusive: false
                            checked: view.logModel.filterOnly
                            onClicked: view.logModel.filterOnly = true
                            tip: qsTr("Show only the entries that match")
                            Accessible.name: qsTr("Filter: show only matching entries")
                        }
                        ToolbarButton {
                            objectName: "highlightMode"
                            text: qsTr("Highlight")
                            checkable: true
                            autoExclusive: false
                            checked: !view.logModel.filterOnly
                            onClicked: view.logModel.filterOnly = false
                            tip: qsTr("Show everything and mark the matches (Enter: next match)")
                            Accessible.name: qsTr("Highlight: show all entries and mark matches")
                        }
                    }
                    ToolbarButton {
                        visible: !view.logModel.filterOnly && view.logModel.searchText.length > 0
                        glyph: "↑"
                        tip: qsTr("Previous match (Shift+Enter)")
                        Accessible.name: qsTr("Previous match")
                        onClicked: view.nextMatch(false)
                    }
                    ToolbarButton {
                        visible: !view.logModel.filterOnly && view.logModel.searchText.length > 0
                        glyph: "↓"
                        tip: qsTr("Next match (Enter)")
                        Accessible.name: qsTr("Next match")
                        onClicked: view.nextMatch(true)
                    }

                    Item { Layout.fillWidth: true; Layout.minimumWidth: 8 }

                    Repeater {
                        model: view.levelNames
                        delegate: LevelChip {
                            required property string modelData
                            objectName: "level-" + modelData
                            level: modelData
                            entries: view.stats ? (view.stats.levelCounts[modelData] || 0) : 0
                            checked: view.logModel.levels.indexOf(modelData) >= 0
                            onClicked: view.logModel.setLevelEnabled(modelData, checked)
                        }
                    }
                }

                // ---- toolbar, second row: sources, streams, time, live controls, export ------
                RowLayout {
                    Layout.fillWidth: true
                    spacing: 6

                    ChoiceButton {
                        objectName: "sourcePicker"
                        caption: qsTr("Source")
                        allOption: qsTr("All sources")
                        options: view.logModel.knownSources
                        selected: view.logModel.sources
                        onChosen: values => view.logModel.sources = values
                    }
                    ChoiceButton {
                        objectName: "streamPicker"
                        caption: qsTr("Stream")
                        allOption: qsTr("All streams")
                        options: view.logModel.knownStreams
                        selected: view.logModel.streams
                        onChosen: values => view.logModel.streams = values
                    }
                    ToolbarButton {
                        visible: view.logModel.sources.length + view.logModel.streams.length > 0
                                 || view.logModel.levels.length < view.levelNames.length
                                 || view.logModel.searchText.length > 0
                        text: qsTr("Reset filters")
                        tip: qsTr("Show every level, source and stream and clear the search")
                        onClicked: {
                            view.logModel.levels = view.levelNames
                            view.logModel.sources = []
                            view.logModel.streams = []
                            view.clearSearch()
                        }
                    }

                    Text {
                        objectName: "filterErrorText"
                        visible: view.logModel.filterError.length > 0
                        Layout.fillWidth: true
                        Layout.minimumWidth: 100
                        text: "⚠ " + view.logModel.filterError
                        color: Theme.error
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontSmall + 1
                        elide: Text.ElideRight
                        Accessible.role: Accessible.AlertMessage
                        Accessible.name: qsTr("Invalid regular expression: %1").arg(view.logModel.filterError)
                    }
                    Item { Layout.fillWidth: true; visible: view.logModel.filterError.length === 0 }

                    ToolbarButton {
                        objectName: "utcToggle"
                        text: view.logModel.utc ? "UTC" : qsTr("Local")
                        glyph: "◷"
                        checkable: true
                        checked: view.logModel.utc
                        onToggled: view.logModel.utc = checked
                        tip: view.logModel.utc ? qsTr("Timestamps in UTC; click for local time") : qsTr("Timestamps in local time; click for UTC")
                        Accessible.name: qsTr("Show timestamps in UTC")
                    }
                    ToolbarButton {
                        objectName: "followToggle"
                        text: qsTr("Follow")
                        glyph: "⤓"
                        checkable: true
                        checked: view.logModel.followTail
                        onToggled: checked ? view.followNow() : (view.logModel.followTail = false)
                        tip: qsTr("Keep the newest entry in view")
                        Accessible.name: qsTr("Follow the newest entries")
                    }
                    ToolbarButton {
                        objectName: "pauseButton"
                        visible: view.live
                        glyph: view.logModel.paused ? "▶" : "❚❚"
                        text: view.logModel.paused
                              ? (view.logModel.pendingCount > 0 ? qsTr("Resume · %1 new").arg(LogsUi.number(view.logModel.pendingCount)) : qsTr("Resume"))
                              : qsTr("Pause")
                        emphasized: view.logModel.paused
                        tone: Theme.warn
                        tip: view.logModel.paused ? qsTr("Show the entries that arrived while paused") : qsTr("Hold the view still; nothing is lost")
                        Accessible.name: view.logModel.paused ? qsTr("Resume the live log") : qsTr("Pause the live log")
                        onClicked: view.logModel.paused ? view.logModel.resume() : view.logModel.pause()
                    }
                    ToolbarButton {
                        objectName: "exportButton"
                        text: qsTr("Export…")
                        glyph: "⇩"
                        enabled: !exporter.running
                        tip: qsTr("Save the filtered view or the whole history to a file")
                        onClicked: exportPopup.opened ? exportPopup.close() : exportPopup.open()
                        Popup {
                            id: exportPopup
                            y: parent.height + 4
                            x: parent.width - width
                            width: 300
                            padding: 12
                            focus: true
                            property int scope: LogExporter.FilteredView
                            property int format: LogExporter.Text
                            background: Rectangle { color: Theme.panel; border.color: Theme.borderStrong; radius: Theme.radius }
                            contentItem: ColumnLayout {
                                spacing: 4
                                SectionLabel { text: qsTr("Entries") }
                                Choice {
                                    text: qsTr("Filtered view (%1)").arg(LogsUi.number(view.logModel.count))
                                    on: exportPopup.scope === LogExporter.FilteredView
                                    onClicked: exportPopup.scope = LogExporter.FilteredView
                                }
                                Choice {
                                    text: qsTr("Whole history (%1)").arg(LogsUi.number(view.logModel.totalCount))
                                    on: exportPopup.scope === LogExporter.WholeHistory
                                    onClicked: exportPopup.scope = LogExporter.WholeHistory
                                }
                                SectionLabel { text: qsTr("Format"); Layout.topMargin: 6 }
                                Choice {
                                    text: qsTr("Text lines (.log)")
                                    on: exportPopup.format === LogExporter.Text
                                    onClicked: exportPopup.format = LogExporter.Text
                                }
                                Choice {
                                    text: qsTr("NDJSON, protocol shape (.ndjson)")
                                    on: exportPopup.format === LogExporter.Ndjson
                                    onClicked: exportPopup.format = LogExporter.Ndjson
                                }
                                ToolbarButton {
                                    Layout.topMargin: 8
                                    Layout.fillWidth: true
                                    text: qsTr("Choose file and export…")
                                    emphasized: true
                                    onClicked: {
                                        exportPopup.close()
                                        saveDialog.selectedFile = LogsUi.exportUrl(exportPopup.format === LogExporter.Ndjson)
                                        saveDialog.open()
                                    }
                                }
                            }
                        }
                    }
                }
            }
            Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1; color: Theme.border }
        }

        // ---- column header --------------------------------------------------------------------
        Rectangle {
            Layout.fillWidth: true
            implicitHeight: 24
            color: Theme.panelRaised
            Item {
                anchors.fill: parent
                anchors.leftMargin: 10
                Header { x: 0; text: view.logModel.utc ? qsTr("Time (UTC)") : qsTr("Time (local)") }
                Header { x: list.timeWidth; text: qsTr("Level") }
                Header { x: list.timeWidth + 58; text: qsTr("Source") }
                Header { x: list.timeWidth + 58 + list.sourceWidth + 34; text: qsTr("Message") }
            }
            Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1; color: Theme.border }
        }

        // ---- the list -----------------------------------------------------------------------
        Item {
            Layout.fillWidth: true
            Layout.fillHeight: true

            ListView {
                id: list
                objectName: "logList"
                anchors.fill: parent
                clip: true
                model: view.logModel
                reuseItems: true
                cacheBuffer: 400
                boundsBehavior: Flickable.StopAtBounds
                currentIndex: -1
                highlightFollowsCurrentItem: false
                // Room under the last row for the paused banner, so it never hides an entry.
                bottomMargin: view.live && view.logModel.paused ? 48 : 0
                activeFocusOnTab: true
                keyNavigationEnabled: false
                readonly property int timeWidth: 184
                readonly property int sourceWidth: Math.min(150, Math.max(96, width * 0.09))
                Accessible.role: Accessible.List
                Accessible.name: view.live ? qsTr("Live log entries") : qsTr("Log file entries")

                delegate: LogRow {
                    timeWidth: list.timeWidth
                    sourceWidth: list.sourceWidth
                    selected: view.hasSelection && index >= view.selectionFirst && index <= view.selectionLast
                    current: list.activeFocus && index === list.currentIndex
                    highlightMode: !view.logModel.filterOnly
                    onPressed: (row, modifiers) => view.select(row, modifiers)
                    onExpandToggled: row => view.logModel.toggleExpanded(row)
                }

                // The user scrolling away from the end stops following; dragging back to the end
                // resumes it.
                onMovementEnded: if (atYEnd) view.logModel.followTail = true
                onContentYChanged: {
                    if (view.logModel.followTail && !atYEnd && contentY < view.followY - 2)
                        view.logModel.followTail = false
                }

                ScrollBar.vertical: ScrollBar {
                    id: vbar
                    policy: ScrollBar.AlwaysOn
                    minimumSize: 0.04
                    onPressedChanged: if (!pressed && list.atYEnd) view.logModel.followTail = true
                }

                Keys.onPressed: event => {
                    const last = view.logModel.count - 1
                    let row = list.currentIndex
                    if (event.matches(StandardKey.Copy)) {
                        event.accepted = view.copySelection()
                        return
                    }
                    switch (event.key) {
                    case Qt.Key_Down: row = Math.min(last, row + 1); break
                    case Qt.Key_Up: row = Math.max(0, row - 1); break
                    case Qt.Key_PageDown: row = Math.min(last, row + Math.max(1, Math.floor(list.height / 22) - 1)); break
                    case Qt.Key_PageUp: row = Math.max(0, row - Math.max(1, Math.floor(list.height / 22) - 1)); break
                    case Qt.Key_Home: row = 0; break
                    case Qt.Key_End: view.followNow(); view.select(last, 0); event.accepted = true; return
                    case Qt.Key_Return:
                    case Qt.Key_Enter:
                    case Qt.Key_Space:
                        if (row >= 0) view.logModel.toggleExpanded(row)
                        event.accepted = true
                        return
                    case Qt.Key_Escape:
                        view.clearSelection()
                        event.accepted = true
                        return
                    default:
                        return
                    }
                    if (row < 0 || last < 0)
                        return
                    view.logModel.followTail = row === last
                    view.select(row, event.modifiers)
                    list.positionViewAtIndex(row, ListView.Contain)
                    event.accepted = true
                }
            }

            // Empty states.
            Column {
                anchors.centerIn: parent
                spacing: 6
                visible: view.logModel.count === 0
                BodyText {
                    anchors.horizontalCenter: parent.horizontalCenter
                    text: view.logModel.totalCount > 0 ? qsTr("No entries match the filters")
                        : view.loading ? qsTr("Reading the file…")
                        : view.live ? (view.feedState === "active" ? qsTr("Waiting for log entries…") : qsTr("Connecting to the hub…"))
                        : qsTr("The file has no entries")
                    color: Theme.textMuted
                    font.pixelSize: Theme.fontTitle
                }
                BodyText {
                    anchors.horizontalCenter: parent.horizontalCenter
                    visible: view.logModel.totalCount > 0
                    text: qsTr("%1 entries are hidden by the level, source, stream or search filters").arg(LogsUi.number(view.logModel.totalCount))
                    color: Theme.textFaint
                }
            }

            // "Jump to newest" when not following.
            ToolbarButton {
                objectName: "jumpToNewest"
                anchors.right: parent.right
                anchors.bottom: parent.bottom
                anchors.rightMargin: 24
                anchors.bottomMargin: 12
                visible: !view.logModel.followTail && view.logModel.count > 0 && !list.atYEnd
                emphasized: true
                glyph: "⤓"
                text: qsTr("Newest")
                tip: qsTr("Jump to the newest entry and follow (End)")
                onClicked: view.followNow()
            }

            // Paused banner over the bottom of the list.
            Rectangle {
                visible: view.live && view.logModel.paused
                anchors.horizontalCenter: parent.horizontalCenter
                anchors.bottom: parent.bottom
                anchors.bottomMargin: 12
                width: pausedRow.implicitWidth + 24
                height: 30
                radius: 15
                color: Theme.warn
                Row {
                    id: pausedRow
                    anchors.centerIn: parent
                    spacing: 8
                    Text {
                        text: view.logModel.pendingCount > 0
                              ? qsTr("Paused — %1 new entries waiting").arg(LogsUi.number(view.logModel.pendingCount))
                              : qsTr("Paused — new entries will wait here")
                        color: "#1c2230"
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontSmall + 1
                        font.bold: true
                    }
                }
            }

            // Copied confirmation.
            Rectangle {
                id: copiedNote
                function show(n) {
                    copiedText.text = n === 1 ? qsTr("Copied 1 entry") : qsTr("Copied %1 entries").arg(LogsUi.number(n))
                    opacity = 1
                    copiedTimer.restart()
                }
                opacity: 0
                visible: opacity > 0
                anchors.top: parent.top
                anchors.horizontalCenter: parent.horizontalCenter
                anchors.topMargin: 10
                width: copiedText.implicitWidth + 24
                height: 28
                radius: 14
                color: Theme.panelRaised
                border.color: Theme.borderStrong
                Behavior on opacity { NumberAnimation { duration: 150 } }
                Text { id: copiedText; anchors.centerIn: parent; color: Theme.text; font.family: Theme.fontFamily; font.pixelSize: Theme.fontSmall + 1 }
                Timer { id: copiedTimer; interval: 1500; onTriggered: copiedNote.opacity = 0 }
            }
        }

        // ---- status line ----------------------------------------------------------------------
        Rectangle {
            Layout.fillWidth: true
            implicitHeight: 26
            color: Theme.panel
            Rectangle { anchors.top: parent.top; width: parent.width; height: 1; color: Theme.border }
            RowLayout {
                anchors.fill: parent
                anchors.leftMargin: 12
                anchors.rightMargin: 12
                spacing: 14
                Status {
                    objectName: "countText"
                    // Entries waiting behind a pause are not "hidden": they are counted apart.
                    readonly property int held: view.logModel.totalCount - view.logModel.pendingCount
                    text: (view.logModel.count === held
                           ? qsTr("%1 entries").arg(LogsUi.number(view.logModel.count))
                           : qsTr("%1 of %2 entries shown").arg(LogsUi.number(view.logModel.count)).arg(LogsUi.number(held)))
                          + (view.logModel.pendingCount > 0 ? qsTr(" · %1 waiting").arg(LogsUi.number(view.logModel.pendingCount)) : "")
                    color: Theme.text
                }
                Status {
                    visible: view.hasSelection
                    text: qsTr("%1 selected · Ctrl+C copies").arg(LogsUi.number(view.selectionLast - view.selectionFirst + 1))
                }
                Status {
                    visible: view.stats !== null && view.stats.gapCount > 0
                    text: view.stats && view.stats.gapCount === 1 ? qsTr("1 gap") : qsTr("%1 gaps").arg(view.stats ? view.stats.gapCount : 0)
                    color: Theme.warn
                }
                Status {
                    visible: view.live && view.stats !== null
                    text: view.stats ? qsTr("%1/s").arg(view.stats.rate < 10 ? view.stats.rate.toFixed(1) : Math.round(view.stats.rate)) : ""
                }
                Status {
                    visible: view.live
                    text: view.feedState === "active" ? qsTr("● live") : view.feedState === "failed" ? qsTr("● subscription failed") : qsTr("○ connecting")
                    color: view.feedState === "active" ? Theme.ok : view.feedState === "failed" ? Theme.error : Theme.textMuted
                }
                Status { visible: view.statusNote.length > 0; text: view.statusNote }
                Item { Layout.fillWidth: true }

                // File loading progress.
                Status { visible: view.loading; text: qsTr("Reading %1%").arg(Math.round(view.loadProgress * 100)) }
                ProgressBar {
                    visible: view.loading
                    Layout.preferredWidth: 160
                    value: view.loadProgress
                    Accessible.name: qsTr("File loading progress")
                    background: Rectangle { implicitHeight: 6; radius: 3; color: Theme.panelRaised; border.color: Theme.border }
                    contentItem: Item {
                        Rectangle { width: parent.width * view.loadProgress; height: 6; radius: 3; color: Theme.accent }
                    }
                }

                // Export progress and result.
                Status {
                    id: exportStatus
                    objectName: "exportStatus"
                    visible: text.length > 0
                    property bool failed: false
                    color: failed ? Theme.error : Theme.textMuted
                    text: ""
                }
                ProgressBar {
                    id: exportProgress
                    visible: exporter.running
                    Layout.preferredWidth: 160
                    value: exporter.progress
                    Accessible.name: qsTr("Export progress")
                    background: Rectangle { implicitHeight: 6; radius: 3; color: Theme.panelRaised; border.color: Theme.border }
                    contentItem: Item {
                        Rectangle { width: parent.width * exporter.progress; height: 6; radius: 3; color: Theme.accent }
                    }
                }
                ToolbarButton {
                    visible: exporter.running
                    implicitHeight: 20
                    text: qsTr("Cancel")
                    tip: qsTr("Stop the export; no partial file is left")
                    onClicked: exporter.cancel()
                }
                Status {
                    text: view.logModel.utc ? qsTr("UTC") : qsTr("local time")
                    color: Theme.textFaint
                }
            }
        }
    }

    LogExporter {
        id: exporter
        objectName: "logExporter"
        onProgressed: (done, total) => {
            exportStatus.failed = false
            exportStatus.text = qsTr("Exporting %1 of %2…").arg(LogsUi.number(done)).arg(LogsUi.number(total))
        }
        onFinished: (ok, error, written) => {
            exportStatus.failed = !ok
            exportStatus.text = ok ? qsTr("Exported %1 entries to %2").arg(LogsUi.number(written)).arg(exporter.lastFile)
                                   : qsTr("Export failed: %1").arg(error)
        }
        property string lastFile: ""
    }
    function exportTo(path, format, scope) {
        exporter.lastFile = LogsUi.fileName(path)
        exportStatus.failed = false
        exportStatus.text = qsTr("Exporting…")
        if (!exporter.start(view.logModel, path, format, scope) && !exporter.running) {
            exportStatus.failed = true
            if (exportStatus.text === qsTr("Exporting…"))
                exportStatus.text = qsTr("Could not write %1").arg(path)
        }
    }

    FileDialog {
        id: saveDialog
        title: qsTr("Export log entries")
        fileMode: FileDialog.SaveFile
        nameFilters: exportPopup.format === LogExporter.Ndjson ? [qsTr("NDJSON (*.ndjson *.jsonl)"), qsTr("All files (*)")]
                                                               : [qsTr("Log files (*.log *.txt)"), qsTr("All files (*)")]
        onAccepted: view.exportTo(LogsUi.localPath(selectedFile), exportPopup.format, exportPopup.scope)
    }

    component Header: Text {
        anchors.verticalCenter: parent.verticalCenter
        color: Theme.textFaint
        font.family: Theme.fontFamily
        font.pixelSize: 10
        font.bold: true
        font.letterSpacing: 0.8
        font.capitalization: Font.AllUppercase
    }
    component Status: Text {
        color: Theme.textMuted
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontSmall
        elide: Text.ElideRight
    }
    component Choice: AbstractButton {
        id: choice
        property bool on: false
        Layout.fillWidth: true
        implicitHeight: 26
        Accessible.role: Accessible.RadioButton
        Accessible.name: text
        Accessible.checked: on
        background: Rectangle { radius: 4; color: choice.hovered || choice.visualFocus ? Theme.panelHover : "transparent" }
        contentItem: Row {
            spacing: 8
            leftPadding: 4
            Rectangle {
                anchors.verticalCenter: parent.verticalCenter
                width: 14; height: 14; radius: 7
                color: "transparent"
                border.color: choice.on ? Theme.accent : Theme.borderStrong
                border.width: choice.on ? 4 : 1
            }
            Text {
                anchors.verticalCenter: parent.verticalCenter
                text: choice.text
                color: Theme.text
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
            }
        }
    }
}
