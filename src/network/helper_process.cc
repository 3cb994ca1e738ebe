// fork + fd shuffling + exec for network helpers; exec errors come back through a CLOEXEC pipe
// (EOF means the exec succeeded).
#include "network/helper_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>

#include "common/error.h"
#include "common/fd.h"
#include "common/log.h"
#include "common/strings.h"

extern char** environ;

namespace rootlesskit::network {
namespace {

// Moves every source fd out of the way first, so that a source numbered like another target
// (e.g. a pipe end that happens to be fd 3) is not clobbered by dup2.
void install_fds(const std::vector<std::pair<int, int>>& fds) {
  std::vector<int> moved;
  for (const auto& [target, source] : fds) {
    int fd = ::fcntl(source, F_DUPFD_CLOEXEC, 64);
    if (fd < 0) {
      throw errno_error("dup");
    }
    moved.push_back(fd);
  }
  for (size_t i = 0; i < fds.size(); ++i) {
    if (::dup2(moved[i], fds[i].first) < 0) {  // dup2 clears FD_CLOEXEC on the target
      throw errno_error("dup2");
    }
  }
}

[[noreturn]] void exec_helper(const HelperSpec& spec, const std::string& path, pid_t parent, int error_fd) {
  std::string message;
  try {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) {
      ::_exit(127);
    }
    ::setpgid(0, 0);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::signal(SIGPIPE, SIG_DFL);  // ignored in our process; an ignored disposition survives exec
    if (spec.netns != nullptr) {
      spec.netns->enter();
    }
    install_fds(spec.fds);
    std::vector<char*> argv;
    for (const auto& a : spec.argv) {
      argv.push_back(const_cast<char*>(a.c_str()));
    }
    argv.push_back(nullptr);
    ::execve(path.c_str(), argv.data(), environ);
    message = "fork/exec " + path + ": " + errno_text(errno);
  } catch (const std::exception& e) {
    message = e.what();
  }
  ::write(error_fd, message.data(), message.size());
  ::_exit(127);
}

}  // namespace

ChildProcess spawn_helper(const HelperSpec& spec) {
  const std::string what = "failed to start " + spec.argv.at(0);
  std::string path;
  try {
    path = look_path(spec.argv.at(0));
  } catch (const Error& e) {
    throw e.wrap(what);
  }
  pid_t parent = ::getpid();
  Worker worker = fork_worker(what, [&](int report) { exec_helper(spec, path, parent, report); });
  ChildProcess helper = std::move(worker.process);
  std::string message = read_to_end(worker.report.get());
  if (!message.empty()) {
    helper.wait();
    throw Error(what + ": " + message);
  }
  return helper;
}

HelperOutput::HelperOutput(std::string label) : m_label(std::move(label)) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
    throw errno_error("pipe2");
  }
  m_read.reset(fds[0]);
  m_write.reset(fds[1]);
}

void HelperOutput::drain() {
  char buf[4096];
  bool eof = false;
  while (m_read) {
    ssize_t n = ::read(m_read.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      eof = n == 0;
      break;
    }
    m_partial.append(buf, static_cast<size_t>(n));
    m_tail.append(buf, static_cast<size_t>(n));
  }
  size_t newline = 0;
  while ((newline = m_partial.find('\n')) != std::string::npos) {
    log::debug("{}: {}", m_label, m_partial.substr(0, newline));
    m_partial.erase(0, newline + 1);
  }
  if (eof && !m_partial.empty()) {
    log::debug("{}: {}", m_label, m_partial);
    m_partial.clear();
  }
  if (m_tail.size() > 2048) {
    m_tail.erase(0, m_tail.size() - 2048);
  }
}

std::optional<std::string> exited_helper_message(ChildProcess& process, HelperOutput& output, const std::string& name) {
  if (!process) {
    return std::nullopt;
  }
  auto status = process.try_wait();
  if (!status) {
    return std::nullopt;
  }
  output.drain();
  std::string tail(trim_space(output.tail()));
  return name + " exited: " + describe_wait_status(*status) + (tail.empty() ? "" : " (" + go_quote(tail) + ")");
}

void stop_helper(ChildProcess& process, HelperOutput& output, const std::string& name) {
  if (!process) {
    return;
  }
  log::debug("killing {}", name);
  process.signal(SIGKILL);
  int status = process.wait();
  output.drain();
  log::debug("killed {}: {}", name, describe_wait_status(status));
}

}  // namespace rootlesskit::network
