// The namespace-holding worker: joins in its setup steps, reports ready, then pauses.
#include "network/lxc_user_nic/netns_holder.h"

#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "common/spawn.h"

namespace rootlesskit::network::lxc_user_nic {

NetnsHolder::NetnsHolder(const NetnsTarget& target) {
  OpenedNetns netns(target);
  ProcessSetup setup;
  setup.namespaces = netns.joins();
  Worker worker = spawn_worker("namespace holder", setup, [] {
    ::prctl(PR_SET_DUMPABLE, 1);
    report_ready();
    while (true) {
      ::pause();
    }
  });
  worker.await_ready();
  m_process = std::move(worker.process());
}

void NetnsHolder::stop() {
  if (m_process) {
    m_process.signal(SIGKILL);
    m_process.wait();
  }
}

}  // namespace rootlesskit::network::lxc_user_nic
