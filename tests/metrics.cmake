# Metrics pane (app/metrics): store and source model, feed against a real in-process hub, pane.
if(TARGET opsdeck_metrics)
  opsdeck_add_test(unit metrics-store SOURCES unit/tst_metrics_store.cpp
    LIBS opsdeck_metrics Qt6::Widgets Qt6::Charts)
  opsdeck_add_test(integration metrics-feed SOURCES integration/tst_metrics_feed.cpp
    LIBS opsdeck_metrics opsdeck_hubserver opsdeck_demo opsdeck_transport Qt6::Widgets TIMEOUT 180)
  find_package(Qt6 COMPONENTS QuickTest QUIET)
  if(TARGET Qt6::QuickTest)
    opsdeck_add_test(quick metrics SOURCES quick/metrics/main.cpp
      LIBS Qt6::QuickTest Qt6::Quick Qt6::Widgets
           opsdeck_uiplugin opsdeck_ui opsdeck_appcoreplugin opsdeck_appcore opsdeck_metricsplugin opsdeck_metrics
      TIMEOUT 120)
    target_compile_definitions(tst_quick_metrics PRIVATE
      QUICK_TEST_SOURCE_DIR="${CMAKE_CURRENT_SOURCE_DIR}/quick/metrics")
  endif()
endif()
