if(TARGET opsdeck)
  opsdeck_add_test(integration console-screens SOURCES integration/tst_console_screens.cpp
    LIBS Qt6::Gui TIMEOUT 240)
  target_compile_definitions(tst_integration_console_screens PRIVATE OPSDECK_APP_BINARY="$<TARGET_FILE:opsdeck>")
  add_dependencies(tst_integration_console_screens opsdeck)
endif()
