// Port specs: upstream portutil's accepted and rejected texts with its (partly mislabelled)
// messages, validation (ranges, IPs, %q of ints) and the conflict rule.
#include "port/spec.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace rootlesskit::port {
namespace {

std::string parse_error(std::string_view text) {
  try {
    parse_spec(text);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(PortSpecText, Accepted) {
  EXPECT_EQ(parse_spec("127.0.0.1:8080:80/tcp"), (Spec{"tcp", "127.0.0.1", 8080, 80, ""}));
  EXPECT_EQ(parse_spec(":8080:80/tcp"), (Spec{"tcp", "", 8080, 80, ""}));
  EXPECT_EQ(parse_spec("0.0.0.0:8080:80/tcp"), (Spec{"tcp", "0.0.0.0", 8080, 80, ""}));
  EXPECT_EQ(parse_spec("[::]:8080:80/tcp"), (Spec{"tcp", "::", 8080, 80, ""}));
  EXPECT_EQ(parse_spec("[::1]:8080:[::2]:80/udp"), (Spec{"udp", "::1", 8080, 80, "::2"}));
  EXPECT_EQ(parse_spec("1.2.3.4:5:6.7.8.9:10/tcp"), (Spec{"tcp", "1.2.3.4", 5, 10, "6.7.8.9"}));
  EXPECT_EQ(parse_spec("127.0.0.1:8080:[::1]:80/tcp"), (Spec{"tcp", "127.0.0.1", 8080, 80, "::1"}));
  EXPECT_EQ(parse_spec("[127.0.0.1]:8080:80/tcp"), (Spec{"tcp", "127.0.0.1", 8080, 80, ""}));
  EXPECT_EQ(parse_spec("127.0.0.1 :8080:80/tcp"), (Spec{"tcp", "127.0.0.1", 8080, 80, ""}));
  EXPECT_EQ(parse_spec("127.0.0.1:8080:80/sctp6").proto, "sctp6");
  // No range checks here.
  EXPECT_EQ(parse_spec("127.0.0.1:0:80/tcp").parent_port, 0);
  EXPECT_EQ(parse_spec(":-1:80/tcp").parent_port, -1);
  EXPECT_EQ(parse_spec(":+80:80/tcp").parent_port, 80);
  EXPECT_EQ(parse_spec(":99999:80/tcp").parent_port, 99999);
  // A fifth field lands on the child port text, as upstream (checked against Debian's 1.1.0).
  EXPECT_EQ(parse_spec("1.2.3.4:5:6.7.8.9:10:11/tcp").child_port, 1110);
}

TEST(PortSpecText, Rejected) {
  EXPECT_EQ(parse_error("8080:80/tcp"), R"(unexpected ParentIP in PortSpec string: "8080:80/tcp")");
  EXPECT_EQ(parse_error("8080"), R"(missing proto in PortSpec string: "8080")");
  EXPECT_EQ(parse_error("--json"), R"(missing proto in PortSpec string: "--json")");
  EXPECT_EQ(parse_error("80/tcp"), R"(unexpected PortSpec string: "80/tcp")");
  EXPECT_EQ(parse_error("::1:8080:80/tcp"), R"(unexpected ParentIP in PortSpec string: "::1:8080:80/tcp")");
  EXPECT_EQ(parse_error("a:b:c:d:e/tcp"), R"(unexpected ParentIP in PortSpec string: "a:b:c:d:e/tcp")");
  EXPECT_EQ(parse_error("127.0.0.1:8080:localhost:80/tcp"),
            R"(unexpected ParentIP in PortSpec string: "127.0.0.1:8080:localhost:80/tcp")");
  EXPECT_EQ(parse_error("127.0.0.1:8080:80:90/tcp"),
            R"(unexpected ParentIP in PortSpec string: "127.0.0.1:8080:80:90/tcp")");
  EXPECT_EQ(parse_error("[fe80::1%eth0]:8080:80/tcp"),
            R"(unexpected ParentIP in PortSpec string: "[fe80::1%eth0]:8080:80/tcp")");
  EXPECT_EQ(parse_error("127.0.0.1:8080:80/TCP"),
            R"(invalid PortSpec string: "127.0.0.1:8080:80/TCP": unknown proto: "TCP")");
  EXPECT_EQ(
      parse_error("127.0.0.1:8080:80/tcp/udp"),
      R"(unexpected ParentPort in PortSpec string: "127.0.0.1:8080:80/tcp/udp": strconv.Atoi: parsing "80/tcp": invalid syntax)");
  // text/scanner quirks, all checked against Debian's Go rootlessctl 1.1.0.
  EXPECT_EQ(
      parse_error("127.0.0.1:\"a:b\":80/tcp"),
      R"(unexpected ChildPort in PortSpec string: "127.0.0.1:\"a:b\":80/tcp": strconv.Atoi: parsing "\"a:b\"": invalid syntax)");
  EXPECT_EQ(parse_error("[::1]80:90/tcp"),
            R"(unexpected ChildPort in PortSpec string: "[::1]80:90/tcp": strconv.Atoi: parsing "": invalid syntax)");
  EXPECT_EQ(parse_error("1.2.3.4]:80:90/tcp"), R"(unexpected ParentIP in PortSpec string: "1.2.3.4]:80:90/tcp")");
  EXPECT_EQ(
      parse_error("127.0.0.1:80x:80/tcp"),
      R"(unexpected ChildPort in PortSpec string: "127.0.0.1:80x:80/tcp": strconv.Atoi: parsing "80x": invalid syntax)");
  EXPECT_EQ(
      parse_error("127.0.0.1:0x50:80/tcp"),
      R"(unexpected ChildPort in PortSpec string: "127.0.0.1:0x50:80/tcp": strconv.Atoi: parsing "0x50": invalid syntax)");
  EXPECT_EQ(
      parse_error("127.0.0.1:8080: 80/tcp"),
      R"(unexpected ParentPort in PortSpec string: "127.0.0.1:8080: 80/tcp": strconv.Atoi: parsing " 80": invalid syntax)");
  EXPECT_EQ(
      parse_error("127.0.0.1::80/tcp"),
      R"(unexpected ChildPort in PortSpec string: "127.0.0.1::80/tcp": strconv.Atoi: parsing "": invalid syntax)");
  EXPECT_EQ(parse_error("1.2.3.4:5:6.7.8.9:10:11:12/tcp"),
            R"(unexpected PortSpec string: "1.2.3.4:5:6.7.8.9:10:11:12/tcp")");
}

TEST(PortSpecText, Helpers) {
  EXPECT_TRUE(is_known_proto("udp6"));
  EXPECT_FALSE(is_known_proto("TCP"));
  EXPECT_FALSE(is_known_proto(""));
  EXPECT_TRUE(is_ip_address("::ffff:1.2.3.4"));
  EXPECT_FALSE(is_ip_address("01.2.3.4"));
  EXPECT_FALSE(is_ip_address(std::string("1.2.3.4\0x", 9)));
  // Go's To4().String().
  EXPECT_EQ(ipv4_text("10.0.2.100"), "10.0.2.100");
  EXPECT_EQ(ipv4_text("::ffff:1.2.3.4"), "1.2.3.4");
  EXPECT_EQ(ipv4_text("::1"), std::nullopt);
  EXPECT_EQ(ipv4_text("::"), std::nullopt);
  EXPECT_EQ(ipv4_text("localhost"), std::nullopt);
  EXPECT_EQ(ipv4_text(""), std::nullopt);
}

std::string validate_error(const Spec& spec, const std::vector<Status>& existing = {}) {
  try {
    validate_spec(spec, existing);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(PortSpecValidate, AcceptsEveryProtoAndAddress) {
  for (const char* proto : {"tcp", "tcp4", "tcp6", "udp", "udp4", "udp6", "sctp", "sctp4", "sctp6"}) {
    EXPECT_EQ(validate_error(Spec{proto, "", 1, 65535, ""}), "(no error)") << proto;
  }
  EXPECT_EQ(validate_error(Spec{"tcp", "::1", 8080, 80, "127.0.0.1"}), "(no error)");
}

TEST(PortSpecValidate, UpstreamMessages) {
  EXPECT_EQ(validate_error(Spec{"", "", 80, 80, ""}), R"(unknown proto: "")");
  EXPECT_EQ(validate_error(Spec{"TCP", "", 80, 80, ""}), R"(unknown proto: "TCP")");
  EXPECT_EQ(validate_error(Spec{"tcp", "localhost", 80, 80, ""}), R"(invalid ParentIP: "localhost")");
  EXPECT_EQ(validate_error(Spec{"tcp", "", 80, 80, "1.2.3"}), R"(invalid ChildIP: "1.2.3")");
  // upstream formats the ints with %q: Go rune literals.
  EXPECT_EQ(validate_error(Spec{"tcp", "", 0, 80, ""}), R"(invalid ParentPort: '\x00')");
  EXPECT_EQ(validate_error(Spec{"tcp", "", 70000, 80, ""}), "invalid ParentPort: '\xf0\x91\x85\xb0'");  // U+11170
  EXPECT_EQ(validate_error(Spec{"tcp", "", 80, -1, ""}), "invalid ChildPort: '\xef\xbf\xbd'");
  EXPECT_EQ(validate_error(Spec{"tcp", "", 80, 65536, ""}), "invalid ChildPort: '\xf0\x90\x80\x80'");
}

TEST(PortSpecValidate, ConflictIsAPlainStringComparison) {
  std::vector<Status> existing = {{1, Spec{"tcp", "127.0.0.1", 8080, 80, ""}}, {4, Spec{"udp", "", 53, 53, ""}}};
  EXPECT_EQ(validate_error(Spec{"tcp", "127.0.0.1", 8080, 90, ""}, existing), "conflict with ID 1");
  EXPECT_EQ(validate_error(Spec{"udp", "", 53, 5353, ""}, existing), "conflict with ID 4");
  // Different proto strings, parent IP strings or ports do not conflict (the kernel decides).
  EXPECT_EQ(validate_error(Spec{"tcp4", "127.0.0.1", 8080, 80, ""}, existing), "(no error)");
  EXPECT_EQ(validate_error(Spec{"tcp", "0.0.0.0", 8080, 80, ""}, existing), "(no error)");
  EXPECT_EQ(validate_error(Spec{"udp", "0.0.0.0", 53, 53, ""}, existing), "(no error)");
  EXPECT_EQ(validate_error(Spec{"tcp", "127.0.0.1", 8081, 80, ""}, existing), "(no error)");
}

TEST(PortSpecValidate, GoQuoteRune) {
  EXPECT_EQ(go_quote_rune(80), "'P'");
  EXPECT_EQ(go_quote_rune(0), "'\\x00'");
  EXPECT_EQ(go_quote_rune('\n'), "'\\n'");
  EXPECT_EQ(go_quote_rune('\''), "'\\''");
  EXPECT_EQ(go_quote_rune(0x7f), "'\\x7f'");
  EXPECT_EQ(go_quote_rune(0x85), "'\\u0085'");
  EXPECT_EQ(go_quote_rune(0xA0), "'\\u00a0'");  // a non-ASCII space
  EXPECT_EQ(go_quote_rune(0xD800), "'\xef\xbf\xbd'");
  EXPECT_EQ(go_quote_rune(0x110000), "'\xef\xbf\xbd'");
  EXPECT_EQ(go_quote_rune(0x10FFFF), "'\\U0010ffff'");
  EXPECT_EQ(base_proto("tcp6"), "tcp");
  EXPECT_EQ(base_proto("udp"), "udp");
}

}  // namespace
}  // namespace rootlesskit::port
