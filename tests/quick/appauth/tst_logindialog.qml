import QtQuick
import QtTest
import Opsdeck.Ui
import Opsdeck.Auth

// The login dialog as an operator meets it: the known user puts the cursor in the password field,
// Enter submits, a wrong password is explained in the dialog, the buttons hold still while the hub
// is asked, a lockout counts down, and a good sign-in closes the dialog.
Item {
    id: root
    width: 1000
    height: 700

    LoginDialog {
        id: dialog
        controller: testSignIn
        mode: "prod"
    }

    TestCase {
        name: "LoginDialog"
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
        function part(name) {
            const found = findByName(dialog.contentItem, name)
            verify(found, name)
            return found
        }
        function typeText(text) {
            for (const ch of text)
                keyClick(ch)
        }
        function openFor(url, user) {
            testSignIn.setTarget("Prod", url, user)
            dialog.open()
            tryCompare(dialog, "opened", true)
            waitForRendering(dialog.contentItem)
        }

        function cleanup() {
            if (testSignIn.busy)
                testSignIn.cancel()
            dialog.close()
            tryCompare(dialog, "visible", false)
        }

        function test_1_knownUserStartsOnThePassword() {
            openFor(hubUrl, "alice")
            compare(part("loginUser").text, "alice")
            verify(part("loginPassword").activeFocus, "the password field has the focus")
            compare(part("loginPassword").echoMode, TextInput.Password)
            verify(!part("loginSubmit").enabled, "nothing to submit without a password")
            verify(!part("loginErrorBox").visible)
            verify(part("loginRemember").visible)
            compare(part("loginRemember").text, "Remember me on this computer")
        }

        function test_2_unknownUserStartsOnTheUser() {
            openFor(hubUrl, "")
            verify(part("loginUser").activeFocus)
        }

        function test_3_wrongPasswordIsExplainedInTheDialog() {
            openFor(hubUrl, "alice")
            typeText("wrong")
            verify(part("loginSubmit").enabled)
            keyClick(Qt.Key_Return)
            tryCompare(testSignIn, "state", SignInController.Error)
            verify(dialog.opened)
            tryVerify(() => part("loginErrorBox").visible)
            compare(part("loginError").text, "Wrong user name or password.")
            verify(part("loginHint").visible)
            verify(part("loginHint").text.indexOf("case-sensitive") >= 0)
            compare(part("loginPassword").text, "", "the password does not linger")
            verify(part("loginPassword").activeFocus)
        }

        function test_4_busyWhileTheHubIsAsked() {
            openFor(muteUrl, "alice")
            typeText("secret")
            mouseClick(part("loginSubmit"))
            tryCompare(testSignIn, "busy", true)
            verify(!part("loginSubmit").enabled, "Sign in is disabled while busy")
            verify(!part("loginUser").enabled)
            verify(part("loginBusy").visible)
            verify(part("loginCancel").enabled)
            mouseClick(part("loginCancel"))
            tryCompare(testSignIn, "state", SignInController.SignedOut)
            tryCompare(dialog, "visible", false)
        }

        function test_5_lockoutCountsDown() {
            openFor(hubUrl, "alice")
            // alice failed once in test 3; one more makes two, the third attempt is locked out.
            for (let attempt = 0; attempt < 2; ++attempt) {
                typeText("wrong")
                keyClick(Qt.Key_Return)
                tryCompare(testSignIn, "busy", false)
                tryCompare(testSignIn, "state", SignInController.Error)
                if (testSignIn.retryAfterSeconds > 0)
                    break
            }
            tryVerify(() => testSignIn.retryAfterSeconds > 0, 3000)
            verify(part("loginError").text.indexOf("Too many failed sign-ins") === 0, part("loginError").text)
            verify(part("loginCountdown").visible)
            verify(/^Try again in [1-3] s$/.test(part("loginCountdown").text), part("loginCountdown").text)
            typeText("correct horse")
            verify(!part("loginSubmit").enabled, "no submitting during the lockout")
            const first = testSignIn.retryAfterSeconds
            tryVerify(() => testSignIn.retryAfterSeconds < first, 2500)
            tryCompare(testSignIn, "retryAfterSeconds", 0, 5000)
            verify(!part("loginCountdown").visible)
            verify(part("loginSubmit").enabled)
        }

        function test_6_goodPasswordClosesTheDialog() {
            openFor(hubUrl, "alice")
            typeText("correct horse")
            keyClick(Qt.Key_Enter)
            tryCompare(testSignIn, "signedIn", true)
            tryCompare(dialog, "visible", false)
            compare(testSignIn.user, "alice")
            testSignIn.signOut()
        }
    }
}
