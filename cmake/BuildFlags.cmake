# Compiler and linker settings that are not warnings: ccache, the sanitizer build, precompiled
# headers and the link options that keep rootlesskit's exec cheap.

find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  # ccache caches compiles that use a precompiled header only with pch_defines,time_macros (its
  # manual, "Precompiled headers"); the include_file_* ones let it cache the files compiled
  # right after the header was precompiled (it distrusts files changed less than a second ago).
  set(CMAKE_C_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
  set(CMAKE_CXX_COMPILER_LAUNCHER
    ${CMAKE_COMMAND} -E env CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
    ${CCACHE_PROGRAM})
endif()

# ASan+UBSan for everything (scripts/test.sh builds and tests everything this way). -O0 -g1: at -O1
# UBSan's checks make GCC 12 three times slower on our largest files; -g1 keeps file:line in
# the reports. Replaces the build type's optimization flags.
add_library(rootlesskit_sanitize INTERFACE)
if(ROOTLESSKIT_SANITIZE)
  target_compile_options(rootlesskit_sanitize INTERFACE
    -O0 -g1 -fsanitize=address,undefined -fno-omit-frame-pointer)
  target_link_options(rootlesskit_sanitize INTERFACE -fsanitize=address,undefined)
elseif(ROOTLESSKIT_TSAN)
  # ThreadSanitizer (scripts/test.sh: the unit tests that drive an event loop from other
  # threads). -O0 as for ASan: at -O1 GCC 12 inlines libstdc++'s string concatenation into
  # false -Warray-bounds reports under -fsanitize=thread.
  target_compile_options(rootlesskit_sanitize INTERFACE -O0 -g1 -fsanitize=thread)
  target_link_options(rootlesskit_sanitize INTERFACE -fsanitize=thread)
endif()

# Every program loads only the shared libraries it calls into (--as-needed), with the linker's
# optimized hash tables (-O1).
add_link_options(-Wl,--as-needed -Wl,-O1)

# Release: a section per function and object, and the linker drops those nothing calls (the
# unused parts of libstdc++ and of our own library). Code is optimized for size (-Os) except the
# forwarding data path, which rootlesskit_hot_path() puts back at -O3: set-up, the CLI and the
# API run once or rarely, and as the kernel maps an executable's pages in 64 KiB blocks around
# each one touched, smaller code is less resident memory in the parent and the child. Together:
# rootlesskit's code 2.99 -> 1.50 MB, parent+child RSS ~1 MB less (docs/benchmarks.md). LTO
# would take a little more off but costs ~15 s on every link of the program.
set(ROOTLESSKIT_SIZE_OPTIMIZED FALSE)
if(CMAKE_BUILD_TYPE STREQUAL "Release" AND NOT ROOTLESSKIT_SANITIZE AND NOT ROOTLESSKIT_TSAN)
  set(ROOTLESSKIT_SIZE_OPTIMIZED TRUE)
  add_compile_options(-Os -ffunction-sections -fdata-sections)
  add_link_options(-Wl,--gc-sections)
endif()

# rootlesskit_hot_path(SOURCE...): files on the per-connection and per-byte path of port
# forwarding, built at -O3 in a size-optimized build (source options come after the
# directory's -Os on the command line, and GCC takes the last -O). The precompiled header was
# built at -Os, which GCC refuses to use for them.
function(rootlesskit_hot_path)
  if(ROOTLESSKIT_SIZE_OPTIMIZED)
    set_property(SOURCE ${ARGN} APPEND PROPERTY COMPILE_OPTIONS -O3)
    set_property(SOURCE ${ARGN} PROPERTY SKIP_PRECOMPILE_HEADERS ON)
  endif()
endfunction()

# rootlesskit_fast_start(TARGET): every start of rootlesskit pays for loading and relocating its
# shared libraries (twice for an embedder whose child re-execs the image): libstdc++ and libgcc
# are linked in statically, and libm.so is not needed (tools/rootlesskit/ceil.cc): only libc and
# libmnl are loaded. Not for programs that also load a C++ shared library (rootlessctl:
# libcpp-httplib.so), which must share one libstdc++ with it.
function(rootlesskit_fast_start target)
  if(NOT ROOTLESSKIT_SANITIZE AND NOT ROOTLESSKIT_TSAN)
    target_link_options(${target} PRIVATE -static-libstdc++ -static-libgcc)
    target_sources(${target} PRIVATE ${CMAKE_SOURCE_DIR}/tools/rootlesskit/ceil.cc)
  endif()
endfunction()

# Headers that cost the most to parse again in every file, precompiled once per target.
set(ROOTLESSKIT_PCH_STD <algorithm> <cerrno> <cstdint> <cstring> <functional> <memory>
  <optional> <string> <string_view> <utility> <vector>)
