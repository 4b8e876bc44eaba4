# bench_logmodel: the Logs pane core at a million entries — ingest rate and bytes per entry,
# re-filter times (level, substring, regex), and log file parsing against lnav when installed.
if(TARGET opsdeck_logs)
  add_executable(bench_logmodel ${CMAKE_CURRENT_LIST_DIR}/logmodel_bench.cpp)
  target_link_libraries(bench_logmodel PRIVATE opsdeck_logs Qt6::Core)
  opsdeck_defaults(bench_logmodel)
endif()
