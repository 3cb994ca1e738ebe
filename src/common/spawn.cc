// The parent's half of spawning: lays out the Plan (argv, envp, fd plan) before the fork, forks,
// opens the pidfd, and reads the report pipe; the worker's body and its reports. What the new
// process does between fork and exec is in spawn_setup.cc.
#include "common/spawn.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <memory>

#include "common/error.h"
#include "common/log.h"
#include "common/spawn_setup.h"

extern char** environ;

namespace rootlesskit {
namespace {

using namespace spawn_detail;

// In a worker: whether report_ready() (or the error report) has used the report pipe.
bool worker_reported = false;

void report_worker_error(const std::string& name, const char* text) noexcept {
  if (worker_reported) {
    log::error("{}: {}", name, text);
    return;
  }
  worker_reported = true;
  try {
    std::string body = tag_error + std::string(text);
    write_all(worker_report_fd, body.data(), body.size());
  } catch (...) {
  }
}

[[noreturn]] void run_worker(const Plan& p, const std::string& name, const std::function<void()>& body) noexcept {
  int report = run_setup(p);
  SetupRecord done{tag_setup, static_cast<uint8_t>(Step::done), 0, 0};
  if (::write(report, &done, sizeof done) != sizeof done) {
    ::_exit(127);
  }
  worker_reported = false;  // a worker's own worker starts with a fresh pipe
  try {
    body();
    ::_exit(0);
  } catch (const std::exception& e) {
    report_worker_error(name, e.what());
  } catch (...) {
    report_worker_error(name, "unknown error");
  }
  ::_exit(1);
}

// The start of a program's new process (clone's entry point). Never returns.
int exec_program_entry(void* plan) { exec_program(*static_cast<const Plan*>(plan)); }

// A program's process shares our memory until its exec (as posix_spawn does): no page tables
// to copy, and we wait in clone() until it has exec'd or failed. Its setup steps only make
// system calls on the Plan (and its writes, e.g. the pid digits, go into buffers of ours that
// nobody reads meanwhile); it has its own fd table and signal dispositions (no CLONE_FILES, no
// CLONE_SIGHAND), and we have no signal handlers that could run on its stack. Not when the
// setup joins a user namespace: setns(CLONE_NEWUSER) refuses a process that shares its memory.
pid_t clone_program(const Plan& plan, int* pidfd) {
  constexpr size_t stack_size = 64 * 1024;  // the setup steps and execve need little
  auto stack = std::make_unique_for_overwrite<char[]>(stack_size);
  return ::clone(exec_program_entry, stack.get() + stack_size, CLONE_VM | CLONE_VFORK | CLONE_PIDFD | SIGCHLD,
                 const_cast<Plan*>(&plan), pidfd);
}

// ASan and TSan cannot follow a process that runs on a stack of ours and then execs (ASan
// warns on stderr, which tests compare): sanitizer builds fork.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool sanitizer_build = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool sanitizer_build = true;
#else
constexpr bool sanitizer_build = false;
#endif
#else
constexpr bool sanitizer_build = false;
#endif

bool may_share_memory(const Plan& plan) {
  return !sanitizer_build && std::none_of(plan.setup->namespaces.begin(), plan.setup->namespaces.end(),
                                          [](const NamespaceJoin& j) { return j.nstype == CLONE_NEWUSER; });
}

// Forks; the new process never returns from here. The parent gets the owner with a pidfd, opened
// right away: until the pid is reaped (only through the returned owner, or by a waitpid(-1) of
// the thread that called us) it cannot name another process.
ChildProcess fork_process(const Plan& plan, const std::string* name, const std::function<void()>* body) {
  if (body == nullptr && may_share_memory(plan)) {
    int pidfd = -1;
    pid_t pid = clone_program(plan, &pidfd);
    if (pid < 0) {
      throw errno_error("clone");
    }
    return ChildProcess(pid, Fd(pidfd));
  }
  pid_t pid = ::fork();
  if (pid < 0) {
    throw errno_error("fork");
  }
  if (pid == 0) {
    if (body == nullptr) {
      exec_program(plan);
    }
    run_worker(plan, *name, *body);
  }
  ChildProcess process(pid);
  Fd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));  // always O_CLOEXEC
  if (!pidfd) {
    throw errno_error("pidfd_open");
  }
  return ChildProcess(process.release(), std::move(pidfd));
}

std::string env_key(const std::string& entry) { return entry.substr(0, entry.find('=')); }

void set_env(std::vector<std::string>& env, const std::string& entry) {
  const std::string key = env_key(entry);
  std::erase_if(env, [&](const std::string& e) { return env_key(e) == key; });
  env.push_back(entry);
}

std::vector<std::string> build_env(const ProgramSpec& spec) {
  std::vector<std::string> env;
  if (spec.env) {
    env = *spec.env;
  } else {
    for (char** e = environ; *e != nullptr; ++e) {
      env.emplace_back(*e);
    }
  }
  for (const auto& entry : spec.extra_env) {
    set_env(env, entry);
  }
  if (!spec.own_pid_env.empty()) {
    // Room for any pid's digits and the NUL; the last entry, so nothing moves it after this.
    set_env(env, spec.own_pid_env + "=" + std::string(24, '\0'));
  }
  return env;
}

std::string describe_timeout(std::chrono::milliseconds t) {
  if (t.count() % 1000 == 0) {
    return std::to_string(t.count() / 1000) + "s";
  }
  return std::to_string(t.count()) + "ms";
}

