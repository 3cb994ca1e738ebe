# The library must not depend on its command line (an embedder builds drivers without the flag
# parser): scripts/check-layering.sh runs whenever a source or public header changes, and the
# library waits for it, so a stray #include "cli/..." fails the build at once.
file(GLOB_RECURSE LAYERING_FILES CONFIGURE_DEPENDS
  ${CMAKE_SOURCE_DIR}/src/*.h ${CMAKE_SOURCE_DIR}/src/*.cc ${CMAKE_SOURCE_DIR}/include/*.h)
add_custom_command(
  OUTPUT ${CMAKE_BINARY_DIR}/layering.stamp
  COMMAND ${CMAKE_SOURCE_DIR}/scripts/check-layering.sh ${CMAKE_SOURCE_DIR}
  COMMAND ${CMAKE_COMMAND} -E touch ${CMAKE_BINARY_DIR}/layering.stamp
  DEPENDS ${LAYERING_FILES} ${CMAKE_SOURCE_DIR}/scripts/check-layering.sh
  COMMENT "Checking that the library does not include the CLI"
  VERBATIM)
add_custom_target(check_layering DEPENDS ${CMAKE_BINARY_DIR}/layering.stamp)
add_dependencies(rootlesskit_lib check_layering)
