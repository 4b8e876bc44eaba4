import QtQuick
import QtTest
import Opsdeck.Ui
import Opsdeck.Core
import Opsdeck.Metrics

// What an operator sees and does in the Metrics pane against the live demo hub: sources appear
// (hosts first), the first host is shown with history and live points in every chart, the
// window switches between 1, 5 and 15 minutes, an agent shows no disk chart, and the hub-health
// panel fills from `stats`.
TestCase {
    id: testCase
    name: "MetricsPane"
    width: 1280
    height: 800
    visible: true
    when: windowShown

    Component {
        id: paneComponent
        MetricsPane {
            width: testCase.width
            height: testCase.height
            session: testSession
        }
    }

    function grab(item, name) {
        if (grabDir !== "")
            grabImage(item).save(grabDir + "/" + name + ".png")
    }

    function makePane() {
        const pane = createTemporaryObject(paneComponent, testCase)
        verify(pane)
        const store = findChild(pane, "metricsStore")
        verify(store)
        tryVerify(() => store.sources.count >= 5, 15000, "the demo fleet's sources appear")
        tryVerify(() => pane.currentSource !== "" && store.sources.kindAt(0) === "host"
                        && pane.currentSource === store.sources.sourceAt(0), 5000, "the first host is shown")
        return pane
    }

    function test_1_firstHostWithCharts() {
        const pane = makePane()
        const store = findChild(pane, "metricsStore")
        compare(store.sources.kindAt(0), "host")
        compare(pane.currentSource, store.sources.sourceAt(0))
        const cpu = findChild(pane, "cpuChart")
        const memory = findChild(pane, "memoryChart")
        const network = findChild(pane, "networkChart")
        const disk = findChild(pane, "diskChart")
        tryVerify(() => cpu.hasData && memory.hasData && network.hasData && disk.hasData, 10000,
                  "every chart of a host has points")
        verify(disk.available)
        verify(store.pointCount > 0)
        verify(network.unit.endsWith("/s"))
        // Live points keep coming.
        const before = store.count(pane.currentSource, 0)
        tryVerify(() => store.count(pane.currentSource, 0) > before, 5000)

        const health = findChild(pane, "hubHealth")
        tryVerify(() => health.valid, 10000, "hub stats arrive")
        verify(health.connections >= 1)
        grab(pane, "metrics-host")
    }

    function test_2_windowSelector() {
        const pane = makePane()
        const cpu = findChild(pane, "cpuChart")
        compare(pane.windowSeconds, 300)
        const selector = findChild(pane, "windowSelector")
        verify(selector)
        const oneMinute = findChild(selector, "window60")
        verify(oneMinute)
        mouseClick(oneMinute)
        compare(pane.windowSeconds, 60)
        compare(cpu.windowSeconds, 60)
        mouseClick(findChild(selector, "window900"))
        compare(pane.windowSeconds, 900)
        compare(cpu.windowSeconds, 900)
    }

    function test_3_agentHasNoDiskChart() {
        const pane = makePane()
        const store = findChild(pane, "metricsStore")
        let agentRow = -1
        for (let row = 0; row < store.sources.count; ++row) {
            if (store.sources.kindAt(row) === "agent") {
                agentRow = row
                break
            }
        }
        verify(agentRow > 0, "agents come after hosts")
        const list = findChild(pane, "sourceList")
        verify(list)
        list.positionViewAtIndex(agentRow, 0)
        const agent = store.sources.sourceAt(agentRow)
        let delegate = null
        tryVerify(() => {
            const children = list.contentItem.children
            for (let i = 0; i < children.length; ++i)
                if (children[i].source === agent)
                    delegate = children[i]
            return delegate !== null
        }, 3000)
        mouseClick(delegate)
        compare(pane.currentSource, agent)
        const disk = findChild(pane, "diskChart")
        tryVerify(() => !disk.available, 3000)
        const cpu = findChild(pane, "cpuChart")
        tryVerify(() => cpu.hasData, 10000)
        // Keyboard: Down moves to the next source.
        list.forceActiveFocus()
        keyClick(Qt.Key_Down)
        verify(pane.currentSource !== agent || agentRow === store.sources.count - 1)
        grab(pane, "metrics-agent")
    }
}
