# The hub's log sources (hub/logsource): the file tailer, and a real opsdeck-hub following a file.
if(TARGET opsdeck_logsource)
  opsdeck_add_test(unit log-tailer SOURCES unit/tst_log_tailer.cpp LIBS opsdeck_logsource TIMEOUT 300)
  target_compile_definitions(tst_unit_log_tailer PRIVATE OPSDECK_LOGS_FIXTURES="${CMAKE_CURRENT_SOURCE_DIR}/fixtures/logs")
endif()
if(TARGET opsdeck_testsupport)
  opsdeck_add_test(integration hub-log-file SOURCES integration/tst_hub_log_file.cpp integration/hubtesthelpers.h
    LIBS opsdeck_testsupport TIMEOUT 180)
endif()
