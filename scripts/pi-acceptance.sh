#!/usr/bin/env bash
# arm64 acceptance under emulation: builds the release bundle (scripts/bundle.sh), installs it with
# scripts/install.sh for real in an emulated arm64 Debian root (scripts/pi-root.sh), checks the
# installed tree, then runs the service's ExecStart as the unit would (its user, groups, environment,
# umask) and, from this machine, orders over MCP with an owner-issued token, approves on the
# confirmation page and reads the ticket off a TCP printer (scripts/pi-drive.ts). SIGTERM must end
# it with status 0. Root only; the root is cached under ~/.cache/counterpi-pi/.
#
#   bash scripts/pi-acceptance.sh         (PI_SUITE=trixie for Debian trixie; PI_BUNDLE=FILE installs
#                                          that bundle instead of making one)
set -euo pipefail
cd "$(dirname "$0")/.."
top="$(pwd)"
# shellcheck source=scripts/pi-root.sh
. scripts/pi-root.sh

UNIT=/etc/systemd/system/counterpi.service
tmp="$(mktemp -d)"
app_pid=""
cleanup() {
  local status=$?
  if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then kill -KILL "$app_pid" 2>/dev/null || true; fi
  pi_unwork
  if [ "$status" != 0 ] && [ -f "$tmp/app.log" ]; then
    echo "--- counterpi's log"
    tail -n 40 "$tmp/app.log"
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
started="$(date +%s)"

pi_require_host
pi_phase "root"
pi_binfmt
pi_root
pi_node

pi_phase "bundle"
if [ -n "${PI_BUNDLE:-}" ]; then
  bundle="$(cd "$(dirname "$PI_BUNDLE")" && pwd)/${PI_BUNDLE##*/}"
  pi_log "bundle: testing the given $bundle"
else
  bash scripts/bundle.sh --out "$tmp"
  bundle="$(find "$tmp" -maxdepth 1 -name 'counterpi-*-linux-arm64.tar.gz')"
fi
[ -f "$bundle" ] || pi_die "no bundle to install"

pi_phase "install"
pi_work "$tmp/work"
# The checkout (its installer), the bundle, and Node 22 for arm64 as the official build unpacks.
mkdir -p "$PI_WORK/root/counterpi" "$PI_WORK/root/node22"
git ls-files -z | tar -C "$top" --null -T - -cf - | tar -C "$PI_WORK/root/counterpi" -xf -
cp "$bundle" "$PI_WORK/root/"
tar -xzf "$PI_NODE_TGZ" -C "$PI_WORK/root/node22" --strip-components=1
pi_chroot "bash /root/counterpi/scripts/install.sh --bundle /root/${bundle##*/} --node-dir /root/node22 \
  --no-start --no-tunnel --keep-hostname"

pi_phase "installed tree"
app="$PI_WORK/opt/counterpi"
[ -f "$app/dist/cli.js" ] || pi_die "no dist/cli.js in /opt/counterpi"
for guide in docs/owner.md hardware/README.md; do
  [ -f "$app/$guide" ] || pi_die "no $guide in /opt/counterpi: the owner's guide would miss it"
done
# The lockfile marks what only development needs ("dev": true); none of it may be installed.
dev_only="$(node -p 'Object.entries(require("./package-lock.json").packages).filter(([, p]) => p.dev).map(([k]) => k).join("\n")')"
[ "$(wc -l <<<"$dev_only")" -gt 100 ] || pi_die "package-lock.json lists too few development packages to check"
while IFS= read -r dev; do
  [ ! -e "$app/$dev" ] || pi_die "the development package $dev is installed"
done <<<"$dev_only"
[ -z "$(find "$app" ! -user root -print -quit)" ] || pi_die "a file in /opt/counterpi is not root's"
[ -z "$(find "$app" -perm /022 ! -type l -print -quit)" ] || pi_die "a file in /opt/counterpi is writable by others"
# Names as the root knows them (its passwd, not this machine's).
owner_mode() { pi_chroot "stat -c '%U %a' $1"; }
data_mode="$(owner_mode /var/lib/counterpi)"
[ "$data_mode" = "counterpi 700" ] || pi_die "/var/lib/counterpi is '$data_mode', not 'counterpi 700'"
pi_chroot "systemctl is-enabled counterpi.service counterpi-reconfigure.path" >/dev/null
pi_log "ok: dist/ and the guide present, no dev dependencies, app root's and read-only, data dir counterpi's 0700, units enabled"

pi_phase "configure"
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
port="$(free_port)"
printer_port="$(free_port)"
# The owner's settings file: the port, and the kitchen printer on the network.
pi_chroot "sed -i -e 's/^PORT=.*/PORT=$port/' -e 's|^PRINTER=.*|PRINTER=tcp://127.0.0.1:$printer_port|' /etc/counterpi/counterpi.env"
pi_chroot "counterpi token issue --name pi-acceptance --scope 'menu:read order:write'" >"$tmp/token" 2>/dev/null
[ -s "$tmp/token" ] || pi_die "counterpi token issue printed no token"

# The unit's own settings, read from the installed file: Environment=, EnvironmentFile= (- = optional),
# User=, Group=, SupplementaryGroups=, WorkingDirectory=, UMask= and ExecStart=.
unit_value() { sed -n "s/^$1=//p" "$PI_WORK$UNIT" | tail -n 1; }
env_args=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin)
while IFS= read -r line; do
  case "$line" in
    Environment=*) env_args+=("${line#Environment=}") ;;
    EnvironmentFile=*)
      file="${line#EnvironmentFile=}"
      if [ -f "$PI_WORK${file#-}" ]; then
        while IFS= read -r setting; do env_args+=("$setting"); done < <(grep -E '^[A-Za-z_][A-Za-z0-9_]*=' "$PI_WORK${file#-}")
      elif [ "${file:0:1}" != - ]; then
        pi_die "the unit's EnvironmentFile $file is missing"
      fi
      ;;
  esac
