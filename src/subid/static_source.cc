// The static subid source: parsing /etc/subuid and /etc/subgid ("name-or-uid:start:count" lines).
// Runs in the PARENT. Unlike upstream, a malformed line of another user does not break the parse.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <optional>

#include "common/error.h"
#include "common/fd.h"
#include "common/log.h"
#include "common/strings.h"
#include "subid/subid.h"

namespace rootlesskit::subid {
namespace {

constexpr uint32_t suggested_start = 100000;
constexpr uint32_t suggested_count = 65536;

const char* kind_word(Kind kind) { return kind == Kind::uid ? "subuid" : "subgid"; }

bool is_go_int_syntax(std::string_view text) {
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
    text.remove_prefix(1);
  }
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Go's strconv.Atoi texts; a value that does not fit an id (negative, >= 2^32) is "out of range".
uint32_t parse_id(std::string_view text, std::string_view path) {
  auto value = parse_int(text);
  if (value && *value >= 0 && *value <= UINT32_MAX) {
    return static_cast<uint32_t>(*value);
  }
  const char* reason = is_go_int_syntax(text) ? "value out of range" : "invalid syntax";
  throw Error("String to int conversion failed during subuid/gid parsing of " + std::string(path) +
              ": strconv.Atoi: parsing " + go_quote(text) + ": " + reason);
}

bool belongs_to(std::string_view owner, const User& user) {
  if (owner == std::to_string(user.uid)) {
    return true;
  }
  // An empty name (no passwd entry) must not match lines with an empty first field.
  return !user.name.empty() && owner == user.name;
}

// The end (start+count) of a well-formed line of any user, to suggest a free range.
std::optional<uint64_t> range_end(const std::vector<std::string>& fields) {
  auto start = parse_int(fields[1]);
  auto count = parse_int(fields[2]);
  if (!start || !count || *start < 0 || *count < 0) {
    return std::nullopt;
  }
  return static_cast<uint64_t>(*start) + static_cast<uint64_t>(*count);
}

// "add a line "alice:100000:65536" to /etc/subuid (as root, e.g. usermod ...)", starting the
// suggested range after every range already in the file so that it cannot overlap.
std::string add_range_hint(const User& user, std::string_view path, Kind kind, uint64_t used_end) {
  uint64_t start = std::max<uint64_t>(suggested_start, used_end);
  uint64_t last = start + suggested_count - 1;
  std::string owner = user.name.empty() ? std::to_string(user.uid) : user.name;
  std::string line = owner + ":" + std::to_string(start) + ":" + std::to_string(suggested_count);
  std::string hint = "add a line " + go_quote(line) + " to " + std::string(path) + " (as root";
  if (!user.name.empty()) {
    hint += std::string(", e.g. usermod --add-") + kind_word(kind) + "s " + std::to_string(start) + "-" +
            std::to_string(last) + " " + user.name;
  }
  return hint + ")";
}

Error no_match_error(const User& user, std::string_view path, Kind kind, uint64_t used_end) {
  return Error(std::string("No ") + kind_word(kind) + " ranges found for user " + std::to_string(user.uid) + " (" +
               go_quote(user.name) + "): " + add_range_hint(user, path, kind, used_end));
}

Error own_malformed_error(std::string_view path, size_t line_no, std::string_view text) {
  return Error("Cannot parse subuid/gid information: Format not correct for " + std::string(path) + " file: line " +
               std::to_string(line_no) + ": " + go_quote(text) + " is not of the form \"NAME:START:COUNT\"");
}

// Reads a whole file; a missing file keeps Go's `open PATH: no such file or directory` and says
// what to add.
std::string read_subid_file(const std::string& path, const User& user, Kind kind) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    int err = errno;
    Error error = errno_error("open " + path, err);
    if (err == ENOENT) {
      throw Error(std::string(error.what()) + ": " + add_range_hint(user, path, kind, 0));
    }
    throw error;
  }
  std::string content;
  char buf[4096];
  while (true) {
    size_t n = read_full(fd.get(), buf, sizeof buf);
    content.append(buf, n);
    if (n < sizeof buf) {
      return content;
    }
  }
}

}  // namespace

std::vector<Range> parse_static(std::string_view content, std::string_view path, const User& user, Kind kind) {
  std::vector<Range> ranges;
  uint64_t used_end = 0;
  size_t line_no = 0;
  for (const auto& raw : split(content, '\n')) {
    ++line_no;
    std::string_view text = trim_space(raw);
    if (text.empty() || text.front() == '#') {
      continue;
    }
    auto fields = split(text, ':');
    bool mine = belongs_to(fields[0], user);
    if (fields.size() != 3) {
      if (mine) {
        throw own_malformed_error(path, line_no, text);
      }
      log::warn("ignoring malformed line {} of {}: {}", line_no, path, go_quote(text));
      continue;
    }
    used_end = std::max(used_end, range_end(fields).value_or(0));
    if (!mine) {
      continue;
    }
    Range range{parse_id(fields[1], path), parse_id(fields[2], path)};
    if (range.count == 0) {
      log::debug("ignoring empty {} range on line {} of {}", kind_word(kind), line_no, path);
      continue;
    }
    ranges.push_back(range);
  }
  if (ranges.empty()) {
    throw no_match_error(user, path, kind, used_end);
  }
  return ranges;
}

IdRanges lookup_static(const User& user, const StaticPaths& paths) {
  IdRanges result;
  result.uids = parse_static(read_subid_file(paths.subuid, user, Kind::uid), paths.subuid, user, Kind::uid);
  result.gids = parse_static(read_subid_file(paths.subgid, user, Kind::gid), paths.subgid, user, Kind::gid);
  return result;
}

}  // namespace rootlesskit::subid
