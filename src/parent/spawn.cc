// clone(2) of the child and its pre-exec steps. Between clone and execve the child only makes
// raw system calls on data prepared before the clone, so it is safe even if an embedding program
// has other threads.
#include "parent/spawn.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "common/error.h"
#include "common/spawn.h"
#include "parent/apparmor.h"

namespace rootlesskit::parent {
namespace {

// Reports a pre-exec failure to the parent as a framed {"Name":"ChildError",...} message.
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
  unsigned char header[4] = {static_cast<unsigned char>(len), static_cast<unsigned char>(len >> 8), 0, 0};
  (void)!::write(fd, header, 4);
  (void)!::write(fd, body, static_cast<size_t>(len));
  ::_exit(1);
}

struct PreExec {
  char* const* argv;
  char* const* envp;
  int to_child_read;     // read end of parent->child
  int from_child_write;  // write end of child->parent
  const FdMapping* pipes;  // both ends at their numbers after any LISTEN_FDS
  int* scratch;            // 2 slots for install_fds
  int unshare_flags;
  const sigset_t* mask;
};

[[noreturn]] void run_pre_exec(const PreExec& p) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (p.unshare_flags != 0 && ::unshare(p.unshare_flags) != 0) {
    fail_before_exec(p.from_child_write, "failed to unshare namespaces", errno);
  }
  char go = 0;
  ssize_t n;
  while ((n = ::read(p.to_child_read, &go, 1)) < 0 && errno == EINTR) {
  }
  if (n != 1) {
    ::_exit(1);  // the parent gave up (or died) before the ID maps were written
  }
  // install_fds leaves close-on-exec copies of both ends above the targets: the exec drops them.
  // Once a dup2 ran, the original number of our write end may hold something else: report on
  // its copy (scratch[1], made before any dup2) or, after all of them, on its target.
  size_t failed = 0;
  if (int err = install_fds(p.pipes, 2, p.scratch, &failed); err != 0) {
    fail_before_exec(p.scratch[1] >= 0 ? p.scratch[1] : p.from_child_write, "failed to pass the pipe fds", err);
  }
  ::sigprocmask(SIG_SETMASK, p.mask, nullptr);
  ::execve(p.argv[0], p.argv, p.envp);
  fail_before_exec(p.pipes[1].target, "failed to execute the child", errno);
}

}  // namespace

SpawnedChild spawn_child(const SpawnRequest& request) {
  Pipe to_child = make_pipe();
  Pipe from_child = make_pipe();
  const int target_read = 3 + request.listen_fds;
  const int target_write = 4 + request.listen_fds;

  std::vector<std::string> argv = request.argv;
  std::vector<std::string> env = request.env;
  env.push_back(request.pipe_fd_env_key + "=" + std::to_string(target_read) + "," + std::to_string(target_write));
  auto c_argv = c_string_array(argv);
  auto c_env = c_string_array(env);
  const FdMapping pipes[2] = {{target_read, to_child.read.get()}, {target_write, from_child.write.get()}};
  int scratch[2] = {-1, -1};
  PreExec pre{c_argv.data(), c_env.data(), to_child.read.get(), from_child.write.get(),
              pipes, scratch, request.unshare_flags, &request.exec_mask};

  long pid = ::syscall(SYS_clone, static_cast<unsigned long>(request.clone_flags) | SIGCHLD, nullptr, nullptr,
                       nullptr, nullptr);
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
  SpawnedChild child{ChildProcess(process.release(), std::move(pidfd)), std::move(to_child.write),
                     std::move(from_child.read)};
  // Our copies of the child's ends must go, or a dead child would never show up as EOF (SPEC §3.6).
  return child;
}

void release_child(const SpawnedChild& child) {
  char go = 1;
  write_all(child.to_child.get(), &go, 1);
}

}  // namespace rootlesskit::parent
