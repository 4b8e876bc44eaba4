import QtQuick
import Opsdeck.Ui

// DEMO, DEV or PROD. Prod is solid red and says so in words; demo is teal and says "simulated".
// Dev and prod also name the hub and who is signed in to it ("not signed in" until someone is).
Rectangle {
    id: badge
    property string mode: "demo"
    property string hub: "" // host:port of a Dev/Prod hub
    property string user: "" // empty: not signed in
    property bool busy: false // a sign-in is under way
    readonly property bool remote: mode !== "demo"
    readonly property bool prod: mode === "prod"
    readonly property color tone: Theme.modeColor(mode)
    readonly property color ink: prod ? "#ffffff" : tone
    // wss:// on 443 is the usual case: the host alone says it.
    readonly property string hubText: hub.replace(/:443$/, "")
    readonly property string userText: user !== "" ? user : busy ? qsTr("signing in…") : qsTr("not signed in")

    implicitWidth: row.implicitWidth + 18
    implicitHeight: 26
    radius: 4
    color: prod ? tone : Qt.rgba(tone.r, tone.g, tone.b, 0.18)
    border.color: tone
    border.width: prod ? 2 : 1
    Accessible.role: Accessible.StaticText
    Accessible.name: remote ? qsTr("Mode: %1 %2, hub %3, %4").arg(label.text).arg(detail.text).arg(hubText)
                                  .arg(user !== "" ? qsTr("signed in as %1").arg(user) : userText)
                            : qsTr("Mode: %1").arg(label.text + " " + detail.text)

    component Divider: Rectangle {
        width: 1
        height: 14
        anchors.verticalCenter: parent.verticalCenter
        color: Qt.rgba(badge.ink.r, badge.ink.g, badge.ink.b, 0.5)
    }

    Row {
        id: row
        anchors.centerIn: parent
        spacing: 7
        Text {
            id: label
            text: badge.mode.toUpperCase()
            color: badge.ink
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            font.bold: true
            font.letterSpacing: 1.2
        }
        Text {
            id: detail
            text: badge.prod ? qsTr("live production") : badge.mode === "dev" ? qsTr("development") : qsTr("simulated fleet")
            color: badge.ink
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            anchors.verticalCenter: parent.verticalCenter
        }
        Divider { visible: badge.remote && badge.hubText !== "" }
        Text {
            objectName: "badgeHub"
            visible: badge.remote && badge.hubText !== ""
            text: badge.hubText
            color: badge.ink
            font.family: Theme.monoFamily
            font.pixelSize: Theme.fontSmall
            font.bold: badge.prod
            anchors.verticalCenter: parent.verticalCenter
        }
        Divider { visible: badge.remote }
        Text {
            objectName: "badgeUser"
            visible: badge.remote
            text: (badge.user !== "" ? "● " : "○ ") + badge.userText
            color: badge.ink
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            font.bold: badge.user !== ""
            font.italic: badge.user === ""
            anchors.verticalCenter: parent.verticalCenter
        }
    }
}
