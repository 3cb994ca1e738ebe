#!/usr/bin/env bash
# Builds everything and runs every test: README command 2 (`sudo ./scripts/test.sh`), and what
# CI runs through .ci/run. As root it installs packages and prepares the unprivileged test user;
# as the checkout's owner it runs the source checks (formatting, no SPEC citations), builds with
# ccache+Ninja (warnings are errors), runs the unit tests, then the unit tests again under
# ASan+UBSan; as the test user it runs the integration tests. Ends with a table of stage times
# and one line `N passed, N failed, N skipped`.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TEST_USER=rktest
JOBS=${JOBS:-$(nproc)}
COPY_ROOT=/var/tmp/rootlesskit-ci # used when $TEST_USER cannot read the checkout in place

if (($(id -u) != 0)); then
  echo "scripts/test.sh must run as root (it installs packages and creates the test user $TEST_USER):" >&2
  echo "  sudo ./scripts/test.sh" >&2
  exit 1
fi
source "$REPO/scripts/lib/host-setup.sh"
source "$REPO/scripts/lib/lxc-test-net.sh"
source "$REPO/scripts/lib/full-fs.sh"
source "$REPO/scripts/lib/test-steps.sh"
umask 022

# The test user must reach the test scripts and binaries: build in the checkout when every
# directory above it lets others in, else in a copy under $COPY_ROOT (CI may clone under /root).
# In the checkout, everything is built as the checkout's owner, so that a user who ran
# `sudo ./scripts/test.sh` in their own clone can still remove build/ themselves.
choose_source_dir() {
  local owner copy_because=""
  owner=$(stat -c %U "$REPO") # UNKNOWN when the owner's uid has no account here
  if ! runuser -u "$TEST_USER" -- test -r "$REPO/CMakeLists.txt" -a -x "$REPO/tests/integration"; then
    copy_because="$TEST_USER cannot read $REPO"
  elif ! id "$owner" >/dev/null 2>&1; then
    copy_because="the owner of $REPO has no account here"
  fi
  if [[ -z $copy_because ]]; then
    SRC=$REPO
    BUILD_ROOT=$REPO/build
    BUILDER=$owner
  else
    echo "$copy_because: building from a copy in $COPY_ROOT"
    # Same shape as a checkout (build/ inside the tree) so ccache's relative paths match.
    mkdir -p "$COPY_ROOT"
    chmod 0755 "$COPY_ROOT"
    find "$COPY_ROOT" -mindepth 1 -maxdepth 1 ! -name build -exec rm -rf {} +
    # tar keeps mtimes, so Ninja does not rebuild what did not change.
    tar -C "$REPO" --exclude=./build --exclude=./.git -cf - . | tar -C "$COPY_ROOT" -xf -
    SRC=$COPY_ROOT
    BUILD_ROOT=$COPY_ROOT/build
    BUILDER=root
  fi
  if [[ $BUILDER != root ]]; then
    AS_BUILDER=(runuser -u "$BUILDER" --)
  fi
  give_back_build_root # what an older run of this script left there as root
  trap give_back_build_root EXIT
  "${AS_BUILDER[@]}" mkdir -p "$BUILD_ROOT"
  chmod o+rx "$BUILD_ROOT"
  export CCACHE_BASEDIR=$SRC CCACHE_NOHASHDIR=true # cache hits across checkouts in other folders
}

# give_back_build_root: what root made under the owner's build/ becomes the owner's.
give_back_build_root() { give_back "$BUILD_ROOT" "$BUILDER"; }

stage "installing packages"
"$REPO/scripts/install-deps.sh"

stage "preparing the test user $TEST_USER"
ensure_user "$TEST_USER"
ensure_subids "$TEST_USER"
ensure_tun
choose_source_dir
echo "building in $BUILD_ROOT as $BUILDER"

# Each check counts as one test. They read the checkout itself (git ls-files/grep), which may
# belong to another user than the one running them: safe.directory lets git read it.
stage "checks: formatting, no SPEC citations"
for check in check-format.sh check-no-spec-citations.sh; do
  if "${AS_BUILDER[@]}" env GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=safe.directory GIT_CONFIG_VALUE_0="$REPO" \
    "$REPO/scripts/$check"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
done

stage "build (Release)"
main_ok=true
build "$BUILD_ROOT/test" -- -DCMAKE_BUILD_TYPE=Release -DROOTLESSKIT_WERROR=ON || main_ok=false

if $main_ok; then
  stage "unit tests"
  run_ctest builder "$BUILD_ROOT/test" unit -j "$JOBS"
fi

# Only the unit tests (and the library they link) are built with the sanitizers.
stage "build (ASan+UBSan unit tests)"
if build "$BUILD_ROOT/sanitize" unit_tests -- -DCMAKE_BUILD_TYPE=Debug -DROOTLESSKIT_SANITIZE=ON \
  -DROOTLESSKIT_WERROR=ON; then
  stage "unit tests under ASan+UBSan"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    run_ctest builder "$BUILD_ROOT/sanitize" unit -j "$JOBS"
fi

if $main_ok; then
  stage "integration tests as $TEST_USER"
  lxc_test_net_up "$TEST_USER" # bridge + dnsmasq for --net=lxc-user-nic
  full_fs_up "$TEST_USER"      # a full tmpfs for test-faults-full-fs.sh
  trap 'full_fs_down; lxc_test_net_down; give_back_build_root' EXIT
  run_ctest root "$BUILD_ROOT/test" integration # root: each test switches to $TEST_USER
fi

stage ""
print_stage_times
echo "tests: $passed passed, $failed failed, $skipped skipped"
((failed == 0))
