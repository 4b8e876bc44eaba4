if(TARGET opsdeck_testsupport)
  opsdeck_add_test(integration hub-streams SOURCES integration/tst_hub_streams.cpp integration/hubtesthelpers.h
    LIBS opsdeck_testsupport TIMEOUT 180)
  opsdeck_add_test(integration hub-guards SOURCES integration/tst_hub_guards.cpp integration/hubtesthelpers.h
    LIBS opsdeck_testsupport TIMEOUT 180)
  opsdeck_add_test(integration hub-fleet SOURCES integration/tst_hub_fleet.cpp integration/hubtesthelpers.h
    LIBS opsdeck_testsupport TIMEOUT 180)
  opsdeck_add_test(integration hub-backpressure SOURCES integration/tst_hub_backpressure.cpp integration/hubtesthelpers.h
    LIBS opsdeck_testsupport TIMEOUT 180)
endif()
