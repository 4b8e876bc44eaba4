import QtQuick

// A bordered panel that groups one thing on screen.
Rectangle {
    color: Theme.panel
    border.color: Theme.border
    border.width: 1
    radius: Theme.radius
}
