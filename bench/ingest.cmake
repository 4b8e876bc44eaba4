# bench_ingest: lines/s from a log file through LogFileParser, then through the hub's real path
# (LogSources/LogFileTailer → logs topic → HistoryArchive → HistoryStore, committed), against
# lnav indexing the same file in the same run (docs/performance.md "Log ingest").
if(TARGET opsdeck_logsource AND TARGET opsdeck_hubserver)
  add_executable(bench_ingest
    ${CMAKE_CURRENT_LIST_DIR}/ingest/main.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ingest/mixedcorpus.h
    ${CMAKE_CURRENT_LIST_DIR}/ingest/mixedcorpus.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ingest/ingestruns.h
    ${CMAKE_CURRENT_LIST_DIR}/ingest/ingestruns.cpp)
  # Qt6::Sql (counting the stored rows) comes with opsdeck_hubserver → opsdeck_hubstorage.
  target_link_libraries(bench_ingest PRIVATE opsdeck_logsource opsdeck_hubserver opsdeck_bench_lnav Qt6::Core)
  opsdeck_defaults(bench_ingest)
endif()
