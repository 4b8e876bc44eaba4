#pragma once

// TerminalItem: paints a VtermScreen in a monospace grid and is its keyboard. The grid follows
// the item's size (debounced, so a window drag does not resize the PTY 60 times a second);
// the wheel and Shift+PgUp/PgDn look back through the scrollback; a mouse drag selects text,
// Ctrl+Shift+C copies, Ctrl+Shift+V and a middle click paste; Ctrl+= / Ctrl+- / Ctrl+0 zoom.
// Every other key goes to the screen, which encodes it (see terminalkeys.cpp). While the program
// tracks the mouse (VtermScreen::mouseTracking) clicks, drags, motion and the wheel go to it
// instead; Shift+drag still selects and Shift+wheel still scrolls back, as in xterm and Konsole.
// The item holds no terminal state of its own beyond the view: scroll position, selection, zoom.

#include "vtermscreen.h"

#include <QColor>
#include <QElapsedTimer>
#include <QFont>
#include <QPointer>
#include <QQuickPaintedItem>
#include <QTimer>

namespace opsdeck::termui {

class TerminalItem : public QQuickPaintedItem
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(opsdeck::termui::VtermScreen *screen READ screen WRITE setScreen NOTIFY screenChanged)
    Q_PROPERTY(QString fontFamily READ fontFamily WRITE setFontFamily NOTIFY fontChanged)
    Q_PROPERTY(int fontPixelSize READ fontPixelSize WRITE setFontPixelSize NOTIFY fontChanged)
    Q_PROPERTY(int zoom READ zoom WRITE setZoom NOTIFY fontChanged)
    Q_PROPERTY(qreal cellWidth READ cellWidth NOTIFY fontChanged)
    Q_PROPERTY(qreal cellHeight READ cellHeight NOTIFY fontChanged)
    Q_PROPERTY(int cols READ cols NOTIFY gridSizeChanged)
    Q_PROPERTY(int rows READ rows NOTIFY gridSizeChanged)
    Q_PROPERTY(int scrollOffset READ scrollOffset WRITE setScrollOffset NOTIFY scrollOffsetChanged)
    Q_PROPERTY(bool inputEnabled READ inputEnabled WRITE setInputEnabled NOTIFY inputEnabledChanged)
    Q_PROPERTY(bool hasSelection READ hasSelection NOTIFY selectionChanged)
    // The theme's colours for text and background without an explicit colour (pushed into the
    // screen, which resolves default-coloured cells with them).
    Q_PROPERTY(QColor foreground READ foreground WRITE setForeground NOTIFY colorsChanged)
    Q_PROPERTY(QColor background READ background WRITE setBackground NOTIFY colorsChanged)
    Q_PROPERTY(QColor cursorColor MEMBER m_cursorColor NOTIFY colorsChanged)
    Q_PROPERTY(QColor selectionColor MEMBER m_selectionColor NOTIFY colorsChanged)

public:
    static constexpr int kResizeDebounceMs = 100;
    static constexpr int kPadding = 6;

    explicit TerminalItem(QQuickItem *parent = nullptr);

    VtermScreen *screen() const { return m_screen; }
    void setScreen(VtermScreen *screen);
    QString fontFamily() const { return m_family; }
    void setFontFamily(const QString &family);
    int fontPixelSize() const { return m_pixelSize; }
    void setFontPixelSize(int size);
    int zoom() const { return m_zoom; }
    void setZoom(int steps);
    qreal cellWidth() const { return m_cellW; }
    qreal cellHeight() const { return m_cellH; }
    int cols() const { return m_cols; }
    int rows() const { return m_rows; }
    int scrollOffset() const { return m_scrollOffset; }
    void setScrollOffset(int lines);
    bool inputEnabled() const { return m_inputEnabled; }
    void setInputEnabled(bool enabled);
    QColor foreground() const { return m_foreground; }
    void setForeground(const QColor &color);
    QColor background() const { return m_background; }
    void setBackground(const QColor &color);
    bool hasSelection() const { return m_selStart != m_selEnd; }

