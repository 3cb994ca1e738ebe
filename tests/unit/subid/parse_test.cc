// Unit tests for the pure parts of src/subid: /etc/subuid parsing, getsubids output parsing,
// dedupe, overlap checks and the newuidmap argv layout.
#include <functional>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/error.h"
#include "subid/subid.h"

namespace rootlesskit::subid {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const User alice_user{1003, 1004, "alice"};

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "<no error>";
}

TEST(ParseStatic, MatchesByName) {
  auto r = parse_static("bob:100000:65536\nalice:165536:65536\n", "/etc/subuid", alice_user);
  EXPECT_THAT(r, ElementsAre(Range{165536, 65536}));
}

TEST(ParseStatic, MatchesByNumericUid) {
  auto r = parse_static("1003:200000:1000\n", "/etc/subuid", alice_user);
  EXPECT_THAT(r, ElementsAre(Range{200000, 1000}));
}

TEST(ParseStatic, KeepsEveryMatchInFileOrder) {
  auto r = parse_static("alice:300000:10\n1003:100000:20\nbob:1:2\nalice:200000:30\n", "/etc/subuid", alice_user);
  EXPECT_THAT(r, ElementsAre(Range{300000, 10}, Range{100000, 20}, Range{200000, 30}));
}

TEST(ParseStatic, SkipsCommentsBlankLinesAndTrimsSpace) {
  auto r = parse_static("# comment\n\n   \n  alice:100000:65536  \r\n#alice:1:1\n", "/etc/subuid", alice_user);
  EXPECT_THAT(r, ElementsAre(Range{100000, 65536}));
}

TEST(ParseStatic, SkipsZeroCountRanges) {
  auto r = parse_static("alice:100000:0\nalice:200000:5\n", "/etc/subuid", alice_user);
  EXPECT_THAT(r, ElementsAre(Range{200000, 5}));
}

TEST(ParseStatic, ForeignMalformedLineIsSkipped) {
  auto r = parse_static("bob:100000\ngarbage\ncarol:1:2:3\nalice:165536:65536\n", "/etc/subuid", alice_user);
  EXPECT_THAT(r, ElementsAre(Range{165536, 65536}));
}

TEST(ParseStatic, OwnMalformedLineIsAnError) {
  auto msg = error_of([] { parse_static("bob:1:2\nalice:165536\n", "/etc/subuid", alice_user); });
  EXPECT_THAT(msg, HasSubstr("Cannot parse subuid/gid information: Format not correct for /etc/subuid file"));
  EXPECT_THAT(msg, HasSubstr("line 2"));
  EXPECT_THAT(msg, HasSubstr("\"alice:165536\""));
  msg = error_of([] { parse_static("1003:1:2:3\n", "/etc/subuid", alice_user); });
  EXPECT_THAT(msg, HasSubstr("line 1"));
}

TEST(ParseStatic, BadIntegers) {
  EXPECT_EQ(error_of([] { parse_static("alice:abc:65536\n", "/etc/subuid", alice_user); }),
            "String to int conversion failed during subuid/gid parsing of /etc/subuid: "
            "strconv.Atoi: parsing \"abc\": invalid syntax");
  EXPECT_THAT(error_of([] { parse_static("alice:1:99999999999\n", "/etc/subgid", alice_user, Kind::gid); }),
              HasSubstr("parsing of /etc/subgid: strconv.Atoi: parsing \"99999999999\": value out of range"));
  EXPECT_THAT(error_of([] { parse_static("alice:-1:5\n", "/etc/subuid", alice_user); }),
              HasSubstr("value out of range"));
}

TEST(ParseStatic, BadIntegersOfOtherUsersAreIgnored) {
  auto r = parse_static("bob:x:y\nalice:1:2\n", "/etc/subuid", alice_user);
  EXPECT_THAT(r, ElementsAre(Range{1, 2}));
}

TEST(ParseStatic, NoMatchSaysWhatToDo) {
  auto msg = error_of([] { parse_static("bob:100000:65536\n", "/etc/subuid", alice_user); });
  EXPECT_EQ(msg,
            "No subuid ranges found for user 1003 (\"alice\"): add a line \"alice:165536:65536\" to /etc/subuid "
            "(as root, e.g. usermod --add-subuids 165536-231071 alice)");
  msg = error_of([] { parse_static("", "/tmp/x", alice_user, Kind::gid); });
  EXPECT_EQ(msg,
            "No subgid ranges found for user 1003 (\"alice\"): add a line \"alice:100000:65536\" to /tmp/x "
            "(as root, e.g. usermod --add-subgids 100000-165535 alice)");
}

TEST(ParseStatic, UserWithoutPasswdEntryMatchesByUidOnly) {
  User nameless{1005, 1005, ""};
  auto r = parse_static(":1:2\n1005:100:200\n", "/etc/subuid", nameless);
  EXPECT_THAT(r, ElementsAre(Range{100, 200}));
  auto msg = error_of([&] { parse_static(":1:2\n", "/etc/subuid", nameless); });
  EXPECT_EQ(msg,
            "No subuid ranges found for user 1005 (\"\"): add a line \"1005:100000:65536\" to /etc/subuid "
            "(as root)");
}

