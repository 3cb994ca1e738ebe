// The spawn primitive: failed setup steps worded in the parent, the fd plan, the parent-death
// signal, worker reports and timeouts, and spawning while another thread allocates.
#include "common/spawn.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <new>
#include <thread>

#include "common/error.h"
#include "common/fs.h"
#include "common/strings.h"

// Allocation trap for ExecsWithoutAllocatingWhileAnotherThreadAllocates: glibc's fork() makes
// malloc usable in the new process, so only a trap can show that spawn_program allocates between
// fork and exec. While armed, a process forked from here exits 99 on its first operator new.
// (Not under AddressSanitizer, which brings its own operator new.)
namespace {
std::atomic<bool> allocation_trap_armed{false};
bool in_trapped_child = false;
}  // namespace

#if !defined(__SANITIZE_ADDRESS__)
void* operator new(std::size_t size) {
  if (in_trapped_child) {
    ::_exit(99);
  }
  void* p = std::malloc(size == 0 ? 1 : size);
  if (p == nullptr) {
    throw std::bad_alloc();
  }
  return p;
}
#endif

namespace rootlesskit {
namespace {

const bool atfork_registered = [] {
  ::pthread_atfork(nullptr, nullptr, [] { in_trapped_child = allocation_trap_armed; });
  return true;
}();

std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

bool fd_is_open(int fd) { return ::fcntl(fd, F_GETFD) >= 0; }

bool exits_within(int pidfd, int timeout_ms) {
  pollfd p{pidfd, POLLIN, 0};
  return ::poll(&p, 1, timeout_ms) > 0;
}

// A process that is not our child: watch it through a pidfd of our own. ESRCH: already gone.
Fd open_pidfd(pid_t pid) { return Fd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0))); }

class TempDir {
 public:
  TempDir() : m_path(make_temp_dir("/tmp", "rk-spawn-test", 0700, "test")) {}
  ~TempDir() { std::filesystem::remove_all(m_path); }
  const std::string& path() const { return m_path; }

 private:
  std::string m_path;
};

TEST(Spawn, ExecFailureNamesTheStepAndErrno) {
  TempDir dir;
  std::string script = dir.path() + "/no-interpreter";
  write_file(script, "not a program\n", 0755);  // no #!: execve says ENOEXEC
  ProgramSpec spec;
  spec.argv = {script};
  EXPECT_EQ(error_of([&] { spawn_program(spec); }), "fork/exec " + script + ": exec format error");
}

