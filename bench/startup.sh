#!/usr/bin/env bash
# Start-up benchmark: `rootlesskit [FLAGS] true` of ours against Debian's /usr/bin/rootlesskit
# (hyperfine, median of 50 runs; host network, then slirp4netns with copy-up) and, for plain
# `true`, against the physical limit bench/startup_limit (built beside ours); plus peak RSS (VmHWM)
# of the parent and the child while `sleep` runs inside. Prints the figures and rewrites the
# results section of docs/benchmarks.md.
# Usage: bench/startup.sh [OUR_ROOTLESSKIT]   (as root it measures as the test user rktest)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REF=/usr/bin/rootlesskit
OURS=${1:-}
if [[ -z $OURS ]]; then
  for candidate in "$REPO/build/bin/rootlesskit" "$REPO/build/test/bin/rootlesskit" \
    /var/tmp/rootlesskit-ci/build/test/bin/rootlesskit; do
    [[ -x $candidate ]] && OURS=$candidate && break
  done
fi
[[ -x ${OURS:-} ]] || { echo "no rootlesskit build found: pass its path as the argument" >&2; exit 1; }
OURS=$(readlink -f "$OURS")
LIMIT=$(dirname "$(dirname "$OURS")")/bench/startup_limit # build/X/bin/rootlesskit -> build/X/bench/
[[ -x $LIMIT ]] || { echo "$LIMIT missing: build the bench/ targets of $OURS's build" >&2; exit 1; }
for tool in hyperfine jq "$REF"; do
  command -v "$tool" >/dev/null || { echo "$tool missing: run scripts/install-deps.sh" >&2; exit 1; }
done

# rootlesskit refuses to be useful as root (no subuid range for root): measure as rktest.
as_user=()
work=$(mktemp -d /tmp/rootlesskit-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
if (($(id -u) == 0)); then
  id rktest >/dev/null 2>&1 || { echo "test user rktest missing: run scripts/test.sh once" >&2; exit 1; }
  as_user=(runuser -u rktest --)
  chown rktest: "$work"
fi
cd "$work"
load=$(cut -d' ' -f1-3 /proc/loadavg) # other work on the machine skews every figure

# Each scenario: the flags given to both implementations before `true`.
scenarios=("" "--net=slirp4netns --copy-up=/etc" "--net=slirp4netns --copy-up=/etc --pidns")
ms() { awk -v s="$1" 'BEGIN { printf "%.2f", s * 1000 }'; }
rows=""
median() { jq -r --arg n "$1" '.results[] | select(.command == $n) | .median' "$work/startup.json"; }
for flags in "${scenarios[@]}"; do
  echo "==> hyperfine: rootlesskit $flags true: $OURS vs $REF"
  limit=()
  [[ -n $flags ]] || limit=(-n limit "$LIMIT true")
  # shellcheck disable=SC2086 # the flags are split on purpose
  "${as_user[@]}" hyperfine -N --warmup 5 --runs 50 --export-json "$work/startup.json" \
    -n ours "$OURS $flags true" -n debian-1.1 "$REF $flags true" "${limit[@]}"
  ours_ms=$(ms "$(median ours)")
  ref_ms=$(ms "$(median debian-1.1)")
  ratio=$(awk -v a="$ours_ms" -v b="$ref_ms" 'BEGIN { printf "%.2f", a / b }')
  rows+="| \`rootlesskit ${flags:+$flags }true\` median | ${ours_ms} ms | ${ref_ms} ms | ${ratio} |"$'\n'
  if [[ -z $flags ]]; then
    limit_ms=$(ms "$(median limit)")
    limit_ratio=$(awk -v a="$ours_ms" -v b="$limit_ms" 'BEGIN { printf "%.2f", a / b }')
  fi
done

# peak_rss BINARY: prints "parent_kB child_kB" — VmHWM of both rootlesskit processes, read
# while `sleep` runs inside (after start-up), then stops the instance.
peak_rss() {
  local state=$work/state-$RANDOM pid pid_parent child parent_kb child_kb
  "${as_user[@]}" "$1" --state-dir="$state" sleep 60 >/dev/null 2>&1 &
  pid=$!
  local deadline=$((SECONDS + 20))
  until [[ -S $state/api.sock ]]; do
    ((SECONDS < deadline)) || { echo "$1 did not start" >&2; kill "$pid"; return 1; }
    sleep 0.02
  done
  child=$(<"$state/child_pid")
  if ((${#as_user[@]})); then # runuser forks: the rootlesskit parent is the child's parent
    pid_parent=$(ps -o ppid= -p "$child" | tr -d ' ')
  else
    pid_parent=$pid
  fi
  parent_kb=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid_parent/status")
  child_kb=$(awk '/^VmHWM:/ { print $2 }' "/proc/$child/status")
  kill -TERM "$pid_parent"
  wait "$pid" 2>/dev/null || true
  echo "$parent_kb $child_kb"
}
echo "==> peak RSS (VmHWM) while 'sleep' runs inside"
read -r ours_parent ours_child < <(peak_rss "$OURS")
read -r ref_parent ref_child < <(peak_rss "$REF")

summary=$(
  cat <<EOF
Measured $(date -u +%Y-%m-%d) on $(nproc) cores, kernel $(uname -r), as an unprivileged user (load average before: ${load}).
\`bench/startup.sh\`: hyperfine -N --warmup 5 --runs 50, both implementations in the same run; peak RSS = VmHWM while \`sleep\` runs inside (host network).

| | ours ($("$OURS" --version 2>/dev/null | awk '{ print $NF }')) | Debian rootlesskit $("$REF" --version | awk '{ print $NF }') | ours / Debian |
|---|---|---|---|
${rows}| parent peak RSS | ${ours_parent} kB | ${ref_parent} kB | $(awk -v a="$ours_parent" -v b="$ref_parent" 'BEGIN { printf "%.2f", a / b }') |
| child peak RSS | ${ours_child} kB | ${ref_child} kB | $(awk -v a="$ours_child" -v b="$ref_child" 'BEGIN { printf "%.2f", a / b }') |

Physical limit (\`bench/startup_limit true\`: clone into a user+mount namespace, newuidmap and newgidmap, exec; nothing else): ${limit_ms} ms median. \`rootlesskit true\` / limit: ${limit_ratio}.
EOF
)
echo
echo "$summary"

source "$REPO/bench/lib.sh"
update_results startup.sh "Start-up time and memory" "$summary"
