// Building blocks of urfave/cli v2 (2.27) help texts: the per-flag line, upstream rootlesskit's
// categorised OPTIONS block, urfave's plain flag list, and the final text/tabwriter pass.
// Pure string processing shared by the rootlesskit and rootlessctl command lines.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cli/flagset.h"

namespace rootlesskit::cli {

// urfave's FlagStringer: "--name value, -n value\t<usage> (default: ...)". Slice flags repeat
// their names as " [ --copy-up value ]"; bool defaults print as (default: false|true), string
// defaults quoted (none when empty), ints always. A `backquoted` word in the usage becomes the
// placeholder instead of "value".
std::string flag_help_string(const FlagDef& def);

// Upstream rootlesskit's formatFlags: categories in byte order ("(Uncategorized)" for none), each
// as "  <Cat>:\t\n", one "    <flag>\n" per flag in declaration order, then "  \t\n".
std::string format_categorized_flags(const std::vector<FlagDef>& defs);

// urfave's visibleFlagTemplate: "\n   <flag>" per flag.
std::string format_flag_lines(const std::vector<FlagDef>& defs);

// The template pipe `nindent N | trim`: every line indented by N spaces (empty lines become N
// spaces), leading/trailing whitespace of the whole text removed.
std::string indent_and_trim(std::string_view text, int spaces);

// urfave prints every help text through text/tabwriter(minwidth 1, tabwidth 8, padding 2, ' ').
std::string render_help(std::string_view text);

}  // namespace rootlesskit::cli
