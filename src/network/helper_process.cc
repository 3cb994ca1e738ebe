// Network helpers started with common/spawn.h (own process group, PDEATHSIG SIGKILL, optionally
// in the child's netns), and the non-blocking capture of their output.
#include "network/helper_process.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include "common/error.h"
#include "common/fd.h"
#include "common/log.h"
#include "common/spawn.h"
#include "common/strings.h"

namespace rootlesskit::network {

ChildProcess spawn_helper(const HelperSpec& spec) {
  ProgramSpec program;
  program.argv = spec.argv;
  program.setup.new_process_group = true;
  program.setup.fds = spec.fds;
  if (spec.netns != nullptr) {
    program.setup.namespaces = spec.netns->joins();
  }
  try {
    return spawn_program(program);
  } catch (const Error& e) {
    throw e.wrap("failed to start " + spec.argv.at(0));
  }
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
