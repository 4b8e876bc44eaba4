# bench_logmodel: the Logs pane core at a million entries — ingest rate and bytes per entry,
# re-filter times (level, substring, regex), and log file parsing against lnav when installed.
if(TARGET opsdeck_logs)
  add_executable(bench_logmodel ${CMAKE_CURRENT_LIST_DIR}/logmodel_bench.cpp)
  target_link_libraries(bench_logmodel PRIVATE opsdeck_logs opsdeck_bench_lnav Qt6::Core)
  opsdeck_defaults(bench_logmodel)
endif()

# bench_app_start: opsdeck's start to first frame, to a connected hub and to the fleet on screen,
# and its idle RSS, against bench_quick_hello (the smallest Qt Quick program) in the same run.
if(TARGET opsdeck)
  add_executable(bench_quick_hello ${CMAKE_CURRENT_LIST_DIR}/app_start/quick_hello.cpp)
  target_link_libraries(bench_quick_hello PRIVATE Qt6::Widgets Qt6::Quick)
  opsdeck_defaults(bench_quick_hello)
  add_executable(bench_app_start ${CMAKE_CURRENT_LIST_DIR}/app_start/app_start.cpp)
  target_link_libraries(bench_app_start PRIVATE Qt6::Core)
  target_compile_definitions(bench_app_start PRIVATE
    OPSDECK_APP_BINARY="$<TARGET_FILE:opsdeck>"
    OPSDECK_QUICK_HELLO_BINARY="$<TARGET_FILE:bench_quick_hello>")
  add_dependencies(bench_app_start opsdeck bench_quick_hello)
endif()
