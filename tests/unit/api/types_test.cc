// JSON forms of the API types: byte-exact encodings (docs/api.md) and Go-like decoding.
#include "api/types.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace rootlesskit::api {
namespace {

Info slirp_info() {
  Info info;
  info.version = "1.1.0";
  info.state_dir = "/tmp/rootlesskit123";
  info.child_pid = 14086;
  info.network_driver = NetworkDriverInfo{"slirp4netns", {"10.0.2.3"}, "10.0.2.100", false};
  info.port_driver = PortDriverInfo{"builtin", {"tcp", "tcp4", "tcp6", "udp", "udp4", "udp6"}, false};
  return info;
}

TEST(ApiTypes, InfoHostEncoding) {
  Info info;
  info.version = "1.1.0";
  info.state_dir = "/tmp/rootlesskit123";
  info.child_pid = 21078;
  EXPECT_EQ(to_json(info),
            R"({"apiVersion":"1.1.1","version":"1.1.0","stateDir":"/tmp/rootlesskit123","childPID":21078})");
}

TEST(ApiTypes, InfoDriverEncoding) {
  EXPECT_EQ(to_json(slirp_info()),
            R"({"apiVersion":"1.1.1","version":"1.1.0","stateDir":"/tmp/rootlesskit123","childPID":14086,)"
            R"("networkDriver":{"driver":"slirp4netns","dns":["10.0.2.3"],"childIP":"10.0.2.100"},)"
            R"("portDriver":{"driver":"builtin","protos":["tcp","tcp4","tcp6","udp","udp4","udp6"]}})");
}

TEST(ApiTypes, DriverInfoOmitEmpty) {
  EXPECT_EQ(to_json(NetworkDriverInfo{"none", {}, "", false}), R"({"driver":"none"})");
  EXPECT_EQ(to_json(NetworkDriverInfo{"pasta", {"10.0.2.3"}, "10.0.2.100", true}),
            R"({"driver":"pasta","dns":["10.0.2.3"],"childIP":"10.0.2.100","dynamicChildIP":true})");
  EXPECT_EQ(to_json(PortDriverInfo{"slirp4netns", {"tcp"}, true}),
            R"({"driver":"slirp4netns","protos":["tcp"],"disallowLoopbackChildIP":true})");
  EXPECT_EQ(to_json(PortDriverInfo{"x", {}, false}), R"({"driver":"x","protos":null})");
}

TEST(ApiTypes, PortSpecOrderAndOmitEmpty) {
  EXPECT_EQ(to_json(PortSpec{"tcp", "127.0.0.1", 18080, 80, ""}),
            R"({"proto":"tcp","parentIP":"127.0.0.1","parentPort":18080,"childPort":80})");
  EXPECT_EQ(to_json(PortSpec{"udp", "::1", 8080, 80, "::2"}),
            R"({"proto":"udp","parentIP":"::1","parentPort":8080,"childPort":80,"childIP":"::2"})");
  EXPECT_EQ(to_json(PortSpec{}), "{}");
  EXPECT_EQ(to_json(PortSpec{"", "", 0, 80, "127.0.0.1"}), R"({"childPort":80,"childIP":"127.0.0.1"})");
  EXPECT_EQ(to_json(PortStatus{3, PortSpec{"tcp4", "", -1, 0, ""}}),
            R"({"id":3,"spec":{"proto":"tcp4","parentPort":-1}})");
}

TEST(ApiTypes, PortListAndErrorBodies) {
  EXPECT_EQ(to_json(std::vector<PortStatus>{}), "null");
  EXPECT_EQ(to_json(std::vector<PortStatus>{{1, {"tcp", "", 1, 2, ""}}, {2, {}}}),
            R"([{"id":1,"spec":{"proto":"tcp","parentPort":1,"childPort":2}},{"id":2,"spec":{}}])");
  EXPECT_EQ(error_body("invalid ParentPort: '\\x00'"), "{\"message\":\"invalid ParentPort: '\\\\x00'\"}\n");
  EXPECT_EQ(error_body("port (>= 1024)"), "{\"message\":\"port (\\u003e= 1024)\"}\n");
}

std::string spec_error(std::string_view json) {
  try {
    port_spec_from_json(json);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ApiTypes, PortSpecDecodingFollowsGo) {
  EXPECT_EQ(port_spec_from_json(R"({"proto":"tcp","parentIP":"127.0.0.1","parentPort":18080,"childPort":80,"x":[1]})"),
            (PortSpec{"tcp", "127.0.0.1", 18080, 80, ""}));
  // Case-insensitive keys, null is a no-op, last duplicate wins, trailing data ignored.
  EXPECT_EQ(port_spec_from_json(R"({"PROTO":"udp","ParentPort":1,"childIP":null,"parentport":2} x)"),
            (PortSpec{"udp", "", 2, 0, ""}));
  EXPECT_EQ(port_spec_from_json("null"), PortSpec{});
  EXPECT_EQ(spec_error("garbage"), "invalid character 'g' looking for beginning of value");
  EXPECT_EQ(spec_error(""), "EOF");
  EXPECT_EQ(spec_error(R"({"parentPort":"80"})"),
            "json: cannot unmarshal string into Go struct field Spec.parentPort of type int");
  EXPECT_EQ(spec_error(R"({"parentPort":1.5})"),
            "json: cannot unmarshal number 1.5 into Go struct field Spec.parentPort of type int");
  EXPECT_EQ(spec_error(R"({"childPort":1e2})"),
            "json: cannot unmarshal number 1e2 into Go struct field Spec.childPort of type int");
  EXPECT_EQ(spec_error(R"({"proto":80})"),
            "json: cannot unmarshal number into Go struct field Spec.proto of type string");
  EXPECT_EQ(spec_error(R"({"proto":true,"parentPort":"x"})"),
            "json: cannot unmarshal bool into Go struct field Spec.proto of type string");
  EXPECT_EQ(spec_error(R"({"parentPort":1e100})"),
            "json: cannot unmarshal number 1e100 into Go struct field Spec.parentPort of type int");
  EXPECT_EQ(spec_error(R"({"parentPort":-1e400})"),
            "json: cannot unmarshal number -1e400 into Go struct field Spec.parentPort of type int");
  // Go's int is 64-bit, ours 32: the same message for what does not fit.
  EXPECT_EQ(spec_error(R"({"parentPort":99999999999})"),
            "json: cannot unmarshal number 99999999999 into Go struct field Spec.parentPort of type int");
  EXPECT_EQ(spec_error(R"({"parentPort":"x","parentPort":1})"),
            "json: cannot unmarshal string into Go struct field Spec.parentPort of type int");
  EXPECT_EQ(port_spec_from_json(R"({"x":1e400,"parentPort":5,"y":{"z":[null]}})"), (PortSpec{"", "", 5, 0, ""}));
  EXPECT_EQ(spec_error(R"({"proto":"tcp" "x"})"), "invalid character '\"' after object key:value pair");
  EXPECT_EQ(spec_error(R"({"proto":)"), "unexpected EOF");
  EXPECT_EQ(spec_error("[]"), "json: cannot unmarshal array into Go value of type port.Spec");
  EXPECT_EQ(spec_error("\"tcp\""), "json: cannot unmarshal string into Go value of type port.Spec");
}

TEST(ApiTypes, ClientSideDecoding) {
  Info info = info_from_json(to_json(slirp_info()));
  EXPECT_EQ(to_json(info), to_json(slirp_info()));
  Info host = info_from_json(R"({"apiVersion":"1.1.1","version":"1.1.0","stateDir":"/s","childPID":5})");
  EXPECT_FALSE(host.network_driver);
  EXPECT_FALSE(host.port_driver);
  EXPECT_EQ(host.child_pid, 5);

  EXPECT_TRUE(port_statuses_from_json("null").empty());
  auto list = port_statuses_from_json(R"([{"id":1,"spec":{"proto":"tcp","childPort":80}},{"id":2,"spec":{}}])");
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0], (PortStatus{1, {"tcp", "", 0, 80, ""}}));
  EXPECT_EQ(port_status_from_json(R"({"id":7,"spec":{"parentIP":"::1"}})"), (PortStatus{7, {"", "::1", 0, 0, ""}}));
  try {
    port_status_from_json(R"({"id":7,"spec":{"parentPort":"x"}})");
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "json: cannot unmarshal string into Go struct field Spec.spec.parentPort of type int");
  }
}

