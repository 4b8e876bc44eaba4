# Terminal pane (app/terminal: VtermScreen, TerminalItem, TerminalSession, the QML module
# Opsdeck.Terminal). No test needs the hub's PTY side: the session test plays the hub itself.
if(TARGET opsdeck_terminal_ui)
  opsdeck_add_test(unit vterm-screen SOURCES unit/tst_vterm_screen.cpp
    LIBS opsdeck_terminal_ui)
  opsdeck_add_test(unit terminal-keys SOURCES unit/tst_terminal_keys.cpp
    LIBS opsdeck_terminal_ui)
  opsdeck_add_test(unit terminal-session SOURCES unit/tst_terminal_session.cpp
    LIBS opsdeck_terminal_ui Qt6::WebSockets)
endif()
