#!/usr/bin/env bash
# Builds the libFuzzer targets under tests/fuzz with clang-14 (the library too, with coverage,
# ASan and UBSan) into build/fuzz and runs each for a while, one after the other, keeping what
# they learn in build/fuzz/corpus/. The test command runs them briefly; this is for longer runs.
# A crash stops that target and leaves its input in build/fuzz/crashes/: replay it with
# build/fuzz/tests/fuzz/NAME FILE and turn it into a unit test (docs/fuzzing.md).
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$REPO/scripts/lib/fuzz.sh"
cd "$REPO"

usage() {
  echo "usage: scripts/fuzz.sh [SECONDS] [TARGET...]"
  echo "Runs each TARGET (default: all) for SECONDS (default 60). Targets:"
  fuzz_target_names "$REPO" | sed 's/^/  /'
}

seconds=60
if [[ ${1:-} =~ ^[0-9]+$ ]]; then
  seconds=$1
  shift
fi
targets=("$@")
((${#targets[@]})) || mapfile -t targets < <(fuzz_target_names "$REPO")
for name in "${targets[@]}"; do
  if [[ $name == -h || $name == --help ]]; then
    usage
    exit 0
  fi
  if [[ ! -f tests/fuzz/$name.cc ]]; then
    echo "unknown target: $name" >&2
    usage >&2
    exit 2
  fi
done

if ! command -v clang++-14 >/dev/null ||
  ! compgen -G "/usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a" >/dev/null; then
  echo "clang-14 and libclang-rt-14-dev are missing: run sudo scripts/install-deps.sh" >&2
  exit 2
fi
out=build/fuzz
export CCACHE_BASEDIR=$REPO CCACHE_NOHASHDIR=true
cmake -S . -B "$out" -G Ninja "${fuzz_cmake_args[@]}" >/dev/null
cmake --build "$out" --target "${targets[@]}"
failed=()
for name in "${targets[@]}"; do
  echo "==> $name (${seconds}s)"
  fuzz_run "$REPO" "$out" "$name" "$seconds" || failed+=("$name")
done
if ((${#failed[@]})); then
  echo "failed: ${failed[*]} (inputs in $out/crashes/)" >&2
  exit 1
fi
