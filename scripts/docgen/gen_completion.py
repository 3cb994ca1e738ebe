#!/usr/bin/env python3
# Writes a program's bash completion from its --help, at build time (cmake/Install.cmake):
# every flag, the value set a flag's help lists in brackets ("--net value  network driver
# [host, none, ...]"), files or directories for the flags in PATH_FLAGS, and then either
# COMMAND's own completion (rootlesskit) or the commands and their flags (rootlessctl).
import argparse
import sys

import cli_help

# Flags whose value is a path: the only knowledge here that --help does not give. A flag that
# --help no longer lists fails the build (check_path_flags), so the table cannot rot.
PATH_FLAGS = {
    "--copy-up": "_filedir -d",
    "--state-dir": "_filedir -d",
    "--lxc-user-nic-binary": "_filedir",
    "--pasta-binary": "_filedir",
    "--slirp4netns-binary": "_filedir",
    "--vpnkit-binary": "_filedir",
    "--socket": "_filedir",
}

HEADER = """\
# bash completion for {program}: generated from "{program} --help" by
# scripts/docgen/gen_completion.py (do not edit); bash-completion loads it on first use.
# shellcheck disable=SC2207 # COMPREPLY=($(compgen ...)): bash-completion's idiom; no value has a blank
"""

# Skips the options before the first other word: ends with words[i] that word (COMMAND for
# rootlesskit, the command for rootlessctl), or i > cword. _init_completion -n : keeps
# "127.0.0.1:8080:80/tcp" one word, -s "--net=host".
SKIP_OPTIONS = """\
    local i
    for ((i = 1; i <= cword; i++)); do
        case ${{words[i]}} in
            -*=*) ;;
            -*) [[ " {value_flags} " != *" ${{words[i]}} "* ]] || ((i++)) ;;
            *) break ;;
        esac
    done
"""

# _command_offset counts COMP_WORDS, where bash split "--net=host" into three words: j is the
# COMP_WORDS index at which words[i] starts.
COMMAND_OFFSET = """\
    if ((i <= cword)); then
        local j=0 k joined
        for ((k = 0; k < i; k++)); do
            joined=
            while [[ $joined != "${words[k]}" ]] && ((j < ${#COMP_WORDS[@]})); do
                joined+=${COMP_WORDS[j++]}
            done
        done
        _command_offset $j
        return
    fi
"""


def words(items):
    return " ".join(items)


def value_cases(options, indent):
    """The `case $prev` arms: a flag's value set, path completion, or (one arm for all the
    others) nothing to offer for a value of the user's own."""
    arms, free = [], []
    for option in options:
        if not option.arg:
            continue
        pattern = " | ".join(option.names)
        if option.choices():
            offer = f"COMPREPLY=($(compgen -W '{words(option.choices())}' -- \"$cur\"))"
            arms.append(f"{indent}{pattern}) {offer}; return ;;")
        elif option.names[0] in PATH_FLAGS:
            arms.append(f"{indent}{pattern}) {PATH_FLAGS[option.names[0]]}; return ;;")
        else:
            free.extend(option.names)
    if free:
        arms.append(f"{indent}{' | '.join(free)}) return ;;")
    return arms


def value_flags(options):
    return words(n for o in options if o.arg for n in o.names)


def all_flags(options):
    return words(n for o in options for n in o.names)


def command_launcher(model):
    """rootlesskit: flags, then COMMAND [ARGS...] completed as a command line of its own."""
    options = model.options()
    lines = [
        f"_{ident(model.program)}() {{",
        "    local cur prev words cword split",
        "    _init_completion -s -n : || return",
        SKIP_OPTIONS.format(value_flags=value_flags(options)).rstrip("\n"),
        COMMAND_OFFSET.rstrip("\n"),
        "    case $prev in",
        *value_cases(options, "        "),
        "    esac",
        "    $split && return",
        f"    COMPREPLY=($(compgen -W '{all_flags(options)}' -- \"$cur\"))",
        "}",
    ]
    return lines


def command_tool(model):
    """rootlessctl: global flags, a command, then that command's flags."""
    options = model.options()
    sub_options = [o for c in model.commands if c.help for o in c.help.options()]
    names = words(c.names[0] for c in model.commands)  # aliases ("h") are understood, not offered
    lines = [
        f"_{ident(model.program)}() {{",
        "    local cur prev words cword split",
        "    _init_completion -s -n : || return",
        SKIP_OPTIONS.format(value_flags=value_flags(options)).rstrip("\n"),
        "    local command=${words[i]-}",
        "    ((i < cword)) || command=",
        "    case $prev in",
        *value_cases(options + sub_options, "        "),
        "    esac",
        "    $split && return",
        "    case $command in",
        "        '')",
        f"            local flags='{all_flags(options)}'",
        f"            [[ $cur == -* ]] || flags='{names}'",
        '            COMPREPLY=($(compgen -W "$flags" -- "$cur"))',
        "            ;;",
    ]
    for command in model.commands:
        pattern = " | ".join(command.names)
        if command.help:  # its flags; its arguments (port specs, ids) are the user's own
            offer = f"[[ $cur != -* ]] || COMPREPLY=($(compgen -W '{all_flags(command.help.options())}' -- \"$cur\"))"
        else:  # help: the commands
            offer = f"COMPREPLY=($(compgen -W '{names}' -- \"$cur\"))"
        lines.append(f"        {pattern}) {offer} ;;")
    lines.extend(["    esac", "}"])
    return lines


def ident(program):
    return program.replace("-", "_")


def check_path_flags(models):
    listed = {n for m in models for o in m.options() for n in o.names}
    listed |= {n for m in models for c in m.commands if c.help for o in c.help.options() for n in o.names}
    return [flag for flag in PATH_FLAGS if flag not in listed]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--output-dir", required=True, help="where to write one file per program")
    parser.add_argument("programs", nargs="+", metavar="NAME=PATH", help="installed name=built program")
    args = parser.parse_args()

    models = []
    for spec in args.programs:
        name, _, path = spec.partition("=")
        models.append(cli_help.read_help(path, name))
    missing = check_path_flags(models)
    if missing:
        sys.exit(f"gen_completion.py: PATH_FLAGS lists flags no --help has: {', '.join(missing)}")
    for model in models:
        body = command_tool(model) if model.commands else command_launcher(model)
        text = HEADER.format(program=model.program) + "\n" + "\n".join(body) + "\n"
        text += f"complete -F _{ident(model.program)} {model.program}\n"
        with open(f"{args.output_dir}/{model.program}", "w", encoding="utf-8") as f:
            f.write(text)


if __name__ == "__main__":
    main()
