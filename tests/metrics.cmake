# Metrics pane (app/metrics): store and source model, feed against a real in-process hub, pane.
if(TARGET opsdeck_metrics)
  opsdeck_add_test(unit metrics-store SOURCES unit/tst_metrics_store.cpp
    LIBS opsdeck_metrics Qt6::Widgets Qt6::Charts)
  opsdeck_add_test(integration metrics-feed SOURCES integration/tst_metrics_feed.cpp
    LIBS opsdeck_metrics opsdeck_hubserver opsdeck_demo opsdeck_transport Qt6::Widgets TIMEOUT 180)
endif()
