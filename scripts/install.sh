#!/usr/bin/env bash
# Installs counterpi as a service on Raspberry Pi OS (Bookworm or Trixie, arm64 or armhf); also runs on
# any Debian of those releases for a try-out. Run it from a counterpi checkout, from an unpacked release
# bundle, or give it the bundle:
#
#   sudo bash scripts/install.sh [--public-url URL] [--tunnel-token TOKEN | --quick-tunnel] [--lan]
#   sudo bash install.sh --bundle counterpi-VERSION-linux-arm64.tar.gz   no compiling, no npm registry
#   bash scripts/install.sh --dry-run      print the plan, change nothing (no root needed)
#   sudo bash scripts/install.sh --uninstall [--purge]
#
# Running it again updates the app and keeps the settings, the data and the tunnel token.
set -euo pipefail

APP_DIR=/opt/counterpi
DATA_DIR=/var/lib/counterpi
CONF_DIR=/etc/counterpi
ENV_FILE=$CONF_DIR/counterpi.env
TUNNEL_ENV=$CONF_DIR/tunnel.env
QUICK_ENV=$CONF_DIR/quick-tunnel.env
UNIT_DIR=/etc/systemd/system
UDEV_RULE=/etc/udev/rules.d/99-counterpi-printer.rules
CLI_LINK=/usr/local/bin/counterpi
NODE_ROOT=/usr/local/lib/nodejs
NODE_MAJOR=22
SERVICE_USER=counterpi
UNITS=(counterpi.service counterpi-tunnel.service counterpi-quick-tunnel.service counterpi-reconfigure.service counterpi-reconfigure.path)
TIME_WAIT_UNIT=systemd-time-wait-sync.service
TIME_WAIT_DROPIN=$UNIT_DIR/$TIME_WAIT_UNIT.d/counterpi.conf
# Vendor downloads: the official Node.js builds, and Cloudflare's apt repository for cloudflared.
NODE_DIST=https://nodejs.org/dist/latest-v$NODE_MAJOR.x
CLOUDFLARE_KEY=https://pkg.cloudflare.com/cloudflare-main.gpg
CLOUDFLARE_REPO=https://pkg.cloudflare.com/cloudflared

SRC_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DRY_RUN=0
UNINSTALL=0
PURGE=0
PUBLIC_URL_ARG=""
TUNNEL_TOKEN_ARG="${TUNNEL_TOKEN:-}"
QUICK_TUNNEL=0
LAN=0
HOSTNAME_ARG=counterpi
KEEP_HOSTNAME=0
BUNDLE_ARG=""
NODE_DIR_ARG=""
NO_START=0
NO_TUNNEL=0
BUNDLE_TMP=""

usage() {
  cat <<'EOF'
Usage: install.sh [options]

  --dry-run              print what would be done and change nothing
  --public-url URL       the shop's public HTTPS address (the tunnel's), e.g. https://order.myshop.com
  --tunnel-token TOKEN   run a Cloudflare named tunnel with this token (or set TUNNEL_TOKEN)
  --quick-tunnel         run a Cloudflare quick tunnel for a demo: a random address that changes at
                         every restart; PUBLIC_URL is set to it
  --lan                  listen on the shop network, port 80, so http://counterpi.local answers
  --hostname NAME        the name on the shop network, NAME.local (default: counterpi)
  --keep-hostname        leave this machine's name alone
  --bundle FILE          install from a release bundle (counterpi-VERSION-linux-arm64.tar.gz): its
                         node_modules are built for the Pi, so nothing compiles and npm is not needed
                         (running install.sh from inside an unpacked bundle does the same)
  --node-dir DIR         use the Node.js 22 unpacked in DIR (DIR/bin/node; an official linux tarball)
                         instead of downloading it
  --no-start             install and enable the services but start nothing (for an image being prepared)
  --no-tunnel            leave the tunnel alone: no cloudflared now (run again with --tunnel-token later)
  --uninstall            remove the service and the app; keeps /var/lib/counterpi and /etc/counterpi
  --purge                with --uninstall: also delete the data, the settings and the counterpi user
  -h, --help             show this text
EOF
}

