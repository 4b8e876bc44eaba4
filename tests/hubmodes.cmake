# opsdeck-hub --mode dev|prod on the server side (issue 5, docs/protocol.md §13, operations.md §5):
# operator tokens through a fake Authenticator, roles, expiry and `auth`, exclusive sessions and
# the admin kill switch, TLS, and the CLI flags.
opsdeck_add_test(unit hubmodes-cli SOURCES unit/tst_hubmodes_cli.cpp LIBS opsdeck_hubcli)
opsdeck_add_test(integration hubmodes-auth
  SOURCES integration/tst_hubmodes_auth.cpp integration/fakeauthenticator.h
  LIBS opsdeck_hubserver opsdeck_demo opsdeck_testclient)
opsdeck_add_test(integration hubmodes-sessions
  SOURCES integration/tst_hubmodes_sessions.cpp integration/fakeauthenticator.h
  LIBS opsdeck_hubserver opsdeck_testclient)
if(TARGET opsdeck_testsupport)
  opsdeck_add_test(integration hubmodes-tls
    SOURCES integration/tst_hubmodes_tls.cpp integration/fakeauthenticator.h
    LIBS opsdeck_hubserver opsdeck_testsupport)
endif()
