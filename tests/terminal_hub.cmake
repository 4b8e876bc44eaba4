# Terminals on the hub (docs/protocol.md §11): the PTY layer and the hub protocol.
# The Windows (ConPTY) command line and environment block are plain strings: tested everywhere.
opsdeck_add_test(unit conpty-commandline SOURCES unit/tst_windowscommandline.cpp LIBS opsdeck_terminal)
if(UNIX)
  opsdeck_add_test(unit pty SOURCES unit/tst_pty.cpp LIBS opsdeck_terminal)
  opsdeck_add_test(integration hub-terminal SOURCES integration/tst_hub_terminal.cpp
    LIBS opsdeck_hubcli opsdeck_testclient TIMEOUT 300)
endif()