TEST(ApiTypes, ErrorMessageFromBody) {
  EXPECT_EQ(error_message_from_json("{\"message\":\"unknown id: 2\"}\n"), "unknown id: 2");
  EXPECT_EQ(error_message_from_json("{}"), "");
  EXPECT_EQ(error_message_from_json("404 page not found\n"), std::nullopt);
  EXPECT_EQ(error_message_from_json("{\"message\":5}"), std::nullopt);
  EXPECT_EQ(error_message_from_json("{\"message\":\"a\"} x"), std::nullopt);
}

TEST(ApiTypes, IndentJsonForInfo) {
  Info info;
  info.version = "1.1.0";
  info.state_dir = "/tmp/x";
  info.child_pid = 1;
  info.port_driver = PortDriverInfo{"builtin", {"tcp"}, false};
  EXPECT_EQ(indent_json(to_json(info)),
            "{\n    \"apiVersion\": \"1.1.1\",\n    \"version\": \"1.1.0\",\n    \"stateDir\": \"/tmp/x\",\n"
            "    \"childPID\": 1,\n    \"portDriver\": {\n        \"driver\": \"builtin\",\n"
            "        \"protos\": [\n            \"tcp\"\n        ]\n    }\n}");
}

}  // namespace
}  // namespace rootlesskit::api
