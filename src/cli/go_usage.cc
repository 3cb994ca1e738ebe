// Go's flag.PrintDefaults layout (Go's src/flag/flag.go: PrintDefaults, UnquoteUsage, isZeroValue).
#include "cli/go_usage.h"

#include <algorithm>

#include "common/strings.h"

namespace rootlesskit::cli {
namespace {

// Go's UnquoteUsage: a `back-quoted` word in the usage names the value and loses its quotes;
// otherwise the value is named after its type (bools have none).
std::pair<std::string, std::string> unquote_usage(const FlagDef& def) {
  const std::string& usage = def.usage;
  auto open = usage.find('`');
  if (open != std::string::npos) {
    auto close = usage.find('`', open + 1);
    if (close != std::string::npos) {
      std::string name = usage.substr(open + 1, close - open - 1);
      return {name, usage.substr(0, open) + name + usage.substr(close + 1)};
    }
  }
  switch (def.kind) {
    case FlagKind::boolean: return {"", usage};
    case FlagKind::integer: return {"int", usage};
    case FlagKind::string: return {"string", usage};
    case FlagKind::string_slice: return {"value", usage};
  }
  return {"value", usage};
}

bool is_zero_value(const FlagDef& def) {
  switch (def.kind) {
    case FlagKind::boolean: return def.default_value.empty() || def.default_value == "false";
    case FlagKind::integer: return def.default_value.empty() || def.default_value == "0";
    case FlagKind::string: return def.default_value.empty();
    case FlagKind::string_slice: return def.default_value.empty() || def.default_value == "[]";
  }
  return true;
}

std::string replace_all(std::string_view s, std::string_view from, std::string_view to) {
  std::string out;
  size_t pos = 0;
  for (size_t hit; (hit = s.find(from, pos)) != std::string_view::npos; pos = hit + from.size()) {
    out.append(s.substr(pos, hit - pos)).append(to);
  }
  return out.append(s.substr(pos));
}

}  // namespace

std::string go_flag_usage(std::string_view program, const std::vector<FlagDef>& defs) {
  std::vector<const FlagDef*> sorted;
  for (const auto& def : defs) {
    sorted.push_back(&def);
  }
  std::sort(sorted.begin(), sorted.end(),
            [](const FlagDef* a, const FlagDef* b) { return a->names.at(0) < b->names.at(0); });
  std::string out = "Usage of " + std::string(program) + ":\n";
  for (const FlagDef* def : sorted) {
    std::string line = "  -" + def->names.at(0);
    auto [value_name, usage] = unquote_usage(*def);
    if (!value_name.empty()) {
      line += " " + value_name;
    }
    // Go keeps one-letter bools on one line; everything else goes below, after "    \t".
    line += line.size() <= 4 ? "\t" : "\n    \t";
    line += replace_all(usage, "\n", "\n    \t");
    if (!is_zero_value(*def)) {
      line += " (default " + (def->kind == FlagKind::string ? go_quote(def->default_value) : def->default_value) + ")";
    }
    out += line + "\n";
  }
  return out;
}

}  // namespace rootlesskit::cli
