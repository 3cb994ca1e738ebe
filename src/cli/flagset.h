// A small command-line parser with urfave/cli v2 semantics on top of Go's `flag` package:
// `-name` and `--name`, `=value` or a separate value, bools take a value only with `=`, parsing
// stops at the first non-flag (or `--`, which is dropped), slice flags accumulate and split on `,`.
// Used by rootlesskit (parent and child parse the same argv) and rootlessctl.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace rootlesskit::cli {

// A command-line syntax error. what() is the bare Go/urfave message
// ("flag provided but not defined: -foo"); the program prints it once on stderr.
class UsageError : public rootlesskit::Error {
 public:
  explicit UsageError(const std::string& message, std::string stdout_text = {}, int exit_code = 1, bool bare = false)
      : Error(message, exit_code), m_stdout_text(std::move(stdout_text)), m_bare(bare) {}

  // What urfave prints on stdout before failing ("Incorrect Usage: <msg>\n\n" + help), or "".
  const std::string& stdout_text() const { return m_stdout_text; }
  // true: print what() on stderr exactly as is, without the program's "error: " prefix
  // (urfave's cli.Exit errors such as `No help topic for 'bogus'`, exit code 3).
  bool bare() const { return m_bare; }

 private:
  std::string m_stdout_text;
  bool m_bare;
};

// Go's flag.ErrHelp: `-h` or `-help` given without being declared (Go's flag package then prints
// the usage and exits 0). Carries the same text as any other undeclared flag, so callers that
// only catch UsageError keep treating it as one.
class HelpRequested : public UsageError {
 public:
  using UsageError::UsageError;
};

enum class FlagKind { boolean, string, integer, string_slice };

// One flag as declared to urfave: all names share one value (first name is the primary one).
struct FlagDef {
  std::vector<std::string> names;
  FlagKind kind = FlagKind::boolean;
  std::string default_value;  // "true"/"false" for bools, decimal for ints; unused for slices
  std::string usage;
  std::string category;       // help category ("" = uncategorized)
  bool hide_default = false;  // urfave DisableDefaultText (the built-in --help/--version)
};

// urfave's built-in flags: `--help, -h` "show help" and `--version, -v` "print the version".
FlagDef help_flag_def(std::string category = {});
FlagDef version_flag_def(std::string category = {});

class FlagSet {
 public:
  // Throws std::logic_error on a duplicate name (a programming error).
  void add(FlagDef def);

  // Parses like Go's FlagSet.Parse and returns the positional arguments. Parsing stops at the
  // first non-flag argument unless `interspersed` (then flags are recognised anywhere until `--`).
  // Values of flags given several times: last wins; slices accumulate. Throws UsageError with
  // Go's texts: `flag provided but not defined: -foo`, `flag needs an argument: -mtu`,
  // `invalid boolean value "yes" for -debug: parse error`,
  // `invalid value "abc" for flag -mtu: parse error` (or `value out of range`),
  // `bad flag syntax: ---x`. An undeclared `-h`/`-help` (with or without `=value`) throws
  // HelpRequested, as Go's flag returns ErrHelp; urfave-style callers declare their help flag.
  std::vector<std::string> parse(const std::vector<std::string>& args, bool interspersed = false);

  // Accessors by any of a flag's names; throw std::logic_error for an undeclared name or the
  // wrong kind.
  bool get_bool(std::string_view name) const;
  const std::string& get_string(std::string_view name) const;
  long long get_int(std::string_view name) const;
  const std::vector<std::string>& get_slice(std::string_view name) const;
  // Whether the flag appeared on the command line (under any of its names).
  bool is_set(std::string_view name) const;

  const std::vector<FlagDef>& defs() const { return m_defs; }

 private:
  struct Value {
    bool b = false;
    long long i = 0;
    std::string s;
    std::vector<std::string> slice;
    bool set = false;
  };

  std::optional<size_t> find(std::string_view name) const;
  const Value& value_of(std::string_view name, FlagKind kind) const;
  void set_value(size_t index, const std::string& name, const std::string& value, bool has_value);

  std::vector<FlagDef> m_defs;
  std::vector<Value> m_values;
};

// Go's strconv.ParseInt(s, 0, 64) as used by flag's int values: optional sign, 0x/0o/0b/0
// prefixes, `_` separators. On failure returns nullopt and sets *out_of_range.
std::optional<long long> parse_go_int(std::string_view s, bool* out_of_range);

}  // namespace rootlesskit::cli
