# What `cmake --install` lays out under the prefix: the three programs, their man pages and the
# bash completions, both generated at build time from the built programs' --help by
# scripts/docgen/ (so they cannot drift from the flags), and the copyright file. docs/packaging.md.
include(GNUInstallDirs)
find_package(Python3 3.9 REQUIRED COMPONENTS Interpreter)

set(ROOTLESSKIT_PROGRAMS rootlesskit rootlessctl rootlesskit-docker-proxy)
set(DOCGEN ${CMAKE_SOURCE_DIR}/scripts/docgen)
set(DOCGEN_SCRIPTS ${DOCGEN}/cli_help.py ${DOCGEN}/gen_man.py ${DOCGEN}/gen_completion.py)
set(MAN_BUILD_DIR ${CMAKE_BINARY_DIR}/share/man/man1)
set(COMPLETION_BUILD_DIR ${CMAKE_BINARY_DIR}/share/bash-completion/completions)
# -B: no __pycache__ in the source tree (it may belong to another user than the build).
set(PYTHON ${Python3_EXECUTABLE} -B)

set(MAN_PAGES)
foreach(program ${ROOTLESSKIT_PROGRAMS})
  set(page ${MAN_BUILD_DIR}/${program}.1.gz)
  set(extra ${CMAKE_SOURCE_DIR}/docs/man/${program}.1.extra)
  add_custom_command(OUTPUT ${page}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${MAN_BUILD_DIR}
    COMMAND ${PYTHON} ${DOCGEN}/gen_man.py --program $<TARGET_FILE:${program}> --name ${program}
      --version ${PROJECT_VERSION} --extra ${extra} --output ${page}
    DEPENDS ${program} ${DOCGEN_SCRIPTS} ${extra}
    COMMENT "Generating ${program}.1 from ${program} --help"
    VERBATIM)
  list(APPEND MAN_PAGES ${page})
endforeach()

# rootlesskit-docker-proxy has none: dockerd runs it, not a user at a prompt.
set(COMPLETIONS ${COMPLETION_BUILD_DIR}/rootlesskit ${COMPLETION_BUILD_DIR}/rootlessctl)
add_custom_command(OUTPUT ${COMPLETIONS}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${COMPLETION_BUILD_DIR}
  COMMAND ${PYTHON} ${DOCGEN}/gen_completion.py --output-dir ${COMPLETION_BUILD_DIR}
    rootlesskit=$<TARGET_FILE:rootlesskit> rootlessctl=$<TARGET_FILE:rootlessctl>
  DEPENDS rootlesskit rootlessctl ${DOCGEN_SCRIPTS}
  COMMENT "Generating the bash completions from rootlesskit --help and rootlessctl --help"
  VERBATIM)
add_custom_target(docgen ALL DEPENDS ${MAN_PAGES} ${COMPLETIONS})

install(TARGETS ${ROOTLESSKIT_PROGRAMS} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${MAN_PAGES} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${COMPLETIONS} DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
# Debian's place, name and format for a package's license (CMAKE_INSTALL_DOCDIR is
# share/doc/rootlesskit); it points at Debian's copy of the Apache-2.0 text, as lintian wants.
configure_file(${CMAKE_SOURCE_DIR}/cmake/copyright.in ${CMAKE_BINARY_DIR}/share/doc/copyright @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/share/doc/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})