while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=1 ;;
    --uninstall) UNINSTALL=1 ;;
    --purge) PURGE=1 ;;
    --public-url) PUBLIC_URL_ARG="${2:?--public-url needs a URL}"; shift ;;
    --tunnel-token) TUNNEL_TOKEN_ARG="${2:?--tunnel-token needs the token}"; shift ;;
    --quick-tunnel) QUICK_TUNNEL=1 ;;
    --lan) LAN=1 ;;
    --hostname) HOSTNAME_ARG="${2:?--hostname needs a name}"; shift ;;
    --keep-hostname) KEEP_HOSTNAME=1 ;;
    --bundle) BUNDLE_ARG="${2:?--bundle needs a file}"; shift ;;
    --node-dir) NODE_DIR_ARG="${2:?--node-dir needs a directory}"; shift ;;
    --no-start) NO_START=1 ;;
    --no-tunnel) NO_TUNNEL=1 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "install.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

say() { printf '==> %s\n' "$*"; }
note() { printf '    %s\n' "$*"; }
die() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

# Every change goes through run or put_file, which only describe it in a dry run.
run() {
  if [ "$DRY_RUN" = 1 ]; then
    printf '    would run: %s\n' "$*"
  else
    "$@"
  fi
}

# put_file PATH MODE OWNER: writes standard input to PATH atomically.
put_file() {
  local path=$1 mode=$2 owner=$3 tmp
  if [ "$DRY_RUN" = 1 ]; then
    printf '    would write %s (mode %s, owner %s)\n' "$path" "$mode" "$owner"
    cat >/dev/null
    return
  fi
  tmp="$(mktemp "$(dirname "$path")/.install.XXXXXX")"
  cat >"$tmp"
  chmod "$mode" "$tmp"
  chown "$owner" "$tmp"
  mv -f "$tmp" "$path"
}

# set_env FILE KEY VALUE [secret]: sets KEY=VALUE in an environment file, replacing a line (or a
# commented-out line) for KEY, else appending; the other lines stay as the owner left them.
set_env() {
  local file=$1 key=$2 value=$3 shown=$3
  [ "${4:-}" = secret ] && shown='<hidden>'
  if [ "$DRY_RUN" = 1 ]; then
    printf '    would set %s=%s in %s\n' "$key" "$shown" "$file"
    return
  fi
  local current=""
  [ -f "$file" ] && current="$(cat "$file")"
  printf '%s\n' "$current" | KEY="$key" VALUE="$value" awk '
    BEGIN { done = 0 }
    $0 ~ "^#? ?" ENVIRON["KEY"] "=" && !done { print ENVIRON["KEY"] "=" ENVIRON["VALUE"]; done = 1; next }
    { print }
    END { if (!done) print ENVIRON["KEY"] "=" ENVIRON["VALUE"] }
  ' | sed '/./,$!d' | put_file "$file" 0600 root:root
}

have() { command -v "$1" >/dev/null 2>&1; }

node_major() { if have node; then node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; else echo 0; fi; }

# ---------------------------------------------------------------------------------------------------
# What machine this is

detect_system() {
  OS_ID=unknown OS_CODENAME=unknown
  if [ -r /etc/os-release ]; then
    # shellcheck disable=SC1091
    OS_ID="$(. /etc/os-release && echo "${ID:-unknown}")"
    # shellcheck disable=SC1091
    OS_CODENAME="$(. /etc/os-release && echo "${VERSION_CODENAME:-unknown}")"
  fi
  ARCH="$(dpkg --print-architecture 2>/dev/null || uname -m)"
  MODEL="not a Raspberry Pi"
  if [ -r /proc/device-tree/model ]; then MODEL="$(tr -d '\0' </proc/device-tree/model)"; fi
  case "$ARCH" in
    arm64) NODE_ARCH=arm64 ;;
    armhf) NODE_ARCH=armv7l ;;
    amd64) NODE_ARCH=x64 ;;
    *) NODE_ARCH="" ;;
  esac
  say "System: $OS_ID $OS_CODENAME, $ARCH, $MODEL"
  case "$OS_CODENAME" in
    bookworm | trixie) ;;
    *) note "warning: made for Raspberry Pi OS / Debian bookworm or trixie; carrying on" ;;
  esac
  case "$MODEL" in
    *"Raspberry Pi"*) ;;
    *) note "note: no Raspberry Pi found: no GPIO here; the printer and GPIO can stay simulated" ;;
  esac
  [ -n "$NODE_ARCH" ] || die "no Node.js $NODE_MAJOR build for the $ARCH architecture (Pi Zero and Pi 1 are ARMv6: unsupported)"
}

