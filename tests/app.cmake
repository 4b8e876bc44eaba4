# Desktop app areas. Logs pane core (app/logs).
if(TARGET opsdeck_logs)
  opsdeck_add_test(unit logs-model SOURCES unit/tst_logs_model.cpp LIBS opsdeck_logs)
  opsdeck_add_test(unit logs-filter SOURCES unit/tst_logs_filter.cpp LIBS opsdeck_logs)
endif()
