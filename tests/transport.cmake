# Client core (hub/transport): unit tests against in-process fakes, integration against the
# real opsdeck-hub process.
opsdeck_add_test(unit transport-backoff SOURCES unit/tst_transport_backoff.cpp LIBS opsdeck_transport)
opsdeck_add_test(unit transport-queue SOURCES unit/tst_transport_queue.cpp LIBS opsdeck_transport)
opsdeck_add_test(unit transport-client SOURCES unit/tst_transport_client.cpp
  LIBS opsdeck_transport opsdeck_transport_testing)
opsdeck_add_test(unit transport-resume SOURCES unit/tst_transport_resume.cpp
  LIBS opsdeck_transport opsdeck_transport_testing)
opsdeck_add_test(unit transport-feed SOURCES unit/tst_transport_feed.cpp
  LIBS opsdeck_transport opsdeck_transport_testing)

if(TARGET opsdeck_testsupport AND EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/integration/tst_client_hub.cpp)
  opsdeck_add_test(integration client-hub SOURCES integration/tst_client_hub.cpp
    LIBS opsdeck_transport opsdeck_transport_testing opsdeck_testsupport TIMEOUT 300)
endif()
