// lxc-user-nic parent driver: one run of the setuid helper, with advice when it refuses.
#include "network/lxc_user_nic/lxc_user_nic.h"

#include "common/error.h"
#include "common/fs.h"
#include "common/log.h"
#include "common/process.h"
#include "common/strings.h"
#include "network/lxc_user_nic/netns_holder.h"
#include "network/netns.h"

namespace rootlesskit::network::lxc_user_nic {
namespace {

std::optional<std::string> read_usernet() { return read_file(usernet_path); }

}  // namespace

ParentDriver::ParentDriver(Options options) : m_options(std::move(options)) {}

api::NetworkDriverInfo ParentDriver::info() const {
  api::NetworkDriverInfo info;
  info.driver = "lxc-user-nic";
  info.dynamic_child_ip = true;
  return info;
}

messages::NetworkDriverCompleted ParentDriver::configure(pid_t child_pid, const std::string&,
                                                         const std::string& detached_netns_path) {
  if (detached_netns_path.empty()) {
    create_veth(child_pid);
  } else {
    NetnsHolder holder(child_netns(child_pid, detached_netns_path));
    create_veth(holder.pid());
    holder.stop();
  }
  messages::NetworkDriverCompleted message;
  message.dev = m_options.ifname;
  message.mtu = m_options.mtu;
  return message;
}

void ParentDriver::create_veth(pid_t netns_pid) {
  std::vector<std::string> argv = build_argv(m_options, netns_pid);
  log::debug("executing {}", go_slice(argv));
  CommandResult result = run_command(argv);
  std::string output(trim_space(result.out + result.err));
  if (!result.success()) {
    std::string advice = failure_advice(output, read_usernet(), current_requester(), m_options.bridge);
    throw Error(join(argv, " ") + " failed: " + output + ": " + describe_wait_status(result.status) +
                (advice.empty() ? "" : " (" + advice + ")"));
  }
  // Prints "<ifname>:<ifindex in the netns>:<host veth>:<host ifindex>".
  std::vector<std::string> fields = split(std::string(trim_space(result.out)), ':');
  log::debug("lxc-user-nic attached {} to bridge {} as {}", fields.size() == 4 ? fields[2] : output, m_options.bridge,
             m_options.ifname);
}

}  // namespace rootlesskit::network::lxc_user_nic
