// Keyboard, paste and mouse encoding of VtermScreen: which Qt key becomes which libvterm key,
// which click which libvterm button. libvterm then writes the bytes an xterm would send,
// honouring the modes the program set (application cursor keys, bracketed paste, mouse tracking
// and its encoding), through VtermScreen::output().

#include "vtermscreen.h"

#include <algorithm>
#include <vterm.h>

namespace opsdeck::termui {

namespace {

    VTermModifier toVterm(Qt::KeyboardModifiers modifiers)
    {
        int mod = VTERM_MOD_NONE;
        if (modifiers & Qt::ShiftModifier)
            mod |= VTERM_MOD_SHIFT;
        if (modifiers & Qt::AltModifier)
            mod |= VTERM_MOD_ALT;
        if (modifiers & Qt::ControlModifier)
            mod |= VTERM_MOD_CTRL;
        return VTermModifier(mod);
    }

    VTermKey specialKey(int qtKey, bool keypad)
    {
        switch (qtKey) {
        case Qt::Key_Return:
            return VTERM_KEY_ENTER;
        case Qt::Key_Enter:
            return keypad ? VTERM_KEY_KP_ENTER : VTERM_KEY_ENTER;
        case Qt::Key_Tab:
        case Qt::Key_Backtab:
            return VTERM_KEY_TAB;
        case Qt::Key_Backspace:
            return VTERM_KEY_BACKSPACE;
        case Qt::Key_Escape:
            return VTERM_KEY_ESCAPE;
        case Qt::Key_Up:
            return VTERM_KEY_UP;
        case Qt::Key_Down:
            return VTERM_KEY_DOWN;
        case Qt::Key_Left:
            return VTERM_KEY_LEFT;
        case Qt::Key_Right:
            return VTERM_KEY_RIGHT;
        case Qt::Key_Insert:
            return VTERM_KEY_INS;
        case Qt::Key_Delete:
            return VTERM_KEY_DEL;
        case Qt::Key_Home:
            return VTERM_KEY_HOME;
        case Qt::Key_End:
            return VTERM_KEY_END;
        case Qt::Key_PageUp:
            return VTERM_KEY_PAGEUP;
        case Qt::Key_PageDown:
            return VTERM_KEY_PAGEDOWN;
        default:
            break;
        }
        if (qtKey >= Qt::Key_F1 && qtKey <= Qt::Key_F35)
            return VTermKey(VTERM_KEY_FUNCTION(qtKey - Qt::Key_F1 + 1));
        return VTERM_KEY_NONE;
    }

    bool isModifierKey(int qtKey)
    {
        return qtKey == Qt::Key_Shift || qtKey == Qt::Key_Control || qtKey == Qt::Key_Alt
            || qtKey == Qt::Key_Meta || qtKey == Qt::Key_AltGr || qtKey == Qt::Key_CapsLock
            || qtKey == Qt::Key_NumLock || qtKey == Qt::Key_Super_L || qtKey == Qt::Key_Super_R
            || qtKey == Qt::Key_Hyper_L || qtKey == Qt::Key_Hyper_R;
    }

} // namespace

bool VtermScreen::sendKey(int qtKey, Qt::KeyboardModifiers modifiers, const QString &text)
{
    if (isModifierKey(qtKey))
        return false;
    VTermModifier mod = toVterm(modifiers);
    if (qtKey == Qt::Key_Backtab)
        mod = VTermModifier(mod | VTERM_MOD_SHIFT);

    const VTermKey key = specialKey(qtKey, modifiers & Qt::KeypadModifier);
    if (key != VTERM_KEY_NONE) {
        vterm_keyboard_key(m_vt, key, mod);
        return true;
    }

    // With Ctrl or Alt, Qt's text is a control character (or empty): the key code says which
    // key it was. Letters go to libvterm in lower case, which turns Ctrl+C into 0x03 and
    // Alt+x into ESC x.
    if ((mod & (VTERM_MOD_CTRL | VTERM_MOD_ALT)) && qtKey >= Qt::Key_Space && qtKey <= Qt::Key_AsciiTilde) {
        char32_t c = char32_t(qtKey);
        if (qtKey >= Qt::Key_A && qtKey <= Qt::Key_Z) {
            // Alt+Shift+x is ESC X; with Ctrl the case does not matter.
            const bool upper = (mod & VTERM_MOD_SHIFT) && !(mod & VTERM_MOD_CTRL);
            c = upper ? c : c - 'A' + 'a';
        } else if (!(mod & VTERM_MOD_CTRL) && text.size() == 1 && text.at(0).isPrint()) {
            c = text.at(0).unicode(); // Alt+Shift+1 is ESC !, not ESC 1
        }
        vterm_keyboard_unichar(m_vt, uint32_t(c), mod);
        return true;
    }

    if (text.isEmpty())
        return false;
    // Plain text (including AltGr compositions and input-method results): the characters as
    // typed; Shift is already in them.
    const VTermModifier textMod = VTermModifier(mod & VTERM_MOD_ALT);
    bool sent = false;
    for (const char32_t c : text.toUcs4()) {
        if (c < 0x20 || c == 0x7f) {
            // A control character Qt produced without a Ctrl we recognised: send it as is.
            const char byte = char(c);
            Q_EMIT output(QByteArray(&byte, 1));
        } else {
            vterm_keyboard_unichar(m_vt, uint32_t(c), textMod);
        }
        sent = true;
    }
    return sent;
}

void VtermScreen::paste(const QString &text)
{
    if (text.isEmpty())
        return;
    QString body = text;
    body.replace(QLatin1String("\r\n"), QLatin1String("\r"));
    body.replace(QLatin1Char('\n'), QLatin1Char('\r'));
    body.remove(QLatin1String("\x1b[201~"));
    // start/end_paste write the markers only while DECSET 2004 is on.
    vterm_keyboard_start_paste(m_vt);
    Q_EMIT output(body.toUtf8());
    vterm_keyboard_end_paste(m_vt);
}

void VtermScreen::mouseMove(int row, int col, Qt::KeyboardModifiers modifiers)
{
    row = std::clamp(row, 0, m_rows - 1);
    col = std::clamp(col, 0, m_cols - 1);
    vterm_mouse_move(m_vt, row, col, toVterm(modifiers));
}

bool VtermScreen::mouseButton(int button, bool pressed, int row, int col, Qt::KeyboardModifiers modifiers)
{
    // libvterm reports a button at the last position it was told of.
    mouseMove(row, col, modifiers);
    // libvterm 0.1.4 reports buttons even when no tracking mode is on (later versions check),
    // and must still learn of every press and release to know which buttons are down when the
    // program does ask: when nobody listens, it is told with its output muted.
    const bool listening = m_mouseTracking != MouseTracking::Off;
    const quint64 before = m_outputCount;
    m_muteOutput = !listening;
    vterm_mouse_button(m_vt, button, pressed, toVterm(modifiers));
    m_muteOutput = false;
    return listening && m_outputCount != before;
}

bool VtermScreen::mouseWheel(bool up, int row, int col, Qt::KeyboardModifiers modifiers)
{
    return mouseButton(up ? 4 : 5, true, row, col, modifiers);
}

} // namespace opsdeck::termui
