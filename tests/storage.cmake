# The hub's SQLite history store (hub/storage): the store itself, and a real opsdeck-hub that
# keeps its topics' positions across a restart.
opsdeck_add_test(unit history-store SOURCES unit/tst_history_store.cpp LIBS opsdeck_hubstorage)
opsdeck_add_test(unit history-store-cli SOURCES unit/tst_history_store_cli.cpp LIBS opsdeck_hubcli)
opsdeck_add_test(integration hub-history-inprocess SOURCES integration/tst_hub_history_inprocess.cpp
  LIBS opsdeck_hubserver opsdeck_testclient TIMEOUT 180)
if(TARGET opsdeck_testsupport)
  opsdeck_add_test(integration hub-history SOURCES integration/tst_hub_history.cpp integration/hubtesthelpers.h
    LIBS opsdeck_testsupport TIMEOUT 240)
endif()
