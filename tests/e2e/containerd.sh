#!/usr/bin/env bash
# Rootless containerd (docs/clients.md) on the rootlesskit under test, started the way nerdctl's
# extras/rootless/containerd-rootless.sh starts it: its rootlesskit flags, and a COMMAND doing
# what the script's child half does (drop the copy-up's symlinks, bind the user's dirs over
# /run/containerd and friends) before it execs containerd. A busybox image built here (an OCI
# layout, no registry) is imported with ctr entered through nsenter as users do; its httpd, run
# with `ctr run -d`, is published with rootlessctl add-ports and answers on the host's loopback
# until remove-ports. Then the container is deleted and SIGTERM stops everything cleanly.
# Once with the script's flags without --detach-netns (what it passes to a rootlesskit < 2.0,
# Debian's), once with it when --help offers it (the script's default "auto" then adds it).
source "$(dirname "$0")/../integration/lib.sh"
source "$(dirname "$0")/../integration/port_lib.sh"
source "$(dirname "$0")/lib.sh"
require_cmd containerd containerd-shim-runc-v2 ctr runc nsenter curl sha256sum jq

IMAGE=localhost/rktest/busybox:e2e # never pulled; "localhost" resolves to no internet host
TOKEN=containerd-e2e-$RANDOM$RANDOM

# The child half of containerd-rootless.sh: the COMMAND rootlesskit runs, as uid 0 in the new
# namespaces. /run, /var/lib and /etc are copied up (tmpfs whose entries are symlinks to the host's
# files): removing a symlink lets a directory of this namespace take its place. containerd 1.6
# hardcodes /run/containerd for the shims' sockets, hence the bind mount even with our config.
cat >"$T/child.sh" <<'EOF'
#!/bin/sh
set -e
rm -f /run/containerd /run/nri /run/xtables.lock /var/lib/containerd /var/lib/cni /etc/containerd
ssl=$(realpath /etc/ssl)
rm -f /etc/ssl
mkdir /etc/ssl
mount --rbind "$ssl" /etc/ssl
bind_dir() { mkdir -p "$1" "$2" && mount --bind "$1" "$2"; }
bind_dir "$XDG_RUNTIME_DIR/containerd" /run/containerd
bind_dir "$XDG_DATA_HOME/containerd" /var/lib/containerd
bind_dir "$XDG_DATA_HOME/cni" /var/lib/cni
bind_dir "$XDG_CONFIG_HOME/containerd" /etc/containerd
exec containerd "$@"
EOF
chmod +x "$T/child.sh"

# oci_arch: the running machine's architecture in the OCI image config's spelling.
oci_arch() {
  case $(uname -m) in
    x86_64) echo amd64 ;;
    aarch64) echo arm64 ;;
    *) fail "no OCI architecture name known for $(uname -m)" ;;
  esac
}

# add_blob LAYOUT FILE MEDIATYPE: moves FILE into LAYOUT's blobs and prints its descriptor.
add_blob() {
  local digest size
  digest=$(sha256sum "$2" | cut -d' ' -f1)
  size=$(stat -c %s "$2")
  mv "$2" "$1/blobs/sha256/$digest"
  printf '{"mediaType":"%s","digest":"sha256:%s","size":%s}' "$3" "$digest" "$size"
}

