#!/usr/bin/env bash
# Fails when a tracked file cites the upstream facts sheet by section (the word SPEC, a space and
# the section sign), a file that is not in this repository: cite
# docs/compatibility.md (or another docs/*.md) by section, or an upstream source path
# ("upstream pkg/port/portutil/portutil.go"), instead. Prints the offending lines.
# By hand: scripts/check-no-spec-citations.sh [REPO]
set -euo pipefail

repo=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
cd "$repo" || exit 2
# Spelled from its parts, so that this file does not cite it itself.
citation="SPEC $(printf '\302\247')"
status=0
hits=$(git grep -n -I -F "$citation" -- .) || status=$?
if ((status > 1)); then
  echo "check-no-spec-citations: git grep failed in $repo" >&2
  exit 2
fi
if [[ -n $hits ]]; then
  echo "these lines cite \"$citation\", which is not in the repository: point at docs/compatibility.md" \
    "(or another docs/*.md) by section, or at an upstream source path" >&2
  echo "$hits" >&2
  exit 1
fi
