import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtCharts
import Opsdeck.Ui
import Opsdeck.Metrics

// One metric of one source over the chosen window, as a filled line (two for network rx/tx).
// The store fills the series in C++ (one replace() per refresh). Hub gap markers are drawn as
// red bands and silences (no points) as grey bands: missing data is shown, never bridged.
Card {
    id: card
    required property MetricsStore store
    property string source: ""
    property int windowSeconds: 300
    property string title: ""
    property string metric: "cpu"
    property string secondMetric: ""
    property string metricName: ""
    property string secondName: ""
    property color lineColor: Theme.accent
    property color secondColor: Theme.warn
    property string mode: "percent"       // "percent" (0..100 scale) or "rate" (bytes/s)
    property string valueText: ""
    property string secondValueText: ""
    property string detailText: ""
    property bool available: true
    property string unavailableText: ""
    property string actionText: ""        // a button under unavailableText, e.g. "Show the host"
    signal actionTriggered()

    property string unit: "%"
    property int gapCount: 0
    property int silenceCount: 0
    property bool hasData: false // the primary series has points (set by refresh())

    function niceCeiling(value) {
        for (const step of [10, 25, 50, 100])
            if (value * 1.1 <= step)
                return step
        return 100
    }

    function refresh() {
        if (!available || source === "" || store.latestTimeMs <= 0) {
            primary.upperSeries.clear()
            secondary.upperSeries.clear()
            primaryLine.clear()
            secondaryLine.clear()
            gapBand.upperSeries.clear()
            silenceBand.upperSeries.clear()
            gapCount = 0
            silenceCount = 0
            hasData = false
            return
        }
        const end = store.latestTimeMs
        xAxis.min = new Date(end - windowSeconds * 1000)
        xAxis.max = new Date(end)
        if (mode === "rate") {
            const a = store.range(source, metric, windowSeconds)
            const b = secondMetric !== "" ? store.range(source, secondMetric, windowSeconds) : { max: 0 }
            const scale = store.rateScale(Math.max(a.max, b.max))
            yAxis.max = scale.max
            yAxis.tickCount = scale.tickCount
            yAxis.labelFormat = scale.max / (scale.tickCount - 1) < 1 ? "%.2f" : scale.max < 10 ? "%.1f" : "%.0f"
            unit = scale.unit
            hasData = store.updateSeries(primary, source, metric, windowSeconds, 1 / scale.divisor).count > 0
            store.updateSeries(primaryLine, source, metric, windowSeconds, 1 / scale.divisor)
            if (secondMetric !== "") {
                store.updateSeries(secondary, source, secondMetric, windowSeconds, 1 / scale.divisor)
                store.updateSeries(secondaryLine, source, secondMetric, windowSeconds, 1 / scale.divisor)
            }
        } else {
            const r = store.updateSeries(primary, source, metric, windowSeconds, 1)
            store.updateSeries(primaryLine, source, metric, windowSeconds, 1)
            hasData = r.count > 0
            yAxis.max = niceCeiling(r.max)
            yAxis.tickCount = 6
            yAxis.labelFormat = "%.0f%%"
            unit = "%"
        }
        silenceCount = store.updateBands(silenceBand, source, windowSeconds, yAxis.max, "silence")
        gapCount = store.updateBands(gapBand, source, windowSeconds, yAxis.max, "gap")
    }

    // Setting ChartView.theme restyles every axis and series, so the console's colours are
    // applied after it, every time the theme flips.
    function applyTheme() {
        chart.theme = Theme.dark ? ChartView.ChartThemeDark : ChartView.ChartThemeLight
        chart.backgroundColor = Theme.panel
        chart.plotAreaColor = Theme.panel
        const labelFont = Qt.font({ family: Theme.fontFamily, pixelSize: 10 })
        for (const axis of [xAxis, yAxis]) {
            axis.labelsColor = Theme.textMuted
            axis.labelsFont = labelFont
            axis.gridLineColor = Qt.rgba(Theme.border.r, Theme.border.g, Theme.border.b, 0.8)
            axis.color = Theme.border
        }
        primary.color = Qt.rgba(lineColor.r, lineColor.g, lineColor.b, secondMetric !== "" ? 0.10 : 0.16)
        // The fill has no border: an area's outline would also draw its vertical edges, which
        // read as a jump from zero where the data starts. The value is the line series on top.
        primary.borderColor = "transparent"
        primary.borderWidth = 0
        primaryLine.color = lineColor
        primaryLine.width = 2
        secondary.color = Qt.rgba(secondColor.r, secondColor.g, secondColor.b, 0.10)
        secondary.borderColor = "transparent"
        secondary.borderWidth = 0
        secondaryLine.color = secondColor
        secondaryLine.width = 2
        gapBand.color = Qt.rgba(Theme.error.r, Theme.error.g, Theme.error.b, 0.28)
        gapBand.borderColor = Qt.rgba(Theme.error.r, Theme.error.g, Theme.error.b, 0.9)
        gapBand.borderWidth = 1
        silenceBand.color = Qt.rgba(Theme.textMuted.r, Theme.textMuted.g, Theme.textMuted.b, 0.14)
        silenceBand.borderColor = "transparent"
        silenceBand.borderWidth = 0
    }

    Component.onCompleted: {
        applyTheme()
        refresh()
    }
    onSourceChanged: refresh()
    onWindowSecondsChanged: refresh()
    onAvailableChanged: refresh()
    Connections {
        target: Theme
        function onDarkChanged() { card.applyTheme() }
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 1
        spacing: 0

        RowLayout {
            Layout.fillWidth: true
            Layout.leftMargin: 14
            Layout.rightMargin: 14
            Layout.topMargin: 10
            spacing: 10

            SectionLabel { text: card.title }
            Text {
                visible: card.available && card.valueText !== ""
                text: card.valueText
                color: card.lineColor
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontTitle
                font.bold: true
            }
            Text {
                visible: card.available && card.secondValueText !== ""
                text: card.secondValueText
                color: card.secondColor
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontTitle
                font.bold: true
            }
            BodyText {
                Layout.fillWidth: true
                visible: card.available
                text: card.detailText
                color: Theme.textMuted
                font.pixelSize: Theme.fontSmall + 1
            }
            Item { Layout.fillWidth: true; visible: !card.available }
            Pill {
                visible: card.gapCount > 0
                text: qsTr("%n gap(s)", "", card.gapCount)
                tone: Theme.error
                Accessible.name: qsTr("%n hub gap(s) in this window: some points could not be delivered", "", card.gapCount)
            }
            Pill {
                visible: card.silenceCount > 0 && card.available
                text: qsTr("no data ×%1").arg(card.silenceCount)
                tone: Theme.textMuted
                Accessible.name: qsTr("The source sent nothing for a while %n time(s) in this window", "", card.silenceCount)
            }
            Text {
                visible: card.available
                text: card.unit
                color: Theme.textFaint
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
            }
        }

        ChartView {
            id: chart
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: card.available
            antialiasing: true
            legend.visible: false
            backgroundRoundness: 0
            dropShadowEnabled: false
            margins { top: 2; bottom: 2; left: 2; right: 6 }
            Accessible.role: Accessible.Chart
            Accessible.name: qsTr("%1 of %2 over the last %n minute(s)", "", card.windowSeconds / 60)
                             .arg(card.title).arg(card.source)

            DateTimeAxis {
                id: xAxis
                format: card.windowSeconds <= 60 ? "HH:mm:ss" : "HH:mm"
                tickCount: card.windowSeconds <= 60 ? 7 : 6
                minorGridVisible: false
            }
            ValueAxis {
                id: yAxis
                min: 0
                max: 100
                tickCount: 6
                labelFormat: "%.0f"
                minorGridVisible: false
            }
            // Bands are hidden when empty: an area series without points still draws an edge.
            AreaSeries {
                id: silenceBand
                name: qsTr("no data")
                visible: card.silenceCount > 0
                axisX: xAxis
                axisY: yAxis
                upperSeries: LineSeries {}
            }
            AreaSeries {
                id: primary
                name: card.metricName
                axisX: xAxis
                axisY: yAxis
                upperSeries: LineSeries {}
            }
            AreaSeries {
                id: secondary
                name: card.secondName
                visible: card.secondMetric !== ""
                axisX: xAxis
                axisY: yAxis
                upperSeries: LineSeries {}
            }
            LineSeries {
                id: primaryLine
                name: card.metricName
                axisX: xAxis
                axisY: yAxis
            }
            LineSeries {
                id: secondaryLine
                name: card.secondName
                visible: card.secondMetric !== ""
                axisX: xAxis
                axisY: yAxis
            }
            AreaSeries {
                id: gapBand
                name: qsTr("hub gap")
                visible: card.gapCount > 0
                axisX: xAxis
                axisY: yAxis
                upperSeries: LineSeries {}
            }
        }

        Item {
            visible: !card.available
            Layout.fillWidth: true
            Layout.fillHeight: true
            Column {
                anchors.centerIn: parent
                width: parent.width - 40
                spacing: 10
                BodyText {
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    wrapMode: Text.WordWrap
                    text: card.unavailableText
                    color: Theme.textFaint
                }
                AbstractButton {
                    id: action
                    visible: card.actionText !== ""
                    anchors.horizontalCenter: parent.horizontalCenter
                    implicitWidth: actionLabel.implicitWidth + 24
                    implicitHeight: 28
                    focusPolicy: Qt.TabFocus
                    text: card.actionText
                    Accessible.role: Accessible.Button
                    Accessible.name: text
                    onClicked: card.actionTriggered()
                    background: Rectangle {
                        radius: Theme.radius
                        color: action.hovered ? Theme.panelHover : Theme.panelRaised
                        border.color: action.visualFocus ? Theme.accent : Theme.border
                        border.width: action.visualFocus ? 2 : 1
                    }
                    contentItem: Text {
                        id: actionLabel
                        text: action.text
                        color: Theme.accent
                        horizontalAlignment: Text.AlignHCenter
                        verticalAlignment: Text.AlignVCenter
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontSmall + 1
                    }
                }
            }
        }
    }
}
