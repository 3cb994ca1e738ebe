#!/usr/bin/env bash
# The installed man pages render without groff warnings, have a NAME that whatis/apropos can
# read, SYNOPSIS, DESCRIPTION and OPTIONS, carry the CMake version, and name every flag each
# program's --help lists (rootlessctl: every command and each command's flags too).
source "$(dirname "$0")/lib.sh"
for tool in man lexgrog; do
  command -v "$tool" >/dev/null || fail "$tool missing: man-db (scripts/install-deps.sh)"
done

prefix=$S/prefix
install_to "$prefix"

# check_page PROGRAM: renders PROGRAM.1 and checks its shape; the rendered text is in $S/PROGRAM.txt.
check_page() {
  local program=$1 page=$prefix/share/man/man1/$1.1.gz
  gzip -t "$page" || fail "$page is not gzip"
  MANWIDTH=200 man --warnings -l "$page" >"$S/$program.txt" 2>"$S/$program.err" || fail "man -l $page failed"
  [[ ! -s $S/$program.err ]] || fail "man -l $page warns: $(cat "$S/$program.err")"
  [[ $(lexgrog "$page") =~ ^"$page: \"$program - ".{10,}\"$ ]] || fail "whatis entry: $(lexgrog "$page")"
  local headings
  headings=$(grep -oE '^(NAME|SYNOPSIS|DESCRIPTION|OPTIONS)$' "$S/$program.txt" | tr '\n' ' ')
  assert_eq "NAME SYNOPSIS DESCRIPTION OPTIONS " "$headings" "sections of $program.1"
  grep -qE "^ +$program \[" "$S/$program.txt" || fail "$program.1: SYNOPSIS does not start with the program's name"
  tail -n 1 "$S/$program.txt" | grep -qE "^$program $PROJECT_VERSION +${program^^}\(1\)$" ||
    fail "$program.1: the footer does not carry version $PROJECT_VERSION: $(tail -n 1 "$S/$program.txt")"
}

# assert_flags_in PROGRAM FLAGS: each flag (one per line) is a word of PROGRAM's rendered page.
assert_flags_in() {
  local flag
  [[ -n $2 ]] || fail "no flags found in the help of $1"
  while read -r flag; do
    grep -qP "(?<![\w-])\Q$flag\E(?![\w-])" "$S/$1.txt" || fail "$1.1 does not mention $flag"
  done <<<"$2"
}

for program in rootlesskit rootlessctl rootlesskit-docker-proxy; do
  check_page "$program"
  assert_flags_in "$program" "$(help_text "$prefix/bin/$program" | help_flags)"
done

commands=$(help_text "$prefix/bin/rootlessctl" | help_commands)
[[ $commands == *list-ports* ]] || fail "no commands in rootlessctl --help: [$commands]"
for command in $commands; do
  grep -qE "^   $command(,|$)" "$S/rootlessctl.txt" || fail "rootlessctl.1 has no COMMANDS entry for $command"
  [[ $command == help ]] && continue
  assert_flags_in rootlessctl "$(help_text "$prefix/bin/rootlessctl" "$command" | help_flags)"
  grep -qF "rootlessctl $command [command options]" "$S/rootlessctl.txt" || fail "rootlessctl.1: no usage of $command"
done
echo "ok: $TEST_NAME"
