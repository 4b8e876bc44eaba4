# Common compile settings for every Opsdeck target.
function(opsdeck_defaults target)
  target_compile_definitions(${target} PRIVATE
    QT_NO_KEYWORDS QT_USE_QSTRINGBUILDER
    OPSDECK_VERSION="${PROJECT_VERSION}")
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-missing-field-initializers)
  elseif(MSVC)
    target_compile_options(${target} PRIVATE /W4 /permissive-)
  endif()
endfunction()
