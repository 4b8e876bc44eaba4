import QtQuick

// A tiny line chart of recent values (0..maxValue), drawn on a Canvas; for table cells and
// detail panels where a full chart would be noise.
Canvas {
    id: spark
    property var values: []
    property real maxValue: 100
    property color lineColor: Theme.accent
    implicitWidth: 120
    implicitHeight: 28
    onValuesChanged: requestPaint()
    onLineColorChanged: requestPaint()

    onPaint: {
        const ctx = getContext("2d")
        ctx.reset()
        if (!values || values.length < 2)
            return
        const step = width / (values.length - 1)
        ctx.beginPath()
        for (let i = 0; i < values.length; ++i) {
            const y = height - 2 - (Math.min(values[i], maxValue) / maxValue) * (height - 4)
            if (i === 0) ctx.moveTo(0, y); else ctx.lineTo(i * step, y)
        }
        ctx.lineWidth = 1.5
        ctx.strokeStyle = lineColor
        ctx.stroke()
        ctx.lineTo(width, height)
        ctx.lineTo(0, height)
        ctx.closePath()
        ctx.fillStyle = Qt.rgba(lineColor.r, lineColor.g, lineColor.b, 0.12)
        ctx.fill()
    }
}
