# bench_fanout: opsdeck-hub fanning a log stream out to 1..1000 connections, against a minimal
# Node.js server on npm's `ws` (bench/node-peer) in the same run. Run it with bench/run-fanout.sh
# (that also installs the peer's node_modules); see docs/performance.md.
find_package(Qt6 REQUIRED COMPONENTS Core Network WebSockets)

add_executable(bench_fanout ${CMAKE_CURRENT_LIST_DIR}/fanout_main.cpp)
target_link_libraries(bench_fanout PRIVATE opsdeck_bench_support Qt6::Core Qt6::Network Qt6::WebSockets)
# The peer runs from the source tree: node_modules are installed there by `npm ci`.
target_compile_definitions(bench_fanout PRIVATE OPSDECK_NODE_PEER_DIR="${CMAKE_CURRENT_LIST_DIR}/node-peer")
# Until the hub binary exists the driver still builds and measures the peer alone.
if(TARGET opsdeck-hub)
  target_compile_definitions(bench_fanout PRIVATE OPSDECK_HUB_BINARY="$<TARGET_FILE:opsdeck-hub>")
  add_dependencies(bench_fanout opsdeck-hub)
endif()
opsdeck_defaults(bench_fanout)
