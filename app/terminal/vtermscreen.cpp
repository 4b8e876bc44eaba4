#include "vtermscreen.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string_view>
#include <utility>
#include <vterm.h>

Q_LOGGING_CATEGORY(lcTermUi, "opsdeck.termui")

namespace opsdeck::termui {

namespace {

    // Readable on the dark and the light theme alike (the theme's own status colours where they fit).
    constexpr std::array<QRgb, 16> kAnsi = {
        0xff1e2329,
        0xffe0524f,
        0xff3fb950,
        0xffd6a23a,
        0xff4c8dff,
        0xffbc6fd6,
        0xff2aa198,
        0xffc9d1d9,
        0xff5f6878,
        0xffff7b72,
        0xff56d364,
        0xffe3b341,
        0xff79b8ff,
        0xffd2a8ff,
        0xff56c2c6,
        0xffffffff,
    };

    VTermColor toVterm(const QColor &color)
    {
        VTermColor c;
        vterm_color_rgb(&c, uint8_t(color.red()), uint8_t(color.green()), uint8_t(color.blue()));
        return c;
    }

    // DECRST 1000 and 1006: no mouse tracking, X10 encoding — what a reset means for the mouse.
    constexpr std::string_view kMouseOff = "\x1b[?1000l\x1b[?1006l"; // one mode each: 0.1.4 reads only the first

    // Bytes at the end of `bytes` that start a UTF-8 sequence without finishing it.
    qsizetype incompleteUtf8Tail(const QByteArray &bytes)
    {
        const qsizetype n = bytes.size();
        for (qsizetype back = 1; back <= 3 && back <= n; ++back) {
            const auto b = uchar(bytes.at(n - back));
            if ((b & 0xC0) == 0x80)
                continue; // continuation byte: look further back for the lead
            const int length = (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 1;
            return length > back ? back : 0;
        }
        return 0;
    }

} // namespace

// libvterm calls back through plain C function pointers; these forward to the object.
struct VtermCallbacks
{
    static VtermScreen *self(void *user) { return static_cast<VtermScreen *>(user); }

