import QtQuick

// The small upper-case caption above a group of controls.
Text {
    color: Theme.textMuted
    font.family: Theme.fontFamily
    font.pixelSize: Theme.fontSmall
    font.bold: true
    font.letterSpacing: 0.8
    font.capitalization: Font.AllUppercase
}
