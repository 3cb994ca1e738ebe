#!/usr/bin/env bash
# Root-side fixture for tests/integration/test-faults-full-fs.sh: a tiny tmpfs owned by the test
# user, already full, where a state directory cannot be written. Sourced by scripts/test.sh, or
# run directly as root: `scripts/lib/full-fs.sh up USER|down`.
# shellcheck shell=bash
#
# What it makes: a tmpfs of one page (size=4k, the smallest tmpfs accepts) and 16 inodes at
# FULL_FS_DIR, its root directory owned by USER (mode 0755), holding one root-owned file, `fill`,
# that takes the page. No data fits any more (every write fails with ENOSPC), while empty files,
# directories and sockets still do (they take an inode, no page): rootlesskit gets as far as
# making the state directory and its lock, and fails at the first file with content. The test
# can take the remaining inodes itself to make even mkdir fail. Nothing outside the mount is
# touched.

FULL_FS_DIR=/run/rootlesskit-test-fullfs

# full_fs_up USER: (re)creates the fixture for USER (idempotent: an existing one is replaced).
full_fs_up() {
  local user=$1
  full_fs_down
  mkdir -p "$FULL_FS_DIR"
  mount -t tmpfs -o "size=4k,nr_inodes=16,mode=0755,uid=$(id -u "$user"),gid=$(id -g "$user")" \
    rootlesskit-test-fullfs "$FULL_FS_DIR"
  # dd stops at ENOSPC with an error: expected, the page is full then.
  dd if=/dev/zero of="$FULL_FS_DIR/fill" bs=4k count=2 2>/dev/null || true
  chmod 0444 "$FULL_FS_DIR/fill"
  if echo x 2>/dev/null >"$FULL_FS_DIR/probe"; then
    rm -f "$FULL_FS_DIR/probe"
    echo "full-fs fixture: $FULL_FS_DIR is not full after filling it" >&2
    return 1
  fi
  rm -f "$FULL_FS_DIR/probe"
  echo "full filesystem for $user: $FULL_FS_DIR ($(df -h --output=size "$FULL_FS_DIR" | tail -1 | tr -d ' '), no space left)"
}

# full_fs_down: unmounts the fixture (whatever the test left in it goes with it).
full_fs_down() {
  if mountpoint -q "$FULL_FS_DIR"; then
    umount "$FULL_FS_DIR"
  fi
  if [[ -d $FULL_FS_DIR ]]; then
    rmdir "$FULL_FS_DIR"
  fi
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -euo pipefail
  case ${1:-} in
  up) full_fs_up "${2:?usage: $0 up USER}" ;;
  down) full_fs_down ;;
  *)
    echo "usage: $0 up USER | down" >&2
    exit 2
    ;;
  esac
fi
