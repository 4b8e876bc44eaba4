# Helpers shared by several benchmarks: lnav as a peer (bench_logmodel, bench_ingest).
add_library(opsdeck_bench_lnav STATIC
  ${CMAKE_CURRENT_LIST_DIR}/common/lnavpeer.h
  ${CMAKE_CURRENT_LIST_DIR}/common/lnavpeer.cpp)
target_include_directories(opsdeck_bench_lnav PUBLIC ${CMAKE_CURRENT_LIST_DIR}/common)
target_link_libraries(opsdeck_bench_lnav PUBLIC Qt6::Core)
opsdeck_defaults(opsdeck_bench_lnav)
