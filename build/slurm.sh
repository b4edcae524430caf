#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, for the fan-out test and for trying `mlnetdeep crossvalidate --slurm`.
#   build/slurm.sh start   installs slurm-wlm and munge (apt) if missing, writes a private configuration under
#                          $MLNETDEEP_SLURM_DIR (default /tmp/mlnetdeep-slurm), starts munged (unless one already
#                          runs), slurmctld and slurmd as root without systemd, waits until the node is idle, and
#                          prints the line to source: export SLURM_CONF=…/slurm.conf
#   build/slurm.sh stop    cancels the cluster's jobs and stops exactly the daemons `start` started (by their pids)
#   build/slurm.sh status  prints sinfo's view (exit 1 when the cluster is not up)
# Exit codes: 0 done; 1 a daemon failed to start (its log is printed); 3 Slurm cannot be installed here (not root,
# no apt-get, or the packages are not available): callers skip with that reason.
# The node offers every core of the machine (nproc); each array task asks for one by default. The configuration lives
# in its own directory (SLURM_CONF), never in /etc/slurm, so an existing Slurm set-up is left alone.
set -euo pipefail

dir="${MLNETDEEP_SLURM_DIR:-/tmp/mlnetdeep-slurm}"
conf="$dir/slurm.conf"
say() { printf '[slurm] %s\n' "$*" >&2; }

install_slurm() {
  if command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v sbatch >/dev/null && command -v munged >/dev/null; then
    return 0
  fi
  if [[ $(id -u) -ne 0 ]]; then say "cannot install Slurm: not root"; exit 3; fi
  if ! command -v apt-get >/dev/null; then say "cannot install Slurm: no apt-get (install slurm-wlm and munge yourself)"; exit 3; fi
  say "installing slurm-wlm and munge (apt-get)"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null; }; then
    say "cannot install Slurm: apt-get install slurm-wlm munge failed"
    exit 3
  fi
}

pid_alive() { [[ -s "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

start_munge() {
  if [[ -S /run/munge/munge.socket.2 ]] && munge -n </dev/null >/dev/null 2>&1; then
    say "munged already runs (not started here, will not be stopped)"
    return 0
  fi
  if [[ ! -s /etc/munge/munge.key ]]; then
    mungekey --create --keyfile=/etc/munge/munge.key
  fi
  install -d -o munge -g munge -m 0700 /etc/munge /var/lib/munge /var/log/munge
  install -d -o munge -g munge -m 0755 /run/munge
  chown munge:munge /etc/munge/munge.key && chmod 0400 /etc/munge/munge.key
  # munged runs as the munge user and writes its pid file as that user: it gets a folder of its own
  install -d -o munge -g munge -m 0755 "$dir/munge"
  runuser -u munge -- /usr/sbin/munged --pid-file="$dir/munge/munged.pid" 2>"$dir/munged.err" || { cat "$dir/munged.err" >&2; exit 1; }
  for _ in $(seq 50); do pid_alive "$dir/munge/munged.pid" && break; sleep 0.1; done
  cp "$dir/munge/munged.pid" "$dir/munged.pid" 2>/dev/null || true
  pid_alive "$dir/munged.pid" || { say "munged did not start"; cat "$dir/munged.err" >&2; exit 1; }
  munge -n </dev/null | unmunge >/dev/null || { say "munge round trip failed"; exit 1; }
}

write_conf() {
  local host cpus
  host="$(hostname -s)"
  cpus="$(nproc)"
  install -d -m 0755 "$dir" "$dir/ctld" "$dir/spool"
  cat >"$conf" <<CONF
# written by build/slurm.sh: a single-node test cluster, daemons run as root
ClusterName=mlnetdeep
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$dir/ctld
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
SlurmctldPort=6817
SlurmdPort=6818
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MinJobAge=30
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
}

start() {
  install_slurm
  if [[ $(id -u) -ne 0 ]]; then say "cannot start Slurm: the daemons run as root here"; exit 3; fi
  if pid_alive "$dir/slurmctld.pid" || pid_alive "$dir/slurmd.pid"; then
    say "already running (build/slurm.sh stop first)"
    echo "export SLURM_CONF=$conf"
    return 0
  fi
  rm -rf "$dir" && install -d -m 0755 "$dir"
  start_munge
  write_conf
  export SLURM_CONF="$conf"
  /usr/sbin/slurmctld -f "$conf" || { say "slurmctld failed"; cat "$dir/slurmctld.log" >&2 || true; exit 1; }
  /usr/sbin/slurmd -f "$conf" -N "$(hostname -s)" || { say "slurmd failed"; cat "$dir/slurmd.log" >&2 || true; exit 1; }
  for _ in $(seq 150); do
    if [[ "$(sinfo -h -o %t 2>/dev/null)" == idle* ]]; then
      say "up: $(sinfo -h -o '%P %D node(s) %c CPUs %t')"
      echo "export SLURM_CONF=$conf"
      return 0
    fi
    sleep 0.2
  done
  say "the node did not become idle in 30 s"; sinfo >&2 || true
  tail -20 "$dir/slurmctld.log" "$dir/slurmd.log" >&2 || true
  stop
  exit 1
}

stop_pid() { # name pidfile
  local pid
  pid_alive "$2" || return 0
  pid="$(cat "$2")"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || { say "stopped $1 ($pid)"; return 0; }; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  say "killed $1 ($pid)"
}

stop() {
  if [[ -s "$conf" ]] && pid_alive "$dir/slurmctld.pid"; then
    SLURM_CONF="$conf" scancel --full --user="$(id -un)" 2>/dev/null || true
    for _ in $(seq 50); do [[ -z "$(SLURM_CONF="$conf" squeue -h 2>/dev/null)" ]] && break; sleep 0.2; done
  fi
  stop_pid slurmd "$dir/slurmd.pid"
  stop_pid slurmctld "$dir/slurmctld.pid"
  stop_pid munged "$dir/munged.pid"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) SLURM_CONF="$conf" sinfo ;;
  *) echo "usage: build/slurm.sh start|stop|status" >&2; exit 2 ;;
esac
