// rootlessctl's actions and output formats (upstream cmd/rootlessctl/), against our server; and the
// check that Debian's Go rootlessctl (if installed) reads our server's answers exactly as ours does.
#include "api/rootlessctl_commands.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <sstream>

#include "api/client.h"
#include "api_test_util.h"

namespace rootlesskit::api {
namespace {

using testing::FakePorts;
using testing::RunningServer;

std::string run(const std::string& socket, const std::string& subcommand, const std::vector<std::string>& args = {},
                bool json = false) {
  std::ostringstream out;
  run_rootlessctl_command(subcommand, args, json, socket, out);
  return out.str();
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(Rootlessctl, InfoText) {
  EXPECT_EQ(format_info_text(testing::sample_info()),
            "- REST API version: 1.1.1\n- Implementation version: 3.0.1\n"
            "- State Directory: /tmp/rootlesskit123\n- Child PID: 14086\n"
            "- Network Driver: slirp4netns\n  - DNS: [10.0.2.3]\n  - IP: 10.0.2.100\n"
            "- Port Driver: builtin\n  - Supported protocols: [tcp tcp4 tcp6 udp udp4 udp6]\n");
  Info host;
  host.version = "1.1.0";
  host.state_dir = "/s";
  host.child_pid = 1;
  host.network_driver = NetworkDriverInfo{"none", {}, "", false};
  EXPECT_EQ(format_info_text(host),
            "- REST API version: 1.1.1\n- Implementation version: 1.1.0\n- State Directory: /s\n"
            "- Child PID: 1\n- Network Driver: none\n  - DNS: []\n");
}

TEST(Rootlessctl, PortsTable) {
  EXPECT_EQ(format_ports_table({}), "ID    PROTO    PARENTIP    PARENTPORT    CHILDIP    CHILDPORT    \n");
  EXPECT_EQ(format_ports_table({{1, {"tcp", "127.0.0.1", 18080, 80, ""}}}),
            "ID    PROTO    PARENTIP     PARENTPORT    CHILDIP    CHILDPORT    \n"
            "1     tcp      127.0.0.1    18080                    80           \n");
}

TEST(Rootlessctl, Commands) {
  FakePorts ports;
  RunningServer srv(&ports);
  const std::string& s = srv.socket();
  EXPECT_EQ(run(s, "info", {}, true), format_info_json(testing::sample_info()));
  EXPECT_EQ(run(s, "list-ports", {}, true), "");
  EXPECT_EQ(run(s, "add-ports", {"127.0.0.1:8080:80/tcp", ":8081:81/udp"}), "1\n2\n");
  EXPECT_EQ(run(s, "add-ports", {"[::1]:8082:[::2]:80/udp"}, true),
            "{\"id\":3,\"spec\":{\"proto\":\"udp\",\"parentIP\":\"::1\",\"parentPort\":8082,\"childPort\":80,"
            "\"childIP\":\"::2\"}}\n");
  EXPECT_EQ(run(s, "list-ports", {}, true),
            "{\"id\":1,\"spec\":{\"proto\":\"tcp\",\"parentIP\":\"127.0.0.1\",\"parentPort\":8080,\"childPort\":80}}\n"
            "{\"id\":2,\"spec\":{\"proto\":\"udp\",\"parentPort\":8081,\"childPort\":81}}\n"
            "{\"id\":3,\"spec\":{\"proto\":\"udp\",\"parentIP\":\"::1\",\"parentPort\":8082,\"childPort\":80,"
            "\"childIP\":\"::2\"}}\n");
  // add-ports stops at the first API error; earlier ports stay.
  std::ostringstream out;
  EXPECT_EQ(error_of([&] {
              run_rootlessctl_command("add-ports", {":9000:90/tcp", ":8081:81/udp"}, false, s, out);
            }),
            "conflict with ID 2");
  EXPECT_EQ(out.str(), "4\n");
  out.str("");
  EXPECT_EQ(error_of([&] { run_rootlessctl_command("remove-ports", {"4", "8"}, false, s, out); }), "unknown id: 8");
  EXPECT_EQ(out.str(), "4\n");
}

TEST(Rootlessctl, ArgumentErrorsComeFirst) {
  const std::string none = "/nonexist";
  EXPECT_EQ(error_of([&] { run(none, "add-ports"); }), "no port specified");
  EXPECT_EQ(error_of([&] { run(none, "remove-ports"); }), "no ID specified");
  EXPECT_EQ(error_of([&] {
              run(none, "add-ports", {"127.0.0.1:8080:80/tcp", "--json"});
            }),
            "missing proto in PortSpec string: \"--json\"");
  EXPECT_EQ(error_of([&] {
              run(none, "remove-ports", {"1", "abc"});
            }),
            "strconv.Atoi: parsing \"abc\": invalid syntax");
  EXPECT_EQ(error_of([&] { run(none, "remove-ports", {"1"}); }), "stat /nonexist: no such file or directory");
}

TEST(Rootlessctl, SocketResolution) {
  EXPECT_EQ(resolve_socket_path("/x/api.sock"), "/x/api.sock");
  ::setenv("ROOTLESSKIT_STATE_DIR", "/run/user/1000/dockerd-rootless/", 1);
  EXPECT_EQ(resolve_socket_path(""), "/run/user/1000/dockerd-rootless/api.sock");
  ::unsetenv("ROOTLESSKIT_STATE_DIR");
  EXPECT_EQ(error_of([] { resolve_socket_path(""); }), "please specify --socket or set $ROOTLESSKIT_STATE_DIR");
}

// stdout of a command, with its exit code appended as "rc=N".
std::string shell(const std::string& command) {
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) {
    out.append(buf, n);
  }
  int status = ::pclose(p);
  return out + "rc=" + std::to_string(WEXITSTATUS(status));
}

TEST(Rootlessctl, DebianGoClientReadsOurServer) {
  const char* go = "/usr/bin/rootlessctl";
  if (::access(go, X_OK) != 0) {
    GTEST_SKIP() << go << " is not installed";
  }
  FakePorts ports;
  RunningServer srv(&ports);
  std::string cmd = std::string(go) + " --socket " + srv.socket() + " ";
  EXPECT_EQ(shell(cmd + "info --json"), format_info_json(testing::sample_info()) + "rc=0");
  EXPECT_EQ(shell(cmd + "info"), format_info_text(testing::sample_info()) + "rc=0");
  EXPECT_EQ(shell(cmd + "add-ports 127.0.0.1:18080:80/tcp"), "1\nrc=0");
  EXPECT_EQ(shell(cmd + "list-ports"), format_ports_table(Client::open(srv.socket()).list_ports()) + "rc=0");
  EXPECT_EQ(shell(cmd + "list-ports --json"), run(srv.socket(), "list-ports", {}, true) + "rc=0");
  EXPECT_EQ(shell(cmd + "add-ports 127.0.0.1:18080:81/tcp 2>&1"), "error: conflict with ID 1\nrc=1");
  EXPECT_EQ(shell(cmd + "remove-ports 1 2 2>&1"), "1\nerror: unknown id: 2\nrc=1");
  EXPECT_EQ(shell(cmd + "list-ports --json"), "rc=0");
}

}  // namespace
}  // namespace rootlesskit::api
