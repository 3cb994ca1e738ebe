// urfave/cli v2 help rendering (stringifyFlag, prefixedNames, unquoteUsage) and upstream
// rootlesskit's category layout, reproduced for byte-identical --help output.
#include "cli/help_format.h"

#include <algorithm>

#include "common/strings.h"
#include "common/tabwriter.h"

namespace rootlesskit::cli {

namespace {

// urfave unquoteUsage: the first `quoted` word is the placeholder; the backquotes are removed.
std::string unquote_usage(std::string* usage) {
  const size_t open = usage->find('`');
  if (open == std::string::npos) {
    return {};
  }
  const size_t close = usage->find('`', open + 1);
  if (close == std::string::npos) {
    return {};
  }
  std::string name = usage->substr(open + 1, close - open - 1);
  *usage = usage->substr(0, open) + name + usage->substr(close + 1);
  return name;
}

std::string prefixed_names(const std::vector<std::string>& names, const std::string& placeholder) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i].empty()) {
      continue;
    }
    out += (names[i].size() == 1 ? "-" : "--") + names[i];
    if (!placeholder.empty()) {
      out += " " + placeholder;
    }
    if (i + 1 < names.size()) {
      out += ", ";
    }
  }
  return out;
}

std::string default_text(const FlagDef& def) {
  switch (def.kind) {
    case FlagKind::boolean:
      if (def.hide_default) {
        return {};
      }
      return parse_go_bool(def.default_value).value_or(false) ? "true" : "false";
    case FlagKind::string: return def.default_value.empty() ? std::string() : go_quote(def.default_value);
    case FlagKind::integer: return def.default_value.empty() ? std::string("0") : def.default_value;
    case FlagKind::string_slice: return {};
  }
  return {};
}

}  // namespace

std::string flag_help_string(const FlagDef& def) {
  std::string usage = def.usage;
  std::string placeholder = unquote_usage(&usage);
  if (def.kind != FlagKind::boolean && placeholder.empty()) {
    placeholder = "value";
  }
  const std::string dflt = default_text(def);
  const std::string with_default = dflt.empty() ? usage : usage + " (default: " + dflt + ")";
  std::string names = prefixed_names(def.names, placeholder);
  if (def.kind == FlagKind::string_slice) {
    names += " [ " + names + " ]";
  }
  return names + "\t" + std::string(trim_space(with_default));
}

std::string format_categorized_flags(const std::vector<FlagDef>& defs) {
  std::vector<std::string> categories;
  for (const auto& def : defs) {
    const std::string cat = def.category.empty() ? "(Uncategorized)" : def.category;
    if (std::find(categories.begin(), categories.end(), cat) == categories.end()) {
      categories.push_back(cat);
    }
  }
  std::sort(categories.begin(), categories.end());  // Go sort.Strings: byte order
  std::string out;
  for (const auto& cat : categories) {
    out += "  " + cat + ":\t\n";
    for (const auto& def : defs) {
      if ((def.category.empty() ? "(Uncategorized)" : def.category) == cat) {
        out += "    " + flag_help_string(def) + "\n";
      }
    }
    out += "  \t\n";
  }
  return out;
}

std::string format_flag_lines(const std::vector<FlagDef>& defs) {
  std::string out;
  for (const auto& def : defs) {
    out += "\n   " + flag_help_string(def);
  }
  return out;
}

std::string indent_and_trim(std::string_view text, int spaces) {
  const std::string pad(static_cast<size_t>(spaces), ' ');
  std::string out = "\n" + pad;
  for (char c : text) {
    out += c;
    if (c == '\n') {
      out += pad;
    }
  }
  return std::string(trim_space(out));
}

std::string render_help(std::string_view text) { return tabwrite(text, 1, 8, 2, ' '); }

}  // namespace rootlesskit::cli
