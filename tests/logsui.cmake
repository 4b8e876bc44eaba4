# Logs pane UI (app/logs: LogFeed, the QML module Opsdeck.Logs).
if(TARGET opsdeck_logsui)
  opsdeck_add_test(integration logs-feed SOURCES integration/tst_logs_feed.cpp
    LIBS opsdeck_logsui TIMEOUT 120)
endif()

find_package(Qt6 COMPONENTS QuickTest)
if(TARGET opsdeck_logsui AND TARGET Qt6::QuickTest)
  opsdeck_add_test(quick logs SOURCES quick/logs/main.cpp
    LIBS Qt6::QuickTest Qt6::Quick
      opsdeck_uiplugin opsdeck_ui opsdeck_appcoreplugin opsdeck_appcore opsdeck_logsuiplugin opsdeck_logsui
    TIMEOUT 120)
  target_compile_definitions(tst_quick_logs PRIVATE
    QUICK_TEST_SOURCE_DIR="${CMAKE_CURRENT_SOURCE_DIR}/quick/logs"
    OPSDECK_LOGS_FIXTURES="${CMAKE_CURRENT_SOURCE_DIR}/fixtures/logs")
endif()
