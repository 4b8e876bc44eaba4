# Agents pane (app/agents: AgentFeed, the models, the QML module Opsdeck.Agents).
if(TARGET opsdeck_agents)
  opsdeck_add_test(unit agents-model SOURCES unit/tst_agents_model.cpp
    LIBS opsdeck_agents)
  opsdeck_add_test(integration agents-feed SOURCES integration/tst_agents_feed.cpp
    LIBS opsdeck_agents opsdeck_hubserver opsdeck_demo TIMEOUT 180)

  find_package(Qt6 COMPONENTS QuickTest QUIET)
  if(TARGET Qt6::QuickTest)
    opsdeck_add_test(quick agents SOURCES quick/agents/tst_quick_agents.cpp
      LIBS Qt6::QuickTest Qt6::Quick Qt6::QuickControls2
           opsdeck_agents opsdeck_agentsplugin opsdeck_ui opsdeck_uiplugin
           opsdeck_appcore opsdeck_appcoreplugin)
    target_compile_definitions(tst_quick_agents PRIVATE
      QUICK_TEST_SOURCE_DIR="${CMAKE_CURRENT_SOURCE_DIR}/quick/agents")
  endif()
endif()