# ---------------------------------------------------------------------------------------------------
# Install steps

install_packages() {
  # curl and xz for Node, avahi for NAME.local, the build tools for better-sqlite3 when no prebuilt fits,
  # rclone and age for backups off the SD card (a remote, and encryption with the owner's passphrase).
  local wanted=(ca-certificates curl xz-utils avahi-daemon libnss-mdns build-essential python3 rclone age) missing=()
  local pkg
  for pkg in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    say "System packages: all present"
    return
  fi
  say "System packages: installing ${missing[*]}"
  run apt-get update
  run env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
}

install_node() {
  local major
  if [ -n "$NODE_DIR_ARG" ]; then
    install_node_dir
    return
  fi
  major="$(node_major)"
  if [ "$major" -ge "$NODE_MAJOR" ]; then
    say "Node.js: $(node -v) already installed"
    return
  fi
  say "Node.js: installing the official $NODE_MAJOR.x build for linux-$NODE_ARCH into $NODE_ROOT"
  if [ "$DRY_RUN" = 1 ]; then
    note "would download $NODE_DIST/SHASUMS256.txt and node-v$NODE_MAJOR.x-linux-$NODE_ARCH.tar.xz, check its SHA-256,"
    note "unpack it into $NODE_ROOT and link node, npm and npx into /usr/local/bin"
    return
  fi
  local tmp name dir tool
  tmp="$(mktemp -d)"
  curl -fsSL "$NODE_DIST/SHASUMS256.txt" -o "$tmp/SHASUMS256.txt"
  name="$(awk -v arch="$NODE_ARCH" '$2 ~ "^node-v[0-9.]+-linux-" arch "\\.tar\\.xz$" { print $2 }' "$tmp/SHASUMS256.txt")"
  [ -n "$name" ] || die "no linux-$NODE_ARCH build listed in $NODE_DIST/SHASUMS256.txt"
  curl -fsSL "$NODE_DIST/$name" -o "$tmp/$name"
  (cd "$tmp" && grep " $name\$" SHASUMS256.txt | sha256sum -c --quiet -) || die "checksum mismatch for $name"
  mkdir -p "$NODE_ROOT"
  tar -xJf "$tmp/$name" -C "$NODE_ROOT"
  dir="$NODE_ROOT/${name%.tar.xz}"
  for tool in node npm npx; do ln -sfn "$dir/bin/$tool" "/usr/local/bin/$tool"; done
  rm -rf "$tmp"
  hash -r
  note "installed $(/usr/local/bin/node -v)"
}

# --node-dir: a Node.js already unpacked (an official tarball, or the npm registry's node-linux-* package).
install_node_dir() {
  local dir=$NODE_DIR_ARG version major target tool
  [ -x "$dir/bin/node" ] || die "--node-dir $dir: there is no bin/node in it"
  version="$("$dir/bin/node" -v 2>/dev/null)" || die "--node-dir $dir: its bin/node does not run on this $ARCH machine"
  major="${version#v}"
  [ "${major%%.*}" -ge "$NODE_MAJOR" ] || die "--node-dir $dir holds Node $version; counterpi needs $NODE_MAJOR or later"
  target="$NODE_ROOT/node-$version-linux-$NODE_ARCH"
  say "Node.js: $version from $dir into $target"
  run mkdir -p "$NODE_ROOT"
  run rm -rf "$target"
  run cp -a "$dir" "$target"
  for tool in node npm npx; do
    if [ -e "$dir/bin/$tool" ]; then run ln -sfn "$target/bin/$tool" "/usr/local/bin/$tool"; fi
  done
  hash -r
}

# Native addons compile against the headers of the Node that runs them; official builds carry them,
# so node-gyp need not download them.
use_node_headers() {
  local dir
  dir="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
  if [ -f "$dir/include/node/node.h" ]; then export npm_config_nodedir="$dir"; fi
}

