# Terminals on the hub (docs/protocol.md §11): the PTY layer and the hub protocol.
if(UNIX)
  opsdeck_add_test(unit pty SOURCES unit/tst_pty.cpp LIBS opsdeck_terminal)
endif()
