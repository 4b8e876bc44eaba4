# Read by cpack once per generator (CPACK_PROJECT_CONFIG_FILE): settings that differ by generator.
if(CPACK_GENERATOR STREQUAL "DEB")
  set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
endif()
