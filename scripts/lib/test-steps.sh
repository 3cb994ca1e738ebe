# The steps scripts/test.sh is made of (sourced): timed stages, builds and ctest runs that add
# to the pass/fail/skip totals. Builds and unit tests run as "${AS_BUILDER[@]}" (empty: as root).
# shellcheck shell=bash

passed=0 failed=0 skipped=0
AS_BUILDER=()
stage_names=() stage_seconds=()
stage_name="" stage_began=0
run_began=$EPOCHREALTIME

# elapsed SINCE: seconds from the $EPOCHREALTIME value SINCE to now, one decimal.
elapsed() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

# stage NAME: ends the running stage (its time goes to the table) and starts NAME ("" = none).
stage() {
  if [[ -n $stage_name ]]; then
    stage_names+=("$stage_name")
    stage_seconds+=("$(elapsed "$stage_began")")
  fi
  stage_name=$1 stage_began=$EPOCHREALTIME
  [[ -z $1 ]] || printf '\n==> %s (%ss)\n' "$1" "$(elapsed "$run_began")"
}

# print_stage_times: the table of stage times, then the total.
print_stage_times() {
  local i
  echo
  printf '%-40s %8s\n' "stage" "seconds"
  for i in "${!stage_names[@]}"; do
    printf '%-40s %8s\n' "${stage_names[$i]}" "${stage_seconds[$i]}"
  done
  printf '%-40s %8s\n' "total" "$(elapsed "$run_began")"
}

# junit_attr NAME ATTRS: the numeric attribute NAME of a <testsuite ...> tag.
junit_attr() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$2"; }

# count_junit FILE: adds the results of one ctest --output-junit report to the totals.
count_junit() {
  local attrs tests failures skips disabled
  attrs=$(sed -n '/<testsuite/,/>/p' "$1" | tr '\n\t' '  ' | sed 's/>.*//')
  tests=$(junit_attr tests "$attrs") failures=$(junit_attr failures "$attrs")
  skips=$(junit_attr skipped "$attrs") disabled=$(junit_attr disabled "$attrs")
  failed=$((failed + ${failures:-0}))
  skipped=$((skipped + ${skips:-0} + ${disabled:-0}))
  passed=$((passed + ${tests:-0} - ${failures:-0} - ${skips:-0} - ${disabled:-0}))
}

# run_ctest AS BUILD_DIR LABEL [CTEST ARGS...]: runs one label's tests, as the builder (AS=builder)
# or as root (AS=root), and counts them; a run that produced no report (ctest itself broke)
# counts as one failure.
run_ctest() {
  local as=() dir=$2 label=$3 report
  [[ $1 == builder ]] && as=("${AS_BUILDER[@]}")
  shift 3
  report=$dir/ctest-$label.xml
  rm -f "$report"
  "${as[@]}" ctest --test-dir "$dir" -L "$label" --output-on-failure --no-tests=error \
    --output-junit "$report" "$@" || true
  if [[ -s $report ]]; then
    count_junit "$report"
  else
    echo "ctest -L $label in $dir produced no report" >&2
    failed=$((failed + 1))
  fi
}

# build BUILD_DIR TARGET... -- CMAKE ARGS...: configures and builds (no TARGET: all) as the
# builder; a failure counts as one.
build() {
  local dir=$1 targets=() output
  shift
  while [[ $1 != -- ]]; do
    targets+=(--target "$1")
    shift
  done
  shift
  if ! output=$("${AS_BUILDER[@]}" cmake -S "$SRC" -B "$dir" -G Ninja "$@" 2>&1); then
    echo "$output"
    echo "cmake configure failed in $dir" >&2
  elif "${AS_BUILDER[@]}" cmake --build "$dir" -j "$JOBS" "${targets[@]}"; then
    return 0
  fi
  failed=$((failed + 1))
  return 1
}

# run_fuzz_targets BUILD_DIR SECONDS: runs every libFuzzer target of BUILD_DIR for SECONDS,
# $JOBS at a time, as the builder; each target counts as one test, failed on a crash, leak,
# timeout or broken property (libFuzzer's exit code). A failure prints the end of its log.
run_fuzz_targets() {
  local dir=$1 seconds=$2 name names=()
  local -A running=() # pid -> target
  "${AS_BUILDER[@]}" mkdir -p "$dir/logs"
  mapfile -t names < <(fuzz_target_names "$SRC")
  for name in "${names[@]}"; do
    while ((${#running[@]} >= JOBS)); do
      fuzz_reap_one "$dir"
    done
    # shellcheck disable=SC2016 # expanded by the inner bash, from its arguments
    "${AS_BUILDER[@]}" bash -c 'source "$1/scripts/lib/fuzz.sh" && fuzz_run "$@" >"$2/logs/$3.log" 2>&1' \
      _ "$SRC" "$dir" "$name" "$seconds" </dev/null &
    running[$!]=$name
  done
  while ((${#running[@]})); do
    fuzz_reap_one "$dir"
  done
}

# fuzz_reap_one BUILD_DIR: waits for one target of run_fuzz_targets' `running` and counts it.
fuzz_reap_one() {
  local pid name log rc=0
  wait -n -p pid "${!running[@]}" || rc=$?
  name=${running[$pid]}
  unset "running[$pid]"
  log=$1/logs/$name.log
  if ((rc == 0)); then
    passed=$((passed + 1))
    echo "$name: $(sed -n 's/^stat::number_of_executed_units: *//p' "$log") runs" \
      "($(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")/s), no crash"
  else
    failed=$((failed + 1))
    tail -n 40 "$log"
    echo "$name: FAILED (exit code $rc; log $log, input in $1/crashes/)" >&2
  fi
}

# count_sanitizer_reports DIR: each ASan/UBSan report file in DIR (log_path=DIR/...) is printed
# and counts as one failure.
count_sanitizer_reports() {
  local report
  for report in "$1"/*; do
    [[ -e $report ]] || continue
    echo "sanitizer report $report:" >&2
    cat "$report" >&2
    failed=$((failed + 1))
  done
}
