#!/usr/bin/env bash
# Installs every Debian package the project needs to build, test and benchmark.
# Run as root. Idempotent: apt-get skips what is already installed.
set -euo pipefail

# libcap-dev: for the port driver's privileged-port message (PkgConfig::LIBCAP in
# cmake/Dependencies.cmake, linked only by the code that uses it). python3: scripts/docgen/, which
# writes the man pages and bash completions from --help at build time (cmake/Install.cmake).
build_packages=(
  build-essential cmake ninja-build ccache pkg-config python3
  nlohmann-json3-dev libcpp-httplib-dev libspdlog-dev libfmt-dev
  libcap-dev libmnl-dev libgtest-dev libgmock-dev
)
# liblxc-common: the setuid lxc-user-nic for --net=lxc-user-nic.
runtime_packages=(uidmap iproute2 util-linux slirp4netns socat passt vdeplug libvdeplug-slirp liblxc-common)
# rootlesskit: Debian's 1.1.0, the reference the integration tests and bench/ compare against.
# systemd: systemd-socket-activate; bsdutils: script; util-linux (above): unshare/setpriv/runuser;
# procps: ps/pgrep; passwd: useradd; kmod: modprobe; clang-format-14: scripts/check-format.sh;
# iptables: --source-ip-transparent inside the namespace (test-port-source-ip.sh); wrk: bench/port.sh;
# clang-14, libclang-rt-14-dev (libFuzzer, ASan, UBSan): the fuzz targets (scripts/lib/fuzz.sh).
# tests/packaging/: dpkg-dev (dpkg-shlibdeps, for the .deb's Depends), man-db (man -l, lexgrog),
# bash-completion (the completions run through it).
test_packages=(rootlesskit procps bsdutils curl jq hyperfine
  systemd passwd kmod iperf3 iputils-ping clang-format-14 iptables wrk
  clang-14 libclang-rt-14-dev
  dnsmasq-base # dnsmasq-base: the DHCP server on the lxc-user-nic test bridge
  dpkg-dev man-db bash-completion
  # tests/e2e/ (docs/clients.md): rootless Docker 20.10 (dockerd-rootless.sh is in docker.io's
  # contrib/) and containerd 1.6 with runc; busybox-static makes their images (no registry here).
  docker.io containerd runc busybox-static)
# scripts/tidy.sh only (clang-tidy-14 pulls in all of clang-14): installed by --tidy.
tidy_packages=(clang-tidy-14)

# No option: everything scripts/test.sh needs. --runtime-only: what the installed binaries need.
# --build: what scripts/setup.sh needs to build and run them (no test tools). --tidy: clang-tidy.
if [[ ${1:-} == --runtime-only ]]; then
  packages=("${runtime_packages[@]}")
elif [[ ${1:-} == --build ]]; then
  packages=("${build_packages[@]}" "${runtime_packages[@]}")
elif [[ ${1:-} == --tidy ]]; then
  packages=("${tidy_packages[@]}")
else
  packages=("${build_packages[@]}" "${runtime_packages[@]}" "${test_packages[@]}")
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Packages such as docker.io and containerd start their system service when installed. The tests
# need only the programs: a root dockerd would rewrite the host's firewall (iptables FORWARD
# policy DROP) under the other tests. invoke-rc.d and deb-systemd-invoke ask policy-rc.d first;
# exit code 101 means "do not start". Ours is removed after, unless one was there before.
forbid_service_starts() {
  local policy=/usr/sbin/policy-rc.d
  [[ -e $policy ]] && return
  printf '#!/bin/sh\n# scripts/install-deps.sh: no service starts while it installs\nexit 101\n' >"$policy"
  chmod 0755 "$policy"
  trap 'rm -f '"$policy" EXIT
}

if ((${#missing[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  forbid_service_starts
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
