// Subordinate IDs: who the caller is, which subuid/subgid ranges it owns (static files or
// getsubids), and writing the child's uid_map/gid_map with newuidmap/newgidmap.
// Runs in the PARENT, in the host namespaces, before the child is told the maps are ready.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rootlesskit::subid {

// One subordinate range: host ids [start, start+count).
struct Range {
  uint32_t start = 0;
  uint32_t count = 0;
  bool operator==(const Range&) const = default;
};

// The caller: real uid, PRIMARY gid from passwd, login name ("" if there is no passwd entry).
struct User {
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::string name;
};

// Which of the two files/queries a lookup is about; decides "subuid"/"subgid" in messages.
enum class Kind { uid, gid };

enum class Source { auto_, dynamic, static_ };

struct IdRanges {
  std::vector<Range> uids;
  std::vector<Range> gids;
};

// Paths of the static source; tests point them at temp files.
struct StaticPaths {
  std::string subuid = "/etc/subuid";
  std::string subgid = "/etc/subgid";
  std::string nsswitch = "/etc/nsswitch.conf";
};

// True when libsubid (and so getsubids) would read /etc/subuid and /etc/subgid itself: the
// nsswitch.conf text has no "subid:" database line, or it names "files".
bool nsswitch_subid_uses_files(std::string_view nsswitch_conf);

// Real uid → passwd entry (name, primary gid). Without a passwd entry, falls back to
// getuid()/getgid() and an empty name (then only numeric lines match); upstream fails instead.
User current_user();

// "" and "auto" → auto_, "dynamic", "static". Throws Error `unknown subid source "bogus"`.
Source parse_source(std::string_view text);
std::string to_string(Source source);

// Parses the contents of /etc/subuid (kind uid) or /etc/subgid (kind gid): every line whose first
// field is the decimal uid or the user name, in file order; count-0 ranges are dropped.
// Both files are matched by uid/name (not gid), like shadow-utils. A malformed line of another
// user is skipped with a warning; one of this user's throws. Throws on bad numbers and when
// nothing matched (with a hint how to add a range). `path` is only used in messages.
std::vector<Range> parse_static(std::string_view content, std::string_view path, const User& user,
                                Kind kind = Kind::uid);

// Parses `getsubids` output ("0: alice 300000 1000" per line). Throws Error
// `line N: unparsable line "..."` on lines it cannot read; lines with extra fields are accepted
// and described in `warnings` (if given).
std::vector<Range> parse_getsubids_output(std::string_view out, std::vector<std::string>* warnings = nullptr);

// The static source: reads both files. Throws Error (Go `open /etc/subuid: ...` for I/O).
IdRanges lookup_static(const User& user, const StaticPaths& paths = {});
// The dynamic source: runs $GETSUBIDS (default `getsubids`) by name and by uid, with and
// without -g. Throws Error with upstream's `subid-source:dynamic: ...` texts.
IdRanges lookup_dynamic(const User& user);

// Ranges for `source` (auto: dynamic, falling back to static on error or an empty list),
// with exact duplicates removed and overlaps rejected (check_ranges).
IdRanges lookup(Source source, const User& user);
IdRanges lookup(Source source, const User& user, const StaticPaths& paths);

// Drops exact repeats of a range, keeping the first occurrence and the order.
std::vector<Range> dedupe(const std::vector<Range>& ranges);

// Throws Error if two ranges overlap, a range wraps past 2^32, or a range contains `own_id`
// (the id mapped to 0): the kernel rejects such maps and newuidmap only says "Invalid argument".
// `file` names where the ranges came from, for the message.
void check_ranges(const std::vector<Range>& ranges, std::string_view file, uint32_t own_id);

// The argv tail of newuidmap/newgidmap after the pid:
// `0 <own> 1  1 <s1> <n1>  <1+n1> <s2> <n2> ...` (ranges packed contiguously from 1).
std::vector<std::string> map_args(uint32_t own_id, const std::vector<Range>& ranges);

// Runs `newuidmap <child> ...` then `newgidmap <child> ...` (looked up in PATH). Throws Error
// shaped like upstream: `newuidmap 11385 [0 1002 1 1 165536 65536] failed: <output>: exit status 1`.
// Refuses up front when this process has no_new_privs (setuid/file caps would be ignored).
// The caller wraps it with `failed to setup UID/GID map: `.
void write_id_maps(pid_t child, const User& user, const IdRanges& ranges);

}  // namespace rootlesskit::subid
