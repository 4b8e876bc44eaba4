// TerminalItem: keyboard, mouse, wheel, selection and the clipboard. The mouse either works on
// the view (selection, scrollback) or, while the program tracks it, goes to the program through
// VtermScreen, which has libvterm encode the report.

#include "terminalitem.h"

#include <QClipboard>
#include <QCursor>
#include <QHoverEvent>
#include <QGuiApplication>
#include <QInputMethodEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

namespace opsdeck::termui {

namespace {

    constexpr Qt::KeyboardModifiers kCtrlShift = Qt::ControlModifier | Qt::ShiftModifier;

    Qt::KeyboardModifiers significant(Qt::KeyboardModifiers mods)
    {
        return mods & (Qt::ControlModifier | Qt::ShiftModifier | Qt::AltModifier | Qt::MetaModifier);
    }

    // Ctrl+1..9 stay with the window (pane switching); everything else a shell may need —
    // Ctrl+K, "/", Esc, Tab — must reach the terminal instead of triggering a window shortcut.
    bool windowKeepsShortcut(const QKeyEvent *event)
    {
        return significant(event->modifiers()) == Qt::ControlModifier && event->key() >= Qt::Key_1
            && event->key() <= Qt::Key_9;
    }

    // xterm's button numbers; 0 for buttons a terminal does not report.
    int terminalButton(Qt::MouseButton button)
    {
        switch (button) {
        case Qt::LeftButton:
            return 1;
        case Qt::MiddleButton:
            return 2;
        case Qt::RightButton:
            return 3;
        default:
            return 0;
        }
    }

    constexpr int kWheelNotch = 120; // QWheelEvent::angleDelta() of one notch

} // namespace

bool TerminalItem::event(QEvent *event)
{
    if (event->type() == QEvent::ShortcutOverride) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (!windowKeepsShortcut(key)) {
            event->accept();
            return true;
        }
    }
    return QQuickPaintedItem::event(event);
}

// Keys that act on the view, not the program: they work even when input is disabled.
bool TerminalItem::handleViewKey(QKeyEvent *event)
{
    const Qt::KeyboardModifiers mods = significant(event->modifiers());
    const int key = event->key();
    if (mods == kCtrlShift && key == Qt::Key_C) {
        copy();
        return true;
    }
    if (mods == kCtrlShift && key == Qt::Key_V) {
        paste();
        return true;
    }
    if (mods == Qt::ShiftModifier && (key == Qt::Key_PageUp || key == Qt::Key_PageDown)) {
        const int page = std::max(1, m_rows - 1);
        setScrollOffset(m_scrollOffset + (key == Qt::Key_PageUp ? page : -page));
        return true;
    }
    // Ctrl+= and Ctrl++ (Shift+= on most layouts) zoom in; Ctrl+- out; Ctrl+0 resets.
    const bool ctrl = mods == Qt::ControlModifier || mods == kCtrlShift;
    if (ctrl && (key == Qt::Key_Equal || key == Qt::Key_Plus)) {
        setZoom(m_zoom + 1);
        return true;
    }
    if (ctrl && (key == Qt::Key_Minus || key == Qt::Key_Underscore) && mods == Qt::ControlModifier) {
        setZoom(m_zoom - 1);
        return true;
    }
    if (mods == Qt::ControlModifier && key == Qt::Key_0) {
        setZoom(0);
        return true;
    }
    return false;
}

void TerminalItem::keyPressEvent(QKeyEvent *event)
{
    if (handleViewKey(event)) {
        event->accept();
        return;
    }
    if (!m_screen || !m_inputEnabled) {
        event->ignore();
        return;
    }
    if (m_screen->sendKey(event->key(), event->modifiers(), event->text())) {
        // Typing means the operator is back at the prompt.
        setScrollOffset(0);
        m_blinkOn = true;
    }
    event->accept();
}

