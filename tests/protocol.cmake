opsdeck_add_test(unit protocol SOURCES unit/tst_protocol.cpp LIBS opsdeck_protocol)
