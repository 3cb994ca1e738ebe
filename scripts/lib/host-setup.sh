# Host preparation shared by scripts/setup.sh and scripts/test.sh (sourced, run as root):
# subordinate uid/gid ranges for a user and a usable /dev/net/tun. Every function is idempotent.
# shellcheck shell=bash

# Prints the first id >= 100000 above every range in /etc/subuid and /etc/subgid, so a new
# range never overlaps another user's (newuidmap refuses overlaps: docs/subid.md).
free_subid_start() {
  local end
  end=$(cat /etc/subuid /etc/subgid 2>/dev/null |
    awk -F: 'NF == 3 && $2 ~ /^[0-9]+$/ && $3 ~ /^[0-9]+$/ { e = $2 + $3; if (e > m) m = e }
             END { print m + 0 }')
  echo $((end < 100000 ? 100000 : end))
}

# ensure_subids USER: gives USER one 65536-id range in /etc/subuid and /etc/subgid unless the
# user (by name or uid) already has one there. Debian's useradd usually adds one itself.
ensure_subids() {
  local user=$1 uid file start
  uid=$(id -u "$user")
  start=$(free_subid_start) # once, so a new user gets the same range in both files
  for file in /etc/subuid /etc/subgid; do
    touch "$file"
    if awk -F: -v n="$user" -v u="$uid" '$1 == n || $1 == u { found = 1 } END { exit !found }' "$file"; then
      continue
    fi
    echo "$user:$start:65536" >>"$file"
    echo "added $user:$start:65536 to $file"
  done
}

# ensure_tun: /dev/net/tun exists with mode 0666 (slirp4netns and pasta open it as the user).
# Inside containers modprobe may be impossible; the node can still be created by hand.
ensure_tun() {
  if [[ ! -c /dev/net/tun ]]; then
    modprobe tun 2>/dev/null || true
  fi
  if [[ ! -c /dev/net/tun ]]; then
    mkdir -p /dev/net
    mknod -m 0666 /dev/net/tun c 10 200
  fi
  chmod 0666 /dev/net/tun
}

# ensure_user NAME: a normal user with a home directory and bash as its shell.
ensure_user() {
  local user=$1
  if ! id "$user" >/dev/null 2>&1; then
    useradd --create-home --shell /bin/bash "$user"
    echo "created user $user"
  fi
}

# give_back DIR USER: files under DIR that root made (an older `sudo` build, ctest logs, cmake's
# install manifest) become USER's again, so that USER can remove DIR. Nothing to do for root.
give_back() {
  local dir=$1 user=$2
  if [[ $user != root && -d $dir ]]; then
    find "$dir" -user root -exec chown -h "$user:$(id -gn "$user")" {} +
  fi
}
