#!/usr/bin/env python3
# Writes a program's man page (gzipped, as Debian ships them) from its --help, at build time
# (cmake/Install.cmake), so the page cannot drift from the flags. docs/man/PROGRAM.1.extra holds
# what --help does not say ([NAME] when --help has none, more [DESCRIPTION], [FILES], [SEE ALSO]...).
# help2man is not used: it files urfave/cli's NAME:/USAGE: headings under DESCRIPTION.
import argparse
import gzip
import os
import re
import sys
import time

import cli_help


def roff(text):
    """TEXT as roff: backslashes and hyphens escaped (a "-" must stay an ASCII hyphen-minus so
    that flags can be searched and pasted), and no line starting a request."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return re.sub(r"^([.'])", r"\\&\1", text, flags=re.M)


def bold(text):
    return rf"\fB{roff(text)}\fR"


def italic(text):
    return rf"\fI{roff(text)}\fR"


def read_extra(path):
    """{SECTION: roff text} of an .extra file: "[SECTION]" lines, then the section's roff.
    Text before the first section is a comment for the reader."""
    sections, name = {}, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            match = re.fullmatch(r"\[([A-Z][A-Z ]*)\]\n?", line)
            if match:
                name = match.group(1)
                sections[name] = ""
            elif name:
                sections[name] += line
    return {k: v.strip("\n") for k, v in sections.items()}


def description(lines):
    """urfave/cli's DESCRIPTION lines as paragraphs; indented runs (examples) stay as they are."""
    out, example = [], []

    def flush_example():
        while example and not example[-1]:
            example.pop()
        if example:
            out.extend([".RS 4", ".nf", *[roff(line) for line in example], ".fi", ".RE"])
            example.clear()

    paragraph_open = False
    for line in lines:
        if line.startswith(" ") or (example and not line):
            example.append(line[2:] if line.startswith("  ") else line.strip())
            paragraph_open = False
        elif not line:
            paragraph_open = False
        else:
            flush_example()
            if not paragraph_open:
                out.append(".PP")
                paragraph_open = True
            out.append(roff(line))
    flush_example()
    return out


def option_term(option):
    """The .TP tag: "--publish value, -p value" with names bold and the value italic."""
    parts = [bold(n) + (" " + italic(option.arg) if option.arg else "") for n in option.names]
    return ", ".join(parts)


def options(groups):
    out = []
    for category, opts in groups:
        if category:
            out.append(f'.SS "{roff(category)}"')
        for option in opts:
            text = option.help or "(no description)"
            if option.repeatable:
                text += ("" if text.endswith(".") else ".") + " May be given more than once."
            out.extend([".TP", option_term(option), roff(text)])
    return out


def synopsis(model):
    if model.usage:
        return [f"{bold(model.program)} {roff(model.usage)}"]
    # Go's flag usage has no usage line: every flag, optional.
    flags = [f"[{option_term(o)}]" for o in model.options()]
    return [f"{bold(model.program)} " + " ".join(flags)]


def commands(model):
    out = []
    for command in model.commands:
        out.append(f'.SS "{roff(", ".join(command.names))}"')
        sub = command.help
        if sub is None:
            out.append(roff(command.summary))
            continue
        out.extend([f"{bold(sub.program)} {roff(sub.usage)}", ".PP", roff(command.summary) + "."])
        out.extend(description(sub.description))
        for _, opts in sub.groups:
            for option in opts:
                out.extend([".TP", option_term(option), roff(option.help)])
    return out


def check_version(model, text, version):
    """The VERSION in --help must be the one CMake builds (project() in CMakeLists.txt)."""
    match = re.search(r"^VERSION:\n\s+(\S+)", text, re.M)
    if match and match.group(1) != version:
        sys.exit(f"{model.program} --help says version {match.group(1)}, CMake says {version}")


def page(model, extra, version):
    summary = extra.pop("NAME", "") or roff(model.summary)
    if not summary:
        sys.exit(f"{model.program}: --help has no NAME and the .extra file no [NAME] section")
    date = ""
    if "SOURCE_DATE_EPOCH" in os.environ:
        date = time.strftime("%Y-%m-%d", time.gmtime(int(os.environ["SOURCE_DATE_EPOCH"])))
    out = [
        rf'.\" Generated from "{model.program} --help" by scripts/docgen/gen_man.py: do not edit.',
        f'.TH {roff(model.program.upper())} 1 "{date}" "{roff(model.program)} {version}" "User Commands"',
        ".nh",  # no hyphenation: flags and paths must read as they are typed
        ".ad l",  # ragged right: long flags and paths leave no wide gaps
        ".SH NAME", f"{roff(model.program)} \\- {summary}",
        ".SH SYNOPSIS", *synopsis(model),
        ".SH DESCRIPTION", *description(model.description), extra.pop("DESCRIPTION", None),
    ]
    if model.commands:
        out.extend([".SH COMMANDS", *commands(model)])
    out.extend([".SH OPTIONS", *options(model.groups)])
    for name, text in extra.items():
        out.extend([f'.SH "{name}"', text])
    return "\n".join(line for line in out if line is not None) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--program", required=True, help="the built program to run")
    parser.add_argument("--name", required=True, help="its installed name")
    parser.add_argument("--version", required=True, help="the project version (CMake)")
    parser.add_argument("--extra", required=True, help="docs/man/NAME.1.extra")
    parser.add_argument("--output", required=True, help="NAME.1.gz to write")
    args = parser.parse_args()

    model = cli_help.read_help(args.program, args.name)
    check_version(model, cli_help.run_help([args.program, "--help"]), args.version)
    text = page(model, read_extra(args.extra), args.version)
    with open(args.output, "wb") as f:
        # mtime 0 and no file name in the header: the same page gives the same bytes.
        f.write(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))


if __name__ == "__main__":
    main()
