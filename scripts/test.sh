#!/usr/bin/env bash
# Builds everything and runs every test: README command 2 (`sudo ./scripts/test.sh`), and what
# CI runs through .ci/run. As root it installs packages, prepares the unprivileged test user,
# builds with ccache+Ninja, runs the unit tests, the unit tests again under ASan+UBSan, then the
# integration tests as the test user. Ends with one line `N passed, N failed, N skipped`.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TEST_USER=rktest
JOBS=${JOBS:-2}
COPY_ROOT=/var/tmp/rootlesskit-ci # used when $TEST_USER cannot read the checkout in place

if (($(id -u) != 0)); then
  echo "scripts/test.sh must run as root (it installs packages and creates the test user $TEST_USER):" >&2
  echo "  sudo ./scripts/test.sh" >&2
  exit 1
fi
source "$REPO/scripts/lib/host-setup.sh"
source "$REPO/scripts/lib/lxc-test-net.sh"
umask 022
start=$SECONDS
passed=0 failed=0 skipped=0

step() { printf '\n==> %s (%ds)\n' "$*" $((SECONDS - start)); }

# junit_attr NAME ATTRS: the numeric attribute NAME of a <testsuite ...> tag.
junit_attr() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$2"; }

# count_junit FILE: adds the results of one ctest --output-junit report to the totals.
count_junit() {
  local attrs tests failures skips disabled
  attrs=$(sed -n '/<testsuite/,/>/p' "$1" | tr '\n\t' '  ' | sed 's/>.*//')
  tests=$(junit_attr tests "$attrs") failures=$(junit_attr failures "$attrs")
  skips=$(junit_attr skipped "$attrs") disabled=$(junit_attr disabled "$attrs")
  failed=$((failed + ${failures:-0}))
  skipped=$((skipped + ${skips:-0} + ${disabled:-0}))
  passed=$((passed + ${tests:-0} - ${failures:-0} - ${skips:-0} - ${disabled:-0}))
}

# run_ctest BUILD_DIR LABEL [CTEST ARGS...]: runs one label's tests and counts them; a run that
# produced no report (ctest itself broke) counts as one failure.
run_ctest() {
  local dir=$1 label=$2 report
  shift 2
  report=$dir/ctest-$label.xml
  rm -f "$report"
  ctest --test-dir "$dir" -L "$label" --output-on-failure --no-tests=error \
    --output-junit "$report" "$@" || true
  if [[ -s $report ]]; then
    count_junit "$report"
  else
    echo "ctest -L $label in $dir produced no report" >&2
    failed=$((failed + 1))
  fi
}

# build BUILD_DIR TARGET... -- CMAKE ARGS...: configures and builds; a failure counts as one.
build() {
  local dir=$1 targets=()
  shift
  while [[ $1 != -- ]]; do
    targets+=(--target "$1")
    shift
  done
  shift
  if cmake -S "$SRC" -B "$dir" -G Ninja "$@" >"$dir.configure.log" 2>&1 ||
    { cat "$dir.configure.log"; false; }; then
    if cmake --build "$dir" -j "$JOBS" "${targets[@]}"; then
      return 0
    fi
  else
    echo "cmake configure failed in $dir" >&2
  fi
  failed=$((failed + 1))
  return 1
}

# The test user must reach the test scripts and binaries: build in the checkout when every
# directory above it lets others in, else in a copy under $COPY_ROOT (CI may clone under /root).
choose_source_dir() {
  if runuser -u "$TEST_USER" -- test -r "$REPO/CMakeLists.txt" -a -x "$REPO/tests/integration"; then
    SRC=$REPO
    BUILD_ROOT=$REPO/build
  else
    echo "$TEST_USER cannot read $REPO: building from a copy in $COPY_ROOT"
    # Same shape as a checkout (build/ inside the tree) so ccache's relative paths match.
    mkdir -p "$COPY_ROOT"
    chmod 0755 "$COPY_ROOT"
    find "$COPY_ROOT" -mindepth 1 -maxdepth 1 ! -name build -exec rm -rf {} +
    # tar keeps mtimes, so Ninja does not rebuild what did not change.
    tar -C "$REPO" --exclude=./build --exclude=./.git -cf - . | tar -C "$COPY_ROOT" -xf -
    SRC=$COPY_ROOT
    BUILD_ROOT=$COPY_ROOT/build
  fi
  mkdir -p "$BUILD_ROOT"
  chmod o+rx "$BUILD_ROOT"
  export CCACHE_BASEDIR=$SRC CCACHE_NOHASHDIR=true # cache hits across checkouts in other folders
}

step "installing packages"
"$REPO/scripts/install-deps.sh"

step "preparing the test user $TEST_USER"
ensure_user "$TEST_USER"
ensure_subids "$TEST_USER"
ensure_tun
choose_source_dir

step "building (Release) in $BUILD_ROOT/test"
main_ok=true
mkdir -p "$BUILD_ROOT/test"
build "$BUILD_ROOT/test" -- -DCMAKE_BUILD_TYPE=Release || main_ok=false

if $main_ok; then
  step "unit tests"
  run_ctest "$BUILD_ROOT/test" unit -j "$JOBS"
fi

step "unit tests under ASan+UBSan in $BUILD_ROOT/sanitize"
mkdir -p "$BUILD_ROOT/sanitize"
if build "$BUILD_ROOT/sanitize" unit_tests -- -DCMAKE_BUILD_TYPE=Debug -DROOTLESSKIT_SANITIZE=ON; then
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    run_ctest "$BUILD_ROOT/sanitize" unit -j "$JOBS"
fi

if $main_ok; then
  step "integration tests as $TEST_USER"
  lxc_test_net_up "$TEST_USER" # bridge + dnsmasq for --net=lxc-user-nic
  trap lxc_test_net_down EXIT
  run_ctest "$BUILD_ROOT/test" integration
fi

step "done"
echo "tests: $passed passed, $failed failed, $skipped skipped"
((failed == 0))
