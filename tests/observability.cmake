# Issue 7: the host metrics source (hub/sources) and the observability HTTP port (hub/observability).
opsdeck_add_test(unit host-probe SOURCES unit/tst_host_probe.cpp LIBS opsdeck_hubsources)
target_compile_definitions(tst_unit_host_probe PRIVATE
  OPSDECK_PROC_FIXTURES="${CMAKE_CURRENT_SOURCE_DIR}/fixtures/proc")
opsdeck_add_test(unit host-probe-cli SOURCES unit/tst_host_probe_cli.cpp LIBS opsdeck_hubcli)
opsdeck_add_test(integration hub-http-inprocess SOURCES integration/tst_hub_http_inprocess.cpp
  integration/tst_hub_http_scrape.h LIBS opsdeck_hubobservability opsdeck_testclient)
if(TARGET opsdeck_testsupport)
  opsdeck_add_test(integration hub-http SOURCES integration/tst_hub_http.cpp integration/tst_hub_http_scrape.h
    LIBS opsdeck_testsupport Qt6::Network TIMEOUT 180)
endif()
