// rootlessctl argv handling with urfave/cli v2.27 behaviour: root flags, then the subcommand
// (or urfave's help command / default help action), then the subcommand's flags; help texts from
// urfave's AppHelpTemplate and CommandHelpTemplate.
#include "cli/rootlessctl_flags.h"

#include <algorithm>

#include "cli/flagset.h"
#include "cli/help_format.h"

namespace rootlesskit::cli {

namespace {

struct CommandDef {
  std::vector<std::string> names;
  const char* usage;
  const char* args_usage;
  const char* description;
  bool has_json;
};

const std::vector<CommandDef>& commands() {
  static const std::vector<CommandDef> defs = {
      {{"list-ports"}, "List ports", "[flags]", "", true},
      {{"add-ports"},
       "Add ports",
       "[flags] PARENTIP:PARENTPORT:CHILDPORT/PROTO [PARENTIP:PARENTPORT:CHILDPORT/PROTO...]",
       "Add exposed ports. The port spec is similar to `docker run -p`. e.g. "
       "\"127.0.0.1:8080:80/tcp\".",
       true},
      {{"remove-ports"}, "Remove ports", "[flags] ID [ID...]", "", false},
      {{"info"}, "Show info", "[flags]", "", true},
      // urfave appends its help command last.
      {{"help", "h"}, "Shows a list of commands or help for one command", "[command]", "", false},
  };
  return defs;
}

const CommandDef* find_command(const std::string& name) {
  for (const auto& cmd : commands()) {
    if (std::find(cmd.names.begin(), cmd.names.end(), name) != cmd.names.end()) {
      return &cmd;
    }
  }
  return nullptr;
}

bool is_help_command(const std::string& name) { return name == "help" || name == "h"; }

std::vector<FlagDef> global_flag_defs() {
  return {
      FlagDef{{"debug"}, FlagKind::boolean, "false", "debug mode", "", false},
      FlagDef{{"socket"},
              FlagKind::string,
              "",
              "Path to api.sock (under the \"rootlesskit --state-dir\" directory), defaults to "
              "$ROOTLESSKIT_STATE_DIR/api.sock",
              "",
              false},
      help_flag_def(),
      version_flag_def(),
  };
}

std::vector<FlagDef> command_flag_defs(const CommandDef& cmd) {
  std::vector<FlagDef> defs;
  if (cmd.has_json) {
    defs.push_back(FlagDef{{"json"}, FlagKind::boolean, "false", "Prints as JSON", "", false});
  }
  defs.push_back(help_flag_def());
  return defs;
}

FlagSet make_flagset(const std::vector<FlagDef>& defs) {
  FlagSet fs;
  for (const auto& def : defs) {
    fs.add(def);
  }
  return fs;
}

UsageError no_help_topic(const std::string& name) {
  return UsageError("No help topic for '" + name + "'", "", 3, true);
}

// urfave's help action: the app help, or the help of the topic named by the first argument
// (an empty first argument counts as none).
std::string help_for(const std::vector<std::string>& topics) {
  if (topics.empty() || topics[0].empty()) {
    return rootlessctl_help();
  }
  return rootlessctl_command_help(topics[0]);
}

UsageError incorrect_usage(const UsageError& e, const std::string& help) {
  return UsageError(e.what(), "Incorrect Usage: " + std::string(e.what()) + "\n\n" + help);
}

// Parses what follows a subcommand name into `out`.
void parse_command(const CommandDef& cmd, const std::vector<std::string>& tail, RootlessctlArgs* out) {
  FlagSet fs = make_flagset(command_flag_defs(cmd));
  const std::string& name = cmd.names[0];
  const bool help_cmd = is_help_command(name);
  std::vector<std::string> rest;
  try {
    rest = fs.parse(tail, /*interspersed=*/!help_cmd);
  } catch (const UsageError& e) {
    throw incorrect_usage(e, rootlessctl_command_help(name));
  }
  if (help_cmd) {
    // `rootlessctl help [topic]`; its own --help shows the app help too, as urfave does.
    out->action = RootlessctlArgs::Action::help;
    out->output = help_for(fs.get_bool("help") ? std::vector<std::string>{} : rest);
    return;
  }
  // urfave gives every subcommand a `help` subcommand of its own: `info help` shows info's help.
  const bool help_word = !rest.empty() && is_help_command(rest[0]);
  if (fs.get_bool("help") || help_word) {
    if (!fs.get_bool("help") && rest.size() > 1 && !rest[1].empty() && !is_help_command(rest[1])) {
      throw no_help_topic(rest[1]);
    }
    out->action = RootlessctlArgs::Action::help;
    out->output = rootlessctl_command_help(name);
    return;
  }
  out->subcommand = name;
  out->json = cmd.has_json && fs.get_bool("json");
  out->args = std::move(rest);
}

}  // namespace

std::string rootlessctl_help() {
  std::string text =
      "NAME:\n"
      "   rootlessctl - RootlessKit API client\n"
      "\n"
      "USAGE:\n"
      "   rootlessctl [global options] command [command options]\n"
      "\n"
      "VERSION:\n"
      "   " ROOTLESSKIT_VERSION
      "\n"
      "\n"
      "COMMANDS:";
  // urfave's visibleCommandTemplate aligns the usages with spaces, not tabs.
  size_t width = 0;
  for (const auto& cmd : commands()) {
    width =
        std::max(width, cmd.names.size() == 1 ? cmd.names[0].size() : cmd.names[0].size() + 2 + cmd.names[1].size());
  }
  for (const auto& cmd : commands()) {
    std::string names = cmd.names[0];
    for (size_t i = 1; i < cmd.names.size(); ++i) {
      names += ", " + cmd.names[i];
    }
    text += "\n   " + names + std::string(width + 2 - names.size(), ' ') + cmd.usage;
  }
  text += "\n\nGLOBAL OPTIONS:" + format_flag_lines(global_flag_defs()) + "\n";
  return render_help(text);
}

std::string rootlessctl_command_help(const std::string& name) {
  const CommandDef* cmd = find_command(name);
  if (cmd == nullptr) {
    throw no_help_topic(name);
  }
  const std::string full_name = "rootlessctl " + cmd->names[0];
  std::string text = "NAME:\n   " + full_name + " - " + cmd->usage + "\n\nUSAGE:\n   " + full_name +
                     " [command options] " + cmd->args_usage;
  if (*cmd->description != '\0') {
    text += std::string("\n\nDESCRIPTION:\n   ") + cmd->description;
  }
  text += "\n\nOPTIONS:" + format_flag_lines(command_flag_defs(*cmd)) + "\n";
  return render_help(text);
}

RootlessctlArgs parse_rootlessctl(const std::vector<std::string>& args) {
  FlagSet fs = make_flagset(global_flag_defs());
  std::vector<std::string> positional;
  try {
    positional = fs.parse(args);
  } catch (const UsageError& e) {
    throw incorrect_usage(e, rootlessctl_help());
  }
  RootlessctlArgs out;
  out.debug = fs.get_bool("debug");
  out.socket = fs.get_string("socket");
  if (fs.get_bool("help")) {
    out.action = RootlessctlArgs::Action::help;
    out.output = help_for(positional);  // `rootlessctl --help add-ports` = help of add-ports
    return out;
  }
  if (fs.get_bool("version")) {
    out.action = RootlessctlArgs::Action::version;
    out.output = "rootlessctl version " ROOTLESSKIT_VERSION "\n";
    return out;
  }
  if (positional.empty() || positional[0].empty()) {
    out.action = RootlessctlArgs::Action::help;  // urfave's default action
    out.output = rootlessctl_help();
    return out;
  }
  const CommandDef* cmd = find_command(positional[0]);
  if (cmd == nullptr) {
    throw no_help_topic(positional[0]);
  }
  parse_command(*cmd, std::vector<std::string>(positional.begin() + 1, positional.end()), &out);
  return out;
}

}  // namespace rootlesskit::cli
