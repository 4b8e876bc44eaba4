# Real agents (issue 7): the hub's agent endpoint and opsdeck-agent.
opsdeck_add_test(unit agent-messages SOURCES unit/tst_agent_messages.cpp LIBS opsdeck_hubserver)
opsdeck_add_test(unit agent-runner SOURCES unit/tst_agent_runner.cpp LIBS opsdeck_agentcore TIMEOUT 180)
opsdeck_add_test(unit agent-options SOURCES unit/tst_agent_options.cpp LIBS opsdeck_agentcore)
opsdeck_add_test(integration agent-endpoint
  SOURCES integration/tst_agent_endpoint.cpp integration/agenttesthelpers.h
  LIBS opsdeck_hubserver opsdeck_testclient TIMEOUT 180)
opsdeck_add_test(integration agent-process
  SOURCES integration/tst_agent_process.cpp integration/agenttesthelpers.h
  LIBS opsdeck_hubserver opsdeck_testclient TIMEOUT 180)
target_compile_definitions(tst_integration_agent_process PRIVATE OPSDECK_AGENT_BINARY="$<TARGET_FILE:opsdeck-agent>")
add_dependencies(tst_integration_agent_process opsdeck-agent)
# With real credentials from the hub's admin CLI and a dev hub process (needs opsdeck-hub).
if(TARGET opsdeck_testsupport)
  opsdeck_add_test(integration agent-e2e SOURCES integration/tst_agent_e2e.cpp
    LIBS opsdeck_testsupport TIMEOUT 180)
  target_compile_definitions(tst_integration_agent_e2e PRIVATE OPSDECK_AGENT_BINARY="$<TARGET_FILE:opsdeck-agent>")
  add_dependencies(tst_integration_agent_e2e opsdeck-agent)
endif()