# What compiling better-sqlite3 and epoll needs, said before a long build fails halfway.
check_build_tools() {
  local missing=() tool
  for tool in g++ make python3; do have "$tool" || missing+=("$tool"); done
  [ "${#missing[@]}" -eq 0 ] ||
    die "compiling better-sqlite3 and epoll for linux-$NODE_ARCH needs ${missing[*]}: sudo apt-get install build-essential python3"
  have npm || die "npm is missing: install Node.js $NODE_MAJOR with its npm (an official build has both), or use a release bundle"
  use_node_headers
  [ -n "${npm_config_nodedir:-}" ] || note "no Node headers beside $(command -v node): node-gyp will download them"
}

# better-sqlite3 carries prebuilt addons for x64 and arm64 only; elsewhere (armhf) it is compiled here.
build_sqlite_if_needed() {
  local module=$1/node_modules/better-sqlite3
  [ -f "$module/prebuilds/linux-$NODE_ARCH.node" ] && return
  say "better-sqlite3: no prebuilt addon for linux-$NODE_ARCH, compiling it (a Pi 3 takes several minutes)"
  (cd "$module" && npm run --silent build-release) ||
    die "compiling better-sqlite3 failed (see above): it needs build-essential, python3 and about 1 GB of memory (add swap on a small Pi)"
}

create_user() {
  local group
  if id "$SERVICE_USER" >/dev/null 2>&1; then
    say "User: $SERVICE_USER exists"
  else
    say "User: creating the system user $SERVICE_USER"
    run useradd --system --user-group --home-dir "$DATA_DIR" --no-create-home --shell /usr/sbin/nologin "$SERVICE_USER"
  fi
  # The unit's SupplementaryGroups= fails to start when a group is missing (a Debian box has no gpio).
  for group in gpio lp dialout; do
    if ! getent group "$group" >/dev/null; then
      note "creating the missing group $group"
      run groupadd --system "$group"
    fi
    if ! id -nG "$SERVICE_USER" 2>/dev/null | tr ' ' '\n' | grep -qx "$group"; then
      run usermod -aG "$group" "$SERVICE_USER"
    fi
  done
  # systemd makes it too (StateDirectory=), but the counterpi command may run before the first start.
  [ -d "$DATA_DIR" ] || run install -d -m 0700 -o "$SERVICE_USER" -g "$SERVICE_USER" "$DATA_DIR"
}

install_app() {
  if ! grep -qs '"name": "counterpi"' "$SRC_DIR/package.json"; then
    die "$SRC_DIR is not a counterpi checkout or release"
  fi
  local version
  version="$(sed -n 's/^  "version": "\(.*\)",$/\1/p' "$SRC_DIR/package.json")"
  if is_bundle; then
    install_bundle "$version"
    return
  fi
  say "App: counterpi $version into $APP_DIR (production dependencies only)"
  if [ "$DRY_RUN" = 1 ]; then
    if [ -d "$SRC_DIR/src" ]; then
      note "would build dist/ in a temporary copy of $SRC_DIR (npm ci && npm run build)"
    fi
    note "would copy package.json, package-lock.json, dist/, README.md, docs/, hardware/, systemd/, scripts/ to $APP_DIR.new"
    note "would run npm ci --omit=dev there, then swap it in for $APP_DIR"
    note "would write $CLI_LINK, the counterpi command (runs as $SERVICE_USER with the service's settings)"
    return
  fi
  local build stage
  check_build_tools
  build="$(mktemp -d)"
  tar -C "$SRC_DIR" --exclude=./node_modules --exclude=./data --exclude=./.git -cf - . | tar -C "$build" -xf -
  if [ -d "$build/src" ]; then
    (cd "$build" && npm ci --no-audit --no-fund && npm run build)
  fi
  [ -f "$build/dist/cli.js" ] || die "no dist/cli.js after the build"
  stage="$APP_DIR.new"
  rm -rf "$stage"
  mkdir -p "$stage"
  (cd "$build" && cp -a package.json package-lock.json dist README.md docs hardware systemd scripts "$stage/")
  (cd "$stage" && npm ci --omit=dev --no-audit --no-fund) ||
    die "npm ci failed (see above); epoll compiles here and needs build-essential and python3"
  build_sqlite_if_needed "$stage"
  swap_in_app "$stage"
  rm -rf "$build"
}

