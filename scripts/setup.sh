#!/usr/bin/env bash
# One-time setup and install: README command 1 (`sudo ./scripts/setup.sh`) on Debian 12.
# Installs the build/runtime packages, builds a Release rootlesskit + rootlessctl +
# rootlesskit-docker-proxy, installs them to /usr/local/bin (with their man pages and bash
# completions under /usr/local/share: cmake/Install.cmake), gives the invoking user ($SUDO_USER)
# subordinate uid/gid ranges if it has none, and makes /dev/net/tun usable for slirp4netns/pasta.
# Safe to run again.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$REPO/build
PREFIX=${PREFIX:-/usr/local}

if (($(id -u) != 0)); then
  echo "scripts/setup.sh must run as root: sudo ./scripts/setup.sh" >&2
  exit 1
fi
source "$REPO/scripts/lib/host-setup.sh"
user=${SUDO_USER:-}

echo "==> installing packages"
"$REPO/scripts/install-deps.sh" --build

# Build as the invoking user when the checkout is theirs, so build/ stays theirs too (and
# what an older `sudo` build left there as root becomes theirs again).
as_owner=()
if [[ -n $user && $user != root && $(stat -c %U "$REPO") == "$user" ]]; then
  as_owner=(runuser -u "$user" --)
  give_back "$BUILD" "$user"
fi
echo "==> building (Release) in $BUILD"
"${as_owner[@]}" cmake -S "$REPO" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DROOTLESSKIT_TESTS=OFF
"${as_owner[@]}" cmake --build "$BUILD" -j "$(nproc)"

echo "==> installing to $PREFIX"
cmake --install "$BUILD" --prefix "$PREFIX" --strip
((${#as_owner[@]} == 0)) || give_back "$BUILD" "$user" # install_manifest.txt

echo "==> host configuration"
if [[ -n $user && $user != root ]]; then
  ensure_subids "$user"
else
  echo "not run through sudo by a normal user: no /etc/subuid or /etc/subgid range added" >&2
  echo "(run 'sudo ./scripts/setup.sh' from the account that will use rootlesskit)" >&2
fi
ensure_tun

echo "==> ready: $("$PREFIX/bin/rootlesskit" --version)"
echo "try: rootlesskit --net=slirp4netns --disable-host-loopback --copy-up=/etc --port-driver=builtin -p 127.0.0.1:8080:80/tcp bash"
