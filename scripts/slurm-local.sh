#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, for the sweep tests and for trying `npm run sweep -- FILE --engine slurm`
# without a real cluster. Debian 12's slurm-wlm 22.05 with munge, running as root without systemd:
#   scripts/slurm-local.sh install     install slurm-wlm and munge from Debian's packages (root; ~20 s), if missing
#   scripts/slurm-local.sh start DIR   write DIR/slurm.conf, start munged, slurmctld and slurmd, wait until the node
#                                      is idle; then `export SLURM_CONF=DIR/slurm.conf` makes sbatch/squeue use it
#   scripts/slurm-local.sh stop DIR    stop the daemons this script started for DIR (scontrol shutdown, munged -s)
# Every state, spool, pid and log file is under DIR. Exit code 3 from install/start: Slurm cannot run here (not root,
# no apt-get, or no packages); the tests then skip with that message.
set -euo pipefail
cmd=${1:-}
dir=${2:-}
log() { echo "[slurm-local] $*" >&2; }

have_slurm() { command -v slurmctld >/dev/null 2>&1 && command -v slurmd >/dev/null 2>&1 && command -v sbatch >/dev/null 2>&1 && command -v munged >/dev/null 2>&1; }

install() {
  have_slurm && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    log "slurm-wlm is not installed and this is not root on Debian/Ubuntu: cannot install it"
    return 3
  fi
  log "installing Debian packages: slurm-wlm munge"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null 2>&1; then
    apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null 2>&1 || { log "apt-get install slurm-wlm munge failed"; return 3; }
  fi
  have_slurm || { log "slurm-wlm installed but its daemons are not on PATH"; return 3; }
}

munge_works() { munge -n 2>/dev/null | unmunge >/dev/null 2>&1; }

start() {
  [ -n "$dir" ] || { echo "usage: $0 start DIR" >&2; exit 2; }
  install || exit $?
  [ "$(id -u)" = 0 ] || { log "the daemons run as root here (SlurmUser=root)"; exit 3; }
  mkdir -p "$dir"/state "$dir"/spool "$dir"/log
  dir=$(cd "$dir" && pwd)
  local host cpus mem
  host=$(hostname -s)
  cpus=$(nproc)
  mem=$(awk '/MemTotal/ { printf "%d", $2 / 1024 * 0.9 }' /proc/meminfo)
  cat >"$dir/slurm.conf" <<EOF
ClusterName=rnnlab-local
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MailProg=/bin/true
ReturnToService=2
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldPort=6817
SlurmdPort=6818
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
  if ! munge_works; then
    mkdir -p /run/munge /var/log/munge /var/lib/munge
    chown munge:munge /run/munge /var/log/munge /var/lib/munge 2>/dev/null || true
    chmod 0755 /run/munge
    runuser -u munge -- /usr/sbin/munged
    touch "$dir/munged.started"
    for _ in $(seq 50); do munge_works && break; sleep 0.1; done
    munge_works || { log "munged did not start (see /var/log/munge/munged.log)"; exit 1; }
  fi
  export SLURM_CONF="$dir/slurm.conf"
  slurmctld -c -f "$SLURM_CONF"
  slurmd -f "$SLURM_CONF"
  local state=""
  for _ in $(seq 100); do
    state=$(sinfo -h -o %T 2>/dev/null | head -1 || true)
    [ "$state" = idle ] && break
    sleep 0.2
  done
  [ "$state" = idle ] || { log "the node is '$state', not idle, after 20 s (logs in $dir/log)"; exit 1; }
  log "cluster up: node $host, $cpus CPUs; export SLURM_CONF=$SLURM_CONF"
}

stop() {
  [ -n "$dir" ] || { echo "usage: $0 stop DIR" >&2; exit 2; }
  [ -f "$dir/slurm.conf" ] || return 0
  SLURM_CONF="$dir/slurm.conf" scontrol shutdown >/dev/null 2>&1 || true
  for f in slurmctld slurmd; do
    if [ -f "$dir/$f.pid" ]; then
      pid=$(cat "$dir/$f.pid")
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
  if [ -f "$dir/munged.started" ]; then
    munged -s >/dev/null 2>&1 || true
    rm -f "$dir/munged.started"
  fi
}

case "$cmd" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 install | start DIR | stop DIR" >&2; exit 2 ;;
esac
