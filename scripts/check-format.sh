#!/usr/bin/env bash
# Checks that every tracked C/C++ file is formatted as .clang-format says (clang-format-14): lists
# the files that are not and exits 1. Run by scripts/test.sh. `scripts/check-format.sh --fix`
# reformats them in place instead.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
CLANG_FORMAT=${CLANG_FORMAT:-clang-format-14}
command -v "$CLANG_FORMAT" >/dev/null || {
  echo "$CLANG_FORMAT missing: run scripts/install-deps.sh" >&2
  exit 2
}

# Tracked files when this is a git checkout (safe.directory: root may check a user's clone),
# else every source file under the source folders (a copy without .git).
if git -c safe.directory="$PWD" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git -c safe.directory="$PWD" ls-files '*.h' '*.cc' '*.c')
else
  mapfile -t files < <(find bench examples include src tests tools -name '*.h' -o -name '*.cc' -o -name '*.c' | sort)
fi

if [[ ${1:-} == --fix ]]; then
  "$CLANG_FORMAT" -i "${files[@]}"
  exit 0
fi
# One clang-format for all files; each misformatted spot is a "FILE:LINE:COL: error:" line.
mapfile -t bad < <("$CLANG_FORMAT" --dry-run -Werror "${files[@]}" 2>&1 |
  sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: error: .*/\1/p' | sort -u)
if ((${#bad[@]})); then
  printf '%s\n' "${bad[@]}"
  echo "format: ${#bad[@]} of ${#files[@]} files differ from .clang-format" \
    "(see one: $CLANG_FORMAT --dry-run FILE; fix all: scripts/check-format.sh --fix)" >&2
  exit 1
fi
echo "format: ${#files[@]} files match .clang-format"