done <"$PI_WORK$UNIT"
user="$(unit_value User)" group="$(unit_value Group)" groups="$(unit_value SupplementaryGroups)"
exec_start="$(unit_value ExecStart)"
exec_start="${exec_start#[-@:+!]}"

pi_phase "start"
chroot "$PI_WORK" /usr/bin/env -i "${env_args[@]}" \
  setpriv --reuid="$user" --regid="$group" --groups="${groups// /,}" -- \
  /bin/sh -c "umask $(unit_value UMask) && cd $(unit_value WorkingDirectory) && exec $exec_start" >"$tmp/app.log" 2>&1 &
app_pid=$!
for _ in $(seq 1 300); do
  if curl -fsS --max-time 2 "http://127.0.0.1:$port/ready" >/dev/null 2>&1; then break; fi
  kill -0 "$app_pid" 2>/dev/null || pi_die "counterpi exited before it was ready"
  sleep 0.5
done
curl -fsS --max-time 5 "http://127.0.0.1:$port/ready" | grep -q '"status":"ready"' || pi_die "/ready did not answer ready"
pi_log "ok: /ready answered $(($(date +%s) - PI_PHASE_START)) s after the start"

pi_phase "order, approve, print"
npx tsx scripts/pi-drive.ts --url "http://127.0.0.1:$port" --token-file "$tmp/token" --printer-port "$printer_port"

pi_phase "stop"
kill -TERM "$app_pid"
status=0
wait "$app_pid" || status=$?
app_pid=""
[ "$status" = 0 ] || pi_die "counterpi exited with status $status after SIGTERM"
pi_log "ok: SIGTERM ended counterpi with status 0"
db="$(find "$PI_WORK/var/lib/counterpi" -maxdepth 1 -name '*.db' -print -quit)"
[ -n "$db" ] || pi_die "no database in /var/lib/counterpi"
db_mode="$(owner_mode "${db#"$PI_WORK"}")"
[ "$db_mode" = "counterpi 600" ] || pi_die "the database is '$db_mode', not 'counterpi 600'"
pi_log "ok: ${db##*/} is counterpi's, mode 0600, in a 0700 directory"
pi_phase ""
pi_log "arm64 acceptance passed on Debian $PI_SUITE in $(($(date +%s) - started)) s"
