// Names in the state directory and environment keys shared with clients and embedders.
// These are contract: dockerd, rootlessctl, k3s and nsenter scripts rely on them.
#pragma once

namespace rootlesskit {

inline constexpr const char* state_file_lock = "lock";
inline constexpr const char* state_file_child_pid = "child_pid";
inline constexpr const char* state_file_api_sock = "api.sock";
inline constexpr const char* state_file_netns = "netns";

inline constexpr const char* env_state_dir = "ROOTLESSKIT_STATE_DIR";
inline constexpr const char* env_parent_euid = "ROOTLESSKIT_PARENT_EUID";
inline constexpr const char* env_parent_egid = "ROOTLESSKIT_PARENT_EGID";
inline constexpr const char* env_pipe_fd = "_ROOTLESSKIT_PIPEFD_UNDOCUMENTED";
inline constexpr const char* env_child_use_activation = "_ROOTLESSKIT_SYSTEMD_ACTIVATION_CHILD_USE_UNDOCUMENTED";

// The API version served on api.sock (same as upstream 1.1 and v3).
inline constexpr const char* api_version = "1.1.1";

}  // namespace rootlesskit
