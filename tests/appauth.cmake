# Console sign-in (app/auth): the keychain seam, SignInController against the hub's sign-in API
# served in-process, the login dialog, and the real Secret Service.
if(TARGET opsdeck_appauth)
  find_package(Qt6 REQUIRED COMPONENTS HttpServer)
  add_library(opsdeck_fakeauthhub STATIC appauth/fakeauthhub.h appauth/fakeauthhub.cpp)
  target_include_directories(opsdeck_fakeauthhub PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/appauth)
  target_link_libraries(opsdeck_fakeauthhub PUBLIC Qt6::HttpServer Qt6::Network)
  opsdeck_defaults(opsdeck_fakeauthhub)

  opsdeck_add_test(unit appauth-store SOURCES appauth/tst_appauth_store.cpp
    LIBS opsdeck_appauth Qt6Keychain::Qt6Keychain)
  opsdeck_add_test(unit appauth-signin SOURCES appauth/tst_appauth_signin.cpp
    LIBS opsdeck_appauth opsdeck_fakeauthhub)

  find_package(Qt6 COMPONENTS QuickTest QUIET)
  if(TARGET Qt6::QuickTest)
    opsdeck_add_test(quick appauth-login SOURCES quick/appauth/main.cpp
      LIBS Qt6::QuickTest Qt6::Quick Qt6::Widgets opsdeck_fakeauthhub
           opsdeck_uiplugin opsdeck_ui opsdeck_appauthplugin opsdeck_appauth)
    target_compile_definitions(tst_quick_appauth_login PRIVATE
      QUICK_TEST_SOURCE_DIR="${CMAKE_CURRENT_SOURCE_DIR}/quick/appauth")
  endif()

  # The real Secret Service: gnome-keyring in a private D-Bus session (run-keychain-test.sh).
  add_executable(tst_integration_keychain_real appauth/tst_keychain_real.cpp)
  target_link_libraries(tst_integration_keychain_real PRIVATE Qt6::Test opsdeck_appauth)
  opsdeck_defaults(tst_integration_keychain_real)
  add_test(NAME integration-keychain-real
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/appauth/run-keychain-test.sh $<TARGET_FILE:tst_integration_keychain_real>)
  set_tests_properties(integration-keychain-real PROPERTIES
    TIMEOUT 120
    LABELS integration
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;QT_LOGGING_RULES=opsdeck.*.debug=false")
endif()
