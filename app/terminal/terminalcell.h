#pragma once

// One character cell of the terminal as the renderer sees it: libvterm's cell with its colours
// already resolved to RGB (palette, 256 colours and truecolor alike), so painting never has to
// ask libvterm anything and scrollback lines survive palette or theme changes.
//
// A cell usually holds one codepoint, kept inline in `ch`. A cell can hold more — a base
// character with combining marks ("e" + U+0301), a Hangul syllable spelled in jamo, an emoji
// with a variation selector — and then `cluster` is set and its line keeps the whole text
// (TerminalLine::text). The cell stays 16 bytes: 10,000 scrollback lines of 200 columns are
// two million cells, and clusters are rare.

#include <QColor>
#include <QList>
#include <QString>
#include <QtGlobal>
#include <algorithm>

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

    char32_t ch = 0; // the first codepoint; 0: empty (also the right half of a wide character)
    QRgb fg = 0;
    QRgb bg = 0;
    quint8 attrs = DefaultFg | DefaultBg;
    quint8 width = 1; // 2 for East Asian wide characters and most emoji
    bool cluster = false; // more codepoints than `ch`: the line's text(col) has them all

    bool has(Attr attr) const { return attrs & attr; }
    bool operator==(const TerminalCell &) const = default;
};
static_assert(sizeof(TerminalCell) == 16, "a cell is multiplied by the whole scrollback");

// A row of cells, and the text of the (rare) cells that hold more than one codepoint, sorted by
// column. Copies share their data (QList), so handing lines out is cheap.
class TerminalLine
{
public:
    qsizetype size() const { return m_cells.size(); }
    bool isEmpty() const { return m_cells.isEmpty(); }
    const TerminalCell &at(qsizetype col) const { return m_cells.at(col); }
    const TerminalCell &first() const { return m_cells.first(); }
    const TerminalCell &last() const { return m_cells.last(); }
    const QList<TerminalCell> &cells() const { return m_cells; }
    void reserve(qsizetype cols) { m_cells.reserve(cols); }

    // Appends a cell; `text` is its whole content when it holds more than one codepoint.
    void append(TerminalCell cell, const QString &text = {})
    {
        cell.cluster = !text.isEmpty();
        if (cell.cluster)
            m_clusters.append({m_cells.size(), text});
        m_cells.append(cell);
    }

    // Trailing blanks cost memory in every one of the 10,000 lines and say nothing.
    void trimTrailingBlanks()
    {
        while (!m_cells.isEmpty() && m_cells.constLast() == TerminalCell {})
            m_cells.removeLast();
    }

    // Everything a cell shows: its cluster, or its one character; empty for a blank cell and the
    // right half of a wide one.
    QString text(qsizetype col) const
    {
        if (col < 0 || col >= m_cells.size())
            return {};
        const TerminalCell &c = m_cells.at(col);
        if (c.cluster) {
            const auto it = std::lower_bound(m_clusters.cbegin(), m_clusters.cend(), col,
                [](const Cluster &cl, qsizetype at) { return cl.col < at; });
            if (it != m_clusters.cend() && it->col == col)
                return it->text;
        }
        return c.ch == 0 ? QString() : QString::fromUcs4(&c.ch, 1);
    }

    bool operator==(const TerminalLine &other) const
    {
        if (m_cells != other.m_cells)
            return false;
        for (qsizetype col = 0; col < m_cells.size(); ++col)
            if (m_cells.at(col).cluster && text(col) != other.text(col))
                return false;
        return true;
    }

private:
    struct Cluster
    {
        qsizetype col;
        QString text;
    };
    QList<TerminalCell> m_cells;
    QList<Cluster> m_clusters; // empty for almost every line
};

} // namespace opsdeck::termui
