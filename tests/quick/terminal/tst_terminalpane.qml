import QtQuick
import QtTest
import Opsdeck.Ui
import Opsdeck.Terminal

// The terminal as an operator sees it: a red X where the program printed one, keys that reach
// the program, a grid that follows the size, zoom, scrollback, selection — and a pane that says
// plainly when the hub refuses terminals.
Item {
    id: root
    width: 900
    height: 600

    VtermScreen { id: screen }

    TerminalItem {
        id: term
        width: 640
        height: 400
        screen: screen
        fontFamily: Theme.monoFamily
        foreground: Theme.text
        background: Theme.window
    }

    SignalSpy { id: output; target: screen; signalName: "output" }

    Component {
        id: paneComponent
        TerminalPane {
            width: 900
            height: 600
        }
    }

    TestCase {
        name: "TerminalItem"
        when: windowShown

        function sent() {
            let text = ""
            for (let i = 0; i < output.count; ++i)
                text += terminalHelper.latin1(output.signalArguments[i][0])
            return text
        }

        function test_1_redGlyphAtItsCell() {
            term.updateGridSize()
            // A red X in cell 0, a blank in cell 1, a red background in cell 2.
            screen.feedText("\x1b[31mX\x1b[0m \x1b[41m \x1b[0m")
            waitForRendering(term)
            const image = grabImage(term)
            const at = term.cellPosition(0, 0)
            let red = 0, bg = 0
            for (let y = Math.ceil(at.y); y < at.y + term.cellHeight - 1; ++y) {
                for (let x = Math.ceil(at.x); x < at.x + term.cellWidth - 1; ++x) {
                    const c = image.pixel(x, y)
                    // Glyph edges are antialiased: red-dominated pixels are the X's strokes.
                    if (c.r - c.g > 0.25 && c.r - c.b > 0.25)
                        ++red
                    else if (Qt.colorEqual(c, Theme.window))
                        ++bg
                }
            }
            verify(red > 5, "the X is painted in ANSI red (" + red + " pixels)")
            verify(bg > 5, "around it the theme's background")
            const centre = (col) => {
                const p = term.cellPosition(0, col)
                return image.pixel(p.x + term.cellWidth / 2, p.y + term.cellHeight / 2)
            }
            verify(Qt.colorEqual(centre(1), Theme.window), "cell 1 is empty: " + centre(1))
            verify(Qt.colorEqual(centre(2), "#e0524f"), "cell 2 has the ANSI red background: " + centre(2))
        }

        function test_2_gridFollowsSizeDebounced() {
            const cols = term.cols
            verify(cols > 10)
            compare(screen.cols, cols)
            term.width = 400
            compare(term.cols, cols) // not yet: debounced
            tryCompare(term, "cols", Math.floor((400 - 12) / term.cellWidth), 1000)
            compare(screen.cols, term.cols)
            term.width = 640
            tryCompare(term, "cols", cols, 1000)
        }

        function test_3_keysReachTheProgram() {
            term.forceActiveFocus()
            output.clear()
            keyClick(Qt.Key_Tab)
            keyClick(Qt.Key_Escape)
            keyClick(Qt.Key_C, Qt.ControlModifier)
            keyClick(Qt.Key_Up)
            keyClick("/")
            compare(sent(), "\t\x1b\x03\x1b[A/")
        }

        function test_4_zoom() {
            term.forceActiveFocus()
            const w = term.cellWidth
            keyClick(Qt.Key_Equal, Qt.ControlModifier)
            verify(term.cellWidth > w)
            keyClick(Qt.Key_Minus, Qt.ControlModifier)
            keyClick(Qt.Key_Minus, Qt.ControlModifier)
            verify(term.cellWidth < w)
            keyClick(Qt.Key_0, Qt.ControlModifier)
            compare(term.cellWidth, w)
            compare(term.zoom, 0)
        }

        function test_5_scrollback() {
            term.updateGridSize()
            let text = ""
            for (let i = 0; i < 100; ++i)
                text += "line " + i + "\r\n"
            screen.feedText(text)
            verify(screen.scrollbackCount > 50)
            mouseWheel(term, 50, 50, 0, 120)
            compare(term.scrollOffset, 3)
            keyClick(Qt.Key_PageUp, Qt.ShiftModifier)
            compare(term.scrollOffset, 3 + term.rows - 1)
            // New output keeps the operator's place.
            screen.feedText("more\r\n")
            compare(term.scrollOffset, 3 + term.rows)
            keyClick(Qt.Key_PageDown, Qt.ShiftModifier)
            keyClick(Qt.Key_PageDown, Qt.ShiftModifier)
            compare(term.scrollOffset, 0)
        }

        function test_6_selectAndCopy() {
            screen.reset()
            screen.feedText("hello world")
            const a = term.cellPosition(0, 0)
            const b = term.cellPosition(0, 5)
            mousePress(term, a.x + 1, a.y + 4)
            mouseMove(term, b.x + 1, b.y + 4)
            mouseRelease(term, b.x + 1, b.y + 4)
            verify(term.hasSelection)
            compare(term.selectedText(), "hello")
            mouseDoubleClickSequence(term, term.cellPosition(0, 8).x + 2, a.y + 4)
            compare(term.selectedText(), "world")
        }
    }

    TestCase {
        name: "TerminalPane"
        when: windowShown

        function test_refusedHubIsExplained() {
            const pane = createTemporaryObject(paneComponent, root, { client: terminalHelper.refusingClient() })
            verify(pane)
            tryCompare(pane.tabs, "count", 1)
            tryVerify(() => pane.current && pane.current.state === TerminalSession.Failed, 5000)
            const title = findChild(pane, "terminalMessageTitle")
            compare(title.text, "This hub does not allow terminals")
            verify(findChild(pane, "terminalMessageDetail").text.indexOf("terminals are not enabled on this hub") >= 0)
            verify(findChild(pane, "terminalMessage").visible)
            compare(findChild(pane, "terminalState").text, "failed")
            // A second tab, then closing tabs down to the empty state.
            mouseClick(findChild(pane, "terminalNewTab"))
            compare(pane.tabs.count, 2)
            compare(pane.currentIndex, 1)
            mouseClick(findChild(pane, "terminalCloseTab1"))
            mouseClick(findChild(pane, "terminalCloseTab0"))
            compare(pane.tabs.count, 0)
            compare(title.text, "No terminal open")
            compare(findChild(pane, "terminalMessageAction").text, "New terminal")
        }

        function test_renameByDoubleClick() {
            const pane = createTemporaryObject(paneComponent, root, { client: terminalHelper.refusingClient() })
            tryCompare(pane.tabs, "count", 1)
            const tab = findChild(pane, "terminalTab0")
            mouseDoubleClickSequence(tab, 40, tab.height / 2)
            const field = findChild(tab, "terminalRenameField")
            tryVerify(() => field.activeFocus)
            keySequence("ctrl+a")
            keyClick(Qt.Key_D)
            keyClick(Qt.Key_B)
            keyClick(Qt.Key_Return)
            compare(pane.tabs.titleAt(0), "db")
        }
    }
}
