# bench_terminal: terminal output end to end (PTY → hub → HubClient → TerminalSession →
# VtermScreen → TerminalItem frames) against xterm rendering the same file under the same X
# server, and keystroke echo latency through the hub against a raw §11 WebSocket client.
if(TARGET opsdeck_terminal_ui AND TARGET opsdeck_hubrelay AND UNIX)
  add_executable(bench_terminal
    ${CMAKE_CURRENT_LIST_DIR}/terminal/main.cpp
    ${CMAKE_CURRENT_LIST_DIR}/terminal/benchterm.h
    ${CMAKE_CURRENT_LIST_DIR}/terminal/corpus.cpp
    ${CMAKE_CURRENT_LIST_DIR}/terminal/hubthread.cpp
    ${CMAKE_CURRENT_LIST_DIR}/terminal/e2e.cpp
    ${CMAKE_CURRENT_LIST_DIR}/terminal/echo.cpp
    ${CMAKE_CURRENT_LIST_DIR}/terminal/xtermpeer.cpp)
  target_link_libraries(bench_terminal PRIVATE opsdeck_terminal_ui opsdeck_hubserver opsdeck_hubrelay
    Qt6::Quick Qt6::WebSockets)
  opsdeck_defaults(bench_terminal)
endif()
