#!/usr/bin/env bash
# Fails when the library depends on its command line: a file under src/ outside src/cli/, or a
# public header under include/, that includes "cli/...". Only src/cli/ and tools/ map flags onto
# the library's options. Also fails when a public header includes anything but another public
# header or a system header: an embedder compiles against include/ alone (examples/embed/).
# Run by every build (cmake/Layering.cmake); by hand: scripts/check-layering.sh
set -euo pipefail

repo=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
cd "$repo"
pattern='^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]cli/'
hits=$(grep -rnE "$pattern" --include='*.h' --include='*.cc' src include || true)
hits=$(grep -v '^src/cli/' <<<"$hits" || true)
if [[ -n $hits ]]; then
  echo "the library must not include the CLI (only src/cli/ and tools/ may): move the mapping to src/cli/" >&2
  echo "$hits" >&2
  exit 1
fi
private='^[[:space:]]*#[[:space:]]*include[[:space:]]*"'
hits=$(grep -rnE "$private" --include='*.h' include | grep -vE '#[[:space:]]*include[[:space:]]*"rootlesskit/' || true)
if [[ -n $hits ]]; then
  echo "a public header may include only rootlesskit/... and system headers (embedders do not" \
    "have src/ on their include path): forward-declare the type, or make it public" >&2
  echo "$hits" >&2
  exit 1
fi
