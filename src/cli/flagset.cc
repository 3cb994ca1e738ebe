// The flag parser: Go's flag.FlagSet.parseOne loop with urfave/cli v2's value types
// (BoolFlag, StringFlag, IntFlag, StringSliceFlag with comma splitting).
#include "cli/flagset.h"

#include <stdexcept>

#include "common/strings.h"

namespace rootlesskit::cli {

FlagDef help_flag_def(std::string category) {
  return FlagDef{{"help", "h"}, FlagKind::boolean, "false", "show help", std::move(category), true};
}

FlagDef version_flag_def(std::string category) {
  return FlagDef{{"version", "v"}, FlagKind::boolean, "false", "print the version", std::move(category), true};
}

void FlagSet::add(FlagDef def) {
  for (const auto& name : def.names) {
    if (find(name)) {
      throw std::logic_error("flag redefined: " + name);
    }
  }
  Value v;
  switch (def.kind) {
    case FlagKind::boolean: v.b = parse_go_bool(def.default_value).value_or(false); break;
    case FlagKind::integer: {
      bool range = false;
      v.i = parse_go_int(def.default_value, &range).value_or(0);
      break;
    }
    case FlagKind::string: v.s = def.default_value; break;
    case FlagKind::string_slice: break;
  }
  m_defs.push_back(std::move(def));
  m_values.push_back(std::move(v));
}

std::optional<size_t> FlagSet::find(std::string_view name) const {
  for (size_t i = 0; i < m_defs.size(); ++i) {
    for (const auto& n : m_defs[i].names) {
      if (n == name) {
        return i;
      }
    }
  }
  return std::nullopt;
}

const FlagSet::Value& FlagSet::value_of(std::string_view name, FlagKind kind) const {
  auto index = find(name);
  if (!index || m_defs[*index].kind != kind) {
    throw std::logic_error("no flag of that kind: " + std::string(name));
  }
  return m_values[*index];
}

bool FlagSet::get_bool(std::string_view name) const { return value_of(name, FlagKind::boolean).b; }
const std::string& FlagSet::get_string(std::string_view name) const { return value_of(name, FlagKind::string).s; }
long long FlagSet::get_int(std::string_view name) const { return value_of(name, FlagKind::integer).i; }
const std::vector<std::string>& FlagSet::get_slice(std::string_view name) const {
  return value_of(name, FlagKind::string_slice).slice;
}
bool FlagSet::is_set(std::string_view name) const {
  auto index = find(name);
  if (!index) {
    throw std::logic_error("no such flag: " + std::string(name));
  }
  return m_values[*index].set;
}

// One flag occurrence. `name` is the spelling the user typed (Go echoes it in errors, one dash).
void FlagSet::set_value(size_t index, const std::string& name, const std::string& value, bool has_value) {
  Value& v = m_values[index];
  switch (m_defs[index].kind) {
    case FlagKind::boolean: {
      // Go: a bool flag never consumes the next argument; "-debug" alone means true.
      auto b = parse_go_bool(has_value ? value : "true");
      if (!b) {
        throw UsageError("invalid boolean value " + go_quote(value) + " for -" + name + ": parse error");
      }
      v.b = *b;
      break;
    }
    case FlagKind::integer: {
      bool range = false;
      auto i = parse_go_int(value, &range);
      if (!i) {
        throw UsageError("invalid value " + go_quote(value) + " for flag -" + name + ": " +
                         (range ? "value out of range" : "parse error"));
      }
      v.i = *i;
      break;
    }
    case FlagKind::string: v.s = value; break;
    case FlagKind::string_slice:
      if (!v.set) {
        v.slice.clear();  // the first occurrence replaces any default
      }
      // urfave >= 2.5.1 splits every occurrence on ',' and trims each piece.
      for (const auto& piece : split(value, ',')) {
        v.slice.emplace_back(trim_space(piece));
      }
      break;
  }
  v.set = true;
}

std::vector<std::string> FlagSet::parse(const std::vector<std::string>& args, bool interspersed) {
  std::vector<std::string> positional;
  size_t i = 0;
  while (i < args.size()) {
    const std::string& s = args[i];
    if (s.size() < 2 || s[0] != '-') {
      if (!interspersed) {
        break;
      }
      positional.push_back(s);
      ++i;
      continue;
    }
    size_t minuses = 1;
    if (s[1] == '-') {
      minuses = 2;
      if (s.size() == 2) {  // "--" ends the flags and is dropped
        ++i;
        break;
      }
    }
    std::string name = s.substr(minuses);
    if (name.empty() || name[0] == '-' || name[0] == '=') {
      throw UsageError("bad flag syntax: " + s);
    }
    ++i;
    std::string value;
    bool has_value = false;
    if (auto eq = name.find('=', 1); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
      has_value = true;
    }
    auto index = find(name);
    if (!index) {
      if (name == "help" || name == "h") {
        throw HelpRequested("flag provided but not defined: -" + name);
      }
      throw UsageError("flag provided but not defined: -" + name);
    }
    if (m_defs[*index].kind != FlagKind::boolean && !has_value) {
      if (i >= args.size()) {
        throw UsageError("flag needs an argument: -" + name);
      }
      value = args[i++];
      has_value = true;
    }
    set_value(*index, name, value, has_value);
  }
  positional.insert(positional.end(), args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
  return positional;
}

// urfave/cli's IntFlag parses with strconv.ParseInt(s, 0, 64).
std::optional<long long> parse_go_int(std::string_view s, bool* out_of_range) {
  return go_parse_int(s, 0, out_of_range);
}

}  // namespace rootlesskit::cli
