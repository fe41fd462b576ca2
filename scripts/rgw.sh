#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
#
# A real Ceph RGW (Pacific, Debian's packages) on loopback, for tests:
#
#   bash scripts/rgw.sh start [DIR]   start it; prints DIR as the last line
#   bash scripts/rgw.sh stop DIR      stop exactly what start started, remove DIR
#
# One mon, one memstore OSD (data in RAM), no mgr, one radosgw with the beast
# frontend on a free http port and a free https port (a self-signed
# certificate for 127.0.0.1 made with openssl), auth none, everything bound
# to 127.0.0.1 and everything written under DIR (default: a fresh temporary
# directory). The Ceph packages are installed with apt-get when missing.
#
# DIR/env holds the endpoint and an S3 key pair as KEY=value lines, to source
# and export:
#
#   HOSTUP_TEST_S3_ENDPOINT            http://127.0.0.1:PORT
#   HOSTUP_TEST_S3_TLS_ENDPOINT        https://127.0.0.1:TLSPORT
#   HOSTUP_TEST_S3_CA_FILE             the PEM to trust for the https endpoint
#   HOSTUP_TEST_S3_ACCESS_KEY_ID       the S3 user's access key
#   HOSTUP_TEST_S3_SECRET_ACCESS_KEY   and its secret
#   HOSTUP_TEST_S3_SERVER              rgw
#
# DIR/pids lists the daemons started ("name pid" lines); stop ends those
# only. A failed start stops what it started and prints the daemons' log
# tails. RGW_START_TIMEOUT (seconds, default 60) bounds each wait.
set -euo pipefail

access_key=HOSTUPRGWTESTKEY01
secret_key=hostup-rgw-test-secret-key-not-a-real-one-01
timeout_s=${RGW_START_TIMEOUT:-60}
packages=(ceph-mon ceph-osd radosgw ceph-common)

log() { echo "rgw: $*" >&2; }
die() { log "$*"; exit 1; }

usage() {
  echo "usage: $0 start [DIR] | stop DIR" >&2
  exit 2
}

# ensure_packages installs Ceph's daemons when any is missing.
ensure_packages() {
  local tool missing=0
  for tool in ceph-mon ceph-osd radosgw radosgw-admin ceph monmaptool; do
    command -v "$tool" >/dev/null || missing=1
  done
  [ "$missing" = 0 ] && return 0
  [ "$(id -u)" = 0 ] || die "Ceph is not installed and installing it needs root: apt-get install ${packages[*]}"
  log "installing ${packages[*]}"
  apt-get update >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${packages[@]}" >&2
}

# port_free PORT succeeds when nothing listens on PORT (any address) and
# nothing answers a connection to 127.0.0.1:PORT.
port_free() {
  if [ -n "$(ss -Htln "sport = :$1" 2>/dev/null)" ]; then
    return 1
  fi
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# free_ports N prints N distinct free ports from 20000-59999, avoiding
# Ceph's own daemon range (6800-7300).
free_ports() {
  local n=$1 p taken=" " tries=0
  while [ "$n" -gt 0 ]; do
    tries=$((tries + 1))
    [ "$tries" -le 500 ] || die "no free ports found"
    p=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
    case "$taken" in *" $p "*) continue ;; esac
    port_free "$p" || continue
    taken="$taken$p "
    echo "$p"
    n=$((n - 1))
  done
}

# wait_for DESCRIPTION COMMAND... retries COMMAND every 0.1 s until it
# succeeds, a started daemon exits, or RGW_START_TIMEOUT passes.
wait_for() {
  local what=$1 deadline=$((SECONDS + timeout_s))
  shift
  until "$@" >/dev/null 2>&1; do
    check_alive
    [ "$SECONDS" -lt "$deadline" ] || die "timed out after ${timeout_s}s waiting for $what"
    sleep 0.1
  done
}

# check_alive fails when a daemon this script started has exited.
check_alive() {
  local name pid
  [ -f "$dir/pids" ] || return 0
  while read -r name pid; do
    kill -0 "$pid" 2>/dev/null || die "$name (pid $pid) exited"
  done <"$dir/pids"
}

# daemon NAME COMMAND... starts COMMAND detached from this shell's session
# and terminal, its output in DIR/log/NAME.out, and records its pid.
daemon() {
  local name=$1 pid
  shift
  setsid "$@" </dev/null >"$dir/log/$name.out" 2>&1 &
  pid=$!
  echo "$name $pid" >>"$dir/pids"
}

