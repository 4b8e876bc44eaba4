#pragma once

// VtermScreen: the terminal emulator of a terminal tab — libvterm behind a Qt face. Bytes from
// the hub go in through feed(); the screen keeps what a renderer needs (cells with resolved
// colours, the cursor, the title, the alternate screen, a 10,000-line scrollback) and says what
// changed (damage). Everything the terminal sends back — answers to DA/DSR queries, encoded keys,
// pastes, mouse reports — leaves through the single output() signal, so the session has one path
// to the PTY.
// It never touches the network: TerminalSession feeds it, TerminalItem paints and types into it.

#include "terminalcell.h"

#include <QByteArray>
#include <QColor>
#include <QLoggingCategory>
#include <QObject>
#include <QPoint>
#include <QRect>
#include <QString>
#include <QtQml/qqml.h>
#include <deque>

Q_DECLARE_LOGGING_CATEGORY(lcTermUi)

struct VTerm;
struct VTermScreen;

namespace opsdeck::termui {

struct VtermCallbacks;

class VtermScreen : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(int cols READ cols NOTIFY sizeChanged)
    Q_PROPERTY(int rows READ rows NOTIFY sizeChanged)
    Q_PROPERTY(QString title READ title NOTIFY titleChanged)
    Q_PROPERTY(bool altScreen READ isAltScreen NOTIFY altScreenChanged)
    Q_PROPERTY(int scrollbackCount READ scrollbackCount NOTIFY scrollbackChanged)
    Q_PROPERTY(QPoint cursor READ cursor NOTIFY cursorChanged)
    Q_PROPERTY(bool cursorVisible READ isCursorVisible NOTIFY cursorChanged)
    Q_PROPERTY(bool cursorBlink READ cursorBlinks NOTIFY cursorChanged)
    Q_PROPERTY(CursorShape cursorShape READ cursorShape NOTIFY cursorChanged)
    Q_PROPERTY(MouseTracking mouseTracking READ mouseTracking NOTIFY mouseTrackingChanged)
    Q_PROPERTY(
        QColor defaultForeground READ defaultForeground WRITE setDefaultForeground NOTIFY colorsChanged)
    Q_PROPERTY(
        QColor defaultBackground READ defaultBackground WRITE setDefaultBackground NOTIFY colorsChanged)

public:
    enum class CursorShape
    {
        Block,
        Underline,
        Bar
    };
    Q_ENUM(CursorShape)

    // What the program asked to hear about the mouse (DECSET 1000 / 1002 / 1003; off again with
    // DECRST or a reset).
    enum class MouseTracking
    {
        Off,
        Clicks, // 1000: presses, releases and the wheel
        Drags, // 1002: and motion while a button is down
        Motion // 1003: and every motion
    };
    Q_ENUM(MouseTracking)

    static constexpr int kScrollbackLines = 10000;

    explicit VtermScreen(QObject *parent = nullptr);
    ~VtermScreen() override;

    // Feeds bytes from the PTY; a UTF-8 sequence split across two calls is reassembled.
    void feed(const QByteArray &chunk);
    // For QML tests and demos: the text's UTF-8 bytes.
    Q_INVOKABLE void feedText(const QString &text) { feed(text.toUtf8()); }
    Q_INVOKABLE void resize(int cols, int rows);
    // Forgets the screen and the scrollback (a new session in the same tab).
    Q_INVOKABLE void reset();

    int cols() const { return m_cols; }
    int rows() const { return m_rows; }
    QString title() const { return m_title; }
    bool isAltScreen() const { return m_altScreen; }
    QPoint cursor() const { return m_cursor; } // x = column, y = row
    bool isCursorVisible() const { return m_cursorVisible; }
    bool cursorBlinks() const { return m_cursorBlink; }
    CursorShape cursorShape() const { return m_cursorShape; }
    MouseTracking mouseTracking() const { return m_mouseTracking; }

    // A visible cell, row 0 at the top of the screen.
    TerminalCell cell(int row, int col) const;
    // Everything a visible cell shows: all its codepoints (a base character and its combining
    // marks); empty for a blank cell or the right half of a wide one.
    Q_INVOKABLE QString cellText(int row, int col) const;
    // Lines by index: 0..rows-1 the screen, -1 the newest scrollback line, -scrollbackCount the
    // oldest. Out of range gives an empty line.
    TerminalLine line(int index) const;
    int scrollbackCount() const { return int(m_scrollback.size()); }
    // Text of columns [fromCol, toCol) of a line, wide characters once, each cell with all its
    // codepoints, trailing blanks dropped.
    Q_INVOKABLE QString lineText(int index, int fromCol = 0, int toCol = -1) const;

