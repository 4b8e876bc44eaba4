// TerminalItem: properties, the grid geometry and painting (input is in terminaliteminput.cpp).

#include "terminalitem.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QtMath>
#include <algorithm>

namespace opsdeck::termui {

TerminalItem::TerminalItem(QQuickItem *parent)
    : QQuickPaintedItem(parent)
{
    setFlag(ItemAcceptsInputMethod, true);
    setFlag(ItemIsFocusScope, false);
    setAcceptedMouseButtons(Qt::LeftButton | Qt::MiddleButton);
    setActiveFocusOnTab(true);
    setOpaquePainting(true);
    m_resizeTimer.setSingleShot(true);
    m_resizeTimer.setInterval(kResizeDebounceMs);
    connect(&m_resizeTimer, &QTimer::timeout, this, &TerminalItem::updateGridSize);
    // The usual terminal cadence; the cursor stays solid while the item has no focus.
    m_blinkTimer.setInterval(530);
    connect(&m_blinkTimer, &QTimer::timeout, this, [this] {
        m_blinkOn = !m_blinkOn;
        if (m_screen && m_screen->cursorBlinks() && m_scrollOffset == 0)
            update();
    });
    connect(this, &TerminalItem::colorsChanged, this, [this] { update(); });
    m_repaintTimer.setSingleShot(true);
    connect(&m_repaintTimer, &QTimer::timeout, this, [this] { scheduleRepaint(QRect()); });
    updateFont();
}

void TerminalItem::setScreen(VtermScreen *screen)
{
    if (m_screen == screen)
        return;
    if (m_screen)
        disconnect(m_screen, nullptr, this, nullptr);
    m_screen = screen;
    if (m_screen) {
        connect(m_screen, &VtermScreen::damaged, this, &TerminalItem::onDamaged);
        connect(m_screen, &VtermScreen::cursorChanged, this, [this] {
            m_blinkOn = true;
            m_dirtyAll = true;
            scheduleRepaint(QRect());
        });
        connect(m_screen, &VtermScreen::scrollbackChanged, this, &TerminalItem::onScrollback);
        connect(m_screen, &VtermScreen::colorsChanged, this, [this] { update(); });
        connect(m_screen, &VtermScreen::mouseTrackingChanged, this, &TerminalItem::onMouseTrackingChanged);
        connect(m_screen, &VtermScreen::sizeChanged, this, [this] { update(); });
        connect(m_screen, &QObject::destroyed, this, [this] { update(); });
        m_screen->setDefaultForeground(m_foreground);
        m_screen->setDefaultBackground(m_background);
        if (m_cols > 0 && m_rows > 0)
            m_screen->resize(m_cols, m_rows);
    }
    m_scrollOffset = 0;
    m_forwardedButtons = {};
    onMouseTrackingChanged();
    clearSelection();
    Q_EMIT screenChanged();
    Q_EMIT scrollOffsetChanged();
    update();
}

void TerminalItem::setForeground(const QColor &color)
{
    if (color == m_foreground)
        return;
    m_foreground = color;
    if (m_screen)
        m_screen->setDefaultForeground(color);
    Q_EMIT colorsChanged();
    update();
}

void TerminalItem::setBackground(const QColor &color)
{
    if (color == m_background)
        return;
    m_background = color;
    if (m_screen)
        m_screen->setDefaultBackground(color);
    Q_EMIT colorsChanged();
    update();
}

void TerminalItem::setFontFamily(const QString &family)
{
    if (family == m_family || family.isEmpty())
        return;
    m_family = family;
    updateFont();
}

void TerminalItem::setFontPixelSize(int size)
{
    if (size == m_pixelSize || size <= 0)
        return;
    m_pixelSize = size;
    updateFont();
}

void TerminalItem::setZoom(int steps)
{
    // Between 6 px (a wall of text) and 48 px (a projector).
    steps = std::clamp(steps, 6 - m_pixelSize, 48 - m_pixelSize);
    if (steps == m_zoom)
        return;
    m_zoom = steps;
    updateFont();
}

void TerminalItem::updateFont()
{
    m_font = QFont(m_family);
    m_font.setPixelSize(m_pixelSize + m_zoom);
    m_font.setStyleHint(QFont::Monospace);
    m_font.setFixedPitch(true);
    // Glyphs snap to the grid; kerning would pull them off it.
    m_font.setKerning(false);
    m_bold = m_font;
    m_bold.setBold(true);
    m_italic = m_font;
    m_italic.setItalic(true);
    m_boldItalic = m_bold;
    m_boldItalic.setItalic(true);
    const QFontMetricsF metrics(m_font);
    m_cellW = metrics.horizontalAdvance(QLatin1Char('M'));
    m_cellH = qCeil(metrics.height());
    m_ascent = metrics.ascent();
    Q_EMIT fontChanged();
    // A zoom should reflow at once; only window drags need the debounce.
    updateGridSize();
    update();
}

void TerminalItem::geometryChange(const QRectF &newGeometry, const QRectF &oldGeometry)
{
    QQuickPaintedItem::geometryChange(newGeometry, oldGeometry);
    if (newGeometry.size() != oldGeometry.size())
        m_resizeTimer.start();
}

void TerminalItem::updateGridSize()
{
    m_resizeTimer.stop();
    if (width() <= 0 || height() <= 0)
        return;
    const int cols = std::clamp(int((width() - 2 * kPadding) / m_cellW), 2, 1000);
    const int rows = std::clamp(int((height() - 2 * kPadding) / m_cellH), 1, 500);
    if (cols == m_cols && rows == m_rows)
        return;
    m_cols = cols;
    m_rows = rows;
    if (m_screen)
        m_screen->resize(cols, rows);
    Q_EMIT gridSizeChanged();
    update();
}

void TerminalItem::setScrollOffset(int lines)
{
    lines = std::clamp(lines, 0, m_screen ? m_screen->scrollbackCount() : 0);
    if (lines == m_scrollOffset)
        return;
    m_scrollOffset = lines;
    Q_EMIT scrollOffsetChanged();
    update();
}

void TerminalItem::setInputEnabled(bool enabled)
{
    if (enabled == m_inputEnabled)
        return;
    m_inputEnabled = enabled;
    Q_EMIT inputEnabledChanged();
    update();
}

QPointF TerminalItem::cellPosition(int row, int col) const
{
    return QPointF(kPadding + col * m_cellW, kPadding + row * m_cellH);
}

void TerminalItem::onDamaged()
{
    const QRect damage = m_screen ? m_screen->takeDamage() : QRect();
    if (damage.isEmpty())
        return;
    if (m_scrollOffset != 0) {
        m_dirtyAll = true; // the visible rows are not the damaged ones; repaint what is shown
        scheduleRepaint(QRect());
        return;
    }
    const QPointF topLeft = cellPosition(damage.top(), damage.left());
    scheduleRepaint(QRectF(topLeft, QSizeF(damage.width() * m_cellW, damage.height() * m_cellH))
                        .toAlignedRect()
                        .adjusted(-1, -1, 1, 1));
}

void TerminalItem::scheduleRepaint(const QRect &rect)
{
    constexpr qint64 kFrameMs = 33;
    if (!rect.isNull())
        m_dirty |= rect;
    if (m_repaintTimer.isActive())
        return;
    const qint64 since = m_sinceRepaint.isValid() ? m_sinceRepaint.elapsed() : kFrameMs;
    if (since < kFrameMs) {
        m_repaintTimer.start(int(kFrameMs - since));
        return;
    }
    if (m_dirtyAll || m_dirty.isNull())
        update();
    else
        update(m_dirty);
    m_dirty = QRect();
    m_dirtyAll = false;
    m_sinceRepaint.start();
}

void TerminalItem::onScrollback(int pushed)
{
    // Someone reading history keeps the same lines in view while output keeps coming.
    if (m_scrollOffset > 0) {
        m_scrollOffset = std::clamp(m_scrollOffset + pushed, 0, m_screen->scrollbackCount());
        Q_EMIT scrollOffsetChanged();
    }
    if (hasSelection()) {
        m_selStart.line -= pushed;
        m_selEnd.line -= pushed;
    }
    m_dirtyAll = true;
    scheduleRepaint(QRect());
}

void TerminalItem::paint(QPainter *painter)
{
    const QColor background = m_screen ? m_screen->defaultBackground() : m_background;
    painter->fillRect(QRectF(0, 0, width(), height()), background);
    if (!m_screen)
        return;
    const QRectF clip = painter->clipBoundingRect();
    const int rows = std::min(m_rows > 0 ? m_rows : m_screen->rows(), m_screen->rows());
    for (int row = 0; row < rows; ++row) {
        const qreal y = kPadding + row * m_cellH;
        if (!clip.isEmpty() && (y + m_cellH < clip.top() || y > clip.bottom()))
            continue;
        const int lineIndex = row - m_scrollOffset;
        paintLine(painter, row, m_screen->line(lineIndex), lineIndex);
    }
    if (m_scrollOffset == 0)
        paintCursor(painter);
}

void TerminalItem::paintLine(QPainter *painter, int row, const TerminalLine &line, int lineIndex)
{
    const QColor defaultFg = m_screen->defaultForeground();
    const QColor defaultBg = m_screen->defaultBackground();
    const qreal y = kPadding + row * m_cellH;
    const int count = std::min(int(line.size()), m_screen->cols());
    for (int col = 0; col < count; ++col) {
        const TerminalCell &cell = line.at(col);
        if (cell.width == 0)
            continue;
        QColor fg = cell.has(TerminalCell::DefaultFg) ? defaultFg : QColor::fromRgb(cell.fg);
        QColor bg = cell.has(TerminalCell::DefaultBg) ? defaultBg : QColor::fromRgb(cell.bg);
        bool paintBg = !cell.has(TerminalCell::DefaultBg);
        if (cell.has(TerminalCell::Inverse)) {
            std::swap(fg, bg);
            paintBg = true;
        }
        if (isSelected(lineIndex, col)) {
            bg = m_selectionColor;
            paintBg = true;
        }
        const QRectF rect(kPadding + col * m_cellW, y, m_cellW * cell.width, m_cellH);
        if (paintBg)
            painter->fillRect(rect, bg);
        if (cell.ch == 0 || (cell.ch == U' ' && !cell.cluster))
            continue;
        const bool bold = cell.has(TerminalCell::Bold);
        const bool italic = cell.has(TerminalCell::Italic);
        painter->setFont(bold && italic ? m_boldItalic : bold ? m_bold : italic ? m_italic : m_font);
        painter->setPen(fg);
        // A cluster (base + combining marks, jamo, emoji + selector) is shaped as one: the marks
        // land on their base inside the cell, a wide cluster keeps its two columns.
        painter->drawText(QPointF(rect.left(), y + m_ascent),
            cell.cluster ? line.text(col) : QString::fromUcs4(&cell.ch, 1));
        if (cell.has(TerminalCell::Underline))
            painter->fillRect(QRectF(rect.left(), y + m_ascent + 1, rect.width(), 1), fg);
        if (cell.has(TerminalCell::Strike))
            painter->fillRect(QRectF(rect.left(), y + m_cellH / 2, rect.width(), 1), fg);
    }
}

void TerminalItem::paintCursor(QPainter *painter)
{
    if (!m_screen->isCursorVisible() || !m_inputEnabled)
        return;
    const QPoint pos = m_screen->cursor();
    if (pos.y() >= m_screen->rows() || pos.x() >= m_screen->cols())
        return;
    const TerminalCell cell = m_screen->cell(pos.y(), pos.x());
    const QRectF rect(
        cellPosition(pos.y(), pos.x()), QSizeF(m_cellW * std::max<int>(cell.width, 1), m_cellH));
    if (!hasActiveFocus()) {
        // Without focus an outline says where typing would go without shouting.
        painter->setPen(m_cursorColor);
        painter->setBrush(Qt::NoBrush);
        painter->drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5));
        return;
    }
    if (m_screen->cursorBlinks() && !m_blinkOn)
        return;
    switch (m_screen->cursorShape()) {
    case VtermScreen::CursorShape::Underline:
        painter->fillRect(QRectF(rect.left(), rect.bottom() - 2, rect.width(), 2), m_cursorColor);
        return;
    case VtermScreen::CursorShape::Bar:
        painter->fillRect(QRectF(rect.left(), rect.top(), 2, rect.height()), m_cursorColor);
        return;
    case VtermScreen::CursorShape::Block:
        painter->fillRect(rect, m_cursorColor);
        if (cell.ch != 0) {
            painter->setFont(cell.has(TerminalCell::Bold) ? m_bold : m_font);
            painter->setPen(m_screen->defaultBackground());
            painter->drawText(QPointF(rect.left(), rect.top() + m_ascent), m_screen->cellText(pos.y(), pos.x()));
        }
        return;
    }
}

} // namespace opsdeck::termui
