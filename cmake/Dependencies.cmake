# Every dependency comes from a Debian bookworm package (scripts/install-deps.sh).
# cpp-httplib is taken from pkg-config: Debian builds it with OpenSSL/zlib/Brotli and the
# class layout depends on those defines, so a mismatch crashes the client at run time.
find_package(PkgConfig REQUIRED)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
pkg_check_modules(LIBCAP REQUIRED IMPORTED_TARGET libcap)
pkg_check_modules(LIBMNL REQUIRED IMPORTED_TARGET libmnl)
find_package(nlohmann_json 3 REQUIRED)
find_package(spdlog REQUIRED)
find_package(fmt REQUIRED)
find_package(Threads REQUIRED)

add_library(rootlesskit_deps INTERFACE)
target_link_libraries(rootlesskit_deps INTERFACE
  PkgConfig::LIBCAP PkgConfig::LIBMNL
  nlohmann_json::nlohmann_json spdlog::spdlog fmt::fmt Threads::Threads)

if(ROOTLESSKIT_SANITIZE)
  target_compile_options(rootlesskit_deps INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer)
  target_link_options(rootlesskit_deps INTERFACE -fsanitize=address,undefined)
endif()

find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
endif()