void TerminalItem::inputMethodEvent(QInputMethodEvent *event)
{
    if (m_screen && m_inputEnabled && !event->commitString().isEmpty()) {
        m_screen->sendKey(0, Qt::NoModifier, event->commitString());
        setScrollOffset(0);
    }
    event->accept();
}

TerminalItem::TextPos TerminalItem::posAt(const QPointF &point) const
{
    const int row = std::clamp(int((point.y() - kPadding) / m_cellH), 0, std::max(0, m_rows - 1));
    // Past the middle of a cell the selection includes it, as in every text editor.
    const int col = std::clamp(int((point.x() - kPadding) / m_cellW + 0.5), 0, std::max(0, m_cols));
    return {row - m_scrollOffset, col};
}

QPoint TerminalItem::cellAt(const QPointF &point) const
{
    const int rows = m_screen ? m_screen->rows() : m_rows;
    const int cols = m_screen ? m_screen->cols() : m_cols;
    const int row = std::clamp(int(std::floor((point.y() - kPadding) / m_cellH)), 0, std::max(0, rows - 1));
    const int col = std::clamp(int(std::floor((point.x() - kPadding) / m_cellW)), 0, std::max(0, cols - 1));
    return {col, row};
}

bool TerminalItem::programGetsMouse(Qt::KeyboardModifiers modifiers) const
{
    return m_screen && m_inputEnabled && m_scrollOffset == 0
        && m_screen->mouseTracking() != VtermScreen::MouseTracking::Off && !(modifiers & Qt::ShiftModifier);
}

void TerminalItem::onMouseTrackingChanged()
{
    const VtermScreen::MouseTracking tracking
        = m_screen ? m_screen->mouseTracking() : VtermScreen::MouseTracking::Off;
    // The right button belongs to the program only while it listens; otherwise it stays free for
    // whatever is under the item. Hover (motion without a button) matters only in 1003.
    setAcceptedMouseButtons(Qt::LeftButton | Qt::MiddleButton
        | (tracking != VtermScreen::MouseTracking::Off ? Qt::RightButton : Qt::NoButton));
    setAcceptHoverEvents(tracking == VtermScreen::MouseTracking::Motion);
#if QT_CONFIG(cursor)
    // As in xterm and Konsole: the I-beam says "drag selects text", the arrow says "the program
    // takes your clicks" (Shift-drag still selects).
    setCursor(QCursor(tracking != VtermScreen::MouseTracking::Off ? Qt::ArrowCursor : Qt::IBeamCursor));
#endif
}

void TerminalItem::releaseForwardedButtons(Qt::KeyboardModifiers modifiers)
{
    for (const Qt::MouseButton button : {Qt::LeftButton, Qt::MiddleButton, Qt::RightButton}) {
        if ((m_forwardedButtons & button) && m_screen)
            m_screen->mouseButton(terminalButton(button), false, m_lastMouseCell.y(), m_lastMouseCell.x(), modifiers);
    }
    m_forwardedButtons = {};
}

bool TerminalItem::isSelected(int line, int col) const
{
    if (!hasSelection())
        return false;
    const auto [from, to] = std::minmax(m_selStart, m_selEnd);
    const TextPos pos {line, col};
    return !(pos < from) && pos < to;
}

void TerminalItem::mousePressEvent(QMouseEvent *event)
{
    forceActiveFocus(Qt::MouseFocusReason);
    // Once a button went to the program, the others follow it until all are up (a chord is one
    // gesture); otherwise the program gets the press when it tracks the mouse and Shift is up.
    const int button = terminalButton(event->button());
    if (button != 0 && (m_forwardedButtons || programGetsMouse(event->modifiers()))) {
        m_lastMouseCell = cellAt(event->position());
        if (m_screen->mouseButton(button, true, m_lastMouseCell.y(), m_lastMouseCell.x(), event->modifiers())) {
            m_forwardedButtons |= event->button();
            event->accept();
            return;
        }
        // Not reported: the program reset the terminal and no longer listens. Local handling.
    }
    if (event->button() == Qt::RightButton) {
        event->ignore();
        return;
    }
    if (event->button() == Qt::MiddleButton) {
        const QClipboard *clipboard = QGuiApplication::clipboard();
        pasteText(
            clipboard->supportsSelection() ? clipboard->text(QClipboard::Selection) : clipboard->text());
        event->accept();
        return;
    }
    m_selStart = m_selEnd = posAt(event->position());
    m_selecting = true;
    Q_EMIT selectionChanged();
    update();
    event->accept();
}

