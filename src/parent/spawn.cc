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
  int to_child_read;    // read end of parent->child
  int from_child_write; // write end of child->parent
  int target_read;
  int target_write;
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
  // Move the pipe ends above every target number first, so the dup2s below cannot clobber them.
  int high_read = ::fcntl(p.to_child_read, F_DUPFD_CLOEXEC, p.target_write + 1);
  int high_write = ::fcntl(p.from_child_write, F_DUPFD_CLOEXEC, p.target_write + 1);
  if (high_read < 0 || high_write < 0 || ::dup2(high_read, p.target_read) < 0 ||
      ::dup2(high_write, p.target_write) < 0) {
    fail_before_exec(p.from_child_write, "failed to pass the pipe fds", errno);
  }
  ::sigprocmask(SIG_SETMASK, p.mask, nullptr);
  ::execve(p.argv[0], p.argv, p.envp);
  fail_before_exec(high_write, "failed to execute the child", errno);
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
  PreExec pre{c_argv.data(), c_env.data(), to_child.read.get(), from_child.write.get(),
              target_read, target_write, request.unshare_flags, &request.exec_mask};

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
  SpawnedChild child{ChildProcess(static_cast<pid_t>(pid)), std::move(to_child.write), std::move(from_child.read)};
  // Our copies of the child's ends must go, or a dead child would never show up as EOF (SPEC §3.6).
  return child;
}

void release_child(const SpawnedChild& child) {
  char go = 1;
  write_all(child.to_child.get(), &go, 1);
}

}  // namespace rootlesskit::parent
