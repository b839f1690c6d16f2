#!/usr/bin/env bash
# CI for `zsim sweep` (issue 15): a small sweep through GNU parallel, then the same
# sweep as a real Slurm array job on a one-node Slurm started here (munge, slurmctld and
# slurmd on localhost).  If Slurm cannot be started, say why and run each array index
# of the generated script by hand instead.  Both must aggregate to the bytes that
# `zsim sweep --run` gives.  Usage: .ci/sweep-check.sh SCRATCH_DIR (absolute).
set -euo pipefail
tmp=$1
here=$PWD
ci_apt() { if [ "$(id -u)" -eq 0 ]; then apt-get "$@"; else sudo -n apt-get "$@"; fi; }
if ! ci_apt install -y -q parallel slurm-wlm munge >/dev/null; then
	ci_apt update -q && ci_apt install -y -q parallel slurm-wlm munge >/dev/null
fi

cat >"$tmp/ci-sweep.yaml" <<YAML
base: $here/configs/default.yaml
kernels: [2.4, 2.6.32]
seeds: 3
axes: {machine.memory: [32MiB, 64MiB], duration: [200ms]}
YAML
./zsim sweep "$tmp/ci-sweep.yaml" --run --jobs 2 -q --out "$tmp/sw-run"

# GNU parallel, with a job log (a rerun with --resume would skip finished lines)
./zsim sweep "$tmp/ci-sweep.yaml" --list --out "$tmp/sw-par" |
	parallel --will-cite --joblog "$tmp/sw-par.joblog" -j2
./zsim aggregate "$tmp/sw-par" -q
cmp "$tmp/sw-run/sweep.csv" "$tmp/sw-par/sweep.csv"
echo "ci: sweep through GNU parallel: $(($(wc -l <"$tmp/sw-par.joblog") - 1)) jobs, same sweep.csv"

# the sweep as a whole: its report holds the points and a figure per metric, inline
./zsim report "$tmp/sw-run" >/dev/null
grep -q '<table id=points>' "$tmp/sw-run/report.html"
figs=$(grep -o '<figure class=plot' "$tmp/sw-run/report.html" | wc -l)
svgs=$(grep -o '<svg' "$tmp/sw-run/report.html" | wc -l)
[ "$figs" -ge 2 ] && [ "$figs" -eq "$svgs" ]
echo "ci: sweep report: the points table, $figs figures, $svgs inline svg"

# Slurm: a one-node cluster on localhost
script=$(./zsim sweep "$tmp/ci-sweep.yaml" --emit slurm --out "$tmp/sw-slurm")
ntasks=$(wc -l <"$tmp/sw-slurm/sweep.jobs")
sd="$tmp/slurm"
mkdir -p "$sd/state" "$sd/spool" "$sd/log"
host=$(hostname -s)
cat >"$sd/slurm.conf" <<CONF
ClusterName=zsimci
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$sd/state
SlurmdSpoolDir=$sd/spool
SlurmctldPidFile=$sd/slurmctld.pid
SlurmdPidFile=$sd/slurmd.pid
SlurmctldLogFile=$sd/log/slurmctld.log
SlurmdLogFile=$sd/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
ReturnToService=2
MpiDefault=none
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=ci Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$sd/slurm.conf"
pids=()
stop_slurm() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap stop_slurm EXIT
why=""
if [ ! -s /etc/munge/munge.key ]; then
	why="no /etc/munge/munge.key"
else
	mkdir -p /run/munge /var/log/munge /var/lib/munge
	chown munge: /run/munge /var/log/munge /var/lib/munge 2>/dev/null || true
	if ! munge -n >/dev/null 2>&1; then
		runuser -u munge -- /usr/sbin/munged --socket=/run/munge/munge.socket.2 || true
		sleep 1
		# started here: stopped with the Slurm daemons
		[ -s /run/munge/munged.pid ] && pids+=("$(cat /run/munge/munged.pid)")
	fi
	munge -n | unmunge >/dev/null 2>&1 || why="munged does not answer"
fi
if [ -z "$why" ]; then
	slurmctld -D >"$sd/log/ctld.out" 2>&1 &
	pids+=($!)
	slurmd -D -N "$host" >"$sd/log/d.out" 2>&1 &
	pids+=($!)
	up=""
	for _ in $(seq 60); do
		if sinfo -h -N -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
			up=1
			break
		fi
		sleep 1
	done
	[ -n "$up" ] || why="the node did not come up in 60 s: $(sinfo -h -N -o '%T %E' 2>&1 | head -1); slurmctld: $(tail -2 "$sd/log/slurmctld.log" 2>/dev/null | tr '\n' ' ')"
fi
if [ -z "$why" ]; then
	# a real array job; --wait returns when every task has ended
	if timeout 600 sbatch --wait --chdir="$here" "$script" >"$sd/log/sbatch.out" 2>&1; then
		echo "ci: Slurm array job: $(cat "$sd/log/sbatch.out")"
	else
		why="sbatch failed: $(tail -3 "$sd/log/sbatch.out" | tr '\n' ' ')"
	fi
fi
if [ -n "$why" ]; then
	echo "ci: Slurm could not be used ($why); running each array index by hand"
	for i in $(seq 1 "$ntasks"); do
		SLURM_ARRAY_TASK_ID=$i bash "$script"
	done
fi
./zsim aggregate "$tmp/sw-slurm" -q
cmp "$tmp/sw-run/sweep.csv" "$tmp/sw-slurm/sweep.csv"
echo "ci: sweep through Slurm ($ntasks array tasks): same sweep.csv"
