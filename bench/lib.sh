# Shared by the bench/ scripts (sourced).
# shellcheck shell=bash

# update_results SCRIPT HEADING BODY: replaces the results section of SCRIPT (between its
# markers) in docs/benchmarks.md with BODY, appending the section under HEADING if missing.
update_results() {
  local script=$1 heading=$2 body=$3 repo doc begin end
  repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  doc=$repo/docs/benchmarks.md
  begin="<!-- bench/$script results: begin -->"
  end="<!-- bench/$script results: end -->"
  [[ -f $doc ]] || printf '# Benchmarks\n\nFigures are written by the scripts in bench/; rerun them to update.\n' >"$doc"
  if ! grep -qF "$begin" "$doc"; then
    printf '\n## %s\n\n%s\n%s\n' "$heading" "$begin" "$end" >>"$doc"
  fi
  BODY=$body awk -v b="$begin" -v e="$end" '
    $0 == b { print; print ENVIRON["BODY"]; skip = 1; next }
    $0 == e { skip = 0 }
    !skip { print }' "$doc" >"$doc.tmp" && mv "$doc.tmp" "$doc"
  echo "updated $doc"
}
