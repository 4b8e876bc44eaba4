import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Opsdeck.Ui
import Opsdeck.Core

// The profile manager: the built-in Demo profile and the operator's Dev and Prod profiles (name,
// mode, hub URL, user). Secrets never appear here: tokens live in the OS keychain. Validation
// comes from ProfileStore (lastError), so the rules live in one place.
Popup {
    id: dialog
    required property AppSession session
    readonly property ProfileStore profiles: session ? session.profiles : null

    // The row being edited; -1 while a new profile is being written.
    property int currentRow: 0
    property bool creating: false
    property string error: ""

    modal: true
    focus: true
    x: Math.round((parent.width - width) / 2)
    y: Math.max(40, Math.round((parent.height - height) / 3))
    width: Math.min(parent.width - 80, 820)
    height: Math.min(parent.height - 80, 500)
    padding: 0

    onOpened: {
        error = ""
        creating = false
        currentRow = profiles ? Math.max(0, profiles.indexOf(profiles.activeName)) : 0
        loadForm()
    }

    function roleOf(row, role) {
        if (!profiles || row < 0 || row >= profiles.rowCount())
            return undefined
        return profiles.data(profiles.index(row, 0), role)
    }
    readonly property bool currentBuiltin: !creating && roleOf(currentRow, ProfileStore.BuiltinRole) === true

    function loadForm() {
        if (creating) {
            nameField.text = ""
            modeBox.currentIndex = 0
            urlField.text = ""
            userField.text = ""
            return
        }
        nameField.text = roleOf(currentRow, ProfileStore.NameRole) || ""
        const mode = roleOf(currentRow, ProfileStore.ModeRole) || "dev"
        modeBox.currentIndex = Math.max(0, modeBox.modes.indexOf(mode))
        urlField.text = roleOf(currentRow, ProfileStore.UrlRole) || ""
        userField.text = roleOf(currentRow, ProfileStore.UserRole) || ""
    }
    function startNew() {
        creating = true
        error = ""
        loadForm()
        nameField.forceActiveFocus()
    }
    function select(row) {
        creating = false
        currentRow = row
        error = ""
        loadForm()
    }
    function save() {
        const mode = modeBox.modes[modeBox.currentIndex]
        const ok = creating ? profiles.addProfile(nameField.text, mode, urlField.text, userField.text)
                            : profiles.updateProfile(currentRow, nameField.text, mode, urlField.text, userField.text)
        if (!ok) {
            error = profiles.lastError
            return false
        }
        error = ""
        const row = profiles.indexOf(nameField.text.trim())
        creating = false
        currentRow = row >= 0 ? row : currentRow
        return true
    }
    function removeCurrent() {
        if (!profiles.removeProfile(currentRow)) {
            error = profiles.lastError
            return
        }
        select(Math.max(0, currentRow - 1))
    }
    function connectCurrent() {
        const name = roleOf(currentRow, ProfileStore.NameRole)
        // Dev and prod sign in: silently from the keychain, else the login dialog opens.
        close()
        session.activateProfile(name)
    }

    // Controls in the console's colours (the Basic style's are light grey on any theme).
    component Field: TextField {
        id: field
        implicitHeight: 34
        color: Theme.text
        placeholderTextColor: Theme.textFaint
        selectedTextColor: Theme.accentText
        selectionColor: Theme.accent
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontBody
        selectByMouse: true
        opacity: enabled ? 1 : 0.7
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
            border.color: button.visualFocus ? Theme.text : button.primary ? "transparent" : Theme.border
            opacity: button.down ? 0.8 : 1
        }
    }

    background: Rectangle {
        color: Theme.panel
        border.color: Theme.borderStrong
        radius: Theme.radius + 2
    }

    contentItem: ColumnLayout {
        spacing: 0
        Accessible.role: Accessible.Dialog
        Accessible.name: qsTr("Connection profiles")

        // ---- title -------------------------------------------------------------------------
        RowLayout {
            Layout.fillWidth: true
            Layout.margins: Theme.pad
            Text {
                text: qsTr("Connection profiles")
                color: Theme.text
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontTitle + 2
                font.bold: true
                Accessible.role: Accessible.Heading
                Accessible.name: text
                Layout.fillWidth: true
            }
            DialogButton {
                text: qsTr("Close")
                onClicked: dialog.close()
                Accessible.name: qsTr("Close the profile manager")
            }
        }
        Rectangle { Layout.fillWidth: true; height: 1; color: Theme.border }

        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 0

            // ---- the list -----------------------------------------------------------------
            ColumnLayout {
                Layout.preferredWidth: 300
                Layout.fillHeight: true
                spacing: 0
                ListView {
                    id: profileList
                    objectName: "profileList"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    clip: true
                    model: dialog.profiles
                    Accessible.role: Accessible.List
                    Accessible.name: qsTr("Profiles")
                    delegate: ItemDelegate {
                        id: entry
                        required property int index
                        required property string name
                        required property string mode
                        required property string url
                        required property bool builtin
                        required property bool active
                        width: ListView.view.width
                        height: 58
                        highlighted: !dialog.creating && index === dialog.currentRow
                        onClicked: dialog.select(index)
                        Accessible.name: qsTr("%1, %2 profile%3").arg(name).arg(mode).arg(active ? qsTr(", in use") : "")
                        background: Rectangle {
                            color: entry.highlighted ? Theme.selection : entry.hovered ? Theme.panelHover : "transparent"
                        }
                        contentItem: ColumnLayout {
                            spacing: 3
                            RowLayout {
                                spacing: 8
                                BodyText { text: entry.name; font.bold: true; elide: Text.ElideRight; Layout.fillWidth: true }
                                Pill { text: entry.mode.toUpperCase(); tone: Theme.modeColor(entry.mode); solid: entry.mode === "prod" }
                            }
                            BodyText {
                                Layout.fillWidth: true
                                text: entry.active ? qsTr("in use · %1").arg(entry.builtin ? qsTr("embedded hub") : entry.url)
                                                   : entry.builtin ? qsTr("embedded hub, simulated fleet") : entry.url
                                color: entry.active ? Theme.ok : Theme.textMuted
                                font.pixelSize: Theme.fontSmall
                                elide: Text.ElideMiddle
                            }
                        }
                    }
                }
                DialogButton {
                    objectName: "newProfileButton"
                    Layout.fillWidth: true
                    Layout.margins: 10
                    text: qsTr("+ New profile")
                    onClicked: dialog.startNew()
                    Accessible.name: qsTr("Add a profile")
                }
            }
            Rectangle { Layout.fillHeight: true; width: 1; color: Theme.border }

            // ---- the form -----------------------------------------------------------------
            ColumnLayout {
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.margins: Theme.pad
                spacing: 8

                SectionLabel { text: dialog.creating ? qsTr("New profile") : dialog.currentBuiltin ? qsTr("Built-in profile") : qsTr("Profile") }
                BodyText {
                    Layout.fillWidth: true
                    visible: dialog.currentBuiltin
                    wrapMode: Text.WordWrap
                    color: Theme.textMuted
                    text: qsTr("The demo fleet runs inside Opsdeck's own hub: simulated agents, no login, no network. It cannot be edited or removed.")
                }

                GridLayout {
                    Layout.fillWidth: true
                    columns: 2
                    columnSpacing: 12
                    rowSpacing: 8
                    enabled: !dialog.currentBuiltin

                    BodyText { text: qsTr("Name") }
                    Field {
                        id: nameField
                        objectName: "profileName"
                        Layout.fillWidth: true
                        placeholderText: qsTr("e.g. Staging")
                        Accessible.name: qsTr("Profile name")
                    }
                    BodyText { text: qsTr("Mode") }
                    ComboBox {
                        id: modeBox
                        objectName: "profileMode"
                        implicitHeight: 34
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontBody
                        // Drawn, not the style's arrow image: one look with the other controls.
                        indicator: Text {
                            x: modeBox.width - width - 10
                            anchors.verticalCenter: parent.verticalCenter
                            text: "▾"
                            color: modeBox.enabled ? Theme.textMuted : Theme.textFaint
                            font.pixelSize: Theme.fontBody
                        }
                        contentItem: Text {
                            leftPadding: 10
                            rightPadding: 24
                            text: modeBox.displayText
                            font: modeBox.font
                            color: Theme.text
                            verticalAlignment: Text.AlignVCenter
                            elide: Text.ElideRight
                        }
                        background: Rectangle {
                            radius: Theme.radius
                            color: modeBox.enabled ? Theme.panelRaised : Theme.panel
                            border.color: modeBox.visualFocus ? Theme.accent : Theme.border
                        }
                        readonly property var modes: dialog.currentBuiltin ? ["demo"] : ["dev", "prod"]
                        Layout.fillWidth: true
                        model: dialog.currentBuiltin ? [qsTr("Demo — simulated fleet")]
                                                     : [qsTr("Dev — development hub, token"), qsTr("Prod — production hub, operator login")]
                        Accessible.name: qsTr("Mode")
                    }
                    BodyText { text: qsTr("Hub URL") }
                    Field {
                        id: urlField
                        objectName: "profileUrl"
                        Layout.fillWidth: true
                        placeholderText: modeBox.currentIndex === 1 ? "wss://hub.example.com/api/v1/ws" : "ws://localhost:8000/api/v1/ws/dev"
                        Accessible.name: qsTr("Hub URL")
                        font.family: Theme.monoFamily
                    }
                    BodyText { text: qsTr("User") }
                    Field {
                        id: userField
                        objectName: "profileUser"
                        Layout.fillWidth: true
                        placeholderText: qsTr("operator name (the password is asked at login, never stored)")
                        Accessible.name: qsTr("User")
                    }
                }

                // Validation problems in plain words, next to the fields they concern.
                BodyText {
                    objectName: "profileError"
                    Layout.fillWidth: true
                    visible: dialog.error !== ""
                    text: dialog.error
                    color: Theme.error
                    wrapMode: Text.WordWrap
                }
                BodyText {
                    Layout.fillWidth: true
                    visible: !dialog.currentBuiltin
                    wrapMode: Text.WordWrap
                    color: Theme.textFaint
                    font.pixelSize: Theme.fontSmall
                    text: qsTr("Prod profiles require wss:// (TLS). Using a Dev or Prod profile asks you to sign in to its hub; "
                               + "“Remember me” keeps a sign-in token in the system keychain, never in this list, never the password. "
                               + "Once signed in, the panes show that hub's fleet, its agents named name@profile.")
                }

                Item { Layout.fillHeight: true }

                RowLayout {
                    Layout.fillWidth: true
                    spacing: 8
                    DialogButton {
                        objectName: "removeProfileButton"
                        text: qsTr("Remove")
                        visible: !dialog.creating && !dialog.currentBuiltin
                        onClicked: dialog.removeCurrent()
                        Accessible.name: qsTr("Remove this profile")
                    }
                    Item { Layout.fillWidth: true }
                    DialogButton {
                        objectName: "saveProfileButton"
                        text: dialog.creating ? qsTr("Add profile") : qsTr("Save")
                        visible: !dialog.currentBuiltin
                        primary: true
                        onClicked: dialog.save()
                        Accessible.name: text
                    }
                    DialogButton {
                        objectName: "connectProfileButton"
                        text: qsTr("Use this profile")
                        visible: !dialog.creating
                        enabled: dialog.roleOf(dialog.currentRow, ProfileStore.ActiveRole) !== true
                        onClicked: dialog.connectCurrent()
                        Accessible.name: qsTr("Connect with this profile")
                    }
                }
            }
        }
    }
}
