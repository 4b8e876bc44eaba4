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

if(TARGET opsdeck_terminal_ui AND TARGET Qt6::QuickTest)
  opsdeck_add_test(quick terminal SOURCES quick/terminal/tst_quick_terminal.cpp
    LIBS Qt6::QuickTest Qt6::Quick Qt6::QuickControls2 Qt6::WebSockets
         opsdeck_terminal_ui opsdeck_terminal_uiplugin opsdeck_ui opsdeck_uiplugin
         opsdeck_appcore opsdeck_appcoreplugin)
  target_compile_definitions(tst_quick_terminal PRIVATE
    QUICK_TEST_SOURCE_DIR="${CMAKE_CURRENT_SOURCE_DIR}/quick/terminal")
endif()

# The whole terminal path against a real in-process hub and a real shell in a PTY.
if(TARGET opsdeck_terminal_ui AND TARGET opsdeck_hubserver AND TARGET opsdeck_transport_testing)
  opsdeck_add_test(integration terminal-e2e SOURCES integration/tst_terminal_e2e.cpp
    LIBS opsdeck_terminal_ui opsdeck_hubserver opsdeck_transport_testing TIMEOUT 900)
endif()