# make_oci_image TAR: an OCI image layout of one uncompressed busybox layer, as a tar that
# `ctr images import` takes; the index names it $IMAGE.
make_oci_image() {
  local dir=$T/oci layer config manifest diff_id
  mkdir -p "$dir/blobs/sha256"
  make_busybox_tar "$T/rootfs" "$TOKEN" "$T/layer.tar"
  diff_id=sha256:$(sha256sum "$T/layer.tar" | cut -d' ' -f1)
  layer=$(add_blob "$dir" "$T/layer.tar" application/vnd.oci.image.layer.v1.tar)
  printf '{"architecture":"%s","os":"linux","config":{"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":["%s"]}}' \
    "$(oci_arch)" "$diff_id" >"$T/config.json"
  config=$(add_blob "$dir" "$T/config.json" application/vnd.oci.image.config.v1+json)
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":%s,"layers":[%s]}' \
    "$config" "$layer" >"$T/manifest.json"
  manifest=$(add_blob "$dir" "$T/manifest.json" application/vnd.oci.image.manifest.v1+json)
  printf '{"schemaVersion":2,"manifests":[%s]}' \
    "${manifest%\}},\"annotations\":{\"io.containerd.image.name\":\"$IMAGE\"}}" >"$dir/index.json"
  echo '{"imageLayoutVersion":"1.0.0"}' >"$dir/oci-layout"
  tar -C "$dir" -cf "$1" oci-layout index.json blobs
}
make_oci_image "$T/image.tar"

# write_config DIR: containerd's configuration for one session: everything under the session's
# scratch dirs, the CRI plugin off (it wants CNI, and no client here speaks CRI).
write_config() {
  cat >"$1/containerd.toml" <<EOF
version = 2
root = "$XDG_DATA_HOME/containerd"
state = "$XDG_RUNTIME_DIR/containerd"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$SOCK"
[plugins."io.containerd.internal.v1.opt"]
  path = "$XDG_DATA_HOME/containerd-opt"
EOF
}

# in_ns CMD...: CMD in the child's user and mount namespaces, and its network namespace unless
# it is the host's (--detach-netns: joining it from the child's user namespace is EPERM), as
# nerdctl enters them (upstream nerdctl pkg/rootlessutil/parent_linux.go). Sets OUT/ERR/RC.
in_ns() { run nsenter -U --preserve-credentials -m "${NSENTER_NET[@]}" -t "$(<"$STATE/child_pid")" "$@"; }
# ctr_ok WHAT ARGS...: ctr against this session's containerd, which must succeed.
ctr_ok() {
  in_ns ctr --address "$SOCK" "${@:2}"
  assert_rc 0 "$1 (ctr ${*:2})"
}

# containerd_pid: the containerd COMMAND exec'd into, a child of the rootlesskit child.
containerd_pid() { pgrep -x -P "$(<"$STATE/child_pid")" containerd; }
socket_or_exit() { [[ -S $SOCK ]] || ! pid_alive "$PARENT"; }

# start_containerd NAME FLAGS...: rootlesskit (found by PATH, as the script finds it) with the
# script's flags and FLAGS, COMMAND child.sh; returns when containerd serves its socket.
start_containerd() {
  local name=$1
  shift
  STATE=$XDG_RUNTIME_DIR/containerd-rootless
  SOCK=$XDG_RUNTIME_DIR/containerd/containerd.sock
  write_config "$XDG_CONFIG_HOME"
  bg "$name" rootlesskit --state-dir="$STATE" --net=slirp4netns --mtu=65520 \
    --slirp4netns-sandbox=auto --slirp4netns-seccomp=auto --disable-host-loopback \
    --port-driver=builtin --copy-up=/etc --copy-up=/run --copy-up=/var/lib --propagation=rslave \
    "$@" "$T/child.sh" --config "$XDG_CONFIG_HOME/containerd.toml"
  PARENT=$BG_PID
  _poll "containerd's socket $SOCK" "$WAIT_TIMEOUT" socket_or_exit
  [[ -S $SOCK ]] || fail "$name: rootlesskit exited before containerd's socket appeared: $(cat "$T/$name.err")"
  CHILD_PID=$(<"$STATE/child_pid")
  own_pid "$CHILD_PID"
  CONTAINERD_PID=$(containerd_pid) || fail "$name: no containerd process under the rootlesskit child"
  own_pid "$CONTAINERD_PID"
  assert_exe "$ROOTLESSKIT" "$PARENT" "$name: executable of the rootlesskit parent"
  assert_exe "$ROOTLESSKIT" "$(awk '{ print $4 }' "/proc/$CONTAINERD_PID/stat")" "$name: executable of containerd's parent"
  assert_exe containerd "$CONTAINERD_PID" "$name: executable of containerd"
  ctr_ok "$name: containerd answers" version
}

