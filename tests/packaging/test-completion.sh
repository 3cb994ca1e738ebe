#!/usr/bin/env bash
# The installed bash completions, run through bash-completion as bash would on <Tab>: rootlesskit
# offers every flag of its --help and exactly the value set each flag's help lists in brackets,
# then hands COMMAND's words to COMMAND's own completion; rootlessctl offers its global flags, its
# commands and each command's flags.
source "$(dirname "$0")/lib.sh"
[[ -r /usr/share/bash-completion/bash_completion ]] || fail "bash-completion missing (scripts/install-deps.sh)"

prefix=$S/prefix
install_to "$prefix"
set +eu # bash-completion's functions are not written for -e -u
# shellcheck source=/dev/null
source /usr/share/bash-completion/bash_completion
for program in rootlesskit rootlessctl; do
  # shellcheck source=/dev/null
  source "$prefix/share/bash-completion/completions/$program"
done
set -eu
compopt() { :; } # it only works while bash itself runs a completion

# comp LINE: what <Tab> at the end of LINE offers, one per line. Splits LINE as bash does for
# COMP_WORDS (at blanks, and "=" and ":" are words of their own; see COMP_WORDBREAKS).
comp() {
  local line=$1 word function
  COMP_WORDS=()
  for word in $line; do
    while [[ $word =~ ^([^=:]*)([=:])(.*)$ ]]; do
      [[ -z ${BASH_REMATCH[1]} ]] || COMP_WORDS+=("${BASH_REMATCH[1]}")
      COMP_WORDS+=("${BASH_REMATCH[2]}")
      word=${BASH_REMATCH[3]}
    done
    [[ -z $word ]] || COMP_WORDS+=("$word")
  done
  [[ $line != *' ' ]] || COMP_WORDS+=("")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) COMP_LINE=$line COMP_POINT=${#line} COMPREPLY=()
  function=$(complete -p "${COMP_WORDS[0]}" | sed -n 's/.* -F \([^ ]*\) .*/\1/p')
  set +eu
  "$function" "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
  set -eu
  ((${#COMPREPLY[@]} == 0)) || printf '%s\n' "${COMPREPLY[@]}"
}

# value_sets: "FLAG VALUE..." for each option line of stdin whose help lists its values in
# brackets ("--net value    network driver [host, none, pasta(experimental)]"), notes dropped.
value_sets() {
  local line names help
  sed -n '/^OPTIONS:$/,$p' | while read -r line; do
    names=${line%%  *} help=${line#"$names"}
    [[ $names == *' value'* && $help =~ \[([^]]*)\] ]] || continue
    echo "${names%% *} $(sed -E 's/\([^)]*\)//g; s/ //g; s/,/ /g' <<<"${BASH_REMATCH[1]}")"
  done
}

rk=$prefix/bin/rootlesskit
ctl=$prefix/bin/rootlessctl
flags=$(help_text "$rk" | help_flags)
assert_same_lines "rootlesskit - offers every flag of --help" "$flags" "$(comp "rootlesskit -")"
assert_same_lines "rootlesskit --debug --p" "$(grep '^--p' <<<"$flags")" "$(comp "rootlesskit --debug --p")"
sets=$(help_text "$rk" | value_sets)
for flag in --net --port-driver --copy-up-mode --propagation --subid-source --reaper; do
  grep -q "^$flag " <<<"$sets" || fail "--help lists no value set for $flag"
done
while read -r flag values; do
  assert_same_lines "rootlesskit $flag <Tab>" "$(tr ' ' '\n' <<<"$values")" "$(comp "rootlesskit --pidns $flag ")"
  assert_same_lines "rootlesskit $flag=<Tab>" "$(tr ' ' '\n' <<<"$values")" "$(comp "rootlesskit $flag=")"
done <<<"$sets"
assert_eq "slirp4netns" "$(comp "rootlesskit --net=sl")" "rootlesskit --net=sl"
assert_eq "" "$(comp "rootlesskit --mtu ")" "a free value (--mtu) offers nothing"

# COMMAND's own completion gets COMMAND's words, however the options before it were written.
_fake_command() { COMPREPLY=("words:${COMP_WORDS[*]} cword:$COMP_CWORD"); }
complete -F _fake_command fake-command
assert_eq "words:fake-command --x = y a cword:4" \
  "$(comp "rootlesskit --net=slirp4netns -p 127.0.0.1:8080:80/tcp --copy-up /etc fake-command --x=y a")" \
  "rootlesskit OPTIONS fake-command ARGS"
# (A here-string, not a pipe: grep -q stops reading at the first match, and under pipefail the
# writer's SIGPIPE would fail the line.)
offered=$(comp "rootlesskit --state-dir /tmp/x ech")
grep -qx echo <<<"$offered" || fail "rootlesskit ... ech<Tab> does not offer echo, but: [$offered]"

global=$(help_text "$ctl" | help_flags)
assert_same_lines "rootlessctl - offers its global flags" "$global" "$(comp "rootlessctl -")"
commands=$(help_text "$ctl" | help_commands)
assert_same_lines "rootlessctl <Tab> offers its commands" "$commands" "$(comp "rootlessctl ")"
assert_same_lines "rootlessctl --socket=/x <Tab>" "$commands" "$(comp "rootlessctl --socket=/x ")"
for command in $commands; do
  [[ $command == help ]] && continue
  assert_same_lines "rootlessctl $command -" "$(help_text "$ctl" "$command" | help_flags)" \
    "$(comp "rootlessctl --socket /x $command -")"
  assert_eq "" "$(comp "rootlessctl $command ")" "rootlessctl $command <Tab>: its arguments are the user's"
done
assert_same_lines "rootlessctl help <Tab>" "$commands" "$(comp "rootlessctl help ")"
echo "ok: $TEST_NAME"
