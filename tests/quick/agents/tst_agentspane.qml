import QtQuick
import QtTest
import Opsdeck.Ui
import Opsdeck.Agents

// The Agents pane as an operator uses it: the table lists the fleet, the first agent is
// selected, the filter field and the status chips narrow the table, a header click sorts, a row
// click selects, heartbeat ages turn amber and red, and a command typed while offline is listed
// as queued in the selected agent's console.
Item {
    id: root
    width: 1440
    height: 860

    Component {
        id: paneComponent
        AgentsPane {
            anchors.fill: parent
        }
    }

    function agent(id, status, task, extra) {
        const base = {
            id: id, name: id, kind: id.split("-")[0], host: id.startsWith("db") ? "data-1" : "edge-1",
            version: "1.0", capabilities: ["status", "echo", "sleep", "fail", "chat"],
            status: status, task: task || "", connected: status !== "offline", heartbeatAgoMs: 0,
            queue: { active: 0, active_ids: [], processed: 10, succeeded: 9, failed: 1 }
        }
        return Object.assign(base, extra || {})
    }

    TestCase {
        id: test
        name: "AgentsPane"
        when: windowShown

        property var pane: null

        function findByName(item, name) {
            if (!item)
                return null
            if (item.objectName === name)
                return item
            const kids = item.children || []
            for (let i = 0; i < kids.length; ++i) {
                const found = findByName(kids[i], name)
                if (found)
                    return found
            }
            return null
        }
        function list() { return findByName(pane, "agentList") }
        function visibleIds() {
            const view = list()
            const ids = []
            for (let i = 0; i < view.count; ++i)
                ids.push(findChild(pane, "agentFilterModel").agentIdAt(i))
            return ids
        }

        function init() {
            pane = createTemporaryObject(paneComponent, root, { session: null })
            verify(pane)
            agentsHelper.snapshot(pane, [
                root.agent("web-01", "busy", "Rotate TLS certificates"),
                root.agent("web-02", "idle"),
                root.agent("db-01", "error", "vacuum orders", { queue: { active: 1, active_ids: ["c-9"], processed: 4, succeeded: 1, failed: 3 } }),
                root.agent("cache-01", "offline")
            ])
            tryCompare(list(), "count", 4)
            // Rows and header cells are positioned at the next polish: clicks need them placed.
            waitForRendering(pane)
        }

        function test_tableListsTheFleetAndSelectsTheFirstAgent() {
            compare(findChild(pane, "agentModel").count, 4)
            compare(pane.selectedId, "cache-01") // sorted by id; the first row is selected
            const chip = findByName(pane, "chip_busy")
            compare(chip.count, 1)
            compare(findByName(pane, "chipAll").count, 4)
            // error + offline
            compare(findByName(pane, "chipAttention").count, 2)
        }

        function test_filterFieldAndStatusChipsNarrowTheTable() {
            const field = findByName(pane, "agentFilterField")
            field.forceActiveFocus()
            keyClick(Qt.Key_W)
            keyClick(Qt.Key_E)
            keyClick(Qt.Key_B)
            tryCompare(list(), "count", 2)
            keyClick(Qt.Key_Escape)
            tryCompare(list(), "count", 4)

            mouseClick(findByName(pane, "chip_error"))
            tryCompare(list(), "count", 1)
            compare(visibleIds(), ["db-01"])
            mouseClick(findByName(pane, "chip_error")) // again: all
            tryCompare(list(), "count", 4)
            mouseClick(findByName(pane, "chipAttention"))
            compare(visibleIds(), ["cache-01", "db-01"])
        }

        function test_headerClickSortsAndRowClickSelects() {
            const filter = findChild(pane, "agentFilterModel")
            const header = findByName(pane, "header_status")
            verify(header)
            mouseClick(header)
            compare(filter.sortKey, "status")
            compare(visibleIds(), ["db-01", "cache-01", "web-01", "web-02"])
            mouseClick(header)
            verify(filter.sortDescending)
            compare(visibleIds()[0], "web-02")

            const view = list()
            const row = view.itemAtIndex(visibleIds().indexOf("web-01"))
            verify(row)
            mouseClick(row)
            compare(pane.selectedId, "web-01")
            // The detail panel and its recent actions / console follow the selection.
            compare(findChild(pane, "agentActionsModel").agentId, "web-01")
            compare(findChild(pane, "commandLogModel").agentId, "web-01")

            pane.selectAgent("db-01")
            compare(pane.selectedId, "db-01")
        }

        function test_heartbeatAgeTurnsAmberThenRed() {
            agentsHelper.update(pane, root.agent("web-02", "idle", "", { heartbeatAgoMs: 7000 }))
            agentsHelper.update(pane, root.agent("web-01", "busy", "Rotate TLS certificates", { heartbeatAgoMs: 20000 }))
            agentsHelper.refreshAges(pane)
            const view = list()
            const ids = visibleIds()
            const stale = view.itemAtIndex(ids.indexOf("web-02"))
            const lost = view.itemAtIndex(ids.indexOf("web-01"))
            compare(stale.heartbeatState, "stale")
            compare(stale.beatColor, Theme.warn)
            compare(lost.heartbeatState, "lost")
            compare(lost.beatColor, Theme.error)
            compare(findByName(pane, "chipAttention").count, 4)
        }

        function test_commandWhileOfflineIsQueued() {
            const log = findChild(pane, "commandLogModel")
            log.client = agentsHelper.offlineClient()
            pane.selectAgent("web-01")
            const input = findByName(pane, "commandInput")
            verify(input.enabled)
            input.forceActiveFocus()
            input.text = "echo hello"
            keyClick(Qt.Key_Return)
            tryCompare(log, "count", 1)
            compare(input.text, "")
            compare(log.pendingCount, 1)
            // The console row shows the state an operator needs: queued until the link is back.
            const logView = findByName(pane, "commandLog")
            tryCompare(logView, "count", 1)
            const line = logView.itemAtIndex(0)
            compare(line.command, "echo hello")
            compare(line.commandState, "queued")
            // Another agent's console is its own.
            pane.selectAgent("web-02")
            compare(log.count, 0)
        }
    }
}
