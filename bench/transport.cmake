# Client core benchmark: decode/dispatch rate, memory per queued message, resume time after
# an upstream restart. One figure per line.
add_executable(bench_client_core ${CMAKE_CURRENT_LIST_DIR}/client_core.cpp)
target_link_libraries(bench_client_core PRIVATE opsdeck_transport opsdeck_transport_testing)
opsdeck_defaults(bench_client_core)