TEST(Spawn, NamespaceJoinFailureIsWordedInTheParent) {
  Fd not_a_namespace(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  ProcessSetup setup;
  setup.namespaces = {{not_a_namespace.get(), CLONE_NEWNET, "the network namespace /dev/null"}};
  ProgramSpec spec;
  spec.argv = {"true"};
  spec.setup = setup;
  const std::string expected = "failed to join the network namespace /dev/null: invalid argument";
  EXPECT_EQ(error_of([&] { spawn_program(spec); }), expected);
  EXPECT_EQ(error_of([&] { spawn_worker("joiner", setup, [] { report_ready(); }); }), expected);
}

// Pipes whose write ends sit on 7 and 8, each the other's target: installing one by dup2 without
// moving the other first would clobber it. An unlisted inheritable fd 9 must not reach the program.
TEST(Spawn, FdPlanSurvivesClashingNumbers) {
  for (int fd : {7, 8, 9}) {
    if (fd_is_open(fd)) {
      GTEST_SKIP() << "fd " << fd << " is in use in this process";
    }
  }
  // The pipes themselves must not land on 7..9 (they would if ctest left 3..6 open).
  auto above_nine = [](Pipe p) {
    return Pipe{Fd(::fcntl(p.read.get(), F_DUPFD_CLOEXEC, 10)), Fd(::fcntl(p.write.get(), F_DUPFD_CLOEXEC, 10))};
  };
  Pipe a = above_nine(make_pipe());
  Pipe b = above_nine(make_pipe());
  Fd on8(::dup3(a.write.get(), 8, O_CLOEXEC));
  Fd on7(::dup3(b.write.get(), 7, O_CLOEXEC));
  Fd leak(::dup2(on8.get(), 9));  // inheritable: cloexec mode must still keep it away
  a.write.reset();
  b.write.reset();
  ProgramSpec spec;
  spec.argv = {"sh", "-c", "echo a >&7; echo b >&8; if [ -e /proc/self/fd/9 ]; then echo leaked >&7; fi"};
  spec.setup.fds = {{7, on8.get()}, {8, on7.get()}};
  ChildProcess child = spawn_program(spec);
  on7.reset();
  on8.reset();
  leak.reset();
  EXPECT_EQ(child.wait(), 0);
  EXPECT_EQ(read_to_end(a.read.get()), "a\n");
  EXPECT_EQ(read_to_end(b.read.get()), "b\n");
}

TEST(Spawn, InheritModePassesInheritableFds) {
  if (fd_is_open(9)) {
    GTEST_SKIP() << "fd 9 is in use in this process";
  }
  Pipe out = make_pipe();
  Fd on9(::dup2(out.write.get(), 9));  // without FD_CLOEXEC, as a user's fd would be
  out.write.reset();
  ProgramSpec spec;
  spec.argv = {"sh", "-c", "echo passed >&9"};
  spec.setup.other_fds = OtherFds::inherit;
  ChildProcess child = spawn_program(spec);
  on9.reset();
  EXPECT_EQ(child.wait(), 0);
  EXPECT_EQ(read_to_end(out.read.get()), "passed\n");
}

TEST(Spawn, OwnPidVariableAndEnvironment) {
  ::setenv("RK_SPAWN_TEST", "old", 1);
  Pipe out = make_pipe();
  ProgramSpec spec;
  spec.argv = {"sh", "-c", "echo \"$LISTEN_PID $$ $RK_SPAWN_TEST\""};
  spec.extra_env = {"RK_SPAWN_TEST=new"};
  spec.own_pid_env = "LISTEN_PID";
  spec.setup.fds = {{1, out.write.get()}};
  ChildProcess child = spawn_program(spec);
  out.write.reset();
  pid_t pid = child.pid();
  EXPECT_EQ(child.wait(), 0);
  EXPECT_EQ(read_to_end(out.read.get()), std::to_string(pid) + " " + std::to_string(pid) + " new\n");
  ::unsetenv("RK_SPAWN_TEST");
}

TEST(Spawn, PidfdAndProcessGroup) {
  ProgramSpec spec;
  spec.argv = {"sleep", "60"};
  spec.setup.new_process_group = true;
  ChildProcess child = spawn_program(spec);
  ASSERT_GE(child.pidfd(), 0);
  EXPECT_EQ(::getpgid(child.pid()), child.pid());
  EXPECT_FALSE(exits_within(child.pidfd(), 0));
  child.signal(SIGKILL);
  EXPECT_TRUE(exits_within(child.pidfd(), 5000));
  EXPECT_EQ(child.wait(), SIGKILL);
}

// A middle worker starts `sleep` and exits: the sleep must die with it (PDEATHSIG), unless the
// setup asked for no parent-death signal.
pid_t orphan_sleep(int pdeathsig) {
  Worker middle = spawn_worker("middle", {}, [pdeathsig] {
    ProgramSpec spec;
    spec.argv = {"sleep", "60"};
    spec.setup.pdeathsig = pdeathsig;
    ChildProcess sleep = spawn_program(spec);
    report_ready(std::to_string(sleep.release()));
  });
  pid_t pid = static_cast<pid_t>(std::stoi(middle.await_ready()));
  middle.process().wait();
  return pid;
}

TEST(Spawn, ParentDeathSignalFollowsTheSpawningProcess) {
  pid_t with = orphan_sleep(SIGKILL);
  Fd watched = open_pidfd(with);
  EXPECT_TRUE(!watched || exits_within(watched.get(), 5000)) << "sleep outlived its parent";

  pid_t without = orphan_sleep(0);
  Fd survivor = open_pidfd(without);
  ASSERT_TRUE(survivor) << "sleep died without a parent-death signal";
  EXPECT_FALSE(exits_within(survivor.get(), 200));
  ::syscall(SYS_pidfd_send_signal, survivor.get(), SIGKILL, nullptr, 0);
  EXPECT_TRUE(exits_within(survivor.get(), 5000));
}

TEST(Spawn, WorkerReportsErrorsAndSilence) {
  EXPECT_EQ(error_of([] { spawn_worker("thrower", {}, [] { throw Error("boom: no such thing"); }).await_ready(); }),
            "boom: no such thing");
  EXPECT_EQ(error_of([] { spawn_worker("quiet", {}, [] {}).await_ready(); }), "quiet exited: exit status 0");
  EXPECT_EQ(spawn_worker("ready", {}, [] { report_ready("body"); }).await_ready(), "body");
}

// A worker that has reported can start a worker of its own, which reports on its own pipe (the
// vpnkit relay's copier).
TEST(Spawn, WorkerOfAWorkerReports) {
  Worker outer = spawn_worker("outer", {}, [] {
    report_ready();
    if (spawn_worker("inner", {}, [] { report_ready("inner ready"); }).await_ready() != "inner ready") {
      throw Error("inner worker did not report");
    }
  });
  EXPECT_EQ(outer.await_ready(), "");
  EXPECT_EQ(outer.process().wait(), 0);
}

TEST(Spawn, WorkerTimeoutKillsAndReaps) {
  Worker worker = spawn_worker("sleepy worker", {}, [] {
    while (true) {
      ::pause();
    }
  });
  pid_t pid = worker.process().pid();
  EXPECT_EQ(error_of([&] { worker.await_ready(std::chrono::milliseconds(100)); }),
            "sleepy worker did not answer within 100ms");
  EXPECT_FALSE(worker.process());
  EXPECT_EQ(::waitpid(pid, nullptr, WNOHANG), -1);  // reaped
}

// A worker keeps stdio (0 and 1 on /dev/null), its report pipe, its plan, and nothing else; it
// runs in its own process group.
TEST(Spawn, WorkerIsIsolated) {
  Fd null(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  Fd stray(::fcntl(null.get(), F_DUPFD, 20));  // inheritable, not in the plan
  Pipe extra = make_pipe();
  ProcessSetup setup;
  setup.fds = {{5, extra.write.get()}};
  const int stray_fd = stray.get();
  Worker worker = spawn_worker("isolated", setup, [stray_fd] {
    char stdin_target[64] = {};
    (void)!::readlink("/proc/self/fd/0", stdin_target, sizeof stdin_target - 1);
    std::string facts = std::string(stdin_target) + (fd_is_open(stray_fd) ? " stray" : "") +
                        (fd_is_open(5) ? " 5" : "") + (::getpgid(0) == ::getpid() ? " own-group" : "");
    report_ready(facts);
  });
  EXPECT_EQ(worker.await_ready(), "/dev/null 5 own-group");
  EXPECT_EQ(worker.process().wait(), 0);
}

TEST(Spawn, WorkerPlanMustNotTakeTheReportFd) {
  ProcessSetup setup;
  setup.fds = {{worker_report_fd, 0}};
  EXPECT_EQ(error_of([&] { spawn_worker("clash", setup, [] {}); }), "clash: fd 3 is reserved for the report pipe");
}

// The parent will spawn helpers from an event-loop thread while its main thread runs: a fork
// taken while another thread allocates must still exec, and nothing in between may allocate
// (another thread may hold the allocator's lock at the moment of the fork).
TEST(Spawn, ExecsWithoutAllocatingWhileAnotherThreadAllocates) {
  ASSERT_TRUE(atfork_registered);
  std::atomic<bool> stop{false};
  std::thread churn([&] {
    while (!stop) {
      std::vector<std::string> garbage;
      for (int i = 0; i < 64; ++i) {
        garbage.emplace_back(static_cast<size_t>(100 + i * 37), 'x');
      }
    }
  });
  Pipe out = make_pipe();
  int failures = 0;
  for (int i = 0; i < 200; ++i) {
    ProgramSpec spec;
    spec.argv = {"true"};
    spec.extra_env = {"RK_ROUND=" + std::to_string(i)};
    spec.own_pid_env = "LISTEN_PID";
    spec.setup.fds = {{1, out.write.get()}, {5, out.write.get()}};
    spec.setup.new_process_group = true;
    allocation_trap_armed = true;
    ChildProcess child = spawn_program(spec);
    allocation_trap_armed = false;
    if (!exits_within(child.pidfd(), 10000) || child.wait() != 0) {
      ++failures;
    }
  }
  allocation_trap_armed = false;
  stop = true;
  churn.join();
  EXPECT_EQ(failures, 0);
}

TEST(Spawn, TakeReapedStopsOwning) {
  ProgramSpec spec;
  spec.argv = {"true"};
  ChildProcess child = spawn_program(spec);
  pid_t pid = child.pid();
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);  // as the child's reaper does with waitpid(-1)
  EXPECT_FALSE(child.take_reaped(pid + 1));
  EXPECT_TRUE(child.take_reaped(pid));
  EXPECT_FALSE(child);
  EXPECT_EQ(child.pidfd(), -1);
}

}  // namespace
}  // namespace rootlesskit