    // The part of the screen (in cells) changed since the last call; empty when nothing did.
    QRect takeDamage();

    QColor defaultForeground() const { return m_defaultFg; }
    QColor defaultBackground() const { return m_defaultBg; }
    void setDefaultForeground(const QColor &color);
    void setDefaultBackground(const QColor &color);
    // The 16 ANSI colours (0–7 normal, 8–15 bright); 16–255 are xterm's cube and grey ramp.
    static QRgb ansiColor(int index);

    // Keyboard: a Qt key event in, the bytes a terminal would send out through output().
    // Returns false for keys a terminal has nothing to send for (a lone modifier).
    bool sendKey(int qtKey, Qt::KeyboardModifiers modifiers, const QString &text);
    // Pasted text: line breaks become CR, and when the program asked for bracketed paste
    // (DECSET 2004) the text is wrapped in ESC[200~ … ESC[201~ (an end marker inside the text is
    // removed, so a paste cannot smuggle keystrokes out of the bracket).
    Q_INVOKABLE void paste(const QString &text);

    // Mouse, in cells of the screen (row 0 at the top). libvterm writes the report in the
    // encoding the program chose (X10, UTF-8 1005, SGR 1006, urxvt 1015) through output(), and
    // only what the tracking mode asks for: motion without a button only in Motion, with one in
    // Drags and Motion. Buttons are 1 left, 2 middle, 3 right.
    void mouseMove(int row, int col, Qt::KeyboardModifiers modifiers);
    // Returns whether a report went out (never while mouseTracking is Off).
    bool mouseButton(int button, bool pressed, int row, int col, Qt::KeyboardModifiers modifiers);
    // One wheel step (xterm's buttons 4 up, 5 down) at a cell.
    bool mouseWheel(bool up, int row, int col, Qt::KeyboardModifiers modifiers);

Q_SIGNALS:
    void output(const QByteArray &bytes);
    // After a feed/resize that changed something visible; takeDamage() tells what.
    void damaged();
    void sizeChanged();
    void titleChanged();
    void altScreenChanged();
    void cursorChanged();
    void mouseTrackingChanged();
    void colorsChanged();
    // `pushed` lines went into the scrollback (negative: taken back by a resize), so a viewer
    // scrolled into history can stay on the same lines.
    void scrollbackChanged(int pushed);
    void bell();

private:
    friend struct VtermCallbacks;

    // libvterm's cell as ours; `text` gets all its codepoints when it has more than one.
    TerminalCell convert(const void *vtermCell, QString *text) const;
    void setMouseTracking(MouseTracking tracking);
    void writeToVterm(const char *bytes, qsizetype size);
    void applyDefaultColors();
    void damageAll();
    void endUpdate();

    VTerm *m_vt = nullptr;
    ::VTermScreen *m_screen = nullptr;
    int m_cols = 80;
    int m_rows = 24;
    QString m_title;
    bool m_altScreen = false;
    QPoint m_cursor;
    bool m_cursorVisible = true;
    bool m_cursorBlink = true;
    CursorShape m_cursorShape = CursorShape::Block;
    MouseTracking m_mouseTracking = MouseTracking::Off;
    quint64 m_outputCount = 0; // output() calls so far: did a mouse event produce a report?
    bool m_muteOutput = false; // libvterm is told of a mouse button nobody asked to hear about
    int m_resetScan = 0; // how much of an ESC c (RIS) the last feed ended with
    QColor m_defaultFg = QColor(0xe6, 0xe9, 0xef);
    QColor m_defaultBg = QColor(0x0e, 0x11, 0x16);
    std::deque<TerminalLine> m_scrollback;
    QByteArray m_pendingUtf8; // an incomplete UTF-8 sequence at the end of the last feed
    QRect m_damage;
    int m_pushedSinceUpdate = 0;
    bool m_cursorMoved = false;
    int m_updateDepth = 0; // callbacks during feed() are reported once, at its end
};

} // namespace opsdeck::termui
