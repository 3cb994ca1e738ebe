# Shared by the packaging tests (sourced): a scratch directory removed on exit, assertions, the
# file list `cmake --install` must produce, and the flags a program's --help lists.
# CTest passes BUILD_DIR (a configured and built tree) and PROJECT_VERSION (project() in
# CMakeLists.txt); by hand: BUILD_DIR=build/dev PROJECT_VERSION=3.0.1 tests/packaging/test-man.sh
# shellcheck shell=bash
set -euo pipefail

TEST_NAME=$(basename "$0" .sh)
: "${BUILD_DIR:?set BUILD_DIR to a built tree (CTest does)}"
: "${PROJECT_VERSION:?set PROJECT_VERSION to the version in CMakeLists.txt (CTest does)}"
BUILD_DIR=$(cd "$BUILD_DIR" && pwd)
export LC_ALL=C.UTF-8
S=$(mktemp -d "${TMPDIR:-/tmp}/rootlesskit-$TEST_NAME.XXXXXX")
trap 'rm -rf "$S"' EXIT

fail() {
  echo "FAIL: $TEST_NAME: $*" >&2
  exit 1
}

skip() {
  echo "SKIP: $TEST_NAME: $*" >&2
  exit 77
}

assert_eq() {
  [[ $1 == "$2" ]] || fail "$3: expected [$1], got [$2]"
}

# assert_same_lines WHAT EXPECTED ACTUAL: the two newline-separated lists hold the same lines.
assert_same_lines() {
  local diff
  diff=$(diff <(sort -u <<<"$2") <(sort -u <<<"$3")) || fail "$1 (< expected, > actual):"$'\n'"$diff"
}

# install_to PREFIX: `cmake --install` of the build tree (what scripts/setup.sh runs).
install_to() {
  cmake --install "$BUILD_DIR" --prefix "$1" >"$S/install.log" 2>&1 || {
    cat "$S/install.log" >&2
    fail "cmake --install --prefix $1 failed"
  }
}

# The files under the prefix, and nothing else (no test or bench program, no header).
INSTALLED_FILES="bin/rootlesskit
bin/rootlessctl
bin/rootlesskit-docker-proxy
share/man/man1/rootlesskit.1.gz
share/man/man1/rootlessctl.1.gz
share/man/man1/rootlesskit-docker-proxy.1.gz
share/bash-completion/completions/rootlesskit
share/bash-completion/completions/rootlessctl
share/doc/rootlesskit/copyright"

# installed_files [PREFIX]: INSTALLED_FILES, each line prefixed with PREFIX ("/usr/").
installed_files() {
  local f
  for f in $INSTALLED_FILES; do
    echo "$1$f"
  done
}

# help_text PROGRAM [COMMAND]: the help of an installed program (Go's flag package, which
# rootlesskit-docker-proxy follows, prints it on stderr).
help_text() {
  "$@" --help 2>&1
}

# help_flags: the flags stdin's help text defines, one per line: the names before the help on
# each OPTIONS line ("--publish value, -p value [ ... ]  publish ports"), or Go's "  -host-ip string".
help_flags() {
  sed -n '/^\(GLOBAL \)\?OPTIONS:$/,$p; /^Usage of /,$p' | sed -E 's/^ +//; s/  .*//' |
    grep -oP '(?<![\w-])--?[a-zA-Z][\w-]*' | sort -u
}

# help_commands: the commands in stdin's COMMANDS: section (first name of each).
help_commands() {
  sed -n '/^COMMANDS:$/,/^$/{/^   /s/^   \([^ ,]*\).*/\1/p}'
}
