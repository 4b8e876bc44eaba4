import QtQuick
import QtQuick.Layouts
import Opsdeck.Ui
import Opsdeck.Core
import Opsdeck.Metrics

// The Metrics pane: live CPU, memory, network and disk of one host or agent over 1, 5 or 15
// minutes (history from the hub, then live), and the hub's own health.
Item {
    id: pane
    required property AppSession session

    property string currentSource: ""
    property bool userPicked: false // until the operator picks, the first host is shown
    property int windowSeconds: 300
    readonly property var current: currentSource !== "" && store.latestTimeMs > 0 ? store.latest(currentSource) : ({})
    readonly property bool currentIsHost: current.kind === "host"

    function select(source) {
        if (source === "" || source === currentSource)
            return
        currentSource = source
    }
    function loadHistory() {
        if (currentSource !== "")
            feed.loadHistory(currentSource, windowSeconds)
    }
    function refreshCharts() {
        for (const chart of [cpuChart, memoryChart, networkChart, diskChart])
            chart.refresh()
    }

    onCurrentSourceChanged: loadHistory()
    onWindowSecondsChanged: loadHistory()

    MetricsFeed {
        id: feed
        objectName: "metricsFeed"
        client: pane.session ? pane.session.client : null
    }
    MetricsStore {
        id: store
        objectName: "metricsStore"
        feed: feed
    }
    HubHealth {
        id: health
        objectName: "hubHealth"
        client: pane.session ? pane.session.client : null
        active: pane.visible
    }

    Connections {
        target: store
        // Every tick moves the window (latestTimeMs); coalesce a batch's many updates.
        function onLatestTimeChanged() { Qt.callLater(pane.refreshCharts) }
        function onSourceUpdated(source) {
            if (source === pane.currentSource)
                Qt.callLater(pane.refreshCharts)
        }
        function onGapsChanged() { Qt.callLater(pane.refreshCharts) }
    }
    Connections {
        target: store.sources
        // Start on the first host as soon as sources are known.
        function onCountChanged() {
            if (!pane.userPicked && store.sources.count > 0)
                pane.select(store.sources.sourceAt(0))
        }
        // The subscription replays only each source's newest point (latest value wins): a
        // minute of history per new source gives its picker sparkline a past at once.
        function onRowsInserted(parent, first, last) {
            for (let row = first; row <= last; ++row)
                feed.loadHistory(store.sources.sourceAt(row), 60)
        }
    }
    Connections {
        target: feed
        function onHistoryLoaded(source) {
            if (source === pane.currentSource)
                Qt.callLater(pane.refreshCharts)
        }
    }

    Rectangle { anchors.fill: parent; color: Theme.window }

    RowLayout {
        anchors.fill: parent
        anchors.margins: Theme.pad
        spacing: Theme.gap

        SourcePicker {
            Layout.preferredWidth: pane.width >= 1300 ? 260 : 230
            Layout.fillHeight: true
            store: store
            current: pane.currentSource
            onPicked: source => {
                pane.userPicked = true
                pane.select(source)
            }
        }

        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.gap

            // ---- heading: which source, which window ------------------------------------------
            RowLayout {
                Layout.fillWidth: true
                spacing: 10
                Text {
                    text: pane.currentSource !== "" ? pane.currentSource : qsTr("Metrics")
                    color: Theme.text
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontHero
                    font.bold: true
                    Accessible.role: Accessible.Heading
                    Accessible.name: text
                }
                Pill {
                    visible: pane.current.kind !== undefined
                    text: pane.currentIsHost ? qsTr("host") : qsTr("agent")
                    tone: pane.currentIsHost ? Theme.demo : Theme.info
                }
                BodyText {
                    visible: pane.current.kind !== undefined && !pane.currentIsHost
                    text: qsTr("on %1").arg(pane.current.host)
                    color: Theme.textMuted
                }
                Pill {
                    visible: feed.loading
                    text: qsTr("loading history…")
                    tone: Theme.info
                }
                Pill {
                    visible: store.gapCount > 0
                    text: qsTr("%n hub gap(s) this session", "", store.gapCount)
                    tone: Theme.error
                }
                Item { Layout.fillWidth: true }
                SectionLabel { text: qsTr("Window") }
                WindowSelector {
                    objectName: "windowSelector"
                    seconds: pane.windowSeconds
                    onChosen: seconds => pane.windowSeconds = seconds
                }
            }

            // ---- charts --------------------------------------------------------------------------
            GridLayout {
                Layout.fillWidth: true
                Layout.fillHeight: true
                columns: 2
                rowSpacing: Theme.gap
                columnSpacing: Theme.gap

                MetricChart {
                    id: cpuChart
                    objectName: "cpuChart"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    Layout.preferredWidth: 1
                    Layout.preferredHeight: 1
                    store: store
                    source: pane.currentSource
                    windowSeconds: pane.windowSeconds
                    title: qsTr("CPU")
                    metric: "cpu"
                    lineColor: Theme.dark ? "#4c8dff" : "#2563eb"
                    valueText: pane.current.cpu !== undefined ? pane.current.cpu.toFixed(1) + " %" : ""
                    detailText: pane.currentIsHost ? qsTr("of all cores") : qsTr("of its 2-core limit")
                }
                MetricChart {
                    id: memoryChart
                    objectName: "memoryChart"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    Layout.preferredWidth: 1
                    Layout.preferredHeight: 1
                    store: store
                    source: pane.currentSource
                    windowSeconds: pane.windowSeconds
                    title: qsTr("Memory")
                    metric: "memory"
                    lineColor: Theme.dark ? "#a371f7" : "#8250df"
                    valueText: pane.current.memoryPercent !== undefined ? pane.current.memoryPercent.toFixed(1) + " %" : ""
                    detailText: pane.current.memoryMiB !== undefined
                                ? qsTr("%1 of %2 %3").arg(store.formatMiB(pane.current.memoryMiB))
                                      .arg(store.formatMiB(pane.current.memoryLimitMiB))
                                      .arg(pane.currentIsHost ? qsTr("total") : qsTr("limit"))
                                : ""
                }
                MetricChart {
                    id: networkChart
                    objectName: "networkChart"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    Layout.preferredWidth: 1
                    Layout.preferredHeight: 1
                    store: store
                    source: pane.currentSource
                    windowSeconds: pane.windowSeconds
                    title: qsTr("Network")
                    mode: "rate"
                    metric: "rx"
                    secondMetric: "tx"
                    metricName: qsTr("rx")
                    secondName: qsTr("tx")
                    lineColor: Theme.dark ? "#2aa198" : "#0f766e"
                    secondColor: Theme.dark ? "#e3973e" : "#bc4c00"
                    valueText: pane.current.rx !== undefined ? "↓ " + store.formatRate(pane.current.rx) : ""
                    secondValueText: pane.current.tx !== undefined ? "↑ " + store.formatRate(pane.current.tx) : ""
                    detailText: qsTr("rx / tx")
                }
                MetricChart {
                    id: diskChart
                    objectName: "diskChart"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    Layout.preferredWidth: 1
                    Layout.preferredHeight: 1
                    store: store
                    source: pane.currentSource
                    windowSeconds: pane.windowSeconds
                    title: qsTr("Disk")
                    metric: "disk"
                    lineColor: Theme.dark ? "#d6a23a" : "#9a6700"
                    available: pane.current.hasDisk === true
                    unavailableText: pane.current.kind === "agent"
                                     ? qsTr("Disk is reported per host — see %1.").arg(pane.current.host)
                                     : qsTr("No disk figures for this source.")
                    actionText: pane.current.kind === "agent" ? qsTr("Show %1").arg(pane.current.host) : ""
                    onActionTriggered: {
                        pane.userPicked = true
                        pane.select(pane.current.host)
                    }
                    valueText: pane.current.hasDisk ? pane.current.diskPercent.toFixed(1) + " %" : ""
                    detailText: pane.current.hasDisk
                                ? qsTr("%1 of %2 GiB used").arg(pane.current.diskUsedGiB.toFixed(1))
                                      .arg(pane.current.diskTotalGiB.toFixed(0))
                                : ""
                }
            }

            HealthPanel {
                Layout.fillWidth: true
                health: health
            }
        }
    }
}
