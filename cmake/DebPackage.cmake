# CPack's Debian package: `cpack -G DEB` in a Release build tree gives rootlesskit_VERSION_ARCH.deb,
# what `cmake --install` lays out (cmake/Install.cmake) under /usr. It has the name of Debian's own
# rootlesskit package and a higher version, so dpkg and apt install it in place of that one as an
# upgrade. docs/packaging.md; tests/packaging/test-deb.sh checks it.
set(CPACK_GENERATOR DEB)
set(CPACK_VERBATIM_VARIABLES ON) # the quotes in the description stay quotes
set(CPACK_PACKAGE_NAME rootlesskit)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # rootlesskit_3.0.1_amd64.deb
set(CPACK_STRIP_FILES ON)               # as dh_strip does
set(ROOTLESSKIT_DEB_MAINTAINER "Seed ee6ef889 maintainers <maintainers@users.noreply.r-seed-ee6ef889.example>"
  CACHE STRING "Maintainer field of the .deb (the repository's commit author by default)")
set(CPACK_PACKAGE_CONTACT ${ROOTLESSKIT_DEB_MAINTAINER})
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${ROOTLESSKIT_DEB_MAINTAINER})

set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Linux-native \"fake root\" for rootless containers (C++ implementation)")
set(CPACK_PACKAGE_DESCRIPTION "\
A drop-in re-implementation of RootlessKit in C++: rootlesskit, rootlessctl and
rootlesskit-docker-proxy with the command line, exit codes, messages, state
directory and REST API of RootlessKit ${PROJECT_VERSION}, so that Docker's rootless
mode and scripts written for RootlessKit keep working.
.
RootlessKit creates user_namespaces(7) and mount_namespaces(7), and executes
newuidmap(1)/newgidmap(1) along with subuid(5) and subgid(5). It can isolate
network_namespaces(7) with slirp4netns, pasta, VPNKit, lxc-user-nic or
vdeplug_slirp, and publish ports into them.")
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)

# newuidmap/newgidmap (uidmap) are needed for any id map beyond one's own uid; slirp4netns is the
# usual network driver. The shared libraries come from dpkg-shlibdeps (package dpkg-dev).
set(CPACK_DEBIAN_PACKAGE_DEPENDS "uidmap, slirp4netns")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "socat, passt")
# What takes Debian's package's place is the name and the higher version: dpkg unpacks this one
# "over" Debian's 1.1.0 and removes the files only that one had. dpkg ignores a package's
# relations to its own name, so these three change nothing for it today; they say that this
# package stands for rootlesskit and excludes any other, and lintian accepts them (the pattern
# of a package named like a virtual package).
set(CPACK_DEBIAN_PACKAGE_CONFLICTS rootlesskit)
set(CPACK_DEBIAN_PACKAGE_REPLACES rootlesskit)
set(CPACK_DEBIAN_PACKAGE_PROVIDES rootlesskit)

include(CPack)
