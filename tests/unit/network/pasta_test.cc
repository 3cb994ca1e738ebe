// pasta: option resolution, argv building (upstream pkg/network/pasta/pasta.go), the message the
// child is told, the PID file, and the
// DaemonGuard that stops a daemonized helper on every exit path, SIGKILL of its owner included.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "common/error.h"
#include "common/fd.h"
#include "network/pasta/daemon_guard.h"
#include "network/pasta/options.h"
#include "network/pasta/pasta.h"

#include "fake_binary.h"

namespace rootlesskit::network::pasta {
namespace {

TEST(PastaArgv, Defaults) {
  Options o;
  o.binary = "/usr/bin/pasta";
  std::vector<std::string> expected = {"/usr/bin/pasta",         "--stderr",
                                       "--ns-ifname=tap0",       "--mtu=65520",
                                       "--config-net",           "--address=10.0.2.100",
                                       "--netmask=24",           "--gateway=10.0.2.2",
                                       "--dns-forward=10.0.2.3", "--ipv4-only",
                                       "--tcp-ports=none",       "--udp-ports=none",
                                       "--pid=/state/pasta.pid", "4242"};
  EXPECT_EQ(build_argv(o, Target{4242, "", "/state/pasta.pid"}), expected);
}

TEST(PastaArgv, EveryOptionAndDetached) {
  Options o;
  o.binary = "pasta";
  o.mtu = 1500;
  o.cidr = Ipv4Network::parse("10.0.5.0/24");
  o.ifname = "eth7";
  o.disable_host_loopback = true;
  o.ipv6 = true;
  o.implicit_ports = true;
  o.host_lo_to_ns_lo = true;
  std::vector<std::string> expected = {"pasta",
                                       "--stderr",
                                       "--ns-ifname=eth7",
                                       "--mtu=1500",
                                       "--config-net",
                                       "--address=10.0.5.100",
                                       "--netmask=24",
                                       "--gateway=10.0.5.2",
                                       "--dns-forward=10.0.5.3",
                                       "--no-map-gw",
                                       "--tcp-ports=auto",
                                       "--udp-ports=auto",
                                       "--host-lo-to-ns-lo",
                                       "--pid=/s/pasta.pid",
                                       "--userns=/proc/77/ns/user",
                                       "--netns=/proc/77/root/s/netns"};
  EXPECT_EQ(build_argv(o, Target{77, "/proc/77/root/s/netns", "/s/pasta.pid"}), expected);
}

TEST(PastaMessage, AddressesOfTheCidrAndOneDns) {
  Options o;
  o.cidr = Ipv4Network::parse("10.0.5.0/24");
  o.ipv6 = true;
  messages::NetworkDriverCompleted m = network_message(o);
  EXPECT_EQ(m.dev, "tap0");
  EXPECT_EQ(m.ip, "10.0.5.100");
  EXPECT_EQ(m.netmask, 24);
  EXPECT_EQ(m.gateway, "10.0.5.2");
  EXPECT_EQ(m.dns, std::vector<std::string>{"10.0.5.3"});
  EXPECT_EQ(m.mtu, 65520);
}

// A pasta whose `--version` exits with `version_status` and that has --host-lo-to-ns-lo or not.
FakeBinary fake_pasta(int version_status, bool host_lo_to_ns_lo) {
  return FakeBinary("if [ \"$1\" = --host-lo-to-ns-lo ]; then exit " + std::string(host_lo_to_ns_lo ? "0" : "1") +
                    "; fi\necho 'pasta 2023_06_27'\nexit " + std::to_string(version_status) + "\n");
}

TEST(PastaResolve, ProbesHostLoToNsLo) {
  FakeBinary old_pasta = fake_pasta(0, false);
  Options requested;
  requested.binary = old_pasta.path();
  requested.mtu = 1500;
  requested.implicit_ports = true;
  Options o = resolve(requested);
  EXPECT_EQ(o.binary, old_pasta.path());
  EXPECT_FALSE(o.host_lo_to_ns_lo);
  EXPECT_EQ(o.mtu, 1500);
  EXPECT_TRUE(o.implicit_ports);
  FakeBinary new_pasta = fake_pasta(0, true);
  requested.binary = new_pasta.path();
  EXPECT_TRUE(resolve(requested).host_lo_to_ns_lo);
}

TEST(PastaResolve, FailuresSayWhatToInstall) {
  FakeBinary broken = fake_pasta(3, false);
  Options requested;
  requested.binary = broken.path();
  try {
    resolve(requested);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.what(), "command \"" + broken.path() +
                            " --version\" failed, make sure pasta is installed: \"pasta 2023_06_27\": exit status 3 "
                            "(pasta is in Debian's passt package: apt-get install passt)");
  }
  requested.binary = "no-such-pasta";
  try {
    resolve(requested);
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "exec: \"no-such-pasta\": executable file not found in $PATH "
                 "(pasta is in Debian's passt package: apt-get install passt)");
  }
}