# pick_snapshotter NAME: overlayfs when containerd could load it (unprivileged overlay mounts in a user
# namespace: Linux >= 5.11), else native. Sets SNAPSHOTTER.
pick_snapshotter() {
  ctr_ok "list containerd's plugins" plugins ls
  SNAPSHOTTER=native
  if awk '$1 == "io.containerd.snapshotter.v1" && $2 == "overlayfs" && $NF == "ok" { f = 1 } END { exit !f }' <<<"$OUT"; then
    SNAPSHOTTER=overlayfs
  fi
  echo "$1: snapshotter $SNAPSHOTTER" >&2
}

# task_field FIELD: the rk-httpd task's PID or STATUS in `ctr task ls` (empty when none).
task_field() {
  ctr_ok "list tasks" task ls
  awk -v f="$1" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i } $1 == "rk-httpd" { print $col[f] }' <<<"$OUT"
}
task_stopped() { [[ $(task_field STATUS) == STOPPED ]]; }
HTTP_GET=(curl -sS --max-time 5)
answers_token() { [[ $("${HTTP_GET[@]}" "http://127.0.0.1:$1/" 2>/dev/null) == "$TOKEN" ]]; }

# run_httpd NAME NET_FLAGS...: the busybox httpd container, detached; its task and shim are
# stopped by the clean-up trap should the test fail before it deletes them. No cgroup, as
# nerdctl's --cgroup-manager=none: runc as uid 0 of a user namespace cannot create one under
# cgroup v1 (this host's controllers) and fails on it when the path is explicit (ctr's default
# /default/ID: hence --cgroup "") or a limit is set (ctr's default cpu shares 1024: hence 0).
run_httpd() {
  ctr_ok "$1: run the httpd container" run -d --null-io --cgroup "" --cpu-shares 0 \
    --snapshotter "$SNAPSHOTTER" "${@:2}" "$IMAGE" rk-httpd httpd -f -p 80 -h /www
  HTTPD_PID=$(task_field PID)
  if [[ -z $HTTPD_PID ]] || ! pid_alive "$HTTPD_PID"; then
    fail "$1: no running httpd task after ctr run: $OUT"
  fi
  own_pid "$HTTPD_PID"
  SHIM_PID=$(awk '{ print $4 }' "/proc/$HTTPD_PID/stat")
  own_pid "$SHIM_PID"
  assert_eq containerd-shim-runc-v2 "$(basename "$(exe_of "$SHIM_PID")")" "$1: the httpd task's parent"
  # containerd 1.6 puts the shims' sockets under /run/containerd/s whatever its state dir: the
  # child's bind mount (over the copied-up /run) must have sent them to the scratch dir.
  compgen -G "$XDG_RUNTIME_DIR/containerd/s/*" >/dev/null ||
    fail "$1: no shim socket in $XDG_RUNTIME_DIR/containerd/s (bind-mounted over /run/containerd)"
}

# publish NAME: add-ports 127.0.0.1:PORT:80/tcp, httpd answers through it, list-ports shows it,
# remove-ports closes it.
publish() {
  local port id
  port=$(free_port)
  ctl add-ports "127.0.0.1:$port:80/tcp"
  assert_rc 0 "$1: add-ports 127.0.0.1:$port:80/tcp"
  id=$OUT
  _poll "$1: httpd's token on 127.0.0.1:$port" "$WAIT_TIMEOUT" answers_token "$port"
  ctl list-ports --json
  assert_rc 0 "$1: list-ports"
  assert_eq "$id tcp 127.0.0.1 $port 80" \
    "$(jq -r '"\(.id) \(.spec.proto) \(.spec.parentIP) \(.spec.parentPort) \(.spec.childPort)"' <<<"$OUT")" \
    "$1: list-ports --json"
  ctl remove-ports "$id"
  assert_rc 0 "$1: remove-ports $id"
  run "${HTTP_GET[@]}" "http://127.0.0.1:$port/"
  assert_rc 7 "$1: curl after remove-ports (7: connection refused)"
  no_listener "$port" || fail "$1: port $port still bound after remove-ports: $(ss -Htlnp "sport = :$port")"
  PORT=$port
}

