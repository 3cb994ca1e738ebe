// The dynamic subid source: asks shadow-utils' `getsubids` (libsubid: files, sssd, FreeIPA, ...)
// for the caller's ranges, by name and by uid. Runs in the PARENT; getsubids is its short-lived child.
#include <cstdlib>
#include <optional>

#include "common/error.h"
#include "common/log.h"
#include "common/process.h"
#include "common/strings.h"
#include "subid/subid.h"

namespace rootlesskit::subid {
namespace {

// The outcome of one `getsubids [-g] WHO` run: ranges, or the reason it failed.
struct Query {
  std::vector<Range> ranges;
  std::optional<std::string> error;
};

// Strict decimal u32 for getsubids fields; the error reads like Go's Atoi failure.
std::optional<uint32_t> to_u32(std::string_view text) {
  auto value = parse_int(text);
  if (!value || *value < 0 || *value > UINT32_MAX) {
    return std::nullopt;
  }
  return static_cast<uint32_t>(*value);
}

Range parse_triplet(const std::vector<std::string>& triplet, size_t line_no, std::string_view line) {
  Range range;
  uint32_t* targets[2] = {&range.start, &range.count};
  for (int i = 0; i < 2; ++i) {
    const std::string& field = triplet[static_cast<size_t>(i) + 1];
    auto value = to_u32(field);
    if (!value) {
      throw Error("line " + std::to_string(line_no) + ": unparsable line " + go_quote(line) + ": failed to Atoi(" +
                  go_quote(field) + ")");
    }
    *targets[i] = *value;
  }
  return range;
}

// Splits on runs of white space like Go's strings.Fields.
std::vector<std::string> fields_of(std::string_view s) {
  std::vector<std::string> out;
  for (const auto& part : split(s, ' ')) {
    for (const auto& piece : split(part, '\t')) {
      if (!piece.empty()) {
        out.push_back(piece);
      }
    }
  }
  return out;
}

Query run_getsubids(const std::string& exe, Kind kind, const std::string& who) {
  std::vector<std::string> argv{exe};
  if (kind == Kind::gid) {
    argv.emplace_back("-g");
  }
  argv.push_back(who);
  log::debug("Executing {}", go_slice(argv));
  CommandResult result;
  try {
    result = run_command(argv);
  } catch (const Error& e) {
    return Query{{}, "failed to exec " + go_slice(argv) + ": " + e.what()};
  }
  if (!result.success()) {
    return Query{{},
                 "failed to exec " + go_slice(argv) + ": " + describe_wait_status(result.status) +
                     " (stdout=" + go_quote(result.out) + ", stderr=" + go_quote(result.err) + ")"};
  }
  std::vector<std::string> warnings;
  Query query;
  try {
    query.ranges = parse_getsubids_output(result.out, &warnings);
  } catch (const Error& e) {
    query.error = e.what();
  }
  for (const auto& warning : warnings) {
    log::warn("Error while parsing the result of {}: {} (stdout={}, stderr={})", go_slice(argv), warning,
              go_quote(result.out), go_quote(result.err));
  }
  return query;
}

// Queries by name and by uid; fails only if both fail (Debian's getsubids cannot look up a uid
// when /etc/subuid uses names, so the uid query failing alone is normal).
std::vector<Range> query_both(const std::string& exe, Kind kind, const User& user) {
  const char* word = kind == Kind::uid ? "subuids" : "subgids";
  Query by_name = user.name.empty() ? Query{{}, "the user has no passwd entry (no name to look up)"}
                                    : run_getsubids(exe, kind, user.name);
  Query by_uid = run_getsubids(exe, kind, std::to_string(user.uid));
  if (by_name.error) {
    log::debug("subid-source:dynamic: failed to get {} by the username {}: {}", word, go_quote(user.name),
               *by_name.error);
  }
  if (by_uid.error) {
    log::debug("subid-source:dynamic: failed to get {} by the UID {}: {}", word, user.uid, *by_uid.error);
  }
  if (by_name.error && by_uid.error) {
    // "also failed to get subuids" even for gids: upstream's exact text.
    throw Error(std::string("subid-source:dynamic: failed to get ") + word + " by the username " + go_quote(user.name) +
                ": " + *by_name.error + "; also failed to get subuids by the UID " + std::to_string(user.uid) + ": " +
                *by_uid.error);
  }
  std::vector<Range> all = by_name.ranges;
  all.insert(all.end(), by_uid.ranges.begin(), by_uid.ranges.end());
  return dedupe(all);
}

}  // namespace

std::vector<Range> parse_getsubids_output(std::string_view out, std::vector<std::string>* warnings) {
  std::vector<Range> ranges;
  size_t line_no = 0;
  auto warn = [&](std::string_view line) {
    if (warnings != nullptr) {
      warnings->push_back("line " + std::to_string(line_no) + ": line " + go_quote(line) + " contains unknown fields");
    }
  };
  for (const auto& raw : split(out, '\n')) {
    ++line_no;
    std::string_view line = trim_space(raw);
    if (line.empty() || line.front() == '#') {
      continue;
    }
    auto by_colon = split(line, ':');
    auto triplet = by_colon.size() >= 2 ? fields_of(trim_space(by_colon[1])) : std::vector<std::string>{};
    if (triplet.size() < 3) {
      throw Error("line " + std::to_string(line_no) + ": unparsable line " + go_quote(line));
    }
    if (by_colon.size() > 2 || triplet.size() > 3) {
      warn(line);
    }
    ranges.push_back(parse_triplet(triplet, line_no, line));
  }
  return ranges;
}

IdRanges lookup_dynamic(const User& user) {
  const char* env = std::getenv("GETSUBIDS");
  std::string name = env != nullptr && *env != '\0' ? env : "getsubids";
  std::string exe;
  try {
    exe = look_path(name);
  } catch (const Error& e) {
    throw e.wrap("subid-source:dynamic");
  }
  IdRanges result;
  result.uids = query_both(exe, Kind::uid, user);
  result.gids = query_both(exe, Kind::gid, user);
  return result;
}

}  // namespace rootlesskit::subid