# stop_daemons DIR ends the daemons DIR/pids lists, newest first (radosgw,
# then the OSD, then the mon), each only while it still runs with DIR's
# configuration: SIGTERM, SIGKILL after 10 s, and waits until it is gone.
stop_daemons() {
  local d=$1 name pid deadline failed=0
  [ -f "$d/pids" ] || return 0
  while read -r name pid; do
    ours "$d" "$pid" || continue
    kill -TERM "$pid" 2>/dev/null || true
    deadline=$((SECONDS + 10))
    while ours "$d" "$pid"; do
      if [ "$SECONDS" -ge "$deadline" ]; then
        kill -KILL "$pid" 2>/dev/null || true
        [ "$SECONDS" -lt $((deadline + 5)) ] || { log "$name (pid $pid) did not stop"; failed=1; break; }
      fi
      sleep 0.05
    done
  done < <(tac "$d/pids")
  return "$failed"
}

# ours DIR PID succeeds when PID is alive and runs with DIR's configuration,
# so a recycled pid is never signalled.
ours() {
  [ -r "/proc/$2/cmdline" ] || return 1
  tr '\0' '\n' <"/proc/$2/cmdline" 2>/dev/null | grep -qxF "$1/ceph.conf"
}

print_logs() {
  local f
  for f in "$dir"/log/*; do
    [ -s "$f" ] || continue
    echo "----- $f (last 30 lines)" >&2
    tail -n 30 "$f" >&2
  done
}

start() {
  dir=${1:-}
  made_dir=0
  if [ -z "$dir" ]; then
    dir=$(mktemp -d "${TMPDIR:-/tmp}/hostup-rgw.XXXXXX")
    made_dir=1
  else
    if [ -e "$dir" ] && [ -n "$(ls -A "$dir")" ]; then
      die "$dir is not empty"
    fi
    mkdir -p "$dir"
  fi
  dir=$(cd "$dir" && pwd)
  : >"$dir/pids"
  trap 'start_failed' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  ensure_packages
  for tool in openssl curl ss setsid; do
    command -v "$tool" >/dev/null || die "$tool is required"
  done

  local t0=$SECONDS ports mon2 mon1 http https fsid osd_uuid
  start_ns=$(date +%s%N)
  mapfile -t ports < <(free_ports 4)
  mon2=${ports[0]} mon1=${ports[1]} http=${ports[2]} https=${ports[3]}
  fsid=$(cat /proc/sys/kernel/random/uuid)
  osd_uuid=$(cat /proc/sys/kernel/random/uuid)
  mkdir -p "$dir/mon/a" "$dir/osd/0" "$dir/rgw" "$dir/run" "$dir/log" "$dir/tls"

  # The certificate clients trust for the https endpoint: self-signed, for
  # IP 127.0.0.1, its own CA.
  openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 7 \
    -keyout "$dir/tls/key.pem" -out "$dir/tls/cert.pem" \
    -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
    -addext "basicConstraints=critical,CA:TRUE" >/dev/null 2>&1 \
    || die "openssl could not make the certificate"

  cat >"$dir/ceph.conf" <<CONF
[global]
fsid = $fsid
mon host = [v2:127.0.0.1:$mon2,v1:127.0.0.1:$mon1]
mon initial members = a
public network = 127.0.0.0/8
cluster network = 127.0.0.0/8
ms bind ipv4 = true
ms bind ipv6 = false
auth cluster required = none
auth service required = none
auth client required = none
# With auth none, clients still ask the mon for a secure connection.
ms mon client mode = crc
keyring = /dev/null
run dir = $dir/run
admin socket = $dir/run/\$name.asok
log file = $dir/log/\$name.log
mon cluster log file = default=$dir/log/\$cluster.\$channel.log cluster=$dir/log/\$cluster.log
log to stderr = false
err to stderr = true
crash dir = $dir/run/crash
mon data = $dir/mon/\$id
osd data = $dir/osd/\$id
osd objectstore = memstore
memstore device bytes = 2147483648
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
# Pools are committed at each paxos round: radosgw makes six at first start.
paxos propose interval = 0.1
mon data avail warn = 2
mon data avail crit = 1
mon mgr mkfs grace = 31536000
osd max object name len = 256
osd max object namespace len = 64

[client.rgw.a]
rgw data = $dir/rgw
rgw frontends = beast endpoint=127.0.0.1:$http ssl_endpoint=127.0.0.1:$https ssl_certificate=$dir/tls/cert.pem ssl_private_key=$dir/tls/key.pem
rgw dns name = 127.0.0.1
rgw enable usage log = false
CONF
  local conf=(-c "$dir/ceph.conf")

  # Mon: a monmap with one member, a store, the daemon.
  monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$mon2,v1:127.0.0.1:$mon1]" "$dir/monmap" >"$dir/log/monmaptool.out" 2>&1 \
    || die "monmaptool failed: $(cat "$dir/log/monmaptool.out")"
  ceph-mon "${conf[@]}" -i a --mkfs --monmap "$dir/monmap" >"$dir/log/mon-mkfs.out" 2>&1 \
    || die "ceph-mon --mkfs failed: $(tail -n 20 "$dir/log/mon-mkfs.out")"
  daemon mon.a ceph-mon "${conf[@]}" -f -i a
  wait_for "the mon" timeout 5 ceph "${conf[@]}" --connect-timeout 3 mon stat

  # OSD: registered with the mon, a memstore on an existing directory.
  local id
  id=$(timeout 20 ceph "${conf[@]}" --connect-timeout 10 osd new "$osd_uuid") || die "ceph osd new failed"
  [ "$id" = 0 ] || die "expected osd id 0, got $id"
  ceph-osd "${conf[@]}" -i 0 --mkfs --osd-uuid "$osd_uuid" >"$dir/log/osd-mkfs.out" 2>&1 \
    || die "ceph-osd --mkfs failed: $(tail -n 20 "$dir/log/osd-mkfs.out")"
  daemon osd.0 ceph-osd "${conf[@]}" -f -i 0

  # radosgw: it waits for the OSD itself, makes its pools, then listens.
  daemon client.rgw.a radosgw "${conf[@]}" -f -n client.rgw.a
  wait_for "radosgw on :$http" curl -fsS -o /dev/null -m 2 "http://127.0.0.1:$http/"
  wait_for "radosgw on :$https" curl -fsS -o /dev/null -m 2 --cacert "$dir/tls/cert.pem" "https://127.0.0.1:$https/"

  timeout 30 radosgw-admin "${conf[@]}" -n client.admin user create --uid=hostup-test --display-name="HostUp tests" \
    --access-key="$access_key" --secret-key="$secret_key" >"$dir/log/user-create.out" 2>&1 \
    || die "radosgw-admin user create failed: $(tail -n 20 "$dir/log/user-create.out")"

  cat >"$dir/env" <<ENV
HOSTUP_TEST_S3_ENDPOINT=http://127.0.0.1:$http
HOSTUP_TEST_S3_TLS_ENDPOINT=https://127.0.0.1:$https
HOSTUP_TEST_S3_CA_FILE=$dir/tls/cert.pem
HOSTUP_TEST_S3_ACCESS_KEY_ID=$access_key
HOSTUP_TEST_S3_SECRET_ACCESS_KEY=$secret_key
HOSTUP_TEST_S3_SERVER=rgw
ENV
  trap - EXIT INT TERM
  local ms=$((($(date +%s%N) - start_ns) / 1000000))
  log "ready in ${ms} ms: http://127.0.0.1:$http https://127.0.0.1:$https (stop: bash $0 stop $dir)"
  echo "$dir"
}

start_failed() {
  local status=$?
  trap - EXIT
  [ "$status" != 0 ] || return 0
  log "start failed; logs:"
  print_logs
  stop_daemons "$dir" || true
  if [ "$made_dir" = 1 ]; then
    rm -rf "$dir"
  fi
  exit "$status"
}

stop() {
  local d=${1:-}
  [ -n "$d" ] || usage
  [ -d "$d" ] || die "$d is not a directory"
  d=$(cd "$d" && pwd)
  [ -f "$d/ceph.conf" ] && [ -f "$d/pids" ] || die "$d is not a directory rgw.sh start made"
  stop_daemons "$d"
  rm -rf "$d"
}

case "${1:-}" in
  start) shift; [ $# -le 1 ] || usage; start "$@" ;;
  stop) shift; [ $# -eq 1 ] || usage; stop "$1" ;;
  *) usage ;;
esac