# delete_httpd NAME: kill the task, delete it and the container (the shim exits with its task).
delete_httpd() {
  ctr_ok "$1: kill the httpd task" task kill -s SIGKILL rk-httpd
  _poll "$1: the httpd task to stop" "$WAIT_TIMEOUT" task_stopped
  ctr_ok "$1: delete the httpd task" task delete rk-httpd
  ctr_ok "$1: delete the httpd container" container delete rk-httpd
  wait_for_pid_exit "$HTTPD_PID"
  wait_for_pid_exit "$SHIM_PID"
}

# session NAME [--detach-netns]: one containerd-rootless.sh session, in scratch dirs of its own.
session() {
  local name=$1 detach=${2:-} net_flags=(--net-host) net_ns
  NSENTER_NET=(-n)
  [[ -z $detach ]] || NSENTER_NET=()
  export XDG_RUNTIME_DIR=$T/$name/run XDG_DATA_HOME=$T/$name/data XDG_CONFIG_HOME=$T/$name/config
  mkdir "$T/$name"
  mkdir -m 700 "$XDG_RUNTIME_DIR" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME"
  start_containerd "$name" ${detach:+"$detach"}
  # Without --detach-netns containerd runs in the namespace slirp4netns serves; with it, in the
  # host's, and the containers join the detached one, as nerdctl's CNI networks do. nerdctl
  # tells the modes apart by whether $STATE/netns exists, seen from the host.
  net_ns=$(readlink "/proc/$CONTAINERD_PID/ns/net")
  if [[ -n $detach ]]; then
    assert_eq "$(readlink /proc/self/ns/net)" "$net_ns" "$name: containerd's network namespace"
    [[ -e $STATE/netns ]] || fail "$name: no $STATE/netns on the host with --detach-netns"
    net_flags=(--with-ns "network:$STATE/netns")
  else
    assert_ne "$(readlink /proc/self/ns/net)" "$net_ns" "$name: containerd's network namespace"
    [[ ! -e $STATE/netns ]] || fail "$name: $STATE/netns exists without --detach-netns"
  fi
  pick_snapshotter "$name"
  ctr_ok "$name: import the busybox image" images import --snapshotter "$SNAPSHOTTER" "$T/image.tar"
  ctr_ok "$name: list images" images ls -q
  assert_eq "$IMAGE" "$OUT" "$name: images after the import"
  run_httpd "$name" "${net_flags[@]}"
  publish "$name"
  delete_httpd "$name"

  # rootlesskit forwards SIGTERM to COMMAND, containerd, which shuts down and exits 0; its code
  # passes through (a child killed instead would make it 255).
  kill -TERM "$PARENT"
  bg_wait "$PARENT"
  assert_eq 0 "$BG_RC" "$name: exit code of rootlesskit after SIGTERM; stderr: $(tail -5 "$T/$name.err")"
  # The processes the test knows by pid (own_pid: not in test_procs' list), then any other.
  wait_for_pid_exit "$CONTAINERD_PID"
  wait_for_pid_exit "$CHILD_PID"
  wait_for_no_test_procs "$name"
  [[ ! -e $STATE ]] || fail "$name: state dir $STATE left after rootlesskit exited"
  no_listener "$PORT" || fail "$name: port $PORT still bound after rootlesskit exited"
}

session plain
if rootlesskit --help 2>&1 | grep -qw -- --detach-netns; then
  session detached --detach-netns
else
  echo "rootlesskit has no --detach-netns: containerd-rootless.sh would not pass it" >&2
fi
