// VtermScreen's read side: libvterm's cells as TerminalCells (colours resolved, every codepoint of
// a cluster kept), lines of the screen and the scrollback, and their text for copy and search.

#include "vtermscreen.h"

#include <vterm.h>

namespace opsdeck::termui {

TerminalCell VtermScreen::convert(const void *vtermCell, QString *text) const
{
    VTermScreenCell c = *static_cast<const VTermScreenCell *>(vtermCell);
    TerminalCell out;
    out.attrs = 0;
    text->clear();
    // libvterm marks the right half of a wide character with 0xFFFFFFFF.
    if (c.chars[0] == uint32_t(-1)) {
        out.ch = 0;
        out.width = 0;
    } else {
        out.ch = c.chars[0];
        out.width = quint8(c.width == 2 ? 2 : 1);
        // Combining marks follow the base character in chars[], up to the first 0.
        if (c.chars[0] != 0 && c.chars[1] != 0) {
            const auto *first = reinterpret_cast<const char32_t *>(c.chars);
            const auto *end = std::find(first, first + VTERM_MAX_CHARS_PER_CELL, char32_t(0));
            *text = QString::fromUcs4(first, end - first);
            out.cluster = true;
        }
    }
    if (VTERM_COLOR_IS_DEFAULT_FG(&c.fg))
        out.attrs |= TerminalCell::DefaultFg;
    if (VTERM_COLOR_IS_DEFAULT_BG(&c.bg))
        out.attrs |= TerminalCell::DefaultBg;
    vterm_screen_convert_color_to_rgb(m_screen, &c.fg);
    vterm_screen_convert_color_to_rgb(m_screen, &c.bg);
    // A default colour is the current theme's, not the one the cell was written with.
    out.fg = (out.attrs & TerminalCell::DefaultFg) ? m_defaultFg.rgb()
                                                   : qRgb(c.fg.rgb.red, c.fg.rgb.green, c.fg.rgb.blue);
    out.bg = (out.attrs & TerminalCell::DefaultBg) ? m_defaultBg.rgb()
                                                   : qRgb(c.bg.rgb.red, c.bg.rgb.green, c.bg.rgb.blue);
    if (c.attrs.bold)
        out.attrs |= TerminalCell::Bold;
    if (c.attrs.italic)
        out.attrs |= TerminalCell::Italic;
    if (c.attrs.underline)
        out.attrs |= TerminalCell::Underline;
    if (c.attrs.reverse)
        out.attrs |= TerminalCell::Inverse;
    if (c.attrs.strike)
        out.attrs |= TerminalCell::Strike;
    if (c.attrs.blink)
        out.attrs |= TerminalCell::Blink;
    // Blank default cells compare equal to TerminalCell{} (trailing blanks are trimmed by that).
    if (out.ch == 0 && out.width == 1 && out.attrs == (TerminalCell::DefaultFg | TerminalCell::DefaultBg))
        out.fg = out.bg = 0;
    return out;
}

TerminalCell VtermScreen::cell(int row, int col) const
{
    if (row < 0 || row >= m_rows || col < 0 || col >= m_cols)
        return {};
    VTermScreenCell c;
    vterm_screen_get_cell(m_screen, VTermPos {row, col}, &c);
    QString text;
    return convert(&c, &text);
}

QString VtermScreen::cellText(int row, int col) const
{
    if (row < 0 || row >= m_rows || col < 0 || col >= m_cols)
        return {};
    VTermScreenCell c;
    vterm_screen_get_cell(m_screen, VTermPos {row, col}, &c);
    QString text;
    const TerminalCell cell = convert(&c, &text);
    if (cell.cluster)
        return text;
    return cell.ch == 0 ? QString() : QString::fromUcs4(&cell.ch, 1);
}

TerminalLine VtermScreen::line(int index) const
{
    if (index < 0) {
        const int sb = scrollbackCount();
        if (-index > sb)
            return {};
        return m_scrollback[size_t(sb + index)];
    }
    TerminalLine out;
    if (index >= m_rows)
        return out;
    out.reserve(m_cols);
    QString text;
    for (int col = 0; col < m_cols; ++col) {
        VTermScreenCell c;
        vterm_screen_get_cell(m_screen, VTermPos {index, col}, &c);
        const TerminalCell cell = convert(&c, &text);
        out.append(cell, text);
    }
    return out;
}

QString VtermScreen::lineText(int index, int fromCol, int toCol) const
{
    const TerminalLine cells = line(index);
    if (toCol < 0 || toCol > cells.size())
        toCol = int(cells.size());
    QString text;
    for (int col = std::max(0, fromCol); col < toCol; ++col) {
        const TerminalCell &c = cells.at(col);
        if (c.width == 0)
            continue;
        if (c.ch == 0)
            text += QLatin1Char(' ');
        else if (c.cluster)
            text += cells.text(col);
        else
            text += QString::fromUcs4(&c.ch, 1);
    }
    while (text.endsWith(QLatin1Char(' ')))
        text.chop(1);
    return text;
}

} // namespace opsdeck::termui
