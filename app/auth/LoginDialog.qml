import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Opsdeck.Ui
import Opsdeck.Auth

// Sign in to a Dev or Prod hub: user, password (masked), "Remember me on this computer". Problems
// are shown here in plain words with what to do next; a lockout counts down; Enter submits. Dev
// hubs also take a static token from `opsdeck-hub token issue` instead of a password.
Popup {
    id: dialog
    property SignInController controller
    property string mode: "prod" // dev or prod: the colour of the header, the dev-token option

    readonly property bool busy: controller !== null && controller.busy
    readonly property int lockoutSeconds: controller ? controller.retryAfterSeconds : 0
    readonly property bool showNotice: controller !== null && controller.signedIn && controller.notice !== ""
    readonly property color tone: Theme.modeColor(mode)
    property bool useToken: false
    readonly property bool canSubmit: controller !== null && !busy && lockoutSeconds === 0
                                      && (useToken ? tokenField.text.trim() !== ""
                                                   : userField.text.trim() !== "" && passwordField.text !== "")

    modal: true
    focus: true
    closePolicy: busy ? Popup.NoAutoClose : Popup.CloseOnEscape
    x: Math.round((parent.width - width) / 2)
    y: Math.max(40, Math.round((parent.height - height) / 3))
    width: Math.min(parent.width - 80, 480)
    padding: 0

    onOpened: {
        useToken = false
        userField.text = controller ? controller.user : ""
        passwordField.text = ""
        tokenField.text = ""
        rememberBox.checked = controller ? controller.rememberMe : false
        focusFirstEmpty()
    }
    // The password never outlives the dialog.
    onClosed: {
        passwordField.text = ""
        tokenField.text = ""
    }

    function focusFirstEmpty() {
        if (useToken)
            tokenField.forceActiveFocus()
        else if (userField.text.trim() !== "")
            passwordField.forceActiveFocus()
        else
            userField.forceActiveFocus()
    }
    function submit() {
        if (!canSubmit)
            return
        if (useToken) {
            controller.useDevToken(controller.profile, controller.url, userField.text, tokenField.text, rememberBox.checked)
        } else {
            const password = passwordField.text
            passwordField.text = ""
            controller.signIn(controller.profile, controller.url, userField.text, password, rememberBox.checked)
        }
    }
    function cancel() {
        if (busy)
            controller.cancel()
        close()
    }

    Connections {
        target: dialog.controller
        function onStateChanged() {
            if (!dialog.opened)
                return
            if (dialog.controller.signedIn && dialog.controller.notice === "")
                dialog.close()
            else if (dialog.controller.state === SignInController.Error)
                dialog.focusFirstEmpty()
        }
    }

    component Field: TextField {
        id: field
        implicitHeight: 34
        Layout.fillWidth: true
        color: Theme.text
        placeholderTextColor: Theme.textFaint
        selectedTextColor: Theme.accentText
        selectionColor: Theme.accent
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontBody
        selectByMouse: true
        enabled: !dialog.busy
        opacity: enabled ? 1 : 0.7
        onAccepted: dialog.submit()
        background: Rectangle {
            radius: Theme.radius
            color: field.enabled ? Theme.panelRaised : Theme.panel
            border.color: field.activeFocus ? Theme.accent : Theme.border
        }
    }
    component DialogButton: Button {
        id: button
        property bool primary: false
        implicitHeight: 34
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontBody
        contentItem: Text {
            text: button.text
            font: button.font
            color: !button.enabled ? Theme.textFaint : button.primary ? Theme.accentText : Theme.text
            horizontalAlignment: Text.AlignHCenter
            verticalAlignment: Text.AlignVCenter
            leftPadding: 10
            rightPadding: 10
        }
        background: Rectangle {
            implicitWidth: 96
            radius: Theme.radius
            color: button.primary ? (button.enabled ? Theme.accent : Theme.panelRaised)
                                  : button.hovered ? Theme.panelHover : Theme.panelRaised
            border.color: button.visualFocus ? Theme.text : button.primary && button.enabled ? "transparent" : Theme.border
            opacity: button.down ? 0.8 : 1
        }
    }

    background: Rectangle {
        color: Theme.panel
        border.color: dialog.mode === "prod" ? Theme.prod : Theme.borderStrong
        border.width: dialog.mode === "prod" ? 2 : 1
        radius: Theme.radius + 2
    }

    contentItem: ColumnLayout {
        spacing: 0
        Accessible.role: Accessible.Dialog
        Accessible.name: qsTr("Sign in to %1").arg(dialog.controller ? dialog.controller.hub : "")

        // ---- which hub: the mode's colour, so a production sign-in is never mistaken -------------
        Rectangle {
            Layout.fillWidth: true
            implicitHeight: header.implicitHeight + 2 * Theme.pad
            radius: Theme.radius + 2
            color: Qt.rgba(dialog.tone.r, dialog.tone.g, dialog.tone.b, dialog.mode === "prod" ? 0.22 : 0.12)
            RowLayout {
                id: header
                anchors.fill: parent
                anchors.margins: Theme.pad
                spacing: Theme.gap
                Pill {
                    text: dialog.mode.toUpperCase()
                    tone: dialog.tone
                    solid: dialog.mode === "prod"
                }
                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: 2
                    Text {
                        Layout.fillWidth: true
                        text: qsTr("Sign in to %1").arg(dialog.controller ? dialog.controller.hub : "")
                        color: Theme.text
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontTitle + 2
                        font.bold: true
                        elide: Text.ElideMiddle
                        Accessible.role: Accessible.Heading
                        Accessible.name: text
                    }
                    BodyText {
                        Layout.fillWidth: true
                        text: dialog.controller ? qsTr("Profile “%1”").arg(dialog.controller.profile) : ""
                        color: Theme.textMuted
                        font.pixelSize: Theme.fontSmall
                    }
                }
            }
        }
        Rectangle { Layout.fillWidth: true; height: 1; color: dialog.mode === "prod" ? Theme.prod : Theme.border }

        ColumnLayout {
            Layout.fillWidth: true
            Layout.margins: Theme.pad
            spacing: 8

            // ---- signed in, with something to know (the keychain could not remember it) --------
            ColumnLayout {
                visible: dialog.showNotice
                Layout.fillWidth: true
                spacing: 8
                BodyText {
                    Layout.fillWidth: true
                    text: dialog.controller ? qsTr("Signed in as %1.").arg(dialog.controller.user) : ""
                    color: Theme.ok
                    font.bold: true
                }
                BodyText {
                    objectName: "loginNotice"
                    Layout.fillWidth: true
                    text: dialog.controller ? dialog.controller.notice : ""
                    wrapMode: Text.WordWrap
                }
            }

            // ---- the form ----------------------------------------------------------------------
            GridLayout {
                visible: !dialog.showNotice
                Layout.fillWidth: true
                columns: 2
                columnSpacing: 12
                rowSpacing: 8

                BodyText { text: qsTr("User") }
                Field {
                    id: userField
                    objectName: "loginUser"
                    placeholderText: qsTr("operator name")
                    Accessible.name: qsTr("User name")
                    KeyNavigation.tab: dialog.useToken ? tokenField : passwordField
                }
                BodyText { text: dialog.useToken ? qsTr("Dev token") : qsTr("Password") }
                Field {
                    id: passwordField
                    objectName: "loginPassword"
                    visible: !dialog.useToken
                    echoMode: TextInput.Password
                    passwordCharacter: "•"
                    inputMethodHints: Qt.ImhSensitiveData | Qt.ImhNoPredictiveText | Qt.ImhNoAutoUppercase
                    placeholderText: qsTr("never stored")
                    Accessible.name: qsTr("Password")
                    KeyNavigation.tab: rememberBox
                }
                Field {
                    id: tokenField
                    objectName: "loginToken"
                    visible: dialog.useToken
                    echoMode: TextInput.Password
                    font.family: Theme.monoFamily
                    inputMethodHints: Qt.ImhSensitiveData | Qt.ImhNoPredictiveText
                    placeholderText: qsTr("paste the token `opsdeck-hub token issue` printed")
                    Accessible.name: qsTr("Dev token")
                    KeyNavigation.tab: rememberBox
                }
                Item { width: 1; height: 1 }
                CheckBox {
                    id: rememberBox
                    objectName: "loginRemember"
                    enabled: !dialog.busy
                    text: qsTr("Remember me on this computer")
                    Accessible.name: text
                    padding: 0
                    Keys.onReturnPressed: dialog.submit()
                    Keys.onEnterPressed: dialog.submit()
                    indicator: Rectangle {
                        implicitWidth: 18
                        implicitHeight: 18
                        y: (rememberBox.height - height) / 2
                        radius: 3
                        color: rememberBox.checked ? Theme.accent : Theme.panelRaised
                        border.color: rememberBox.visualFocus ? Theme.accent : Theme.borderStrong
                        Text {
                            anchors.centerIn: parent
                            visible: rememberBox.checked
                            text: "✓"
                            color: Theme.accentText
                            font.pixelSize: 13
                            font.bold: true
                        }
                    }
                    contentItem: Text {
                        leftPadding: rememberBox.indicator.width + 8
                        text: rememberBox.text
                        color: Theme.text
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontBody
                        verticalAlignment: Text.AlignVCenter
                        opacity: rememberBox.enabled ? 1 : 0.6
                    }
                }
                Item { width: 1; height: 1 }
                BodyText {
                    Layout.fillWidth: true
                    text: dialog.useToken ? qsTr("Keeps the token in the system keychain.")
                                          : qsTr("Keeps a sign-in token in the system keychain — never your password.")
                    color: Theme.textFaint
                    font.pixelSize: Theme.fontSmall
                    wrapMode: Text.WordWrap
                }
            }

            // ---- what went wrong, and what to do -------------------------------------------------
            Rectangle {
                objectName: "loginErrorBox"
                visible: !dialog.showNotice && dialog.controller !== null && dialog.controller.errorText !== ""
                Layout.fillWidth: true
                Layout.topMargin: 4
                implicitHeight: errorColumn.implicitHeight + 20
                radius: Theme.radius
                color: Qt.rgba(Theme.error.r, Theme.error.g, Theme.error.b, 0.10)
                border.color: Qt.rgba(Theme.error.r, Theme.error.g, Theme.error.b, 0.6)
                ColumnLayout {
                    id: errorColumn
                    anchors.fill: parent
                    anchors.margins: 10
                    spacing: 4
                    BodyText {
                        objectName: "loginError"
                        Layout.fillWidth: true
                        text: dialog.controller ? dialog.controller.errorText : ""
                        color: Theme.error
                        font.bold: true
                        wrapMode: Text.WordWrap
                    }
                    BodyText {
                        objectName: "loginCountdown"
                        Layout.fillWidth: true
                        visible: dialog.lockoutSeconds > 0
                        text: qsTr("Try again in %1 s").arg(dialog.lockoutSeconds)
                        font.bold: true
                        font.pixelSize: Theme.fontTitle
                    }
                    BodyText {
                        objectName: "loginHint"
                        Layout.fillWidth: true
                        visible: text !== ""
                        text: dialog.controller ? dialog.controller.errorHint : ""
                        color: Theme.textMuted
                        wrapMode: Text.WordWrap
                    }
                    TextEdit {
                        objectName: "loginDetails"
                        Layout.fillWidth: true
                        visible: text !== ""
                        text: dialog.controller ? dialog.controller.errorDetails : ""
                        readOnly: true
                        selectByMouse: true
                        wrapMode: Text.WrapAnywhere
                        color: Theme.textMuted
                        selectionColor: Theme.accent
                        font.family: Theme.monoFamily
                        font.pixelSize: Theme.fontSmall
                    }
                }
            }

            // ---- buttons -------------------------------------------------------------------------
            RowLayout {
                Layout.fillWidth: true
                Layout.topMargin: 8
                spacing: 8
                Text {
                    objectName: "loginTokenToggle"
                    visible: dialog.mode === "dev" && !dialog.showNotice
                    text: dialog.useToken ? qsTr("Use a password") : qsTr("Use a dev token")
                    color: Theme.accent
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                    font.underline: toggleArea.containsMouse
                    MouseArea {
                        id: toggleArea
                        anchors.fill: parent
                        hoverEnabled: true
                        cursorShape: Qt.PointingHandCursor
                        onClicked: {
                            dialog.useToken = !dialog.useToken
                            dialog.focusFirstEmpty()
                        }
                    }
                }
                BusyIndicator {
                    objectName: "loginBusy"
                    visible: dialog.busy
                    running: visible
                    implicitWidth: 24
                    implicitHeight: 24
                }
                BodyText {
                    visible: dialog.busy
                    text: qsTr("Signing in…")
                    color: Theme.textMuted
                }
                Item { Layout.fillWidth: true }
                DialogButton {
                    objectName: "loginCancel"
                    visible: !dialog.showNotice
                    text: qsTr("Cancel")
                    onClicked: dialog.cancel()
                    Accessible.name: dialog.busy ? qsTr("Stop signing in") : qsTr("Close without signing in")
                }
                DialogButton {
                    objectName: "loginSubmit"
                    visible: !dialog.showNotice
                    primary: true
                    text: dialog.lockoutSeconds > 0 ? qsTr("Sign in (%1 s)").arg(dialog.lockoutSeconds) : qsTr("Sign in")
                    enabled: dialog.canSubmit
                    onClicked: dialog.submit()
                    Accessible.name: qsTr("Sign in")
                }
                DialogButton {
                    objectName: "loginOk"
                    visible: dialog.showNotice
                    primary: true
                    text: qsTr("OK")
                    onClicked: dialog.close()
                }
            }
        }
    }
}