void TerminalItem::mouseMoveEvent(QMouseEvent *event)
{
    if (m_forwardedButtons) {
        // libvterm reports it only in 1002/1003 and only when the cell changed.
        m_lastMouseCell = cellAt(event->position());
        m_screen->mouseMove(m_lastMouseCell.y(), m_lastMouseCell.x(), event->modifiers());
        event->accept();
        return;
    }
    if (!m_selecting)
        return;
    // Dragging past the top or bottom edge scrolls, so a selection can span more than a screen.
    if (event->position().y() < 0)
        setScrollOffset(m_scrollOffset + 1);
    else if (event->position().y() > height())
        setScrollOffset(m_scrollOffset - 1);
    m_selEnd = posAt(event->position());
    Q_EMIT selectionChanged();
    update();
}

void TerminalItem::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_forwardedButtons & event->button()) {
        m_forwardedButtons &= ~event->button();
        m_lastMouseCell = cellAt(event->position());
        if (m_screen)
            m_screen->mouseButton(terminalButton(event->button()), false, m_lastMouseCell.y(),
                m_lastMouseCell.x(), event->modifiers());
        event->accept();
        return;
    }
    m_selecting = false;
    // X11 convention: selecting is copying to the primary selection (middle click pastes it).
    QClipboard *clipboard = QGuiApplication::clipboard();
    if (hasSelection() && clipboard->supportsSelection())
        clipboard->setText(selectedText(), QClipboard::Selection);
    event->accept();
}

void TerminalItem::mouseUngrabEvent()
{
    // Someone else took the mouse mid-press (a popup, a window switch): the program must not be
    // left believing a button is still down.
    releaseForwardedButtons(Qt::NoModifier);
    m_selecting = false;
}

// Motion without a button is reported in 1003 only (hover events are on only then); entering
// the item is motion too.
void TerminalItem::reportHover(const QHoverEvent *event)
{
    if (!m_forwardedButtons && programGetsMouse(Qt::NoModifier)) {
        m_lastMouseCell = cellAt(event->position());
        m_screen->mouseMove(m_lastMouseCell.y(), m_lastMouseCell.x(), event->modifiers());
    }
}

void TerminalItem::hoverEnterEvent(QHoverEvent *event)
{
    reportHover(event);
    QQuickPaintedItem::hoverEnterEvent(event);
}

void TerminalItem::hoverMoveEvent(QHoverEvent *event)
{
    reportHover(event);
    QQuickPaintedItem::hoverMoveEvent(event);
}

void TerminalItem::mouseDoubleClickEvent(QMouseEvent *event)
{
    // The press this double click repeats already went to the program.
    if (m_forwardedButtons) {
        event->accept();
        return;
    }
    if (!m_screen || event->button() != Qt::LeftButton)
        return;
    // A word: the run of non-blank cells under the pointer (paths, ids, host names), by column,
    // so wide characters and combining marks do not shift it.
    const TextPos at = posAt(event->position() - QPointF(m_cellW / 2, 0));
    const TerminalLine cells = m_screen->line(at.line);
    auto isWord = [&cells](int col) {
        if (col < 0 || col >= cells.size())
            return false;
        const TerminalCell &c = cells.at(col);
        return c.width == 0 || (c.ch != 0 && !QChar::isSpace(c.ch)); // width 0: a wide char's right half
    };
    if (!isWord(at.col))
        return;
    int from = at.col;
    int to = at.col;
    while (isWord(from - 1))
        --from;
    while (isWord(to))
        ++to;
    m_selStart = {at.line, from};
    m_selEnd = {at.line, to};
    m_selecting = false;
    Q_EMIT selectionChanged();
    update();
    event->accept();
}

