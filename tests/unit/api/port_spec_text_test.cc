// Port spec text parsing: the accepted and rejected examples of SPEC §10.1-10.2, with upstream's
// (partly mislabelled) messages.
#include "api/port_spec_text.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace rootlesskit::api {
namespace {

std::string parse_error(std::string_view text) {
  try {
    parse_port_spec(text);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(PortSpecText, Accepted) {
  EXPECT_EQ(parse_port_spec("127.0.0.1:8080:80/tcp"), (PortSpec{"tcp", "127.0.0.1", 8080, 80, ""}));
  EXPECT_EQ(parse_port_spec(":8080:80/tcp"), (PortSpec{"tcp", "", 8080, 80, ""}));
  EXPECT_EQ(parse_port_spec("0.0.0.0:8080:80/tcp"), (PortSpec{"tcp", "0.0.0.0", 8080, 80, ""}));
  EXPECT_EQ(parse_port_spec("[::]:8080:80/tcp"), (PortSpec{"tcp", "::", 8080, 80, ""}));
  EXPECT_EQ(parse_port_spec("[::1]:8080:[::2]:80/udp"), (PortSpec{"udp", "::1", 8080, 80, "::2"}));
  EXPECT_EQ(parse_port_spec("1.2.3.4:5:6.7.8.9:10/tcp"), (PortSpec{"tcp", "1.2.3.4", 5, 10, "6.7.8.9"}));
  EXPECT_EQ(parse_port_spec("127.0.0.1:8080:[::1]:80/tcp"), (PortSpec{"tcp", "127.0.0.1", 8080, 80, "::1"}));
  EXPECT_EQ(parse_port_spec("[127.0.0.1]:8080:80/tcp"), (PortSpec{"tcp", "127.0.0.1", 8080, 80, ""}));
  EXPECT_EQ(parse_port_spec("127.0.0.1 :8080:80/tcp"), (PortSpec{"tcp", "127.0.0.1", 8080, 80, ""}));
  EXPECT_EQ(parse_port_spec("127.0.0.1:8080:80/sctp6").proto, "sctp6");
  // No range checks here.
  EXPECT_EQ(parse_port_spec("127.0.0.1:0:80/tcp").parent_port, 0);
  EXPECT_EQ(parse_port_spec(":-1:80/tcp").parent_port, -1);
  EXPECT_EQ(parse_port_spec(":+80:80/tcp").parent_port, 80);
  EXPECT_EQ(parse_port_spec(":99999:80/tcp").parent_port, 99999);
  // A fifth field lands on the child port text, as upstream (checked against Debian's 1.1.0).
  EXPECT_EQ(parse_port_spec("1.2.3.4:5:6.7.8.9:10:11/tcp").child_port, 1110);
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
  EXPECT_EQ(parse_error("127.0.0.1:8080:80/tcp/udp"),
            R"(unexpected ParentPort in PortSpec string: "127.0.0.1:8080:80/tcp/udp": strconv.Atoi: parsing "80/tcp": invalid syntax)");
  // text/scanner quirks, all checked against Debian's Go rootlessctl 1.1.0.
  EXPECT_EQ(parse_error("127.0.0.1:\"a:b\":80/tcp"),
            R"(unexpected ChildPort in PortSpec string: "127.0.0.1:\"a:b\":80/tcp": strconv.Atoi: parsing "\"a:b\"": invalid syntax)");
  EXPECT_EQ(parse_error("[::1]80:90/tcp"),
            R"(unexpected ChildPort in PortSpec string: "[::1]80:90/tcp": strconv.Atoi: parsing "": invalid syntax)");
  EXPECT_EQ(parse_error("1.2.3.4]:80:90/tcp"), R"(unexpected ParentIP in PortSpec string: "1.2.3.4]:80:90/tcp")");
  EXPECT_EQ(parse_error("127.0.0.1:80x:80/tcp"),
            R"(unexpected ChildPort in PortSpec string: "127.0.0.1:80x:80/tcp": strconv.Atoi: parsing "80x": invalid syntax)");
  EXPECT_EQ(parse_error("127.0.0.1:0x50:80/tcp"),
            R"(unexpected ChildPort in PortSpec string: "127.0.0.1:0x50:80/tcp": strconv.Atoi: parsing "0x50": invalid syntax)");
  EXPECT_EQ(parse_error("127.0.0.1:8080: 80/tcp"),
            R"(unexpected ParentPort in PortSpec string: "127.0.0.1:8080: 80/tcp": strconv.Atoi: parsing " 80": invalid syntax)");
  EXPECT_EQ(parse_error("127.0.0.1::80/tcp"),
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
}

}  // namespace
}  // namespace rootlesskit::api
