# Reads a built program's help text into a small model (name, usage, description, commands,
# option groups) for gen_man.py and gen_completion.py, which run at build time (cmake/Install.cmake).
# Two formats: urfave/cli's (rootlesskit, rootlessctl and its commands: "NAME:", "USAGE:",
# "OPTIONS:" headings) and Go's flag package (rootlesskit-docker-proxy: "Usage of PROG:").
import dataclasses
import re
import subprocess

# A heading of urfave/cli's help: "NAME:", "GLOBAL OPTIONS:".
HEADING = re.compile(r"^([A-Z][A-Z ]*):$")
# A category inside OPTIONS (rootlesskit groups its flags): "  Network [pasta]:".
CATEGORY = re.compile(r"^  (\S.*):$")
# A Go flag: "  -host-port int" (the type word is absent for booleans).
GO_FLAG = re.compile(r"^  (-[\w-]+)(?: (\w+))?$")


@dataclasses.dataclass
class Option:
    names: list  # "--publish", "-p": long first, as --help lists them
    arg: str  # the value's placeholder ("value", "string", "int"), "" for a boolean
    repeatable: bool
    help: str

    def choices(self):
        """The value set in the help's brackets ("[host, none, pasta(experimental)]"), notes dropped."""
        match = re.search(r"\[([^\]]+)\]", self.help)
        if not self.arg or not match:
            return []
        values = [re.sub(r"\s*\(.*\)$", "", v.strip()) for v in match.group(1).split(",")]
        return [v for v in values if re.fullmatch(r"[\w.+-]+", v)]


@dataclasses.dataclass
class Command:
    names: list  # "help", "h"
    summary: str
    help: "Help" = None  # the command's own --help, when it has one


@dataclasses.dataclass
class Help:
    program: str
    summary: str = ""  # NAME's text after " - "
    usage: str = ""  # USAGE without the program's name
    description: list = dataclasses.field(default_factory=list)  # lines, 3-space indent removed
    commands: list = dataclasses.field(default_factory=list)
    groups: list = dataclasses.field(default_factory=list)  # (category or "", [Option])

    def options(self):
        return [o for _, opts in self.groups for o in opts]


def run_help(argv):
    """The help text of argv (e.g. [prog, "--help"]), from stdout or, like Go's flag, stderr."""
    result = subprocess.run(argv, capture_output=True, text=True, check=False)
    text = result.stdout or result.stderr
    if result.returncode != 0 or not text.strip():
        raise SystemExit(f"{' '.join(argv)}: exit status {result.returncode}, no help text")
    return text


def split_sections(text):
    """{heading: [body lines]} of an urfave/cli help text, in order."""
    sections, body = {}, None
    for line in text.splitlines():
        match = HEADING.match(line)
        if match:
            body = sections.setdefault(match.group(1), [])
        elif body is not None:
            body.append(line.rstrip())
    for lines in sections.values():
        while lines and not lines[-1]:
            lines.pop()
    return sections


def parse_option(line):
    """One urfave/cli flag line: "--publish value, -p value [ --publish value, -p value ]  help"."""
    names_part, help_text = (re.split(r"\s{2,}", line.strip(), maxsplit=1) + [""])[:2]
    repeatable = " [ " in names_part
    names_part = names_part.split(" [ ")[0]
    names, arg = [], ""
    for spec in names_part.split(", "):
        name, _, arg_here = spec.partition(" ")
        names.append(name)
        arg = arg or arg_here
    return Option(names, arg, repeatable, help_text.strip())


def parse_options(lines):
    """OPTIONS' body: [(category, [Option])]; one unnamed group when there are no categories."""
    groups = []
    for line in lines:
        if not line.strip():
            continue
        match = CATEGORY.match(line)
        if match:
            groups.append((match.group(1), []))
            continue
        if not groups:
            groups.append(("", []))
        groups[-1][1].append(parse_option(line))
    return groups


def parse_commands(lines):
    commands = []
    for line in lines:
        names, summary = (re.split(r"\s{2,}", line.strip(), maxsplit=1) + [""])[:2]
        commands.append(Command(names.split(", "), summary.strip()))
    return commands


def parse_urfave(program, text):
    sections = split_sections(text)
    if "NAME" not in sections or "USAGE" not in sections:
        raise SystemExit(f"{program}: help text has no NAME: or USAGE: section")
    name_line = " ".join(sections["NAME"]).strip()
    usage = " ".join(sections["USAGE"]).strip()
    full_name = name_line.partition(" - ")[0]
    help_model = Help(program=full_name, summary=name_line.partition(" - ")[2])
    help_model.usage = usage[len(full_name) :].strip() if usage.startswith(full_name) else usage
    help_model.description = [line[3:] if line.startswith("   ") else line.strip()
                              for line in sections.get("DESCRIPTION", [])]
    help_model.commands = parse_commands(sections.get("COMMANDS", []))
    help_model.groups = parse_options(sections.get("OPTIONS", sections.get("GLOBAL OPTIONS", [])))
    return help_model


def parse_go_flag(program, text):
    """Go's flag.PrintDefaults: "  -name type" then the help on lines indented by a tab."""
    options = []
    for line in text.splitlines()[1:]:
        match = GO_FLAG.match(line)
        if match:
            options.append(Option([match.group(1)], match.group(2) or "", False, ""))
        elif line.startswith("    \t") and options:
            options[-1].help = (options[-1].help + " " + line.strip()).strip()
        elif line.strip():
            raise SystemExit(f"{program}: unexpected line in Go flag usage: {line!r}")
    return Help(program=program, groups=[("", options)])


def read_help(path, program):
    """The model of PATH's help; PROGRAM is the name to show (the build path is not)."""
    text = run_help([path, "--help"])
    if text.startswith("Usage of "):
        return parse_go_flag(program, text)
    model = parse_urfave(program, text)
    for command in model.commands:
        if "help" not in command.names:
            command.help = parse_urfave(program, run_help([path, command.names[0], "--help"]))
    return model
