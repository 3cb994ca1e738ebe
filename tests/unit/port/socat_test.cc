// The socat port driver's pure parts: upstream's command lines and messages, the lookup messages,
// the back-off and the log texts (socat_driver_test.cc runs the driver itself).
#include "port/socat/socat.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "port/socat/supervisor.h"

namespace rootlesskit::port::socat {
namespace {

using std::chrono::milliseconds;

const Options resolved{"/usr/bin/socat", "/usr/bin/nsenter", milliseconds(2000)};

template <typename F>
std::string error_of(F&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(SocatCommand, UpstreamTcpCommandLine) {
  EXPECT_EQ(build_argv(resolved, Target{4242, ""}, Spec{"tcp", "", 8080, 80, ""}),
            (std::vector<std::string>{"/usr/bin/socat",
                                      "TCP-LISTEN:8080,bind=0.0.0.0,reuseaddr,fork,rcvbuf=65536,sndbuf=65536",
                                      "EXEC:\"/usr/bin/nsenter -U -n --preserve-credentials -t 4242 "
                                      "/usr/bin/socat STDIN TCP4:127.0.0.1:80\",nofork"}));
}

TEST(SocatCommand, UdpParentAndChildAddresses) {
  std::vector<std::string> argv = build_argv(resolved, Target{7, ""}, Spec{"udp", "127.0.0.1", 5353, 53, "10.0.2.100"});
  EXPECT_EQ(argv.at(1), "UDP-LISTEN:5353,bind=127.0.0.1,reuseaddr,fork,rcvbuf=65536,sndbuf=65536");
  EXPECT_EQ(
      argv.at(2),
      "EXEC:\"/usr/bin/nsenter -U -n --preserve-credentials -t 7 /usr/bin/socat STDIN UDP4:10.0.2.100:53\",nofork");
  // Go's To4() takes IPv4-mapped IPv6 addresses as IPv4.
  EXPECT_EQ(build_argv(resolved, Target{7, ""}, Spec{"tcp", "::ffff:127.0.0.2", 1, 2, "::ffff:10.0.0.1"}).at(1),
            "TCP-LISTEN:1,bind=127.0.0.2,reuseaddr,fork,rcvbuf=65536,sndbuf=65536");
}

TEST(SocatCommand, DetachedNetnsIsEnteredByFile) {
  std::vector<std::string> argv =
      build_argv(resolved, Target{42, "/proc/42/root/tmp/rk/netns"}, Spec{"tcp", "", 8080, 80, ""});
  EXPECT_EQ(argv.at(2),
            "EXEC:\"/usr/bin/nsenter -U --preserve-credentials -t 42 --net=/proc/42/root/tmp/rk/netns "
            "/usr/bin/socat STDIN TCP4:127.0.0.1:80\",nofork");
}

TEST(SocatCommand, UpstreamErrors) {
  const Target t{1, ""};
  for (const char* proto : {"tcp4", "tcp6", "udp6", "sctp"}) {
    EXPECT_EQ(error_of([&] {
                build_argv(resolved, t, Spec{proto, "", 1, 2, ""});
              }),
              std::string("unsupported proto: ") + proto);
  }
  EXPECT_EQ(error_of([&] {
              build_argv(resolved, t, Spec{"tcp", "::1", 1, 2, ""});
            }),
            "unsupported parentIP (v6?): ::1");
  EXPECT_EQ(error_of([&] { build_argv(resolved, t, Spec{"tcp", "::", 1, 2, ""}); }), "unsupported parentIP (v6?): ::");
  EXPECT_EQ(error_of([&] { build_argv(resolved, t, Spec{"udp", "", 1, 2, "::1"}); }), "unsupported IP (v6?): ::1");
  EXPECT_EQ(error_of([&] { build_argv(resolved, t, Spec{"udp", "", 0, 2, ""}); }), "unsupported parentPort: 0");
}

TEST(SocatCommand, ExecSafePaths) {
  EXPECT_TRUE(exec_safe("/proc/42/root/tmp/rootlesskit123/netns"));
  EXPECT_TRUE(exec_safe("/home/a,b:c/x"));  // inside the EXEC address's quotes
  EXPECT_FALSE(exec_safe("/tmp/a b/netns"));
  EXPECT_FALSE(exec_safe("/tmp/a\"b"));
  EXPECT_FALSE(exec_safe("/tmp/a\\b"));
  EXPECT_FALSE(exec_safe("/tmp/a!!b"));
  EXPECT_FALSE(exec_safe("/tmp/a\tb"));
  EXPECT_FALSE(exec_safe(""));
}

TEST(SocatResolve, MissingProgramsNameTheirPackage) {
  EXPECT_EQ(error_of([] {
              resolve(Options{"/nonexistent/socat", "nsenter", {}});
            }),
            "port driver \"socat\" needs socat: install the socat package (apt-get install socat)");
  EXPECT_EQ(error_of([] {
              resolve(Options{"sh", "no-such-nsenter-here", {}});
            }),
            "port driver \"socat\" needs nsenter: install the util-linux package (apt-get install util-linux)");
  Options o = resolve(Options{"sh", "sh", {}});
  EXPECT_EQ(o.socat_binary.front(), '/');
  EXPECT_EQ(o.nsenter_binary.front(), '/');
}

TEST(SocatSupervision, BackOffAndGoTexts) {
  EXPECT_EQ(restart_delay(1), milliseconds(100));
  EXPECT_EQ(restart_delay(15), milliseconds(1500));
  EXPECT_EQ(restart_delay(300), milliseconds(30000));
  EXPECT_EQ(restart_delay(301), milliseconds(30000));  // upstream's modulo would give 100 ms
  EXPECT_EQ(go_duration_text(milliseconds(100)), "100ms");
  EXPECT_EQ(go_duration_text(milliseconds(1000)), "1s");
  EXPECT_EQ(go_duration_text(milliseconds(1500)), "1.5s");
  EXPECT_EQ(go_duration_text(milliseconds(1010)), "1.01s");
  EXPECT_EQ(go_duration_text(milliseconds(30000)), "30s");
  EXPECT_EQ(go_duration_text(milliseconds(90500)), "1m30.5s");
  EXPECT_EQ(go_duration_text(milliseconds(0)), "0s");
  EXPECT_EQ(strip_log_dates("2026/12/06 08:11:16 socat[42] E bind(5, {AF=2 0.0.0.0:80}, 16): Address already in use\n"),
            "socat[42] E bind(5, {AF=2 0.0.0.0:80}, 16): Address already in use");
  EXPECT_EQ(strip_log_dates("a\n\n2026/12/06 08:11:16 b\n"), "a; b");
}

}  // namespace
}  // namespace rootlesskit::port::socat
