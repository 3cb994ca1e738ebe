#!/usr/bin/env bash
# `cmake --install --prefix DIR` lays out bin/, share/man/man1, share/bash-completion/completions
# and share/doc/rootlesskit with nothing else, with the usual modes and no build-tree RUNPATH,
# and the installed programs report the version CMake builds (project() in CMakeLists.txt).
source "$(dirname "$0")/lib.sh"

prefix=$S/prefix
install_to "$prefix"
assert_same_lines "installed files" "$(installed_files "")" "$(cd "$prefix" && find . ! -type d | sed 's|^\./||')"
for f in $INSTALLED_FILES; do
  mode=$(stat -c %a "$prefix/$f")
  if [[ $f == bin/* ]]; then
    assert_eq 755 "$mode" "mode of $f"
    ! readelf -d "$prefix/$f" | grep -q 'R\(UN\)\?PATH' || fail "$f has an RPATH/RUNPATH"
  else
    assert_eq 644 "$mode" "mode of $f"
  fi
done

# The version each program reports is CMake's PROJECT_VERSION (passed in by CTest).
assert_eq "rootlesskit version $PROJECT_VERSION" "$("$prefix/bin/rootlesskit" --version)" "rootlesskit --version"
assert_eq "rootlessctl version $PROJECT_VERSION" "$("$prefix/bin/rootlessctl" --version)" "rootlessctl --version"
# shellcheck disable=SC2034 # read as ${!part}
IFS=. read -r major minor patch <<<"$PROJECT_VERSION"
for part in major minor patch; do
  assert_eq "${!part}" "$("$prefix/bin/rootlesskit" --print-semver="$part")" "rootlesskit --print-semver=$part"
done
# rootlesskit-docker-proxy has no --version (upstream's has none either): -h is its whole interface.
"$prefix/bin/rootlesskit-docker-proxy" -h 2>&1 | grep -q '^  -container-port int$' ||
  fail "rootlesskit-docker-proxy -h does not list -container-port"
echo "ok: $TEST_NAME"
