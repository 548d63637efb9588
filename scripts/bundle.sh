#!/usr/bin/env bash
# npm run bundle: writes counterpi-VERSION-linux-arm64.tar.gz, what a 64-bit Raspberry Pi installs
# without compiling or reaching the npm registry: the built dist/, the production node_modules installed
# on arm64 Debian (an emulated root, scripts/pi-root.sh), the systemd units, the udev rule and the
# installer. Runs as root on a Debian machine with qemu-user-static, binfmt-support and mmdebstrap.
#
#   bash scripts/bundle.sh [--out DIR]     (default: the checkout's top directory)
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
cp -a package.json package-lock.json dist README.md hardware systemd "$stage/"
cp -a scripts/install.sh "$stage/scripts/"

pi_phase "bundle: npm ci --omit=dev on arm64"
pi_work "$tmp/work"
pi_unpack_node /opt/node
cp -a "$stage" "$PI_WORK/opt/bundle"
pi_chroot "export PATH=/opt/node/bin:\$PATH npm_config_nodedir=/opt/node
  cd /opt/bundle
  npm ci --omit=dev --no-audit --no-fund --loglevel=error
  # The addons load on arm64: better-sqlite3's prebuilt one and epoll's, compiled just now.
  node -e \"new (require('better-sqlite3'))(':memory:').prepare('select 1').get(); require('epoll')\"
  rm -rf node_modules/epoll/build/Release/obj.target node_modules/epoll/build/Release/.deps
  printf 'platform=linux-%s\nnode_abi=%s\nbuilt_with=%s\nversion=%s\n' \"\$(node -p process.arch)\" \
    \"\$(node -p process.versions.modules)\" \"\$(node -v)\" '$version' >BUNDLE"

pi_phase "bundle: write the archive"
rm -rf "$stage"
cp -a "$PI_WORK/opt/bundle" "$stage"
tar --owner=0 --group=0 --numeric-owner --sort=name -czf "$file.partial" -C "$tmp" "$name"
mv "$file.partial" "$file"
pi_phase ""
pi_log "bundle: $file ($(du -h "$file" | cut -f1))"
