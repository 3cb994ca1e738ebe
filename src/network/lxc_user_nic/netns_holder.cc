// The namespace-holding fork: join, report one byte (or the error text), then pause.
#include "network/lxc_user_nic/netns_holder.h"

#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "common/error.h"
#include "common/fd.h"

namespace rootlesskit::network::lxc_user_nic {
namespace {

constexpr char joined = '+';

[[noreturn]] void holder_main(const OpenedNetns& netns, pid_t parent, int report_fd) {
  std::string message;
  try {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) {
      ::_exit(1);
    }
    netns.enter();
    ::prctl(PR_SET_DUMPABLE, 1);
    write_all(report_fd, &joined, 1);
    ::close(report_fd);
    while (true) {
      ::pause();
    }
  } catch (const std::exception& e) {
    message = e.what();
  }
  (void)!::write(report_fd, message.data(), message.size());
  ::_exit(1);
}

}  // namespace

NetnsHolder::NetnsHolder(const NetnsTarget& target) {
  OpenedNetns netns(target);
  pid_t parent = ::getpid();
  Worker worker = fork_worker("namespace holder", [&](int report) { holder_main(netns, parent, report); });
  m_process = std::move(worker.process);
  std::string message = read_to_end(worker.report.get());
  if (message != std::string(1, joined)) {
    int status = m_process.wait();
    throw Error(message.empty() ? "namespace holder exited: " + describe_wait_status(status) : message);
  }
}

void NetnsHolder::stop() {
  if (m_process) {
    m_process.signal(SIGKILL);
    m_process.wait();
  }
}

}  // namespace rootlesskit::network::lxc_user_nic
