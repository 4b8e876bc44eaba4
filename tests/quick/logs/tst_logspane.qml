import QtQuick
import QtTest
import Opsdeck.Ui
import Opsdeck.Core
import Opsdeck.Logs

// What an operator does in the Logs pane: search (and clear it with Esc), filter by level, read
// an invalid regex's error, highlight instead of filter, pause without losing entries, expand a
// stack trace, see a gap, follow the tail or scroll away from it, switch to UTC, copy rows,
// export, and open a local file in its own tab.
TestCase {
    id: testCase
    name: "LogsPane"
    width: 1280
    height: 800
    visible: true
    when: windowShown

    Component {
        id: viewComponent
        Item {
            width: testCase.width
            height: testCase.height
            property alias view: logView
            property alias model: logModel
            LogModel { id: logModel }
            LogView {
                id: logView
                anchors.fill: parent
                live: true
                logModel: logModel
            }
        }
    }
    Component {
        id: paneComponent
        LogsPane {
            width: testCase.width
            height: testCase.height
            session: testSession
        }
    }

    property int nextSeq: 1
    function entry(level, message, extra) {
        const e = { type: "log", topic: "logs", epoch: "e-test", seq: nextSeq++,
                    timestamp: "2026-11-21T12:00:00.123Z", stream: "stdout", level: level,
                    source: "web-01", host: "edge-1", message: message }
        for (const key in extra || {})
            e[key] = extra[key]
        return e
    }
    function makeView(entries) {
        const root = createTemporaryObject(viewComponent, testCase)
        verify(root)
        if (entries)
            root.model.appendEntryArray(entries)
        return root
    }
    // The delegate of `row` once the view has laid it out.
    function rowAt(list, row) {
        list.forceLayout()
        tryVerify(() => list.itemAtIndex(row) !== null, 2000, "row " + row + " is laid out")
        return list.itemAtIndex(row)
    }
    function typeText(text) {
        for (let i = 0; i < text.length; ++i)
            keyClick(text[i])
    }
    function fourEntries() {
        return [entry("info", "GET /api/orders 200"),
                entry("debug", "cache miss orders:42"),
                entry("error", "upstream timeout after 3000 ms", { stream: "stderr" }),
                entry("warn", "slow request: timeout budget 80% used")]
    }

    function init() { nextSeq = 1 }

    function test_liveFeedFillsTheListAndSlashSearchFocus() {
        const pane = createTemporaryObject(paneComponent, testCase)
        verify(pane)
        const model = findChild(pane, "logModel")
        verify(model, "the pane's live model is findable as logModel")
        tryVerify(() => model.count > 0, 20000, "entries from the hub reach the list")
        const view = findChild(pane, "liveView")
        tryVerify(() => view.list.count === model.count)

        pane.focusSearch()
        verify(view.searchField.activeFocus, "focusSearch() puts the cursor in the search field")
        typeText("zzzz-no-such-text")
        tryCompare(model, "searchText", "zzzz-no-such-text")
        tryCompare(model, "count", 0)
        keyClick(Qt.Key_Escape)
        compare(view.searchField.text, "")
        compare(model.searchText, "")
        tryVerify(() => model.count > 0)
    }

    function test_levelChipHidesThatLevel() {
        const root = makeView(fourEntries())
        compare(root.view.list.count, 4)
        const chip = findChild(root.view, "level-debug")
        verify(chip.checked)
        mouseClick(chip)
        verify(!root.model.isLevelEnabled("debug"))
        verify(!chip.checked)
        compare(root.view.list.count, 3)
        mouseClick(chip)
        compare(root.view.list.count, 4)
    }

    function test_searchFiltersAndEscClears() {
        const root = makeView(fourEntries())
        root.view.focusSearch()
        typeText("timeout")
        tryCompare(root.model, "searchText", "timeout")
        compare(root.view.list.count, 2)
        keyClick(Qt.Key_Escape)
        compare(root.model.searchText, "")
        compare(root.view.list.count, 4)
    }

    function test_invalidRegexShowsItsError() {
        const root = makeView(fourEntries())
        mouseClick(findChild(root.view, "regexToggle"))
        verify(root.model.regex)
        root.view.focusSearch()
        typeText("time(out")
        tryVerify(() => root.model.filterError.length > 0)
        const error = findChild(root.view, "filterErrorText")
        verify(error.visible)
        verify(error.text.indexOf(root.model.filterError) >= 0)
        // The broken expression does not blank the view.
        compare(root.view.list.count, 4)
        keyClick(Qt.Key_Escape)
        tryCompare(root.model, "filterError", "")
        verify(!error.visible)
    }

    function test_highlightModeMarksMatchesAndKeepsEveryRow() {
        const root = makeView(fourEntries())
        mouseClick(findChild(root.view, "highlightMode"))
        verify(!root.model.filterOnly)
        root.view.focusSearch()
        typeText("timeout")
        tryCompare(root.model, "searchText", "timeout")
        compare(root.view.list.count, 4)
        const matching = rowAt(root.view.list, 2)
        verify(matching.matches)
        compare(matching.matchRanges.length, 1)
        const plain = rowAt(root.view.list, 0)
        verify(!plain.matches)
        // Enter jumps to the next match.
        keyClick(Qt.Key_Return)
        compare(root.view.list.currentIndex, 2)
        root.view.searchField.forceActiveFocus()
        keyClick(Qt.Key_Return)
        compare(root.view.list.currentIndex, 3)
    }

    function test_pauseHoldsRowsAndShowsHowManyAreNew() {
        const root = makeView(fourEntries())
        const button = findChild(root.view, "pauseButton")
        compare(button.text, "Pause")
        mouseClick(button)
        verify(root.model.paused)
        root.model.appendEntryArray([entry("info", "a"), entry("info", "b"), entry("info", "c")])
        compare(root.view.list.count, 4)
        compare(button.text, "Resume · 3 new")
        mouseClick(button)
        verify(!root.model.paused)
        compare(root.view.list.count, 7)
        compare(button.text, "Pause")
    }

    function test_multiLineEntryExpands() {
        const root = makeView([entry("error", "Unhandled exception\n  at OrderService.place (orders.cpp:88)\n  at Router.dispatch (router.cpp:41)")])
        const row = rowAt(root.view.list, 0)
        compare(row.lineCount, 3)
        compare(row.firstLine, "Unhandled exception")
        const expander = findChild(row, "expander")
        verify(expander.visible)
        compare(expander.contentItem.text, "+2 lines")
        const collapsed = row.height
        mouseClick(expander)
        verify(row.expanded)
        verify(row.height > collapsed * 2, "the whole stack trace is shown")
        mouseClick(expander)
        verify(!row.expanded)
        compare(row.height, collapsed)
    }

    function test_gapIsAVisibleRow() {
        const root = makeView(fourEntries())
        root.model.appendGap({ type: "gap", topic: "logs", epoch: "e-test", reason: "retention_exceeded",
                               from_seq: 5, to_seq: 504, ts: "2026-11-21T12:00:01Z" })
        compare(root.view.list.count, 5)
        const row = rowAt(root.view.list, 4)
        verify(row.isGap)
        compare(row.firstLine, "500 entries missing (retention exceeded)")
        verify(row.Accessible.name.indexOf("500 entries missing") >= 0)
        // Filtering everything else away leaves the gap in view.
        mouseClick(findChild(root.view, "level-info"))
        mouseClick(findChild(root.view, "level-debug"))
        mouseClick(findChild(root.view, "level-warn"))
        mouseClick(findChild(root.view, "level-error"))
        compare(root.view.list.count, 1)
        verify(rowAt(root.view.list, 0).isGap)
    }

    function test_followTailAndScrollingAway() {
        const root = makeView()
        const list = root.view.list
        let batch = []
        for (let i = 0; i < 400; ++i)
            batch.push(entry("info", "line " + i))
        root.model.appendEntryArray(batch)
        tryVerify(() => list.contentHeight > list.height && list.atYEnd && list.itemAtIndex(399) !== null, 2000,
                  "following: the newest entry is in view")
        verify(root.model.followTail)

        // The user scrolls up: following stops and new entries do not move the view.
        mouseWheel(list, list.width / 2, list.height / 2, 0, 1200)
        tryVerify(() => !root.model.followTail, 2000, "scrolling up stops following")
        tryVerify(() => !list.moving, 2000)
        const y = list.contentY
        root.model.appendEntryArray([entry("info", "newer 1"), entry("info", "newer 2")])
        list.forceLayout() // lay out the inserted rows now
        compare(list.contentY, y)
        const jump = findChild(root.view, "jumpToNewest")
        tryVerify(() => jump.visible, 2000, "a jump-to-newest button appears")

        mouseClick(jump)
        verify(root.model.followTail)
        tryVerify(() => list.atYEnd, 2000, "jumping brings the newest entry into view")
        root.model.appendEntryArray([entry("info", "newest")])
        tryVerify(() => list.atYEnd && list.itemAtIndex(list.count - 1) !== null, 2000, "and keeps following")
    }

    function test_utcToggleChangesTimestamps() {
        const root = makeView([entry("info", "hello")])
        mouseClick(findChild(root.view, "utcToggle"))
        verify(root.model.utc)
        tryCompare(rowAt(root.view.list, 0), "timestamp", "2026-11-21 12:00:00.123")
    }

    function test_selectRowsAndCopy() {
        const root = makeView(fourEntries())
        const list = root.view.list
        mouseClick(rowAt(list, 1), 300, 10)
        mouseClick(rowAt(list, 2), 300, 10, Qt.LeftButton, Qt.ShiftModifier)
        verify(rowAt(list, 1).selected && rowAt(list, 2).selected)
        verify(!rowAt(list, 0).selected && !rowAt(list, 3).selected)
        verify(list.activeFocus)
        keySequence(StandardKey.Copy)
        const text = LogsUi.clipboardText()
        const lines = text.split("\n")
        compare(lines.length, 2)
        verify(lines[0].indexOf("DEBUG web-01@edge-1 stdout: cache miss orders:42") >= 0, lines[0])
        verify(lines[1].indexOf("ERROR web-01@edge-1 stderr: upstream timeout after 3000 ms") >= 0, lines[1])
    }

    function test_exportFilteredViewAsText() {
        const root = makeView(fourEntries())
        mouseClick(findChild(root.view, "level-debug"))
        const path = testDir + "/export.log"
        root.view.exportTo(path, LogExporter.Text, LogExporter.FilteredView)
        const status = findChild(root.view, "exportStatus")
        tryVerify(() => status.text.indexOf("Exported 3 entries") === 0, 5000, status.text)
        const xhr = new XMLHttpRequest()
        xhr.open("GET", "file://" + path, false)
        xhr.send()
        const lines = xhr.responseText.trim().split("\n")
        compare(lines.length, 3)
        verify(lines[0].indexOf("GET /api/orders 200") > 0)
        verify(xhr.responseText.indexOf("cache miss") < 0, "the hidden debug entry is not exported")
    }

    function test_openFileInItsOwnTab() {
        const pane = createTemporaryObject(paneComponent, testCase)
        pane.openFile(fixturesDir + "/java_trace.log")
        compare(pane.currentTab, 1)
        const view = pane.currentView
        verify(view !== findChild(pane, "liveView"), "the file has its own view")
        const fileModel = view.logModel
        compare(fileModel.objectName, "fileLogModel")
        tryCompare(fileModel, "count", 3, 5000)
        verify(!findChild(pane, "liveView").visible)
        tryVerify(() => view.list.count === 3)
        compare(rowAt(view.list, 1).lineCount, 7)
        compare(rowAt(view.list, 1).level, "error")
        // The level chips count the file's entries.
        tryCompare(findChild(view, "level-error"), "entries", 1)
        compare(findChild(view, "level-info").entries, 2)
        // "/" searches the visible tab.
        pane.focusSearch()
        verify(view.searchField.activeFocus)
        pane.closeFile(0)
        compare(pane.currentTab, 0)
        verify(findChild(pane, "liveView").visible)
    }
}