# The bundle's node_modules were installed on linux-arm64 with Node 22: copied as they are.
install_bundle() {
  local version=$1 abi stage
  abi="$(sed -n 's/^node_abi=//p' "$SRC_DIR/BUNDLE")"
  say "App: counterpi $version from the $(bundle_platform) bundle into $APP_DIR (nothing to compile)"
  if [ "$DRY_RUN" = 1 ]; then
    note "would copy the bundle's files with its node_modules to $APP_DIR.new, then swap it in for $APP_DIR"
    note "would write $CLI_LINK, the counterpi command (runs as $SERVICE_USER with the service's settings)"
    return
  fi
  [ "$(node -p process.versions.modules)" = "$abi" ] ||
    die "the bundle's addons are built for Node ABI $abi, but $(node -v) has ABI $(node -p process.versions.modules): use Node $NODE_MAJOR"
  stage="$APP_DIR.new"
  rm -rf "$stage"
  mkdir -p "$stage"
  (cd "$SRC_DIR" && cp -a BUNDLE package.json package-lock.json dist node_modules README.md docs hardware systemd scripts "$stage/")
  swap_in_app "$stage"
}

# The app belongs to root and is read-only to the service: a compromised process cannot rewrite it.
swap_in_app() {
  local stage=$1
  chown -R root:root "$stage"
  chmod -R go-w "$stage"
  rm -rf "$APP_DIR.old"
  if [ -d "$APP_DIR" ]; then mv "$APP_DIR" "$APP_DIR.old"; fi
  mv "$stage" "$APP_DIR"
  rm -rf "$APP_DIR.old"
  install_cli
}

is_bundle() { [ -f "$SRC_DIR/BUNDLE" ] && [ -d "$SRC_DIR/node_modules" ]; }
bundle_platform() { sed -n 's/^platform=//p' "$SRC_DIR/BUNDLE"; }

# Checked before anything is installed: a bundle's addons run on one platform only.
check_bundle_platform() {
  [ "$(bundle_platform)" = "linux-$NODE_ARCH" ] ||
    die "this bundle is for $(bundle_platform), this machine is linux-$NODE_ARCH: run scripts/install.sh from a counterpi checkout instead"
}

# --bundle FILE: unpacked into a temporary directory, which then stands for the source.
unpack_bundle() {
  [ -f "$BUNDLE_ARG" ] || die "--bundle $BUNDLE_ARG: no such file"
  BUNDLE_TMP="$(mktemp -d)"
  trap 'rm -rf "$BUNDLE_TMP"' EXIT
  tar -xzf "$BUNDLE_ARG" -C "$BUNDLE_TMP" || die "--bundle $BUNDLE_ARG: not a readable .tar.gz"
  SRC_DIR="$(find "$BUNDLE_TMP" -mindepth 2 -maxdepth 2 -name BUNDLE -printf '%h\n' | head -n 1)"
  [ -n "$SRC_DIR" ] || die "--bundle $BUNDLE_ARG is not a counterpi bundle (no BUNDLE file in it)"
}

install_cli() {
  put_file "$CLI_LINK" 0755 root:root <<EOF
#!/bin/sh
# counterpi's command line with the service's settings, run as its user: sudo counterpi help
set -a
[ -r $ENV_FILE ] && . $ENV_FILE
set +a
export DATA_DIR=$DATA_DIR
# As the unit's UMask=: a database or key the command creates is for counterpi alone.
umask 077
if [ "\$(id -u)" = 0 ]; then
  exec runuser -u $SERVICE_USER -- node $APP_DIR/dist/cli.js "\$@"
fi
exec node $APP_DIR/dist/cli.js "\$@"
EOF
}

install_udev_rule() {
  say "USB printers: $UDEV_RULE (the lp group may write to /dev/usb/lp*)"
  run install -d -m 0755 "$(dirname "$UDEV_RULE")"
  put_file "$UDEV_RULE" 0644 root:root <"$SRC_DIR/hardware/99-counterpi-printer.rules"
  # Only where udev runs (not in an image being prepared in a chroot).
  if have udevadm && [ -e /run/udev/control ]; then
    run udevadm control --reload-rules
    run udevadm trigger --subsystem-match=usbmisc
  fi
}

