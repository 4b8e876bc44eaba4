# Logs pane UI (app/logs: LogFeed, the QML module Opsdeck.Logs).
if(TARGET opsdeck_logsui)
  opsdeck_add_test(integration logs-feed SOURCES integration/tst_logs_feed.cpp
    LIBS opsdeck_logsui TIMEOUT 120)
endif()
