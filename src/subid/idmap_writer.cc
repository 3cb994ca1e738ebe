// Writes the child's /proc/PID/uid_map and gid_map through the setuid helpers newuidmap and
// newgidmap (shadow-utils). Runs in the PARENT, after the child has unshared its user namespace.
#include <sys/prctl.h>
#include <unistd.h>

#include <optional>

#include "common/error.h"
#include "common/log.h"
#include "common/process.h"
#include "common/strings.h"
#include "subid/subid.h"

namespace rootlesskit::subid {
namespace {

// newuidmap gets its power from the setuid bit (or file capabilities); the kernel ignores both
// under no_new_privs, and newuidmap then fails with a bare "Operation not permitted".
void refuse_no_new_privs() {
  if (::geteuid() == 0 || ::prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1) {
    return;
  }
  throw Error(
      "this process has no_new_privs set (NoNewPrivs: 1 in /proc/self/status), so the setuid helpers "
      "newuidmap/newgidmap cannot gain the privilege to write the uid/gid maps: do not start rootlesskit "
      "with no_new_privs (e.g. remove NoNewPrivileges=yes from the systemd unit, or do not run the "
      "container with no-new-privileges)");
}

// One run of `tool pid args...`; finish() throws upstream's `tool PID [ARGS] failed: OUTPUT: STATUS`.
class MapTool {
 public:
  MapTool(const std::string& tool, pid_t child, const std::vector<std::string>& args) {
    std::string pid = std::to_string(child);
    m_prefix = tool + " " + pid + " " + go_slice(args) + " failed: ";
    std::vector<std::string> argv{tool, pid};
    argv.insert(argv.end(), args.begin(), args.end());
    log::debug("Executing {}", go_slice(argv));
    try {
      m_running.emplace(start_command(argv));
    } catch (const Error& e) {
      // Go's CombinedOutput returns no output when the tool could not be started.
      m_start_error = m_prefix + ": " + e.what();
    }
  }

  void finish() {
    if (!m_running) {
      throw Error(m_start_error);
    }
    CommandResult result = m_running->wait();
    if (!result.success()) {
      // The helpers write only to stderr; stdout first keeps any other text in a stable order.
      throw Error(m_prefix + result.out + result.err + ": " + describe_wait_status(result.status));
    }
  }

 private:
  std::string m_prefix;
  std::string m_start_error;
  std::optional<RunningCommand> m_running;
};

}  // namespace

void write_id_maps(pid_t child, const User& user, const IdRanges& ranges) {
  refuse_no_new_privs();
  // The two helpers are independent: running them side by side saves one helper's run time.
  MapTool uid_tool("newuidmap", child, map_args(user.uid, ranges.uids));
  MapTool gid_tool("newgidmap", child, map_args(user.gid, ranges.gids));
  uid_tool.finish();
  gid_tool.finish();
}

}  // namespace rootlesskit::subid
