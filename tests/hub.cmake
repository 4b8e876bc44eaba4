opsdeck_add_test(unit hub-topics SOURCES unit/tst_hub_topics.cpp LIBS opsdeck_hubserver)
opsdeck_add_test(unit hub-cli SOURCES unit/tst_hub_cli.cpp LIBS opsdeck_hubcli)
opsdeck_add_test(integration hub-inprocess SOURCES integration/tst_hub_inprocess.cpp
  LIBS opsdeck_hubserver opsdeck_testclient)
