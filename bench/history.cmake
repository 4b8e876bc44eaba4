# History store benchmark (hub/storage): entries/s written, and `history` page latency p50/p99
# over a store of 1 M entries, with and without filters. Run from a release tree.
add_executable(bench_history ${CMAKE_CURRENT_LIST_DIR}/history/main.cpp)
target_link_libraries(bench_history PRIVATE opsdeck_hubstorage)
opsdeck_defaults(bench_history)
