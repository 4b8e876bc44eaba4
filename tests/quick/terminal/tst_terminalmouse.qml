import QtQuick
import QtTest
import Opsdeck.Ui
import Opsdeck.Terminal

// The mouse in a terminal: real mouse events on a TerminalItem. While the program tracks the
// mouse (htop, vim with mouse=a, less --mouse, mc) clicks, drags, motion and the wheel reach it
// as the bytes libvterm encodes; Shift keeps selection and scrollback local. Without tracking the
// mouse selects and scrolls as before. And a cell with combining marks is painted with them.
Item {
    id: root
    width: 700
    height: 420

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

    TestCase {
        name: "TerminalMouse"
        when: windowShown

        function sent() {
            let text = ""
            for (let i = 0; i < output.count; ++i)
                text += terminalHelper.latin1(output.signalArguments[i][0])
            output.clear()
            return text
        }

        // The middle of a visible cell, in the item's coordinates.
        function at(row, col) {
            const p = term.cellPosition(row, col)
            return Qt.point(p.x + term.cellWidth / 2, p.y + term.cellHeight / 2)
        }

        function init() {
            term.updateGridSize()
            term.forceActiveFocus()
            screen.reset()
            term.clearSelection()
            term.scrollOffset = 0
            output.clear()
            compare(screen.mouseTracking, VtermScreen.Off)
        }

        function test_pointerSaysWhoGetsTheMouse() {
            compare(terminalHelper.cursorShape(term), Qt.IBeamCursor)
            screen.feedText("\x1b[?1002h")
            compare(terminalHelper.cursorShape(term), Qt.ArrowCursor)
            screen.feedText("\x1b[?1002l")
            compare(terminalHelper.cursorShape(term), Qt.IBeamCursor)
        }

        function test_clicksGoToTheProgram() {
            screen.feedText("\x1b[?1000h\x1b[?1006h")
            compare(screen.mouseTracking, VtermScreen.Clicks)
            const p = at(2, 4)
            mousePress(term, p.x, p.y)
            mouseRelease(term, p.x, p.y)
            compare(sent(), "\x1b[<0;5;3M\x1b[<0;5;3m")
            verify(!term.hasSelection, "a click for the program selects nothing")
            // The right button and the middle one (no paste) are the program's too; Ctrl adds 16.
            mouseClick(term, p.x, p.y, Qt.RightButton)
            mouseClick(term, p.x, p.y, Qt.MiddleButton, Qt.ControlModifier)
            compare(sent(), "\x1b[<2;5;3M\x1b[<2;5;3m\x1b[<17;5;3M\x1b[<17;5;3m")
            // Motion is not reported in 1000, even with the button down.
            const q = at(2, 9)
            mousePress(term, p.x, p.y)
            mouseMove(term, q.x, q.y, -1, Qt.LeftButton)
            mouseRelease(term, q.x, q.y)
            compare(sent(), "\x1b[<0;5;3M\x1b[<0;10;3m")
        }

        function test_doubleClickIsTwoClicks() {
            screen.feedText("\x1b[?1000h\x1b[?1006h")
            const p = at(0, 0)
            mouseDoubleClickSequence(term, p.x, p.y)
            compare(sent(), "\x1b[<0;1;1M\x1b[<0;1;1m\x1b[<0;1;1M\x1b[<0;1;1m")
            verify(!term.hasSelection)
        }

        function test_dragsIn1002() {
            screen.feedText("\x1b[?1002h\x1b[?1006h")
            compare(screen.mouseTracking, VtermScreen.Drags)
            const a = at(1, 1), b = at(1, 3), c = at(4, 3)
            mousePress(term, a.x, a.y)
            mouseMove(term, b.x, b.y, -1, Qt.LeftButton)
            mouseMove(term, c.x, c.y, -1, Qt.LeftButton)
            mouseRelease(term, c.x, c.y)
            compare(sent(), "\x1b[<0;2;2M\x1b[<32;4;2M\x1b[<32;4;5M\x1b[<0;4;5m")
            verify(!term.hasSelection)
        }

        function test_motionIn1003() {
            screen.feedText("\x1b[?1003h\x1b[?1006h")
            compare(screen.mouseTracking, VtermScreen.Motion)
            const a = at(3, 7), b = at(3, 8)
            mouseMove(term, a.x, a.y)
            mouseMove(term, b.x, b.y)
            compare(sent(), "\x1b[<35;8;4M\x1b[<35;9;4M")
        }

        function test_wheelGoesToTheProgram() {
            screen.feedText("\x1b[?1000h\x1b[?1006h")
            const p = at(5, 2)
            mouseWheel(term, p.x, p.y, 0, 120)
            mouseWheel(term, p.x, p.y, 0, -240)
            compare(sent(), "\x1b[<64;3;6M\x1b[<65;3;6M\x1b[<65;3;6M")
            // A touchpad's small steps add up to a notch.
            mouseWheel(term, p.x, p.y, 0, 60)
            compare(sent(), "")
            mouseWheel(term, p.x, p.y, 0, 60)
            compare(sent(), "\x1b[<64;3;6M")
        }

        function test_shiftKeepsTheMouseLocal() {
            let text = ""
            for (let i = 0; i < 60; ++i)
                text += "line " + i + "\r\n"
            screen.feedText(text + "hello world")
            screen.feedText("\x1b[?1002h\x1b[?1006h")
            const row = term.rows - 1
            const a = term.cellPosition(row, 0), b = term.cellPosition(row, 5)
            mousePress(term, a.x + 1, a.y + 4, Qt.LeftButton, Qt.ShiftModifier)
            mouseMove(term, b.x + 1, b.y + 4, -1, Qt.LeftButton, Qt.ShiftModifier)
            mouseRelease(term, b.x + 1, b.y + 4, Qt.LeftButton, Qt.ShiftModifier)
            compare(sent(), "", "Shift+drag is not the program's")
            verify(term.hasSelection)
            compare(term.selectedText(), "hello")
            // Shift+wheel scrolls the scrollback; while the view is in history the mouse stays
            // local (what is under it is not the program's screen) until it is back at the bottom.
            mouseWheel(term, 50, 50, 0, 120, Qt.NoButton, Qt.ShiftModifier)
            compare(term.scrollOffset, 3)
            compare(sent(), "")
            mouseWheel(term, 50, 50, 0, -120)
            compare(term.scrollOffset, 0)
            compare(sent(), "")
            mouseWheel(term, 50, 50, 0, -120)
            verify(sent().indexOf("\x1b[<65;") === 0)
            // The same on the alternate screen (htop): back down by the wheel, no arrow keys.
            screen.feedText("\x1b[?1049h")
            mouseWheel(term, 50, 50, 0, 120, Qt.NoButton, Qt.ShiftModifier)
            compare(term.scrollOffset, 3)
            mouseWheel(term, 50, 50, 0, -120)
            compare(term.scrollOffset, 0)
            compare(sent(), "")
        }

        function test_withoutTrackingTheMouseSelects() {
            screen.feedText("\x1b[?1000h\x1b[?1006h\x1b[?1000lhello world")
            compare(screen.mouseTracking, VtermScreen.Off)
            const a = term.cellPosition(0, 0), b = term.cellPosition(0, 5)
            mousePress(term, a.x + 1, a.y + 4)
            mouseMove(term, b.x + 1, b.y + 4, -1, Qt.LeftButton)
            mouseRelease(term, b.x + 1, b.y + 4)
            compare(sent(), "")
            compare(term.selectedText(), "hello")
            mouseClick(term, a.x + 1, a.y + 4, Qt.RightButton)
            compare(sent(), "")
            // On the alternate screen (less, man) the wheel still moves the program by arrow keys.
            screen.feedText("\x1b[?1049h")
            mouseWheel(term, 50, 50, 0, 120)
            compare(sent(), "\x1b[A\x1b[A\x1b[A")
        }

        function test_inputDisabledKeepsTheMouseLocal() {
            screen.feedText("\x1b[?1000h\x1b[?1006hhello")
            term.inputEnabled = false
            const a = term.cellPosition(0, 0), b = term.cellPosition(0, 5)
            mousePress(term, a.x + 1, a.y + 4)
            mouseMove(term, b.x + 1, b.y + 4, -1, Qt.LeftButton)
            mouseRelease(term, b.x + 1, b.y + 4)
            term.inputEnabled = true
            compare(sent(), "", "an exited shell gets no mouse reports")
            compare(term.selectedText(), "hello")
        }

        function test_combiningMarksArePaintedAndCopied() {
            // Row 0: a plain e; row 1: e + COMBINING ACUTE. Same base, so any extra ink is the mark.
            screen.feedText("e\r\ne\u0301x\r\n\u1112\u1161\u11ab|")
            compare(screen.cellText(1, 0), "e\u0301")
            waitForRendering(term)
            const image = grabImage(term)
            const ink = (row) => {
                const p = term.cellPosition(row, 0)
                let n = 0
                for (let y = Math.ceil(p.y); y < p.y + term.cellHeight - 1; ++y)
                    for (let x = Math.ceil(p.x); x < p.x + term.cellWidth - 1; ++x)
                        if (!Qt.colorEqual(image.pixel(x, y), Theme.window))
                            ++n
                return n
            }
            verify(ink(1) > ink(0), "the acute is drawn over the e (" + ink(1) + " vs " + ink(0) + " pixels)")
            // The jamo cluster is one wide cell; the | after it is in column 2.
            compare(screen.cellText(2, 2), "|")
            const a = term.cellPosition(1, 0), b = term.cellPosition(2, 3)
            mousePress(term, a.x + 1, a.y + 4)
            mouseMove(term, b.x + 1, b.y + 4, -1, Qt.LeftButton)
            mouseRelease(term, b.x + 1, b.y + 4)
            compare(term.selectedText(), "e\u0301x\n\u1112\u1161\u11ab|")
        }
    }
}
