#pragma once

// One character cell of the terminal as the renderer sees it: libvterm's cell with its colours
// already resolved to RGB (palette, 256 colours and truecolor alike), so painting never has to
// ask libvterm anything and scrollback lines survive palette or theme changes.

#include <QColor>
#include <QList>
#include <QtGlobal>

namespace opsdeck::termui {

struct TerminalCell
{
    enum Attr : quint8
    {
        Bold = 0x01,
        Italic = 0x02,
        Underline = 0x04,
        Inverse = 0x08,
        Strike = 0x10,
        Blink = 0x20,
        // The colour is the terminal's default: the renderer paints the theme's colour instead,
        // so a theme switch recolours old output too.
        DefaultFg = 0x40,
        DefaultBg = 0x80,
    };

    char32_t ch = 0; // 0: empty (also the right half of a wide character)
    QRgb fg = 0;
    QRgb bg = 0;
    quint8 attrs = DefaultFg | DefaultBg;
    quint8 width = 1; // 2 for East Asian wide characters and most emoji

    bool has(Attr attr) const { return attrs & attr; }
    bool operator==(const TerminalCell &) const = default;
};

using TerminalLine = QList<TerminalCell>;

} // namespace opsdeck::termui
