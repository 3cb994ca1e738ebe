#!/usr/bin/env bash
# Builds the libFuzzer targets under tests/fuzz with clang (the library too, with coverage,
# ASan and UBSan) and runs each for a while, keeping its corpus under build/fuzz/.
# Not part of the test command. Usage: scripts/fuzz.sh [seconds per target, default 60] [target...]
# A crash leaves crash-* in the current directory: replay it with build/fuzz/tests/fuzz/NAME FILE
# and turn it into a unit test.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
if ! command -v clang++ >/dev/null || ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  apt-get install -y -qq clang libclang-rt-dev >/dev/null
fi
out=build/fuzz
flags="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
cmake -S . -B "$out" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for src in tests/fuzz/*_fuzz.cc; do
    targets+=("$(basename "$src" .cc)")
  done
fi
cmake --build "$out" --target "${targets[@]}"
for name in "${targets[@]}"; do
  mkdir -p "$out/corpus/$name"
  options=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048)
  if [ -f "tests/fuzz/$name.dict" ]; then
    options+=(-dict="tests/fuzz/$name.dict")
  fi
  seeds=()
  if [ -d "tests/fuzz/seeds/$name" ]; then
    seeds=("tests/fuzz/seeds/$name")  # read, never written: new inputs go to the first directory
  fi
  "$out/tests/fuzz/$name" "${options[@]}" "$out/corpus/$name" "${seeds[@]}"
done