TEST(PastaDriver, InfoBeforeAndChildHalf) {
  ParentDriver driver{Options{}};
  EXPECT_EQ(driver.info().driver, "pasta");
  EXPECT_TRUE(driver.info().dns.empty());
  ChildDriver child;
  messages::NetworkDriverCompleted m;
  EXPECT_THROW(child.configure_child(m, ""), Error);
  m.dev = "tap0";
  EXPECT_EQ(child.configure_child(m, ""), "tap0");
}

TEST(PastaPidFile, ReadsThePid) {
  char dir[] = "/tmp/pasta-test-XXXXXX";
  ASSERT_NE(::mkdtemp(dir), nullptr);
  const std::string path = std::string(dir) + "/pasta.pid";
  std::ofstream(path) << "1234\n";
  EXPECT_EQ(read_pid_file(path), 1234);
  std::ofstream(path) << "";
  EXPECT_THROW(read_pid_file(path), Error);
  std::ofstream(path) << "-5\n";
  EXPECT_THROW(read_pid_file(path), Error);
  ::unlink(path.c_str());
  try {
    read_pid_file(path);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "pasta did not write its PID to " + path);
  }
  ::rmdir(dir);
}

// A process that waits to be killed.
pid_t start_sleeper() {
  pid_t pid = ::fork();
  if (pid == 0) {
    while (true) {
      ::pause();
    }
  }
  return pid;
}

Fd pidfd_of(pid_t pid) { return Fd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0))); }

TEST(DaemonGuard, StopKillsTheDaemon) {
  pid_t daemon = start_sleeper();
  Fd pidfd = pidfd_of(daemon);
  ASSERT_TRUE(pidfd);
  {
    DaemonGuard guard(daemon, "sleeper");
    EXPECT_FALSE(guard.daemon_exited());
    EXPECT_TRUE(guard.stop());
  }
  EXPECT_TRUE(pidfd_exited(pidfd.get(), 5000));
  int status = 0;
  ASSERT_EQ(::waitpid(daemon, &status, 0), daemon);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

TEST(DaemonGuard, NoticesTheDaemonsOwnExit) {
  pid_t daemon = start_sleeper();
  DaemonGuard guard(daemon, "sleeper");
  ::kill(daemon, SIGTERM);
  ::waitpid(daemon, nullptr, 0);
  bool exited = false;
  for (int i = 0; i < 500 && !exited; ++i) {
    exited = guard.daemon_exited();
    ::usleep(10000);
  }
  EXPECT_TRUE(exited);
}

TEST(DaemonGuard, RefusesAGonePid) {
  pid_t gone = start_sleeper();
  ::kill(gone, SIGKILL);
  ::waitpid(gone, nullptr, 0);
  EXPECT_THROW(DaemonGuard(gone, "gone"), Error);
}

// The owner dies without stopping the guard (as rootlesskit does under SIGKILL): the watchdog
// kills the daemon anyway.
TEST(DaemonGuard, WatchdogKillsTheDaemonWhenTheOwnerDies) {
  pid_t daemon = start_sleeper();
  Fd pidfd = pidfd_of(daemon);
  pid_t owner = ::fork();
  if (owner == 0) {
    auto* guard = new DaemonGuard(daemon, "sleeper");  // never destroyed
    (void)guard;
    ::_exit(0);
  }
  ::waitpid(owner, nullptr, 0);
  EXPECT_TRUE(pidfd_exited(pidfd.get(), 5000));
  int status = 0;
  ASSERT_EQ(::waitpid(daemon, &status, 0), daemon);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

}  // namespace
}  // namespace rootlesskit::network::pasta
