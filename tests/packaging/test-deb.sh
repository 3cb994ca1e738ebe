#!/usr/bin/env bash
# The Debian package CPack builds (cmake/DebPackage.cmake): its fields and file list as
# dpkg-deb shows them, then, as root, installed into a scratch root over Debian's own rootlesskit
# (rebuilt from the host's installed files) with dpkg --root: it upgrades that package in place,
# its programs run from there with the CMake version, and it purges cleanly. The host's own
# dpkg database and /usr/bin/rootlesskit (the integration tests' reference) are never touched.
source "$(dirname "$0")/lib.sh"
(($(id -u) == 0)) || skip "needs root (dpkg --root): scripts/test.sh runs it as root"
for tool in cpack dpkg-deb dpkg-shlibdeps readelf; do
  command -v "$tool" >/dev/null || fail "$tool missing (scripts/install-deps.sh)"
done

cpack --config "$BUILD_DIR/CPackConfig.cmake" -B "$S/out" >"$S/cpack.log" 2>&1 || {
  cat "$S/cpack.log" >&2
  fail "cpack failed"
}
deb=$S/out/rootlesskit_${PROJECT_VERSION}_$(dpkg --print-architecture).deb
[[ -f $deb ]] || fail "cpack made no $deb: $(ls "$S/out")"

# Fields.
dpkg-deb --info "$deb" >"$S/info" || fail "dpkg-deb --info failed"
grep -q '^ *[0-9]* bytes, *[0-9]* lines *md5sums' "$S/info" || fail "no md5sums in the control archive"
field() { dpkg-deb --field "$deb" "$1"; }
assert_eq rootlesskit "$(field Package)" "Package"
assert_eq "$PROJECT_VERSION" "$(field Version)" "Version (CMake's PROJECT_VERSION)"
assert_eq "$(dpkg --print-architecture)" "$(field Architecture)" "Architecture"
assert_eq admin "$(field Section)" "Section"
assert_eq "socat, passt" "$(field Suggests)" "Suggests"
for relation in Conflicts Replaces Provides; do
  assert_eq rootlesskit "$(field "$relation")" "$relation"
done
[[ $(field Maintainer) =~ ^[^\<]+\ \<[^@\>]+@[^\>]+\>$ ]] || fail "Maintainer: [$(field Maintainer)]"
[[ $(field Description) == 'Linux-native "fake root" for rootless containers'* ]] ||
  fail "Description: $(field Description)"
depends=$(field Depends)
for dep in uidmap slirp4netns 'libc6 (>= ' 'libmnl0 (>= '; do # the last two from dpkg-shlibdeps
  [[ ", $depends," == *", $dep"* ]] || fail "Depends lacks $dep: [$depends]"
done

# Files: the install layout under /usr, root-owned, binaries stripped, pages gzipped.
contents=$(dpkg-deb --contents "$deb") || fail "dpkg-deb --contents failed"
assert_same_lines ".deb files" "$(installed_files ./usr/)" "$(awk '$1 !~ /^d/ { print $6 }' <<<"$contents")"
awk '$2 != "root/root" { exit 1 }' <<<"$contents" || fail "files not owned by root/root: $contents"
dpkg-deb --extract "$deb" "$S/x"
for f in rootlesskit rootlessctl rootlesskit-docker-proxy; do
  [[ $(stat -c %a "$S/x/usr/bin/$f") == 755 ]] || fail "/usr/bin/$f is not 0755"
  ! readelf -S "$S/x/usr/bin/$f" | grep -q '\.symtab' || fail "/usr/bin/$f is not stripped"
  gzip -t "$S/x/usr/share/man/man1/$f.1.gz" || fail "$f.1.gz is not gzip"
done

# scratch_root DIR: an empty root with the dpkg database dpkg --root needs.
scratch_root() {
  mkdir -p "$1/var/lib/dpkg/info" "$1/var/lib/dpkg/updates" "$1/var/log"
  touch "$1/var/lib/dpkg/status" "$1/var/lib/dpkg/available"
}
# debian_package OUT: Debian's installed rootlesskit package, rebuilt from its files on this host.
debian_package() {
  local dir=$S/debian f
  mkdir -p "$dir/DEBIAN"
  dpkg-query -W -f='Package: ${Package}\nVersion: ${Version}\nArchitecture: ${Architecture}\n' rootlesskit \
    >"$dir/DEBIAN/control"
  dpkg-query -W -f='Maintainer: ${Maintainer}\nDescription: ${binary:Summary}\n' rootlesskit >>"$dir/DEBIAN/control"
  echo " Rebuilt from the files of the host's installed package (tests/packaging/test-deb.sh)." >>"$dir/DEBIAN/control"
  while read -r f; do
    [[ -f $f && ! -L $f ]] && install -D -m "$(stat -c %a "$f")" "$f" "$dir$f"
  done < <(dpkg-query -L rootlesskit)
  dpkg-deb -Znone --root-owner-group --build "$dir" "$1" >/dev/null
}
# in_root DPKG-ARGS...: dpkg on the scratch root only, its log included (by default it writes the
# host's /var/log/dpkg.log even with --root); --force-depends: no libc6 etc. there.
in_root() {
  dpkg --root="$root" --admindir="$root/var/lib/dpkg" --log="$root/var/log/dpkg.log" --force-depends "$@"
}

root=$S/root
scratch_root "$root"
host_before=$(dpkg-query -W -f='${Version}' rootlesskit 2>/dev/null || echo none)
if [[ $host_before == none ]]; then
  echo "note: Debian's rootlesskit is not installed here: installing into an empty root only"
else
  debian_package "$S/debian.deb"
  in_root -i "$S/debian.deb" >"$S/dpkg.log" 2>&1 || { cat "$S/dpkg.log" >&2; fail "installing Debian's package"; }
  [[ -f $root/usr/share/doc/rootlesskit/api.md ]] || fail "Debian's package did not install api.md"
fi
in_root -i "$deb" >"$S/dpkg.log" 2>&1 || { cat "$S/dpkg.log" >&2; fail "dpkg -i $deb into $root"; }
if [[ $host_before != none ]]; then
  grep -qF "Unpacking rootlesskit ($PROJECT_VERSION) over ($host_before)" "$S/dpkg.log" ||
    fail "not an upgrade of Debian's package: $(cat "$S/dpkg.log")"
  [[ ! -e $root/usr/share/doc/rootlesskit/api.md ]] || fail "Debian's files were left behind"
fi
status=$(dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${db:Status-Abbrev}${Version}' rootlesskit)
assert_eq "ii $PROJECT_VERSION" "$(tr -s ' ' <<<"$status")" "rootlesskit's status in the scratch root"
assert_same_lines "files in the scratch root" "$(installed_files /usr/)" \
  "$(cd "$root" && find usr ! -type d | sed 's|^|/|')"
for program in rootlesskit rootlessctl; do
  assert_eq "$program version $PROJECT_VERSION" "$("$root/usr/bin/$program" --version)" "installed $program --version"
done

in_root --purge rootlesskit >"$S/dpkg.log" 2>&1 || { cat "$S/dpkg.log" >&2; fail "dpkg --purge"; }
assert_eq "" "$(cd "$root" && find . -path ./var -prune -o ! -type d -print)" "files left after purge"
host_after=$(dpkg-query -W -f='${Version}' rootlesskit 2>/dev/null || echo none)
assert_eq "$host_before" "$host_after" "the host's rootlesskit package"
echo "ok: $TEST_NAME"
