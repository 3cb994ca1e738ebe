#!/usr/bin/env bash
# Builds and runs the libFuzzer targets under tests/fuzz with clang (ASan+UBSan).
# Not part of the test command. Usage: scripts/fuzz.sh [seconds per target, default 60]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
command -v clang++ >/dev/null || apt-get install -y -qq clang >/dev/null
out=build-fuzz
mkdir -p "$out"
for target in tests/fuzz/*_fuzz.cc; do
  name=$(basename "$target" .cc)
  sources=()
  case $name in
    request_parser_fuzz) sources=(src/api/http/request_parser.cc) ;;
  esac
  clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -Isrc -Iinclude \
    "$target" "${sources[@]}" -o "$out/$name"
  mkdir -p "$out/$name.corpus"
  "$out/$name" -max_total_time="$seconds" "$out/$name.corpus"
done
