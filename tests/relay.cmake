# The embedded hub's relay to remote hubs (hub/relay, docs/protocol.md §15).
opsdeck_add_test(unit relay-entries SOURCES unit/tst_relay_entries.cpp LIBS opsdeck_hubrelay)
opsdeck_add_test(unit relay-gap-entries SOURCES unit/tst_relay_gap_entries.cpp LIBS opsdeck_hubrelay)
if(TARGET opsdeck_testsupport)
  opsdeck_add_test(integration relay SOURCES integration/tst_relay.cpp
    LIBS opsdeck_hubrelay opsdeck_testsupport TIMEOUT 300)
endif()
if(TARGET opsdeck_testsupport AND TARGET opsdeck_appauth)
  opsdeck_add_test(integration prod-relay SOURCES integration/tst_prod_relay.cpp
    LIBS opsdeck_hubrelay opsdeck_appauth opsdeck_testsupport TIMEOUT 300)
endif()
if(TARGET opsdeck_testsupport AND TARGET opsdeck_appcore AND TARGET opsdeck_terminal_ui)
  opsdeck_add_test(integration console-relay SOURCES integration/tst_console_relay.cpp
    LIBS opsdeck_appcore opsdeck_terminal_ui opsdeck_testsupport TIMEOUT 300)
endif()
if(TARGET opsdeck_testsupport AND TARGET opsdeck_terminal_ui AND TARGET opsdeck_transport_testing)
  opsdeck_add_test(integration terminal-relay SOURCES integration/tst_terminal_relay.cpp
    LIBS opsdeck_hubrelay opsdeck_terminal_ui opsdeck_transport_testing opsdeck_testsupport TIMEOUT 300)
endif()
if(TARGET opsdeck_metrics)
  opsdeck_add_test(integration metrics-relay SOURCES integration/tst_metrics_relay.cpp
    LIBS opsdeck_hubrelay opsdeck_metrics opsdeck_demo Qt6::Widgets TIMEOUT 180)
endif()
