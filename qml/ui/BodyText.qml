import QtQuick

Text {
    color: Theme.text
    font.family: Theme.fontFamily
    font.pixelSize: Theme.fontBody
    elide: Text.ElideRight
}
