# Operator authentication (hub/auth, issue 5): signing key, tokens and every claim check, the
# SQLite stores, login throttling; the HTTP login service over real HTTPS and plain HTTP; and the
# `opsdeck-hub user|token` admin CLI as a real process.
opsdeck_add_test(unit auth-tokens SOURCES unit/tst_auth_tokens.cpp LIBS opsdeck_hubauth)
opsdeck_add_test(unit auth-stores SOURCES unit/tst_auth_stores.cpp LIBS opsdeck_hubauth)
opsdeck_add_test(unit auth-throttle SOURCES unit/tst_auth_throttle.cpp LIBS opsdeck_hubauth)
opsdeck_add_test(integration auth-http SOURCES integration/tst_auth_http.cpp LIBS opsdeck_hubauth opsdeck_testclient TIMEOUT 180)
if(TARGET opsdeck-hub)
  opsdeck_add_test(integration auth-cli SOURCES integration/tst_auth_cli.cpp LIBS opsdeck_hubauth TIMEOUT 180)
  target_compile_definitions(tst_integration_auth_cli PRIVATE OPSDECK_HUB_BINARY="$<TARGET_FILE:opsdeck-hub>")
  add_dependencies(tst_integration_auth_cli opsdeck-hub)
endif()
