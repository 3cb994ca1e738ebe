// libFuzzer target: /etc/subuid and /etc/subgid contents (subid::parse_static), `getsubids`
// output (subid::parse_getsubids_output) and nsswitch.conf (nsswitch_subid_uses_files), then the
// checks and newuidmap arguments built from what they return. Ranges read back the same from
// their own text; the checks either pass or say why. Build and run: scripts/fuzz.sh.
// parse_static warns about other users' malformed lines: subid_fuzz.options closes stderr.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_common.h"
#include "subid/subid.h"

namespace {

using namespace rootlesskit;
using namespace rootlesskit::subid;

// What the parent does with ranges before newuidmap: drop repeats, check, build the arguments.
void check_ranges_and_args(const std::vector<Range>& ranges, uint32_t own_id) {
  std::vector<Range> unique = dedupe(ranges);
  FUZZ_CHECK(dedupe(unique) == unique);
  FUZZ_CHECK(unique.size() <= ranges.size());
  if (!fuzz::succeeds([&] { check_ranges(unique, "/etc/subuid", own_id); })) {
    return;
  }
  std::vector<std::string> args = map_args(own_id, unique);
  FUZZ_CHECK(args.size() == 3 + 3 * unique.size());
}

void static_file(std::string_view content, const User& user, Kind kind) {
  std::vector<Range> ranges;
  if (!fuzz::succeeds([&] { ranges = parse_static(content, "/etc/subuid", user, kind); })) {
    return;
  }
  FUZZ_CHECK(!ranges.empty());
  std::string text;
  for (const Range& r : ranges) {
    FUZZ_CHECK(r.count > 0);
    text += std::to_string(user.uid) + ":" + std::to_string(r.start) + ":" + std::to_string(r.count) + "\n";
  }
  FUZZ_CHECK(parse_static(text, "/etc/subuid", user, kind) == ranges);
  check_ranges_and_args(ranges, user.uid);
}

void getsubids_output(std::string_view out) {
  std::vector<Range> ranges;
  std::vector<std::string> warnings;
  if (!fuzz::succeeds([&] { ranges = parse_getsubids_output(out, &warnings); })) {
    return;
  }
  std::string text;
  for (const Range& r : ranges) {
    text += "0: alice " + std::to_string(r.start) + " " + std::to_string(r.count) + "\n";
  }
  for (const std::string& warning : warnings) {
    FUZZ_CHECK(!warning.empty());
  }
  std::vector<std::string> none;
  FUZZ_CHECK(parse_getsubids_output(text, &none) == ranges);
  FUZZ_CHECK(none.empty());
  check_ranges_and_args(ranges, 1000);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input = fuzz::as_text(data, size);
  static_file(input, User{1000, 1000, "alice"}, Kind::uid);
  static_file(input, User{1005, 1005, ""}, Kind::gid);  // no passwd entry: numeric lines only
  getsubids_output(input);
  nsswitch_subid_uses_files(input);
  return 0;
}
