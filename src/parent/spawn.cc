// clone(2) of the child and its pre-exec steps. Between clone and execve the child only makes
// raw system calls on data prepared before the clone, so it is safe even if an embedding program
// has other threads (not so a child_main, which the caller promises to call single-threaded).
#include "parent/spawn.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "common/error.h"
#include "common/process.h"
#include "common/spawn.h"
#include "messages/channel.h"
#include "parent/apparmor.h"

extern char** environ;

namespace rootlesskit::parent {
namespace {

// Reports a pre-exec failure to the parent as one {"Name":"ChildError",...} packet (the shape
// messages::decode_child_error reads), written by hand: nothing may be allocated here.
[[noreturn]] void fail_before_exec(int fd, const char* step, int err) {
  // strerrordesc_np only indexes a static table, unlike strerror it is safe here.
  const char* desc = ::strerrordesc_np(err);
  char text[128];
  std::snprintf(text, sizeof text, "%s", desc != nullptr ? desc : "unknown error");
  if (text[0] >= 'A' && text[0] <= 'Z') {
    text[0] = static_cast<char>(text[0] - 'A' + 'a');
  }
  char body[512];
  int len = std::snprintf(body, sizeof body, "{\"Name\":\"ChildError\",\"Message\":\"%s: %s\"}", step, text);
  (void)!::write(fd, body, static_cast<size_t>(len));  // one write: one packet
  ::_exit(1);
}

struct PreExec {
  char* const* argv;
  char* const* envp;
  int channel;               // the child's end
  const FdMapping* mapping;  // the channel at its number after any LISTEN_FDS
  int* scratch;              // 1 slot for install_fds
  int unshare_flags;
  const sigset_t* mask;
  const std::function<int()>* child_main;
};

// The child's main function in the clone itself: what the exec would have given it (the
// environment; no fd but 0-2, LISTEN_FDS and the channel), then its exit code.
[[noreturn]] void run_child_main(const PreExec& p) {
  environ = const_cast<char**>(p.envp);
  if (p.channel != p.mapping->target && p.channel < p.mapping->target) {
    ::close(p.channel);
  }
  ::close_range(static_cast<unsigned>(p.mapping->target) + 1, ~0U, 0);
  int code = (*p.child_main)();
  std::fflush(nullptr);
  ::_exit(code);
}

[[noreturn]] void run_pre_exec(const PreExec& p) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (p.unshare_flags != 0 && ::unshare(p.unshare_flags) != 0) {
    fail_before_exec(p.channel, "failed to unshare namespaces", errno);
  }
  char go = 0;
  ssize_t n;
  while ((n = ::read(p.channel, &go, 1)) < 0 && errno == EINTR) {
  }
  if (n != 1) {
    ::_exit(1);  // the parent gave up (or died) before the ID maps were written
  }
  // install_fds leaves a close-on-exec copy of the channel above the target: the exec drops it.
  // Once the dup2 ran, the original number may hold something else: report on the copy
  // (scratch[0], made before the dup2) or, after it, on the target.
  size_t failed = 0;
  if (int err = install_fds(p.mapping, 1, p.scratch, &failed); err != 0) {
    fail_before_exec(p.scratch[0] >= 0 ? p.scratch[0] : p.channel, "failed to pass the channel fd", err);
  }
  ::sigprocmask(SIG_SETMASK, p.mask, nullptr);
  if (p.child_main != nullptr) {
    run_child_main(p);
  }
  ::execve(p.argv[0], p.argv, p.envp);
  fail_before_exec(p.mapping->target, "failed to execute the child", errno);
}

}  // namespace

SpawnedChild spawn_child(const SpawnRequest& request) {
  messages::ChannelPair channel = messages::make_channel_pair();
  const int target = 3 + request.listen_fds;

  std::vector<std::string> argv = request.argv;
  std::vector<std::string> env = request.env;
  env.push_back(request.pipe_fd_env_key + "=" + std::to_string(target) + "," + std::to_string(target));
  auto c_argv = c_string_array(argv);
  auto c_env = c_string_array(env);
  const FdMapping mapping{target, channel.child.get()};
  int scratch[1] = {-1};
  PreExec pre{c_argv.data(), c_env.data(),          channel.child.get(), &mapping,
              scratch,       request.unshare_flags, &request.exec_mask,  request.child_main};

  long pid = ::syscall(SYS_clone, static_cast<unsigned long>(request.clone_flags) | SIGCHLD, nullptr, nullptr, nullptr,
                       nullptr);
  if (pid < 0) {
    int err = errno;
    if (err == EACCES || err == EPERM) {
      warn_if_apparmor_restricts_userns();
    }
    throw errno_error("failed to start the child: clone", err);
  }
  if (pid == 0) {
    run_pre_exec(pre);
  }
  ChildProcess process(static_cast<pid_t>(pid));
  Fd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, process.pid(), 0)));
  if (!pidfd) {
    throw errno_error("failed to start the child: pidfd_open");
  }
  // Our copy of the child's end goes here (channel.child), or a dead child would never show up
  // as EOF: upstream keeps its copies and hangs.
  return SpawnedChild{std::move(channel.parent), ChildProcess(process.release(), std::move(pidfd))};
}

void release_child(SpawnedChild& child) {
  char go = 1;
  try {
    write_all(child.channel.get(), &go, 1);
  } catch (const Error&) {
    throw_child_exit(child);  // only the child held the other end
  }
}

void throw_child_exit(SpawnedChild& child) {
  int status = child.process.wait();
  throw Error("child exited: " + describe_wait_status(status), exit_code_of(status));
}

void throw_if_child_exited(SpawnedChild& child, std::chrono::milliseconds grace) {
  pollfd exited{child.process.pidfd(), POLLIN, 0};
  int n = 0;
  while ((n = ::poll(&exited, 1, static_cast<int>(grace.count()))) < 0 && errno == EINTR) {
  }
  if (n == 1) {
    throw_child_exit(child);
  }
}

}  // namespace rootlesskit::parent