    Q_INVOKABLE QString selectedText() const;
    Q_INVOKABLE void selectAll();
    Q_INVOKABLE void clearSelection();
    Q_INVOKABLE void copy();
    Q_INVOKABLE void paste();
    Q_INVOKABLE void scrollToBottom() { setScrollOffset(0); }
    // Applies the pending size now instead of after the debounce (tests, first layout).
    Q_INVOKABLE void updateGridSize();
    // The top-left pixel of a visible cell (tests and tooltips).
    Q_INVOKABLE QPointF cellPosition(int row, int col) const;

    void paint(QPainter *painter) override;

Q_SIGNALS:
    void screenChanged();
    void fontChanged();
    void gridSizeChanged();
    void scrollOffsetChanged();
    void inputEnabledChanged();
    void selectionChanged();
    void colorsChanged();

protected:
    bool event(QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void inputMethodEvent(QInputMethodEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void mouseUngrabEvent() override;
    void hoverEnterEvent(QHoverEvent *event) override;
    void hoverMoveEvent(QHoverEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void focusInEvent(QFocusEvent *event) override;
    void focusOutEvent(QFocusEvent *event) override;
    void geometryChange(const QRectF &newGeometry, const QRectF &oldGeometry) override;

private:
    // A position in the text: `line` as in VtermScreen::line() (negative in the scrollback).
    struct TextPos
    {
        int line = 0;
        int col = 0;
        auto operator<=>(const TextPos &) const = default;
    };

    bool handleViewKey(QKeyEvent *event);
    void updateFont();
    void onDamaged();
    void onScrollback(int pushed);
    // Repaints `rect` (null: everything) now, or — when the last repaint was under a frame
    // interval ago — once that interval is over, merged with whatever else changed meanwhile.
    void scheduleRepaint(const QRect &rect);
    TextPos posAt(const QPointF &point) const;
    // The screen cell under a point (x = column, y = row), clamped to the grid.
    QPoint cellAt(const QPointF &point) const;
    // Whether the mouse goes to the program now: it tracks the mouse, the view shows its screen
    // (not the scrollback), typing is on, and Shift (the local override) is not held.
    bool programGetsMouse(Qt::KeyboardModifiers modifiers) const;
    void onMouseTrackingChanged();
    void releaseForwardedButtons(Qt::KeyboardModifiers modifiers);
    void reportHover(const QHoverEvent *event);
    bool isSelected(int line, int col) const;
    void paintLine(QPainter *painter, int row, const TerminalLine &line, int lineIndex);
    void paintCursor(QPainter *painter);
    void pasteText(const QString &text);

    QPointer<VtermScreen> m_screen;
    QString m_family = QStringLiteral("DejaVu Sans Mono");
    int m_pixelSize = 13;
    int m_zoom = 0;
    QFont m_font, m_bold, m_italic, m_boldItalic;
    qreal m_cellW = 8;
    qreal m_cellH = 16;
    qreal m_ascent = 12;
    int m_cols = 0;
    int m_rows = 0;
    int m_scrollOffset = 0;
    bool m_inputEnabled = true;
    QColor m_foreground = QColor(0xe6, 0xe9, 0xef);
    QColor m_background = QColor(0x0e, 0x11, 0x16);
    QColor m_cursorColor = QColor(0x4c, 0x8d, 0xff);
    QColor m_selectionColor = QColor(0x1f, 0x35, 0x53);
    TextPos m_selStart, m_selEnd;
    bool m_selecting = false;
    Qt::MouseButtons m_forwardedButtons; // pressed on the program: their moves and release follow
    QPoint m_lastMouseCell;
    int m_wheelRemainder = 0; // angle delta short of a whole notch (touchpads), for the program
    bool m_blinkOn = true;
    QTimer m_resizeTimer;
    QTimer m_blinkTimer;
    // Output-driven repaints are capped at ~30 per second: a flood would otherwise repaint the
    // whole grid at the display rate and spend a core on pictures nobody can read. A lone
    // keystroke echo still repaints at once.
    QTimer m_repaintTimer;
    QElapsedTimer m_sinceRepaint;
    QRect m_dirty;
    bool m_dirtyAll = false;
};

} // namespace opsdeck::termui
