#!/usr/bin/env bash
# Runs clang-tidy-14 with .clang-tidy over every file of the build (library, tools, tests) and
# prints the findings, then a count per check. Not part of scripts/test.sh: about 3 s of CPU per
# file, 7 minutes for the tree, more than the test command's whole time budget (docs/benchmarks.md,
# "Test command"). Exits 1 when there are findings.
# Usage: scripts/tidy.sh [FILE_REGEX]   (e.g. scripts/tidy.sh 'src/subid/')
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if ! command -v clang-tidy-14 >/dev/null; then
  if (($(id -u) == 0)); then
    scripts/install-deps.sh --tidy
  else
    echo "clang-tidy-14 missing: sudo scripts/install-deps.sh --tidy" >&2
    exit 2
  fi
fi

# A configure-only build directory: clang cannot read GCC's precompiled headers, so this one has
# none (ROOTLESSKIT_PCH=OFF); compile_commands.json is all clang-tidy needs from it.
build=build/tidy
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DROOTLESSKIT_PCH=OFF >/dev/null

log=$build/tidy.log
# Our own headers are checked where they are included; each finding is reported once.
rc=0
run-clang-tidy-14 -p "$build" -j "$(nproc)" -quiet \
  -header-filter="^$PWD/(src|include|tools|tests|bench|examples)/" "${1:-}" >"$log" 2>&1 || rc=$?
sed -i 's/\x1b\[[0-9;]*m//g' "$log" # run-clang-tidy colours clang-tidy's output
findings=$(grep -E '^/[^:]+:[0-9]+:[0-9]+: (warning|error): .* \[[a-z0-9.,-]+\]$' "$log" | sort -u || true)
if [[ -z $findings ]]; then
  if ((rc != 0)); then
    tail -20 "$log" >&2
    echo "run-clang-tidy-14 failed (exit $rc): see $log" >&2
    exit 2
  fi
  echo "clang-tidy: no findings"
  exit 0
fi
echo "$findings"
echo
echo "clang-tidy findings per check:"
grep -oE '\[[a-z0-9.,-]+\]$' <<<"$findings" | tr -d '[]' | tr ',' '\n' | sort | uniq -c | sort -rn
exit 1
