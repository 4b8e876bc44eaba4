# bench_relay: the relay hop — a subscriber of a real opsdeck-hub (--bench-logs) directly, through
# the Opsdeck relay (HubServer + relay::UpstreamLink on a thread, as the console's embedded hub)
# and through a minimal Node.js relay on npm's `ws` (bench/node-peer/relay.js), in one run.
# Run it with bench/run-relay.sh (that also installs the peer's node_modules); see
# docs/performance.md "Relay hop".
if(TARGET opsdeck-hub AND TARGET opsdeck_hubrelay)
  find_package(Qt6 REQUIRED COMPONENTS Core Network WebSockets)
  add_executable(bench_relay
    ${CMAKE_CURRENT_LIST_DIR}/relay/main.cpp
    ${CMAKE_CURRENT_LIST_DIR}/relay/relaypaths.h ${CMAKE_CURRENT_LIST_DIR}/relay/relaypaths.cpp
    ${CMAKE_CURRENT_LIST_DIR}/relay/relayrun.h ${CMAKE_CURRENT_LIST_DIR}/relay/relayrun.cpp
    ${CMAKE_CURRENT_LIST_DIR}/relay/subscriber.h ${CMAKE_CURRENT_LIST_DIR}/relay/subscriber.cpp)
  target_link_libraries(bench_relay PRIVATE opsdeck_bench_support opsdeck_hubrelay Qt6::Core Qt6::Network Qt6::WebSockets)
  # The Node relay runs from the source tree: node_modules are installed there by `npm ci`.
  target_compile_definitions(bench_relay PRIVATE
    OPSDECK_NODE_PEER_DIR="${CMAKE_CURRENT_LIST_DIR}/node-peer"
    OPSDECK_HUB_BINARY="$<TARGET_FILE:opsdeck-hub>")
  add_dependencies(bench_relay opsdeck-hub)
  opsdeck_defaults(bench_relay)
endif()
