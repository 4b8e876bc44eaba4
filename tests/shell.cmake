# Console shell (qml/shell): the profile manager against an in-memory ProfileStore.
if(TARGET opsdeck_shell)
  find_package(Qt6 COMPONENTS QuickTest QUIET)
  if(TARGET Qt6::QuickTest)
    opsdeck_add_test(quick shell SOURCES quick/shell/main.cpp
      LIBS Qt6::QuickTest Qt6::Quick Qt6::Widgets
           opsdeck_uiplugin opsdeck_ui opsdeck_appcoreplugin opsdeck_appcore opsdeck_shellplugin opsdeck_shell)
    target_compile_definitions(tst_quick_shell PRIVATE
      QUICK_TEST_SOURCE_DIR="${CMAKE_CURRENT_SOURCE_DIR}/quick/shell")
  endif()
endif()
