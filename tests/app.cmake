# Desktop app areas. Logs pane core (app/logs).
if(TARGET opsdeck_logs)
  opsdeck_add_test(unit logs-model SOURCES unit/tst_logs_model.cpp LIBS opsdeck_logs)
  opsdeck_add_test(unit logs-filter SOURCES unit/tst_logs_filter.cpp LIBS opsdeck_logs)
  opsdeck_add_test(unit logs-parser SOURCES unit/tst_logs_parser.cpp LIBS opsdeck_logs)
  target_compile_definitions(tst_unit_logs_parser PRIVATE OPSDECK_LOGS_FIXTURES="${CMAKE_CURRENT_SOURCE_DIR}/fixtures/logs")
  opsdeck_add_test(unit logs-export SOURCES unit/tst_logs_export.cpp LIBS opsdeck_logs)
endif()
