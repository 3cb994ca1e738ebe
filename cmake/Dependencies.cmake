# Every dependency comes from a Debian bookworm package (scripts/install-deps.sh).
# cpp-httplib is taken from pkg-config: Debian builds it with OpenSSL/zlib/Brotli and the
# class layout depends on those defines, so a mismatch crashes the client at run time.
find_package(PkgConfig REQUIRED)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
pkg_check_modules(LIBMNL REQUIRED IMPORTED_TARGET libmnl)
find_package(nlohmann_json 3 REQUIRED)
find_package(spdlog 1.10 REQUIRED)
find_package(fmt 9 REQUIRED)
find_package(Threads REQUIRED)

# libcap (src/port/privileged.cc: may this binary bind privileged ports?) is linked from its
# static archive: only a program that calls it gets its code, and no program loads libcap.so.
find_library(LIBCAP_STATIC NAMES libcap.a REQUIRED)
add_library(rootlesskit_libcap STATIC IMPORTED)
set_target_properties(rootlesskit_libcap PROPERTIES IMPORTED_LOCATION ${LIBCAP_STATIC})

# fmt and spdlog without their shared libraries: each exec of rootlesskit (parent, then child)
# would otherwise load and relocate libfmt.so, libspdlog.so and with them libstdc++.so. Their
# compiled parts are built into rootlesskit_lib from Debian's headers instead, by
# ROOTLESSKIT_THIRD_PARTY_SOURCES (the same definitions libfmt.so and libspdlog.so hold).
set(ROOTLESSKIT_THIRD_PARTY_SOURCES
  ${CMAKE_SOURCE_DIR}/src/common/fmt_impl.cc
  ${CMAKE_SOURCE_DIR}/src/common/spdlog_impl.cc)
add_library(rootlesskit_fmt INTERFACE)
target_include_directories(rootlesskit_fmt SYSTEM INTERFACE
  $<TARGET_PROPERTY:fmt::fmt,INTERFACE_INCLUDE_DIRECTORIES>)
add_library(rootlesskit_spdlog INTERFACE)
target_include_directories(rootlesskit_spdlog SYSTEM INTERFACE
  $<TARGET_PROPERTY:spdlog::spdlog,INTERFACE_INCLUDE_DIRECTORIES>)
target_compile_definitions(rootlesskit_spdlog INTERFACE SPDLOG_COMPILED_LIB SPDLOG_FMT_EXTERNAL)
target_link_libraries(rootlesskit_spdlog INTERFACE rootlesskit_fmt Threads::Threads)

add_library(rootlesskit_deps INTERFACE)
target_link_libraries(rootlesskit_deps INTERFACE
  PkgConfig::LIBMNL nlohmann_json::nlohmann_json rootlesskit_spdlog rootlesskit_libcap Threads::Threads)
