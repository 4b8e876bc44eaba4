# Helpers shared by several benchmarks: lnav as a peer (bench_logmodel, bench_ingest).
add_library(opsdeck_bench_lnav STATIC
  ${CMAKE_CURRENT_LIST_DIR}/common/lnavpeer.h
  ${CMAKE_CURRENT_LIST_DIR}/common/lnavpeer.cpp)
target_include_directories(opsdeck_bench_lnav PUBLIC ${CMAKE_CURRENT_LIST_DIR}/common)
target_link_libraries(opsdeck_bench_lnav PUBLIC Qt6::Core)
opsdeck_defaults(opsdeck_bench_lnav)

# The benchmark drivers' process helpers (bench_fanout, bench_relay): polled waits, /proc CPU and
# RSS readings, and server child processes that announce `listening on ws://…`.
add_library(opsdeck_bench_support STATIC
  ${CMAKE_CURRENT_LIST_DIR}/common/procstats.h
  ${CMAKE_CURRENT_LIST_DIR}/common/procstats.cpp
  ${CMAKE_CURRENT_LIST_DIR}/common/childserver.h
  ${CMAKE_CURRENT_LIST_DIR}/common/childserver.cpp)
target_include_directories(opsdeck_bench_support PUBLIC ${CMAKE_CURRENT_LIST_DIR}/common)
target_link_libraries(opsdeck_bench_support PUBLIC Qt6::Core)
opsdeck_defaults(opsdeck_bench_support)
