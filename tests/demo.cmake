# Demo fleet (hub/demo): stepped in simulated time, no wall-clock waits.
opsdeck_add_test(unit demo-fleet SOURCES unit/tst_demo_fleet.cpp LIBS opsdeck_demo)
opsdeck_add_test(unit demo-commands SOURCES unit/tst_demo_commands.cpp LIBS opsdeck_demo)
