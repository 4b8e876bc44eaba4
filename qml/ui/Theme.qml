pragma Singleton
import QtQuick

// Colours, type and spacing of the console. Dark by default (a 3 a.m. tool); light on request.
QtObject {
    id: theme
    property bool dark: true

    readonly property color window: dark ? "#0e1116" : "#f4f6f9"
    readonly property color panel: dark ? "#151a21" : "#ffffff"
    readonly property color panelRaised: dark ? "#1b212a" : "#f0f2f6"
    readonly property color panelHover: dark ? "#222a35" : "#e6eaf0"
    readonly property color selection: dark ? "#1f3553" : "#dbe8fb"
    readonly property color border: dark ? "#2a313c" : "#d6dbe3"
    readonly property color borderStrong: dark ? "#3a4350" : "#b9c1cd"
    readonly property color text: dark ? "#e6e9ef" : "#1c2230"
    readonly property color textMuted: dark ? "#8d96a8" : "#5b6577"
    readonly property color textFaint: dark ? "#5f6878" : "#8a93a3"
    readonly property color accent: dark ? "#4c8dff" : "#2563eb"
    readonly property color accentText: "#ffffff"

    readonly property color ok: dark ? "#3fb950" : "#1a7f37"
    readonly property color warn: dark ? "#d6a23a" : "#9a6700"
    readonly property color error: dark ? "#f0524f" : "#cf222e"
    readonly property color info: dark ? "#58a6ff" : "#0969da"
    readonly property color idle: dark ? "#8d96a8" : "#6e7781"

    // Mode badges: demo and prod must never be confused.
    readonly property color demo: dark ? "#2aa198" : "#0f766e"
    readonly property color dev: dark ? "#c58b1b" : "#a16207"
    readonly property color prod: "#d92d2a"

    readonly property string fontFamily: "DejaVu Sans"
    readonly property string monoFamily: "DejaVu Sans Mono"
    readonly property int fontSmall: 11
    readonly property int fontBody: 13
    readonly property int fontTitle: 16
    readonly property int fontHero: 22

    readonly property int radius: 6
    readonly property int gap: 12
    readonly property int pad: 16

    function statusColor(status) {
        switch (status) {
        case "idle": return ok
        case "busy": return info
        case "error": return error
        case "offline": return textFaint
        case "running": return ok
        default: return textMuted
        }
    }
    function levelColor(level) {
        switch (level) {
        case "trace": return textFaint
        case "debug": return textMuted
        case "info": return info
        case "warn": return warn
        case "error": return error
        case "fatal": return error
        default: return textMuted
        }
    }
    function modeColor(mode) {
        return mode === "prod" ? prod : mode === "dev" ? dev : demo
    }
}
