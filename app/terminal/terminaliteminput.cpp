// TerminalItem: keyboard, mouse, wheel, selection and the clipboard.

#include "terminalitem.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QInputMethodEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QWheelEvent>
#include <algorithm>

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
    m_selecting = false;
    // X11 convention: selecting is copying to the primary selection (middle click pastes it).
    QClipboard *clipboard = QGuiApplication::clipboard();
    if (hasSelection() && clipboard->supportsSelection())
        clipboard->setText(selectedText(), QClipboard::Selection);
    event->accept();
}

void TerminalItem::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (!m_screen || event->button() != Qt::LeftButton)
        return;
    // A word: the run of non-blank characters under the pointer (paths, ids, host names).
    const TextPos at = posAt(event->position() - QPointF(m_cellW / 2, 0));
    const QString text = m_screen->lineText(at.line);
    auto isWord = [&text](int i) { return i >= 0 && i < text.size() && !text.at(i).isSpace(); };
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
    const int notches = event->angleDelta().y() / 40; // three lines per 120-unit notch
    if (notches == 0) {
        event->accept();
        return;
    }
    if (m_screen->isAltScreen()) {
        // Full-screen programs (less, vim, htop) have no scrollback: the wheel moves them instead.
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