set_hostname() {
  if [ "$KEEP_HOSTNAME" = 1 ]; then
    say "Name: keeping $(hostname) (reachable as $(hostname).local)"
    return
  fi
  [[ $HOSTNAME_ARG =~ ^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$ ]] || die "--hostname: use a-z, 0-9 and dashes"
  if [ "$(hostname)" = "$HOSTNAME_ARG" ]; then
    say "Name: already $HOSTNAME_ARG ($HOSTNAME_ARG.local)"
  else
    say "Name: $(hostname) becomes $HOSTNAME_ARG, reachable as $HOSTNAME_ARG.local through avahi"
    if have hostnamectl && [ -d /run/systemd/system ]; then
      run hostnamectl set-hostname "$HOSTNAME_ARG"
    else
      printf '%s\n' "$HOSTNAME_ARG" | put_file /etc/hostname 0644 root:root
      run hostname "$HOSTNAME_ARG"
    fi
    # sudo and others look the name up; Debian keeps it on the 127.0.1.1 line.
    if grep -q '^127\.0\.1\.1[[:space:]]' /etc/hosts; then
      run sed -i "s/^127\.0\.1\.1[[:space:]].*/127.0.1.1\t$HOSTNAME_ARG/" /etc/hosts
    else
      run sh -c "printf '127.0.1.1\t%s\n' '$HOSTNAME_ARG' >> /etc/hosts"
    fi
  fi
  if [ -d /run/systemd/system ]; then
    run systemctl enable avahi-daemon
    run systemctl restart avahi-daemon
  fi
}