void TerminalItem::wheelEvent(QWheelEvent *event)
{
    if (!m_screen)
        return;
    if (programGetsMouse(event->modifiers())) {
        // One report per notch, as xterm sends; a touchpad's small steps add up to notches.
        m_wheelRemainder += event->angleDelta().y();
        const QPoint cell = cellAt(event->position());
        while (std::abs(m_wheelRemainder) >= kWheelNotch) {
            const bool up = m_wheelRemainder > 0;
            m_wheelRemainder -= up ? kWheelNotch : -kWheelNotch;
            if (!m_screen->mouseWheel(up, cell.y(), cell.x(), event->modifiers())) {
                m_wheelRemainder = 0; // the program stopped listening: back to the scrollback
                break;
            }
        }
        event->accept();
        return;
    }
    m_wheelRemainder = 0;
    // Shift+wheel always scrolls the scrollback (some platforms turn it into a horizontal wheel).
    const bool shift = event->modifiers() & Qt::ShiftModifier;
    const int delta = shift && event->angleDelta().y() == 0 ? event->angleDelta().x() : event->angleDelta().y();
    const int notches = delta / 40; // three lines per 120-unit notch
    if (notches == 0) {
        event->accept();
        return;
    }
    const bool programListens = m_screen->mouseTracking() != VtermScreen::MouseTracking::Off;
    if (m_screen->isAltScreen() && !shift && m_scrollOffset == 0 && !programListens) {
        // Full-screen programs without mouse tracking (less, man) have no scrollback: the wheel
        // moves them with arrow keys instead (xterm's alternateScroll).
        if (m_inputEnabled)
            for (int i = 0; i < std::abs(notches); ++i)
                m_screen->sendKey(notches > 0 ? Qt::Key_Up : Qt::Key_Down, Qt::NoModifier, {});
    } else {
        setScrollOffset(m_scrollOffset + notches);
    }
    event->accept();
}

void TerminalItem::focusInEvent(QFocusEvent *event)
{
    QQuickPaintedItem::focusInEvent(event);
    m_blinkOn = true;
    m_blinkTimer.start();
    update();
}

void TerminalItem::focusOutEvent(QFocusEvent *event)
{
    QQuickPaintedItem::focusOutEvent(event);
    m_blinkTimer.stop();
    update();
}

QString TerminalItem::selectedText() const
{
    if (!m_screen || !hasSelection())
        return {};
    const auto [from, to] = std::minmax(m_selStart, m_selEnd);
    QStringList lines;
    for (int line = from.line; line <= to.line; ++line) {
        const int start = line == from.line ? from.col : 0;
        const int end = line == to.line ? to.col : -1;
        lines.append(m_screen->lineText(line, start, end));
    }
    return lines.join(QLatin1Char('\n'));
}

void TerminalItem::selectAll()
{
    if (!m_screen)
        return;
    m_selStart = {-m_screen->scrollbackCount(), 0};
    m_selEnd = {m_screen->rows() - 1, m_screen->cols()};
    Q_EMIT selectionChanged();
    update();
}

void TerminalItem::clearSelection()
{
    if (!hasSelection())
        return;
    m_selStart = m_selEnd = {};
    Q_EMIT selectionChanged();
    update();
}

void TerminalItem::copy()
{
    if (hasSelection())
        QGuiApplication::clipboard()->setText(selectedText());
}

void TerminalItem::paste()
{
    pasteText(QGuiApplication::clipboard()->text());
}

void TerminalItem::pasteText(const QString &text)
{
    if (!m_screen || !m_inputEnabled || text.isEmpty())
        return;
    m_screen->paste(text);
    setScrollOffset(0);
}

} // namespace opsdeck::termui