TEST(ParseGetsubids, ParsesLines) {
  auto r = parse_getsubids_output("# foo\n0: alice 300000 1000\n1: alice 400000 2000\n");
  EXPECT_THAT(r, ElementsAre(Range{300000, 1000}, Range{400000, 2000}));
}

TEST(ParseGetsubids, EmptyOutputIsEmpty) { EXPECT_TRUE(parse_getsubids_output("").empty()); }

TEST(ParseGetsubids, ExtraFieldsWarn) {
  std::vector<std::string> warnings;
  auto r = parse_getsubids_output("0: alice 1 2 extra\n", &warnings);
  EXPECT_THAT(r, ElementsAre(Range{1, 2}));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], "line 1: line \"0: alice 1 2 extra\" contains unknown fields");
}

TEST(ParseGetsubids, UnparsableLines) {
  EXPECT_EQ(error_of([] { parse_getsubids_output("garbage\n"); }), "line 1: unparsable line \"garbage\"");
  EXPECT_EQ(error_of([] { parse_getsubids_output("0: alice 1\n"); }), "line 1: unparsable line \"0: alice 1\"");
  EXPECT_THAT(error_of([] { parse_getsubids_output("\n0: alice x 1\n"); }),
              HasSubstr("line 2: unparsable line \"0: alice x 1\": failed to Atoi(\"x\")"));
}

TEST(Dedupe, DropsExactRepeatsKeepingOrder) {
  auto r = dedupe({{5, 1}, {1, 2}, {5, 1}, {1, 3}, {1, 2}});
  EXPECT_THAT(r, ElementsAre(Range{5, 1}, Range{1, 2}, Range{1, 3}));
}

TEST(CheckRanges, AcceptsDisjointRanges) {
  EXPECT_NO_THROW(check_ranges({{100000, 65536}, {165536, 65536}, {1, 999}}, "/etc/subuid", 1002));
  EXPECT_NO_THROW(check_ranges({}, "/etc/subuid", 0));
}

TEST(CheckRanges, NamesOverlappingRanges) {
  auto msg = error_of([] { check_ranges({{165536, 65536}, {200000, 65536}}, "/etc/subuid", 1002); });
  EXPECT_THAT(msg, HasSubstr("165536:65536 and 200000:65536"));
  EXPECT_THAT(msg, HasSubstr("/etc/subuid"));
  EXPECT_THAT(msg, HasSubstr("Invalid argument"));
  EXPECT_THAT(msg, HasSubstr("remove one of the two lines"));
}

TEST(CheckRanges, RejectsRangeContainingOwnId) {
  auto msg = error_of([] { check_ranges({{1000, 100}}, "/etc/subgid", 1002); });
  EXPECT_THAT(msg, HasSubstr("1000:100"));
  EXPECT_THAT(msg, HasSubstr("own ID 1002"));
}

TEST(CheckRanges, RejectsWrapAround) {
  auto msg = error_of([] { check_ranges({{4294967000u, 1000}}, "/etc/subuid", 1); });
  EXPECT_THAT(msg, HasSubstr("4294967000:1000"));
}

TEST(MapArgs, PacksRangesFromOne) {
  EXPECT_THAT(map_args(1002, {{165536, 65536}, {200000, 65536}}),
              ElementsAre("0", "1002", "1", "1", "165536", "65536", "65537", "200000", "65536"));
  EXPECT_THAT(map_args(0, {}), ElementsAre("0", "0", "1"));
}

TEST(ParseSource, KnownAndUnknown) {
  EXPECT_EQ(parse_source(""), Source::auto_);
  EXPECT_EQ(parse_source("auto"), Source::auto_);
  EXPECT_EQ(parse_source("dynamic"), Source::dynamic);
  EXPECT_EQ(parse_source("static"), Source::static_);
  EXPECT_EQ(error_of([] { parse_source("bogus"); }), "unknown subid source \"bogus\"");
}

}  // namespace
}  // namespace rootlesskit::subid

namespace rootlesskit::subid {
namespace {

TEST(Nsswitch, SubidDatabaseDecidesWhetherGetsubidsReadsFiles) {
  EXPECT_TRUE(nsswitch_subid_uses_files("passwd: files\ngroup: files\n"));
  EXPECT_TRUE(nsswitch_subid_uses_files("subid: files\n"));
  EXPECT_TRUE(nsswitch_subid_uses_files("  subid:   files  \n"));
  EXPECT_FALSE(nsswitch_subid_uses_files("passwd: files\nsubid: sss\n"));
  EXPECT_TRUE(nsswitch_subid_uses_files("#subid: sss\n"));
}

}  // namespace
}  // namespace rootlesskit::subid