write_settings() {
  say "Settings: $ENV_FILE (mode 0600; restart counterpi after changing it)"
  run install -d -m 0755 -o root -g root "$CONF_DIR"
  if [ ! -f "$ENV_FILE" ]; then
    put_file "$ENV_FILE" 0600 root:root <<'EOF'
# counterpi settings, read by systemd at every start (README, "Configuration"). After a change:
#   sudo systemctl restart counterpi
# The public HTTPS address of the shop: the tunnel's. Connectors and sign-in use it.
# PUBLIC_URL=https://order.example.com
HOST=127.0.0.1
PORT=8080
PRINTER=sim
GPIO=sim
PAYMENTS=demo
LOG_LEVEL=info
EOF
  else
    note "keeping the existing settings"
  fi
  if [ "$LAN" = 1 ]; then
    set_env "$ENV_FILE" HOST 0.0.0.0
    set_env "$ENV_FILE" PORT 80
  fi
  if [ -n "$PUBLIC_URL_ARG" ]; then
    [[ $PUBLIC_URL_ARG =~ ^https://[A-Za-z0-9.-]+(:[0-9]+)?/?$ ]] || die "--public-url must be an https:// origin"
    set_env "$ENV_FILE" PUBLIC_URL "${PUBLIC_URL_ARG%/}"
  fi
}

current_port() {
  local port=""
  [ -r "$ENV_FILE" ] && port="$(sed -n 's/^PORT=\([0-9]*\)$/\1/p' "$ENV_FILE" | tail -n 1)"
  if [ -z "$port" ]; then
    if [ "$LAN" = 1 ]; then port=80; else port=8080; fi
  fi
  echo "$port"
}

install_units() {
  local unit
  say "Services: ${UNITS[*]} into $UNIT_DIR"
  for unit in "${UNITS[@]}"; do
    put_file "$UNIT_DIR/$unit" 0644 root:root <"$SRC_DIR/systemd/$unit"
  done
  # Enabling only writes links, so it works where systemd is not running (a chroot); starting does not.
  local running=0
  if [ -d /run/systemd/system ] || [ "$DRY_RUN" = 1 ]; then running=1; fi
  if [ "$running" = 1 ]; then run systemctl daemon-reload; fi
  if have systemctl || [ "$DRY_RUN" = 1 ]; then run systemctl enable counterpi.service counterpi-reconfigure.path; fi
  if [ "$running" = 1 ] && [ "$NO_START" = 0 ]; then
    run systemctl restart counterpi.service
  else
    note "not started ($([ "$NO_START" = 1 ] && echo '--no-start' || echo 'systemd is not running here')): start it with systemctl start counterpi"
  fi
}

# A unit file systemd ships (Debian keeps them in /lib or /usr/lib, by release).
unit_shipped() { [ -f "/usr/lib/systemd/system/$1" ] || [ -f "/lib/systemd/system/$1" ]; }

# A Pi has no battery clock: counterpi's unit waits for time-sync.target, which only means "the network
# has set the clock" when systemd-time-wait-sync runs (bounded here; docs/operations.md, "The clock").
setup_time_sync() {
  if ! unit_shipped "$TIME_WAIT_UNIT"; then
    say "Clock: no $TIME_WAIT_UNIT here; counterpi still takes no order while its clock is behind"
    return
  fi
  say "Clock: counterpi starts once the network has set the clock ($TIME_WAIT_UNIT, at most 3 minutes)"
  run install -d -m 0755 "$(dirname "$TIME_WAIT_DROPIN")"
  put_file "$TIME_WAIT_DROPIN" 0644 root:root <"$SRC_DIR/systemd/$TIME_WAIT_UNIT.d/counterpi.conf"
  if have systemctl || [ "$DRY_RUN" = 1 ]; then run systemctl enable "$TIME_WAIT_UNIT"; fi
  local sync
  for sync in systemd-timesyncd.service chrony.service ntpsec.service ntp.service openntpd.service; do
    if unit_shipped "$sync"; then return; fi
  done
  note "warning: nothing here sets the clock from the network; install one: sudo apt-get install systemd-timesyncd"
}

install_cloudflared() {
  if have cloudflared; then
    say "cloudflared: $(cloudflared --version 2>/dev/null | head -n 1)"
    return
  fi
  say "cloudflared: installing from Cloudflare's apt repository"
  run install -d -m 0755 /usr/share/keyrings
  run curl -fsSL "$CLOUDFLARE_KEY" -o /usr/share/keyrings/cloudflare-main.gpg
  printf 'deb [signed-by=/usr/share/keyrings/cloudflare-main.gpg] %s any main\n' "$CLOUDFLARE_REPO" |
    put_file /etc/apt/sources.list.d/cloudflared.list 0644 root:root
  run apt-get update
  run env DEBIAN_FRONTEND=noninteractive apt-get install -y cloudflared
}

setup_tunnel() {
  if [ "$NO_TUNNEL" = 1 ]; then
    say "Tunnel: left alone (--no-tunnel); run this again with --tunnel-token or --quick-tunnel to add one"
  elif [ -n "$TUNNEL_TOKEN_ARG" ]; then
    say "Tunnel: Cloudflare named tunnel (counterpi-tunnel.service)"
    install_cloudflared
    set_env "$TUNNEL_ENV" TUNNEL_TOKEN "$TUNNEL_TOKEN_ARG" secret
    run systemctl disable --now counterpi-quick-tunnel.service
    run systemctl enable counterpi-tunnel.service
    run systemctl restart counterpi-tunnel.service
    note "In Cloudflare's dashboard, give the tunnel a public hostname whose service is http://localhost:$(current_port),"
    note "then set that address: sudo bash $APP_DIR/scripts/install.sh --public-url https://HOSTNAME"
  elif [ "$QUICK_TUNNEL" = 1 ]; then
    say "Tunnel: Cloudflare quick tunnel for a demo (counterpi-quick-tunnel.service)"
    note "warning: its random https://….trycloudflare.com address changes every time it restarts"
    install_cloudflared
    set_env "$QUICK_ENV" TUNNEL_URL "http://127.0.0.1:$(current_port)"
    run systemctl disable --now counterpi-tunnel.service
    run systemctl enable counterpi-quick-tunnel.service
    run systemctl restart counterpi-quick-tunnel.service
    adopt_quick_tunnel_url
  elif [ -s "$TUNNEL_ENV" ]; then
    say "Tunnel: keeping the named tunnel configured in $TUNNEL_ENV"
    run systemctl enable counterpi-tunnel.service
    run systemctl restart counterpi-tunnel.service
  else
    say "Tunnel: none yet: paste a tunnel token on the owner pages (Connect), or see --tunnel-token and --quick-tunnel"
    # Ready for a token pasted on the Connect page: the unit is skipped until one exists, then
    # counterpi-reconfigure.path starts it.
    install_cloudflared
    run systemctl enable counterpi-tunnel.service
  fi
}

# cloudflared's metrics server answers GET /quicktunnel with {"hostname":"…"} once the tunnel is up.
adopt_quick_tunnel_url() {
  if [ "$DRY_RUN" = 1 ]; then
    note "would wait for http://127.0.0.1:20241/quicktunnel, set PUBLIC_URL to its address and restart counterpi"
    return
  fi
  local host="" tries=0
  while [ -z "$host" ] && [ "$tries" -lt 60 ]; do
    sleep 1
    tries=$((tries + 1))
    host="$(curl -fsS --max-time 2 http://127.0.0.1:20241/quicktunnel 2>/dev/null |
      sed -n 's/.*"hostname":"\([A-Za-z0-9.-]*\)".*/\1/p')" || host=""
  done
  [ -n "$host" ] || die "the quick tunnel did not come up; see journalctl -u counterpi-quick-tunnel"
  set_env "$ENV_FILE" PUBLIC_URL "https://$host"
  run systemctl restart counterpi.service
  note "PUBLIC_URL is now https://$host (until the quick tunnel restarts)"
}

# ---------------------------------------------------------------------------------------------------
# Uninstall

uninstall() {
  local unit
  say "Removing counterpi (the data in $DATA_DIR and the settings in $CONF_DIR $([ "$PURGE" = 1 ] && echo 'go too' || echo stay))"
  if [ -d /run/systemd/system ] || [ "$DRY_RUN" = 1 ]; then
    for unit in "${UNITS[@]}"; do
      if [ -f "$UNIT_DIR/$unit" ] || [ "$DRY_RUN" = 1 ]; then run systemctl disable --now "$unit"; fi
    done
  fi
  for unit in "${UNITS[@]}"; do run rm -f "$UNIT_DIR/$unit"; done
  # The clock wait was enabled for counterpi (Debian ships it disabled): it goes with it.
  if [ -f "$TIME_WAIT_DROPIN" ] || [ "$DRY_RUN" = 1 ]; then
    if have systemctl || [ "$DRY_RUN" = 1 ]; then run systemctl disable "$TIME_WAIT_UNIT"; fi
    run rm -f "$TIME_WAIT_DROPIN"
  fi
  if [ -d /run/systemd/system ]; then run systemctl daemon-reload; fi
  run rm -f "$UDEV_RULE" "$CLI_LINK"
  if have udevadm; then run udevadm control --reload-rules; fi
  run rm -rf "$APP_DIR" "$APP_DIR.new" "$APP_DIR.old"
  if [ "$PURGE" = 1 ]; then
    run rm -rf "$DATA_DIR" "$CONF_DIR"
    if id "$SERVICE_USER" >/dev/null 2>&1 || [ "$DRY_RUN" = 1 ]; then run userdel "$SERVICE_USER"; fi
  else
    note "kept $DATA_DIR (orders, menu, keys, backups) and $CONF_DIR; --purge deletes them"
  fi
  note "Node.js, cloudflared and the machine's name are left as they are"
}

# ---------------------------------------------------------------------------------------------------

main() {
  if [ "$DRY_RUN" = 1 ]; then
    say "Dry run: nothing on this machine is changed"
  elif [ "$(id -u)" != 0 ]; then
    die "run it as root (sudo bash scripts/install.sh), or add --dry-run to see the plan"
  fi
  if [ -n "$TUNNEL_TOKEN_ARG" ] && [ "$QUICK_TUNNEL" = 1 ]; then die "choose --tunnel-token or --quick-tunnel, not both"; fi
  if [ "$UNINSTALL" = 1 ]; then
    uninstall
    return
  fi
  [ "$PURGE" = 0 ] || die "--purge goes with --uninstall"
  if [ "$NO_TUNNEL" = 1 ] && { [ -n "$TUNNEL_TOKEN_ARG" ] || [ "$QUICK_TUNNEL" = 1 ]; }; then
    die "--no-tunnel leaves the tunnel alone: drop it or the tunnel option"
  fi
  if [ -n "$BUNDLE_ARG" ]; then unpack_bundle; fi
  detect_system
  if is_bundle; then check_bundle_platform; fi
  install_packages
  install_node
  create_user
  install_app
  install_udev_rule
  set_hostname
  write_settings
  setup_time_sync
  install_units
  setup_tunnel
  say "Done. Follow the logs with: journalctl -u counterpi -f"
  note "The shop answers on http://$([ "$KEEP_HOSTNAME" = 1 ] && hostname || echo "$HOSTNAME_ARG").local$([ "$LAN" = 1 ] || echo " once it listens on the network (--lan)")"
  note "Backups: $DATA_DIR/backups, one a night, seven kept; restore with sudo counterpi restore FILE"
}

main