// Reads until EOF; false if `deadline` passed first.
bool read_until_eof(int fd, std::optional<std::chrono::steady_clock::time_point> deadline, std::string& out) {
  while (true) {
    if (deadline) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - std::chrono::steady_clock::now());
      pollfd pfd{fd, POLLIN, 0};
      int n = ::poll(&pfd, 1, static_cast<int>(std::max<int64_t>(0, left.count())));
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n == 0) {
        return false;
      }
    }
    char buf[4096];
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return true;
    }
    out.append(buf, static_cast<size_t>(n));
  }
}

}  // namespace

ChildProcess spawn_program(const ProgramSpec& spec) {
  std::string path = look_path(spec.argv.at(0));
  std::vector<std::string> args = spec.argv;
  std::vector<std::string> env = build_env(spec);
  auto c_argv = c_string_array(args);
  auto c_env = c_string_array(env);

  Pipe report = make_pipe();
  std::vector<int> moved;
  Plan plan;
  plan.parent = ::getpid();
  plan.setup = &spec.setup;
  plan.new_process_group = spec.setup.new_process_group;
  fill_fd_plan(plan, spec.setup.fds, moved);
  plan.report = report.write.get();
  plan.mask = initial_mask(spec.setup);
  plan.path = path.c_str();
  plan.argv = c_argv.data();
  plan.envp = c_env.data();
  plan.pid_slot = spec.own_pid_env.empty() ? nullptr : env.back().data() + spec.own_pid_env.size() + 1;

  ChildProcess process = fork_process(plan, nullptr, nullptr);
  report.write.reset();
  // EOF: the exec closed the pipe. (Another thread's child may hold a copy of its write end for
  // as long as that child takes to exec or close it: a moment.)
  SetupRecord r{};
  size_t n = read_full(report.read.get(), &r, sizeof r);
  if (n == 0) {
    return process;
  }
  int status = process.wait();
  if (n != sizeof r) {
    throw Error("fork/exec " + path + ": " + describe_wait_status(status));
  }
  throw Error(describe_failure(r, spec.setup.fds, spec.setup, path));
}

void report_ready(std::string_view body) {
  if (worker_reported) {
    return;
  }
  worker_reported = true;
  // Raw writes, no allocation: a body made of async-signal-safe calls stays so.
  (void)!::write(worker_report_fd, &tag_ready, 1);
  const char* p = body.data();
  size_t left = body.size();
  while (left > 0) {
    ssize_t n = ::write(worker_report_fd, p, left);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      break;  // the parent gave up on us: nobody is reading
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  ::close(worker_report_fd);
}

Worker::Worker(std::string name, ChildProcess process, Fd report)
    : m_name(std::move(name)), m_process(std::move(process)), m_report(std::move(report)) {}

std::string Worker::await_ready(std::optional<std::chrono::milliseconds> timeout) {
  std::optional<std::chrono::steady_clock::time_point> deadline;
  if (timeout) {
    deadline = std::chrono::steady_clock::now() + *timeout;
  }
  std::string text;
  bool answered = read_until_eof(m_report.get(), deadline, text);
  m_report.reset();
  if (!answered) {
    m_process.signal(SIGKILL);
    m_process.wait();
    throw Error(m_name + " did not answer within " + describe_timeout(*timeout));
  }
  if (!text.empty() && text.front() == tag_ready) {
    return text.substr(1);
  }
  int status = m_process.wait();
  if (text.empty()) {
    throw Error(m_name + " exited: " + describe_wait_status(status));
  }
  throw Error(text.substr(1));
}

Worker spawn_worker(std::string name, const ProcessSetup& setup, const std::function<void()>& body) {
  Pipe report = make_pipe();
  Fd null(::open("/dev/null", O_RDWR | O_CLOEXEC));
  if (!null) {
    throw errno_error(name + ": open /dev/null");
  }
  std::vector<FdMapping> fds;
  for (int stdio : {0, 1}) {
    if (std::none_of(setup.fds.begin(), setup.fds.end(), [&](const FdMapping& m) { return m.target == stdio; })) {
      fds.push_back({stdio, null.get()});
    }
  }
  for (const auto& m : setup.fds) {
    if (m.target == worker_report_fd) {
      throw Error(name + ": fd " + std::to_string(worker_report_fd) + " is reserved for the report pipe");
    }
    fds.push_back(m);
  }
  fds.push_back({worker_report_fd, report.write.get()});

  std::vector<int> moved;
  Plan plan;
  plan.parent = ::getpid();
  plan.setup = &setup;
  plan.new_process_group = true;  // always: see spawn.h
  fill_fd_plan(plan, fds, moved);
  plan.report = report.write.get();
  plan.worker = true;
  plan.mask = initial_mask(setup);

  ChildProcess process;
  try {
    process = fork_process(plan, &name, &body);
  } catch (const Error& e) {
    throw e.wrap(name);
  }
  report.write.reset();
  SetupRecord r{};
  size_t n = read_full(report.read.get(), &r, sizeof r);
  if (n == sizeof r && r.step == static_cast<uint8_t>(Step::done)) {
    return Worker(std::move(name), std::move(process), std::move(report.read));
  }
  int status = process.wait();
  if (n != sizeof r) {
    throw Error(name + " exited: " + describe_wait_status(status));
  }
  throw Error(describe_failure(r, fds, setup, ""));
}

}  // namespace rootlesskit
