# The libFuzzer targets (tests/fuzz/*_fuzz.cc), sourced by scripts/fuzz.sh and scripts/test.sh:
# how a fuzz build is configured and how one target runs.
# shellcheck shell=bash

# A clang-14 build with libFuzzer's coverage, ASan and UBSan (every UB report aborts) in the
# whole library, -O1 as libFuzzer's documentation suggests, warnings as errors like the test
# command's other builds (the same arguments from both scripts: no reconfigure between them).
# -fno-pch-timestamp: clang stamps each precompiled header with the time it was made, so ccache
# (which hashes the header) missed every file after a clean build (~2 min, not ~8 s, on 2 cores).
# scripts/install-deps.sh installs clang-14 and libclang-rt-14-dev.
fuzz_flags="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
fuzz_flags+=" -Xclang -fno-pch-timestamp"
# shellcheck disable=SC2034 # used by the scripts that source this file
fuzz_cmake_args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14
  -DCMAKE_CXX_FLAGS="$fuzz_flags" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only"
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" -DROOTLESSKIT_WERROR=ON)

# fuzz_target_names SRC: every target's name, one per line.
fuzz_target_names() {
  local src
  for src in "$1"/tests/fuzz/*_fuzz.cc; do
    basename "$src" .cc
  done
}

# fuzz_run SRC BUILD_DIR NAME SECONDS [LIBFUZZER ARGS...]: runs one target for SECONDS and
# returns libFuzzer's exit code (non-zero: a crash, leak, timeout or failed property, with the
# input saved as BUILD_DIR/crashes/NAME-*). New inputs go to BUILD_DIR/corpus/NAME; the seeds in
# tests/fuzz/corpus/NAME are only read. tests/fuzz/NAME.dict is its dictionary and
# tests/fuzz/NAME.options holds extra libFuzzer flags, one per line.
fuzz_run() {
  local src=$1 dir=$2 name=$3 seconds=$4 options=() seeds=()
  shift 4
  mkdir -p "$dir/corpus/$name" "$dir/crashes"
  options=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -print_funcs=0
    -artifact_prefix="$dir/crashes/$name-")
  [[ ! -f $src/tests/fuzz/$name.dict ]] || options+=(-dict="$src/tests/fuzz/$name.dict")
  [[ ! -f $src/tests/fuzz/$name.options ]] || mapfile -t -O ${#options[@]} options <"$src/tests/fuzz/$name.options"
  [[ ! -d $src/tests/fuzz/corpus/$name ]] || seeds=("$src/tests/fuzz/corpus/$name")
  "$dir/tests/fuzz/$name" "${options[@]}" "$@" "$dir/corpus/$name" "${seeds[@]}"
}
