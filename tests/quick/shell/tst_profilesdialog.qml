import QtQuick
import QtTest
import Opsdeck.Ui
import Opsdeck.Core
import Opsdeck.Shell

// The profile manager as an operator uses it: Demo is listed and locked, a Dev profile is added,
// a bad Prod URL is refused with the reason shown, an edit is saved, a profile is removed, and
// choosing a Dev profile explains (in the session's problem) that this build serves Demo only.
Item {
    id: root
    width: 1200
    height: 800

    ProfilesDialog {
        id: dialog
        session: testSession
    }

    TestCase {
        name: "ProfilesDialog"
        when: windowShown

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
        function field(name) { return findByName(dialog.contentItem, name) }
        function type(name, text) {
            const f = field(name)
            f.forceActiveFocus()
            f.selectAll()
            keySequence("Backspace")
            for (const ch of text)
                keyClick(ch)
        }
        function click(name) {
            const button = field(name)
            verify(button, name)
            verify(button.visible, name + " visible")
            // Buttons move when others appear (Remove after a save): click where they are now.
            waitForRendering(dialog.contentItem)
            mouseClick(button)
        }

        function init() {
            dialog.open()
            tryCompare(dialog, "opened", true)
            waitForRendering(dialog.contentItem)
        }
        function cleanup() {
            dialog.close()
            tryCompare(dialog, "visible", false)
        }

        function test_1_demoIsListedAndLocked() {
            compare(findByName(dialog.contentItem, "profileList").count, testSession.profiles.rowCount())
            compare(dialog.currentRow, testSession.profiles.indexOf("Demo"))
            verify(dialog.currentBuiltin)
            compare(field("profileName").text, "Demo")
            verify(!field("profileName").parent.enabled)
            verify(!field("removeProfileButton").visible)
            verify(!field("saveProfileButton").visible)
        }

        function test_2_addEditAndRemoveADevProfile() {
            const before = testSession.profiles.rowCount()
            click("newProfileButton")
            verify(dialog.creating)
            type("profileName", "Staging")
            type("profileUrl", "ws://localhost:8000/api/v1/ws/dev")
            type("profileUser", "alice")
            click("saveProfileButton")
            compare(dialog.error, "")
            compare(testSession.profiles.rowCount(), before + 1)
            const row = testSession.profiles.indexOf("Staging")
            verify(row >= 0)
            compare(dialog.currentRow, row)
            compare(testSession.profiles.data(testSession.profiles.index(row, 0), ProfileStore.UserRole), "alice")

            // The same name twice is refused, and the reason is on screen.
            click("newProfileButton")
            type("profileName", "Staging")
            type("profileUrl", "ws://localhost:8000/api/v1/ws/dev")
            click("saveProfileButton")
            verify(dialog.error.indexOf("already exists") >= 0, dialog.error)
            verify(field("profileError").visible)
            compare(testSession.profiles.rowCount(), before + 1)

            // Edit: the user changes, the row stays.
            dialog.select(row)
            type("profileUser", "bob")
            click("saveProfileButton")
            compare(testSession.profiles.data(testSession.profiles.index(row, 0), ProfileStore.UserRole), "bob")

            click("removeProfileButton")
            compare(testSession.profiles.rowCount(), before)
            compare(testSession.profiles.indexOf("Staging"), -1)
        }

        function test_3_prodNeedsTls() {
            click("newProfileButton")
            type("profileName", "Production")
            const mode = field("profileMode")
            mode.currentIndex = 1 // prod
            type("profileUrl", "ws://hub.example.com/api/v1/ws")
            click("saveProfileButton")
            verify(dialog.error.indexOf("wss://") >= 0, dialog.error)
            compare(testSession.profiles.indexOf("Production"), -1)
            type("profileUrl", "wss://hub.example.com/api/v1/ws")
            click("saveProfileButton")
            compare(dialog.error, "")
            verify(testSession.profiles.indexOf("Production") >= 0)
        }

        function test_4_choosingARemoteProfileExplainsItself() {
            const row = testSession.profiles.indexOf("Production")
            verify(row >= 0)
            dialog.select(row)
            click("connectProfileButton")
            tryCompare(dialog, "visible", false)
            // The console stays on Demo and says why, with what to do.
            compare(testSession.profiles.activeName, "Demo")
            verify(testSession.problem.indexOf("Production") >= 0, testSession.problem)
            verify(testSession.problemHint.length > 0)
        }
    }
}