    static void output(const char *bytes, size_t len, void *user)
    {
        VtermScreen *s = self(user);
        if (s->m_muteOutput)
            return;
        ++s->m_outputCount;
        Q_EMIT s->output(QByteArray(bytes, qsizetype(len)));
    }
    static int damage(VTermRect rect, void *user)
    {
        self(user)->m_damage |= QRect(
            rect.start_col, rect.start_row, rect.end_col - rect.start_col, rect.end_row - rect.start_row);
        return 1;
    }
    static int moveCursor(VTermPos pos, VTermPos, int visible, void *user)
    {
        VtermScreen *s = self(user);
        s->m_cursor = QPoint(pos.col, pos.row);
        s->m_cursorVisible = visible;
        s->m_cursorMoved = true;
        return 1;
    }
    static int setTermProp(VTermProp prop, VTermValue *val, void *user)
    {
        VtermScreen *s = self(user);
        switch (prop) {
        case VTERM_PROP_CURSORVISIBLE:
            s->m_cursorVisible = val->boolean;
            s->m_cursorMoved = true;
            break;
        case VTERM_PROP_CURSORBLINK:
            s->m_cursorBlink = val->boolean;
            s->m_cursorMoved = true;
            break;
        case VTERM_PROP_CURSORSHAPE:
            s->m_cursorShape = val->number == VTERM_PROP_CURSORSHAPE_UNDERLINE
                ? VtermScreen::CursorShape::Underline
                : val->number == VTERM_PROP_CURSORSHAPE_BAR_LEFT ? VtermScreen::CursorShape::Bar
                                                                 : VtermScreen::CursorShape::Block;
            s->m_cursorMoved = true;
            break;
        case VTERM_PROP_ALTSCREEN:
            if (s->m_altScreen != bool(val->boolean)) {
                s->m_altScreen = val->boolean;
                Q_EMIT s->altScreenChanged();
            }
            break;
        case VTERM_PROP_MOUSE:
            s->setMouseTracking(val->number == VTERM_PROP_MOUSE_MOVE       ? VtermScreen::MouseTracking::Motion
                                    : val->number == VTERM_PROP_MOUSE_DRAG  ? VtermScreen::MouseTracking::Drags
                                    : val->number == VTERM_PROP_MOUSE_CLICK ? VtermScreen::MouseTracking::Clicks
                                                                            : VtermScreen::MouseTracking::Off);
            break;
        case VTERM_PROP_TITLE: {
            const QString title = QString::fromUtf8(val->string ? val->string : "");
            if (title != s->m_title) {
                s->m_title = title;
                Q_EMIT s->titleChanged();
            }
            break;
        }
        default:
            break;
        }
        return 1;
    }
    static int bell(void *user)
    {
        Q_EMIT self(user)->bell();
        return 1;
    }
    static int pushLine(int cols, const VTermScreenCell *cells, void *user)
    {
        VtermScreen *s = self(user);
        TerminalLine line;
        line.reserve(cols);
        QString text;
        for (int i = 0; i < cols; ++i) {
            const TerminalCell cell = s->convert(&cells[i], &text);
            line.append(cell, text);
        }
        line.trimTrailingBlanks();
        s->m_scrollback.push_back(std::move(line));
        if (s->m_scrollback.size() > size_t(VtermScreen::kScrollbackLines))
            s->m_scrollback.pop_front();
        ++s->m_pushedSinceUpdate;
        return 1;
    }
    static int popLine(int cols, VTermScreenCell *cells, void *user)
    {
        VtermScreen *s = self(user);
        if (s->m_scrollback.empty())
            return 0;
        const TerminalLine line = std::move(s->m_scrollback.back());
        s->m_scrollback.pop_back();
        --s->m_pushedSinceUpdate;
        for (int i = 0; i < cols; ++i) {
            const TerminalCell c = i < line.size() ? line.at(i) : TerminalCell {};
            VTermScreenCell &out = cells[i];
            out = VTermScreenCell {};
            if (c.cluster) {
                // Back into libvterm with every codepoint (chars[] ends at the first 0).
                const QList<uint> ucs4 = line.text(i).toUcs4();
                const qsizetype n = std::min<qsizetype>(ucs4.size(), VTERM_MAX_CHARS_PER_CELL);
                std::copy_n(ucs4.cbegin(), n, out.chars);
            } else {
                out.chars[0] = c.ch;
            }
            // libvterm walks the line by width: never 0, or it would not advance.
            out.width = char(c.width == 2 ? 2 : 1);
            out.attrs.bold = c.has(TerminalCell::Bold);
            out.attrs.italic = c.has(TerminalCell::Italic);
            out.attrs.underline = c.has(TerminalCell::Underline) ? VTERM_UNDERLINE_SINGLE : 0;
            out.attrs.reverse = c.has(TerminalCell::Inverse);
            out.attrs.strike = c.has(TerminalCell::Strike);
            out.attrs.blink = c.has(TerminalCell::Blink);
            vterm_color_rgb(&out.fg, qRed(c.fg), qGreen(c.fg), qBlue(c.fg));
            vterm_color_rgb(&out.bg, qRed(c.bg), qGreen(c.bg), qBlue(c.bg));
            if (c.has(TerminalCell::DefaultFg))
                out.fg.type |= VTERM_COLOR_DEFAULT_FG;
            if (c.has(TerminalCell::DefaultBg))
                out.bg.type |= VTERM_COLOR_DEFAULT_BG;
        }
        return 1;
    }
};

namespace {
    const VTermScreenCallbacks kScreenCallbacks = {
        VtermCallbacks::damage,
        nullptr,
        VtermCallbacks::moveCursor,
        VtermCallbacks::setTermProp,
        VtermCallbacks::bell,
        nullptr,
        VtermCallbacks::pushLine,
        VtermCallbacks::popLine,
    };
} // namespace

VtermScreen::VtermScreen(QObject *parent)
    : QObject(parent)
{
    m_vt = vterm_new(m_rows, m_cols);
    vterm_set_utf8(m_vt, 1);
    vterm_output_set_callback(m_vt, &VtermCallbacks::output, this);
    VTermState *state = vterm_obtain_state(m_vt);
    for (int i = 0; i < 16; ++i) {
        const VTermColor c = toVterm(QColor::fromRgb(kAnsi[size_t(i)]));
        vterm_state_set_palette_color(state, i, &c);
    }
    m_screen = vterm_obtain_screen(m_vt);
    vterm_screen_set_callbacks(m_screen, &kScreenCallbacks, this);
    vterm_screen_enable_altscreen(m_screen, 1);
    vterm_screen_set_damage_merge(m_screen, VTERM_DAMAGE_SCROLL);
    applyDefaultColors();
    vterm_screen_reset(m_screen, 1);
    m_damage = {};
}

VtermScreen::~VtermScreen()
{
    vterm_free(m_vt);
}

void VtermScreen::feed(const QByteArray &chunk)
{
    if (chunk.isEmpty())
        return;
    // libvterm 0.1.4 turns a UTF-8 sequence cut by a read boundary into two U+FFFD, and base64
    // output is cut anywhere: an incomplete tail waits for the next chunk.
    QByteArray bytes = m_pendingUtf8.isEmpty() ? chunk : m_pendingUtf8 + chunk;
    m_pendingUtf8.clear();
    const qsizetype tail = incompleteUtf8Tail(bytes);
    if (tail > 0) {
        m_pendingUtf8 = bytes.right(tail);
        bytes.chop(tail);
        if (bytes.isEmpty())
            return;
    }
    ++m_updateDepth;
    writeToVterm(bytes.constData(), bytes.size());
    --m_updateDepth;
    endUpdate();
}

// A full reset (RIS, ESC c — what `reset` sends after a program died in mouse mode) ends mouse
// tracking in xterm; libvterm 0.1.4 keeps the mode and its encoding through it. So the bytes are
// cut after every ESC c and libvterm is told DECRST 1000 (which reports VTERM_PROP_MOUSE_NONE)
// and 1006 (back to the X10 encoding). The scan is a memchr for ESC: cheap next to parsing.
void VtermScreen::writeToVterm(const char *bytes, qsizetype size)
{
    qsizetype from = 0;
    qsizetype i = 0;
    while (i < size) {
        if (m_resetScan == 0) {
            const void *esc = std::memchr(bytes + i, 0x1b, size_t(size - i));
            if (!esc)
                break;
            i = static_cast<const char *>(esc) - bytes + 1;
            m_resetScan = 1;
            continue;
        }
        const char c = bytes[i++];
        m_resetScan = c == 0x1b ? 1 : 0;
        if (c == 'c') {
            vterm_input_write(m_vt, bytes + from, size_t(i - from));
            vterm_input_write(m_vt, kMouseOff.data(), kMouseOff.size());
            from = i;
        }
    }
    if (from < size)
        vterm_input_write(m_vt, bytes + from, size_t(size - from));
}

void VtermScreen::resize(int cols, int rows)
{
    cols = std::clamp(cols, 2, 1000);
    rows = std::clamp(rows, 1, 500);
    if (cols == m_cols && rows == m_rows)
        return;
    m_cols = cols;
    m_rows = rows;
    ++m_updateDepth;
    vterm_set_size(m_vt, rows, cols);
    --m_updateDepth;
    damageAll();
    Q_EMIT sizeChanged();
    endUpdate();
}

void VtermScreen::reset()
{
    m_scrollback.clear();
    m_pendingUtf8.clear();
    m_resetScan = 0;
    ++m_updateDepth;
    vterm_screen_reset(m_screen, 1);
    // libvterm 0.1.4 keeps the mouse mode through a reset (see writeToVterm()).
    vterm_input_write(m_vt, kMouseOff.data(), kMouseOff.size());
    --m_updateDepth;
    if (!m_title.isEmpty()) {
        m_title.clear();
        Q_EMIT titleChanged();
    }
    damageAll();
    Q_EMIT scrollbackChanged(0);
    endUpdate();
}

// Reports what a batch of libvterm callbacks changed, once: a 64 KiB output chunk would
// otherwise ask for thousands of repaints.
void VtermScreen::endUpdate()
{
    if (m_updateDepth > 0)
        return;
    vterm_screen_flush_damage(m_screen);
    if (m_pushedSinceUpdate != 0) {
        const int pushed = std::exchange(m_pushedSinceUpdate, 0);
        Q_EMIT scrollbackChanged(pushed);
    }
    if (std::exchange(m_cursorMoved, false))
        Q_EMIT cursorChanged();
    if (!m_damage.isEmpty())
        Q_EMIT damaged();
}

QRect VtermScreen::takeDamage()
{
    return std::exchange(m_damage, QRect());
}

void VtermScreen::damageAll()
{
    m_damage = QRect(0, 0, m_cols, m_rows);
}

void VtermScreen::setMouseTracking(MouseTracking tracking)
{
    if (tracking == m_mouseTracking)
        return;
    m_mouseTracking = tracking;
    qCDebug(lcTermUi) << "mouse tracking" << tracking;
    Q_EMIT mouseTrackingChanged();
}

void VtermScreen::setDefaultForeground(const QColor &color)
{
    if (color == m_defaultFg || !color.isValid())
        return;
    m_defaultFg = color;
    applyDefaultColors();
}

void VtermScreen::setDefaultBackground(const QColor &color)
{
    if (color == m_defaultBg || !color.isValid())
        return;
    m_defaultBg = color;
    applyDefaultColors();
}

void VtermScreen::applyDefaultColors()
{
    const VTermColor fg = toVterm(m_defaultFg);
    const VTermColor bg = toVterm(m_defaultBg);
    vterm_state_set_default_colors(vterm_obtain_state(m_vt), &fg, &bg);
    damageAll();
    Q_EMIT colorsChanged();
    endUpdate();
}

QRgb VtermScreen::ansiColor(int index)
{
    return kAnsi[size_t(std::clamp(index, 0, 15))];
}

} // namespace opsdeck::termui
