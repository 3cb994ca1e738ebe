#!/usr/bin/env bash
# Fails when a tracked file cites "SPEC §…", a facts sheet that is not in this repository: cite
# docs/compatibility.md (or another docs/*.md) by section, or an upstream source path
# ("upstream pkg/port/portutil/portutil.go"), instead. Prints the offending lines.
# By hand: scripts/check-no-spec-citations.sh [REPO]
set -euo pipefail

repo=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
cd "$repo" || exit 2
self=scripts/check-no-spec-citations.sh
status=0
hits=$(git grep -n -I -F 'SPEC §' -- . ":(exclude)$self") || status=$?
if ((status > 1)); then
  echo "check-no-spec-citations: git grep failed in $repo" >&2
  exit 2
fi
if [[ -n $hits ]]; then
  echo "these lines cite \"SPEC §\", which is not in the repository: point at docs/compatibility.md" \
    "(or another docs/*.md) by section, or at an upstream source path" >&2
  echo "$hits" >&2
  exit 1
fi
