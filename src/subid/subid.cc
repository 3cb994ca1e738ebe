// Who the caller is, choosing the subid source, and checking the ranges before they reach
// newuidmap (which only ever says "Invalid argument"). Runs in the PARENT, host namespaces.
#include "subid/subid.h"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <iterator>
#include <utility>

#include "common/error.h"
#include "common/fs.h"
#include "common/log.h"
#include "common/strings.h"

namespace rootlesskit::subid {
namespace {

std::string describe(const Range& range) { return std::to_string(range.start) + ":" + std::to_string(range.count); }

// Go's %v of []SubIDRange, for the debug lines upstream prints: "[{165536 65536}]".
std::string describe_go(const std::vector<Range>& ranges) {
  std::vector<std::string> items;
  for (const auto& r : ranges) {
    // Appended piece by piece: GCC 12 warns (-Wrestrict, a false positive, GCC PR 105329)
    // about `"literal" + std::string&&`.
    std::string item = "{";
    item += std::to_string(r.start);
    item += ' ';
    item += std::to_string(r.count);
    item += '}';
    items.push_back(std::move(item));
  }
  return go_slice(items);
}

uint64_t end_of(const Range& range) { return uint64_t{range.start} + range.count; }

std::vector<Range> without_empty(const std::vector<Range>& ranges) {
  std::vector<Range> out;
  std::copy_if(ranges.begin(), ranges.end(), std::back_inserter(out), [](const Range& r) { return r.count > 0; });
  return out;
}

// `used` receives the source that answered (auto resolves to dynamic or static).
bool getsubids_would_read_files(const StaticPaths& paths) {
  if (std::getenv("GETSUBIDS") != nullptr) {
    return false;  // an explicitly chosen tool may know other sources
  }
  auto text = read_file(paths.nsswitch);
  if (!text) {
    return true;  // no nsswitch.conf: libsubid uses the files
  }
  return nsswitch_subid_uses_files(*text);
}

IdRanges lookup_raw(Source source, const User& user, const StaticPaths& paths, Source* used) {
  *used = source;
  switch (source) {
    case Source::static_: log::debug("subid-source: using the static source"); return lookup_static(user, paths);
    case Source::dynamic: log::debug("subid-source: using the dynamic source"); return lookup_dynamic(user);
    case Source::auto_: break;
  }
  if (getsubids_would_read_files(paths)) {
    // Same answer as the four getsubids runs, without ~10 ms of exec'ing them.
    log::debug("subid-source: {} has no \"subid\" database, so getsubids would read the files: using them directly",
               paths.nsswitch);
    return lookup_raw(Source::static_, user, paths, used);
  }
  std::string reason;
  try {
    IdRanges dynamic = lookup_raw(Source::dynamic, user, paths, used);
    if (!without_empty(dynamic.uids).empty() && !without_empty(dynamic.gids).empty()) {
      return dynamic;
    }
    reason = "empty subuid or subgid list";
  } catch (const Error& e) {
    reason = e.what();
  }
  log::debug("failed to use subid source \"dynamic\", falling back to \"static\" (error: {})", reason);
  return lookup_raw(Source::static_, user, paths, used);
}

// Where the ranges came from, for the overlap message.
std::string origin(Source source, const std::string& static_path) {
  if (source == Source::static_) {
    return static_path;
  }
  return static_path + " (as reported by getsubids)";
}

}  // namespace

bool nsswitch_subid_uses_files(std::string_view nsswitch_conf) {
  for (const auto& raw : split(nsswitch_conf, '\n')) {
    std::string_view line = trim_space(raw);
    if (line.rfind("subid:", 0) != 0) {
      continue;
    }
    std::string_view services = trim_space(line.substr(6));
    return services.empty() || services == "files";
  }
  return true;
}

User current_user() {
  User user{::getuid(), ::getgid(), ""};
  long size = ::sysconf(_SC_GETPW_R_SIZE_MAX);
  std::vector<char> buf(size > 0 ? static_cast<size_t>(size) : 16384);
  passwd entry{};
  passwd* found = nullptr;
  int rc = 0;
  while ((rc = ::getpwuid_r(user.uid, &entry, buf.data(), buf.size(), &found)) == ERANGE) {
    buf.resize(buf.size() * 2);
  }
  if (rc != 0 || found == nullptr) {
    // Upstream stops here (`user: unknown userid N`); numeric lines in /etc/subuid still work.
    log::debug("no passwd entry for uid {}; matching subordinate ids by uid only", user.uid);
    return user;
  }
  user.gid = found->pw_gid;
  user.name = found->pw_name;
  return user;
}

Source parse_source(std::string_view text) {
  if (text.empty() || text == "auto") {
    return Source::auto_;
  }
  if (text == "dynamic") {
    return Source::dynamic;
  }
  if (text == "static") {
    return Source::static_;
  }
  throw Error("unknown subid source " + go_quote(text));
}

std::string to_string(Source source) {
  switch (source) {
    case Source::dynamic: return "dynamic";
    case Source::static_: return "static";
    case Source::auto_: break;
  }
  return "auto";
}

std::vector<Range> dedupe(const std::vector<Range>& ranges) {
  std::vector<Range> out;
  for (const auto& r : ranges) {
    if (std::find(out.begin(), out.end(), r) == out.end()) {
      out.push_back(r);
    }
  }
  return out;
}

void check_ranges(const std::vector<Range>& ranges, std::string_view file, uint32_t own_id) {
  const std::string where = " in " + std::string(file);
  const std::string why = ": newuidmap/newgidmap would fail with \"Invalid argument\"; ";
  for (size_t i = 0; i < ranges.size(); ++i) {
    const Range& a = ranges[i];
    if (end_of(a) > uint64_t{UINT32_MAX} + 1) {
      throw Error("subordinate ID range " + describe(a) + where + " goes past 4294967295" + why +
                  "fix or remove that line" + where);
    }
    if (own_id >= a.start && own_id < end_of(a)) {
      std::string id = std::to_string(own_id);
      throw Error("subordinate ID range " + describe(a) + where + " contains your own ID " + id +
                  " (which is mapped to 0)" + why + "use a range that does not include " + id);
    }
    for (size_t j = i + 1; j < ranges.size(); ++j) {
      const Range& b = ranges[j];
      if (a.start < end_of(b) && b.start < end_of(a)) {
        throw Error("subordinate ID ranges " + describe(a) + " and " + describe(b) + where + " overlap" + why +
                    "remove one of the two lines (as root) from " + std::string(file));
      }
    }
  }
}

std::vector<std::string> map_args(uint32_t own_id, const std::vector<Range>& ranges) {
  std::vector<std::string> args{"0", std::to_string(own_id), "1"};
  uint64_t next = 1;
  for (const auto& r : ranges) {
    args.push_back(std::to_string(next));
    args.push_back(std::to_string(r.start));
    args.push_back(std::to_string(r.count));
    next += r.count;
  }
  return args;
}

IdRanges lookup(Source source, const User& user) { return lookup(source, user, StaticPaths{}); }

IdRanges lookup(Source source, const User& user, const StaticPaths& paths) {
  Source used = source;
  IdRanges raw = lookup_raw(source, user, paths, &used);
  IdRanges result{dedupe(without_empty(raw.uids)), dedupe(without_empty(raw.gids))};
  log::debug("subuid ranges={}", describe_go(result.uids));
  log::debug("subgid ranges={}", describe_go(result.gids));
  check_ranges(result.uids, origin(used, paths.subuid), user.uid);
  check_ranges(result.gids, origin(used, paths.subgid), user.gid);
  return result;
}

}  // namespace rootlesskit::subid
