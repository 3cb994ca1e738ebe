#!/usr/bin/env bash
# Builds everything and runs every test: README command 2 (`sudo ./scripts/test.sh`), and what
# CI runs through .ci/run. As root it installs packages and prepares the unprivileged test user;
# as the checkout's owner it runs the source checks (formatting, no SPEC citations), builds with
# ccache+Ninja (warnings are errors), runs the unit tests and the packaging tests (as root for
# the .deb), then the unit tests again under ASan+UBSan, those that use threads under TSan, then
# each libFuzzer target briefly; as the test user it runs the integration tests and the
# end-to-end tests (real Docker and containerd on our binaries), against the Release binaries and
# again against the ASan+UBSan ones. Ends with a table of stage times and
# one line `N passed, N failed, N skipped`.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TEST_USER=rktest
JOBS=${JOBS:-$(nproc)}
FUZZ_SECONDS=${FUZZ_SECONDS:-20} # per libFuzzer target (scripts/fuzz.sh runs them longer)
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
source "$REPO/scripts/lib/fuzz.sh"
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

  # One at a time: each `cmake --install`s the build tree (its install_manifest.txt) somewhere.
  stage "packaging tests (install, man, .deb)"
  run_ctest builder "$BUILD_ROOT/test" packaging
  run_ctest root "$BUILD_ROOT/test" deb # dpkg --root into a scratch root needs root
fi

# Everything again with ASan+UBSan: the unit tests here, the integration tests below.
stage "build (ASan+UBSan)"
sanitize_ok=true
build "$BUILD_ROOT/sanitize" -- -DCMAKE_BUILD_TYPE=Debug -DROOTLESSKIT_SANITIZE=ON \
  -DROOTLESSKIT_WERROR=ON || sanitize_ok=false
if $sanitize_ok; then
  stage "unit tests under ASan+UBSan"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    run_ctest builder "$BUILD_ROOT/sanitize" unit -j "$JOBS"
fi

# ThreadSanitizer for the unit tests that drive an event loop from other threads (the loop
# itself, the API server and client, the port drivers, spawning, the VPNKit conversation): an
# embedding program may call the library from threads of its own.
tsan_suites='^(Log|EventLoop|ApiServer|ApiClient|BuiltinPortDriver|SocatDriver|Spawn|Vpnkit[A-Za-z]*)[.]'
stage "build (TSan unit tests)"
if build "$BUILD_ROOT/tsan" unit_tests -- -DCMAKE_BUILD_TYPE=Debug -DROOTLESSKIT_TSAN=ON -DROOTLESSKIT_WERROR=ON; then
  stage "concurrency unit tests under TSan"
  TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:suppressions=$SRC/tests/tsan.supp \
    run_ctest builder "$BUILD_ROOT/tsan" unit -j "$JOBS" -R "$tsan_suites"
fi

# The libFuzzer targets: a clang build of their own (coverage and sanitizers in the whole
# library), then each runs briefly and counts as one test.
stage "fuzz targets: clang build, ${FUZZ_SECONDS}s each"
if build "$BUILD_ROOT/fuzz" fuzz_targets -- "${fuzz_cmake_args[@]}"; then
  run_fuzz_targets "$BUILD_ROOT/fuzz" "$FUZZ_SECONDS"
fi

if $main_ok; then
  stage "integration tests as $TEST_USER"
  lxc_test_net_up "$TEST_USER" # bridge + dnsmasq for --net=lxc-user-nic
  full_fs_up "$TEST_USER"      # a full tmpfs for test-faults-full-fs.sh
  trap 'full_fs_down; lxc_test_net_down; give_back_build_root' EXIT
  run_ctest root "$BUILD_ROOT/test" integration # root: each test switches to $TEST_USER

  # Real clients on our binaries (tests/e2e/, docs/clients.md): rootless Docker, containerd.
  stage "e2e tests (Docker, containerd) as $TEST_USER"
  run_ctest root "$BUILD_ROOT/test" e2e
fi

# The same scripts against the sanitized binaries. Reports go to files (a test may not look at
# the stderr of every process it starts): any file there fails the run.
if $main_ok && $sanitize_ok; then
  stage "integration tests under ASan+UBSan as $TEST_USER"
  reports=$(mktemp -d /tmp/rootlesskit-sanitizer-reports.XXXXXX)
  chmod 1733 "$reports"
  export ASAN_OPTIONS=detect_leaks=1:log_path=$reports/asan
  export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:log_path=$reports/ubsan
  run_ctest root "$BUILD_ROOT/sanitize" integration
  stage "e2e tests under ASan+UBSan as $TEST_USER"
  run_ctest root "$BUILD_ROOT/sanitize" e2e
  unset ASAN_OPTIONS UBSAN_OPTIONS
  count_sanitizer_reports "$reports"
  rm -rf "$reports"
fi

stage ""
print_stage_times
echo "tests: $passed passed, $failed failed, $skipped skipped"
((failed == 0))
