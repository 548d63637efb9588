#!/usr/bin/env bash
# npm run bundle: writes counterpi-VERSION-linux-arm64.tar.gz, what a 64-bit Raspberry Pi installs
# without compiling or reaching the npm registry: the built dist/, the owner's guide (docs/, hardware/),
# the production node_modules installed on arm64 Debian (an emulated root, scripts/pi-root.sh), the
# systemd units, the udev rule and the installer. Runs as root on a Debian machine with qemu-user-static, binfmt-support and mmdebstrap.
#
#   bash scripts/bundle.sh [--out DIR]     (default: the checkout's top directory)
#
# The arm64 node_modules are cached under ~/.cache/counterpi-pi/node-modules/, keyed by the lockfile,
# the root and the Node and npm used; PI_FRESH=1 installs them again regardless.
set -euo pipefail
cd "$(dirname "$0")/.."
top="$(pwd)"
out="$top"
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$(cd "${2:?--out needs a directory}" && pwd)"; shift ;;
    *) echo "bundle.sh: unknown option $1 (usage: bundle.sh [--out DIR])" >&2; exit 2 ;;
  esac
  shift
done
# shellcheck source=scripts/pi-root.sh
. scripts/pi-root.sh

version="$(node -p 'require("./package.json").version')"
name="counterpi-$version"
file="$out/$name-linux-$PI_ARCH.tar.gz"
tmp="$(mktemp -d)"
cleanup() {
  pi_unwork
  rm -rf "$tmp"
}
trap cleanup EXIT

pi_require_host
pi_phase "bundle: emulated root"
pi_binfmt
pi_root
pi_node

pi_phase "bundle: build dist/"
[ -d node_modules ] || npm ci --no-audit --no-fund
rm -rf dist
npm run --silent build
stage="$tmp/$name"
mkdir -p "$stage/scripts"
cp -a package.json package-lock.json dist README.md docs hardware systemd "$stage/"
cp -a scripts/install.sh "$stage/scripts/"

modules="$PI_CACHE/node-modules/$(cat package-lock.json <(pi_root_key) <(basename -a "$PI_NODE_TGZ" "$PI_NPM_TGZ") |
  sha256sum | cut -c1-16).tar"
if [ -f "$modules" ] && [ "${PI_FRESH:-0}" != 1 ]; then
  pi_phase "bundle: arm64 node_modules from the cache"
  tar -xf "$modules" -C "$stage"
else
  pi_phase "bundle: npm ci --omit=dev on arm64"
  pi_work "$tmp/work"
  pi_unpack_node /opt/node
  cp -a package.json package-lock.json "$PI_WORK/opt/"
  pi_chroot "export PATH=/opt/node/bin:\$PATH npm_config_nodedir=/opt/node
    cd /opt
    npm ci --omit=dev --no-audit --no-fund --loglevel=error
    # The addons load on arm64: better-sqlite3's prebuilt one and epoll's, compiled just now.
    node -e \"new (require('better-sqlite3'))(':memory:').prepare('select 1').get(); require('epoll')\"
    rm -rf node_modules/epoll/build/Release/obj.target node_modules/epoll/build/Release/.deps
    printf 'platform=linux-%s\nnode_abi=%s\nbuilt_with=%s\n' \"\$(node -p process.arch)\" \
      \"\$(node -p process.versions.modules)\" \"\$(node -v)\" >BUNDLE"
  mkdir -p "${modules%/*}"
  tar -cf "$modules.partial" -C "$PI_WORK/opt" node_modules BUNDLE
  mv "$modules.partial" "$modules"
  tar -xf "$modules" -C "$stage"
fi

pi_phase "bundle: write the archive"
printf 'version=%s\n' "$version" >>"$stage/BUNDLE"
tar --owner=0 --group=0 --numeric-owner --sort=name -czf "$file.partial" -C "$tmp" "$name"
mv "$file.partial" "$file"
pi_phase ""
pi_log "bundle: $file ($(du -h "$file" | cut -f1))"
