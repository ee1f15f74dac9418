#!/usr/bin/env bash
# End-to-end test of deploy/slurm/ on a real, single-node Slurm started here.
#
#   deploy/slurm/test.sh [--crm-roi PATH] [--fake] [--keep]
#
# As root, it installs slurm-wlm and munge with apt-get if they are missing,
# starts munged, slurmctld and slurmd with every file (key, sockets, state,
# spool, logs) in one temporary directory, and submits with
# deploy/slurm/submit.sh:
#   1. a run of scenarios/midsize-b2b.toml (shocks, correlations) with
#      --export-trials as a 4-task array job and its merge job;
#   2. a batch of scenarios/ with --baseline midsize-b2b the same way.
# Each merged result must be byte-identical (diff -r) to what a one-machine
# `crm-roi run` / `crm-roi batch` with the same options writes.
#
# --crm-roi PATH  test this binary (default: cargo build --release, once)
# --fake          test only the Slurm mechanics (array, --shard auto's K and
#                 N, afterok, merge) with a stand-in for crm-roi that writes
#                 "K/N" shard files and concatenates them; for a crm-roi
#                 without the shard and merge commands
# --keep          keep the temporary directory (it is kept on failure anyway)
#
# On exit it cancels its jobs and stops the daemons it started, and no
# others; on failure it prints the jobs' states, their output and the tails
# of the daemons' logs. See docs/scale-out.md, "Slurm".
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
submit=$repo/deploy/slurm/submit.sh
shards=4
job_timeout=300 # seconds for one array job and its merge

crm_roi="" fake=false keep=false
while [[ $# -gt 0 ]]; do
    case $1 in
        --crm-roi) crm_roi=${2:?--crm-roi needs a path}; shift 2 ;;
        --fake) fake=true; shift ;;
        --keep) keep=true; shift ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "test.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done

start=$(date +%s)
step_start=$start
say() { echo "[slurm test $(($(date +%s) - start))s] $*"; }
timed() { # timed LABEL: prints how long the step since the last call took
    local now
    now=$(date +%s)
    say "$1 took $((now - step_start))s"
    step_start=$now
}
fail() {
    echo "SLURM TEST FAILED: $*" >&2
    exit 1
}

[[ $(id -u) == 0 ]] || fail "needs root (it installs packages and starts slurmd, which runs the jobs)"

# --- Slurm and munge ---------------------------------------------------------
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null \
    || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
    say "installing slurm-wlm and munge with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        slurm-wlm munge >/dev/null
fi
say "$(slurmctld -V), $(munged -V 2>&1 | head -n 1)"
timed "checking or installing Slurm"

tmp=$(mktemp -d /tmp/crm-roi-slurm-test.XXXXXX)
chmod 755 "$tmp" # munged, running as munge, must reach its directory below
mkdir -p "$tmp/munge" "$tmp/munge-socket" "$tmp/state" "$tmp/spool" "$tmp/log" "$tmp/jobs"
pids=() # the daemons this script started, and only those
daemons_up=false
passed=false

diagnostics() {
    echo "---- diagnostics (files in $tmp) ----" >&2
    if $daemons_up; then
        echo "-- squeue" >&2
        squeue -a 2>&1 | sed 's/^/   /' >&2 || true
        echo "-- scontrol show job" >&2
        scontrol -o show job 2>&1 | awk '{ line = ""
            for (i = 1; i <= NF; i++)
                if ($i ~ /^(JobId|ArrayTaskId|JobName|JobState|Reason|Dependency|ExitCode|StdOut)=/)
                    line = line " " $i
            print "  " line }' >&2 || true
        echo "-- sinfo" >&2
        sinfo -N -l 2>&1 | sed 's/^/   /' >&2 || true
    fi
    local f
    for f in "$tmp"/log/jobcomp.txt "$tmp"/jobs/*.out "$tmp"/log/*.log "$tmp"/log/*.out; do
        [[ -s $f ]] || continue
        echo "-- tail $f" >&2
        tail -n 25 "$f" | sed 's/^/   /' >&2
    done
}

cleanup() {
    local status=$? pid
    set +e
    # Stop the daemons even when whoever reads our output has gone away.
    trap '' PIPE HUP INT TERM
    if ! $passed; then
        diagnostics
    fi
    if $daemons_up; then
        # Every job of this private cluster is one of ours: cancel what is
        # left so that no job step outlives its slurmd.
        scancel --quiet --user=root >/dev/null 2>&1
        for _ in $(seq 20); do
            [[ -z $(squeue -h -o %i 2>/dev/null) ]] && break
            sleep 0.5
        done
    fi
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
        pid=${pids[i]}
        kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    done
    if $passed && ! $keep; then
        rm -rf "$tmp"
    else
        echo "test.sh: the test's files are kept in $tmp" >&2
    fi
    say "done"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# munged, as the munge user, with its own key, socket, log and seed.
# munged wants its key's directory private, its socket's open to all.
chown munge:munge "$tmp/munge" "$tmp/munge-socket"
chmod 700 "$tmp/munge"
chmod 755 "$tmp/munge-socket"
dd if=/dev/urandom of="$tmp/munge/munge.key" bs=1024 count=1 status=none
chown munge:munge "$tmp/munge/munge.key"
chmod 600 "$tmp/munge/munge.key"
socket=$tmp/munge-socket/munge.socket
setpriv --reuid=munge --regid=munge --clear-groups \
    munged --foreground --socket="$socket" --key-file="$tmp/munge/munge.key" \
    --log-file="$tmp/munge/munged.log" --pid-file="$tmp/munge/munged.pid" \
    --seed-file="$tmp/munge/munged.seed" >"$tmp/log/munged.out" 2>&1 &
pids+=($!)
for _ in $(seq 50); do
    [[ -S $socket ]] && break
    sleep 0.1
done
munge -n -S "$socket" | unmunge -S "$socket" >/dev/null \
    || fail "munged does not answer on $socket"

# A port nobody listens on, so that another Slurm on this machine is left alone.
free_port() {
    local port
    while true; do
        port=$((20000 + RANDOM % 20000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
}
host=$(hostname -s)
ctld_port=$(free_port)
slurmd_port=$(free_port)
while [[ $slurmd_port == "$ctld_port" ]]; do slurmd_port=$(free_port); done
export SLURM_CONF=$tmp/slurm.conf
cat >"$SLURM_CONF" <<CONF
# Written by crm-roi's deploy/slurm/test.sh: a one-node cluster in $tmp
ClusterName=crmroitest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
# The main scheduling loop every second (default 60 s), so that jobs whose
# dependency is met start at once: the test takes half as long.
SchedulerParameters=sched_interval=1
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$tmp/log/jobcomp.txt
MpiDefault=none
ReturnToService=2
MinJobAge=600
KillWait=5
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF

slurmctld -D -c -f "$SLURM_CONF" >"$tmp/log/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -N "$host" -f "$SLURM_CONF" >"$tmp/log/slurmd.out" 2>&1 &
pids+=($!)
daemons_up=true
for _ in $(seq 60); do
    state=$(sinfo -h -N -o %t 2>/dev/null || true)
    [[ $state == idle ]] && break
    sleep 0.5
done
[[ $state == idle ]] || fail "node $host is not idle after 30 s (state '$state')"
say "single-node Slurm up: $host, $(nproc) CPUs, slurmctld on port $ctld_port, files in $tmp"
timed "starting munged, slurmctld and slurmd"

# --- crm-roi -------------------------------------------------------------------
cd "$repo"
if $fake; then
    crm_roi=$tmp/fake-crm-roi
    cat >"$crm_roi" <<'FAKE'
#!/usr/bin/env bash
# A stand-in for crm-roi that knows only the shape of sharding: `run|batch
# ... --shard auto|K/N --out DIR` writes DIR/fake.K-of-N.crmshard holding
# "K/N" and its arguments; `merge DIR... --out OUT` checks that 1..N are all
# there once and concatenates them, in order, into OUT/merged.txt.
set -euo pipefail
cmd=$1; shift
case $cmd in
    run | batch)
        args=() out="" shard=""
        while [[ $# -gt 0 ]]; do
            case $1 in
                --out) out=$2; shift 2 ;;
                --shard) shard=$2; shift 2 ;;
                *) args+=("$1"); shift ;;
            esac
        done
        if [[ $shard == auto ]]; then
            k=$((SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN + 1)) n=$SLURM_ARRAY_TASK_COUNT
        else
            k=${shard%/*} n=${shard#*/}
        fi
        mkdir -p "$out"
        echo "$k/$n $cmd ${args[*]}" >"$out/fake.$k-of-$n.crmshard" ;;
    merge)
        [[ ${1:-} == --help ]] && exit 0
        dirs=() out=""
        while [[ $# -gt 0 ]]; do
            case $1 in
                --out) out=$2; shift 2 ;;
                --no-charts | -q) shift ;;
                *) dirs+=("$1"); shift ;;
            esac
        done
        files=()
        for d in "${dirs[@]}"; do files+=("$d"/*.crmshard); done
        n=${files[0]##*-of-}; n=${n%.crmshard}
        [[ ${#files[@]} == "$n" ]] || { echo "merge: ${#files[@]} shards for N = $n" >&2; exit 2; }
        mkdir -p "$out"
        for ((k = 1; k <= n; k++)); do
            f=$(printf '%s\n' "${files[@]}" | grep "/fake.$k-of-$n.crmshard\$") \
                || { echo "merge: shard $k of $n is missing" >&2; exit 2; }
            cat "$f"
        done >"$out/merged.txt" ;;
    *) echo "fake crm-roi: $cmd is not faked" >&2; exit 2 ;;
esac
FAKE
    chmod +x "$crm_roi"
    say "--fake: testing the Slurm mechanics with a stand-in for crm-roi"
elif [[ -z $crm_roi ]]; then
    say "building crm-roi (cargo build --release)"
    cargo build --release --quiet
    crm_roi=$repo/target/release/crm-roi
    timed "building crm-roi"
fi
[[ -x $crm_roi ]] || fail "$crm_roi is not an executable"
if ! $fake && ! "$crm_roi" merge --help >/dev/null 2>&1; then
    fail "$crm_roi has no merge command; test.sh --fake tests the Slurm mechanics alone"
fi

# --- the cases -----------------------------------------------------------------

# wait_for JOB_ID...: until Slurm has finished them; every job and array task
# must have COMPLETED.
wait_for() {
    local ids elapsed=0 states id
    ids=$(
        IFS=,
        echo "$*"
    )
    while [[ -n $(squeue -h -j "$ids" -o %i 2>/dev/null) ]]; do
        ((elapsed < job_timeout)) || fail "jobs $ids still not finished after $job_timeout s"
        sleep 1
        elapsed=$((elapsed + 1))
    done
    states=$(for id in "$@"; do scontrol -o show job "$id"; done | grep -o 'JobState=[A-Z_]*')
    say "jobs $ids: $(sort <<<"$states" | uniq -c | tr -s ' \n' '  ')"
    if grep -qv '^JobState=COMPLETED$' <<<"$states"; then
        fail "not every job and array task of $ids completed"
    fi
}

# check CASE COMMAND ARGS...: one machine, then Slurm, then diff -r.
check() {
    local case=$1 cmd=$2 one=$tmp/one/$1 slurm=$tmp/slurm/$1 ids k n_shards n_files
    shift 2
    if $fake; then
        # The stand-in has no one-machine mode: its reference is the shards
        # run here with explicit K/N, which --shard auto must reproduce.
        for ((k = 1; k <= shards; k++)); do
            "$crm_roi" "$cmd" "$@" --shard "$k/$shards" --out "$tmp/one-shards/$case"
        done
        "$crm_roi" merge "$tmp/one-shards/$case" --out "$one"
    else
        "$crm_roi" "$cmd" "$@" --out "$one" --quiet
    fi
    timed "$case: one machine ($cmd $*)"

    read -r -a ids < <("$submit" --parsable --shards "$shards" --crm-roi "$crm_roi" \
        --shard-dir "$tmp/shards/$case" --out "$slurm" --logs "$tmp/jobs" "$cmd" "$@")
    say "$case: submitted array job ${ids[0]} ($shards shards) and merge job ${ids[1]} (afterok)"
    wait_for "${ids[@]}"
    n_shards=$(find "$tmp/shards/$case" -name '*.crmshard' | wc -l)
    ((n_shards >= 1)) || fail "$case: no shard files in $tmp/shards/$case"
    [[ -d $slurm ]] || fail "$case: the merge job wrote no $slurm"
    diff -r "$one" "$slurm" >"$tmp/$case.diff" 2>&1 \
        || fail "$case: Slurm's merged result differs from one machine's:
$(head -n 40 "$tmp/$case.diff")"
    n_files=$(find "$one" -type f | wc -l)
    timed "$case: $n_shards shard files on Slurm, merged: $n_files files byte-identical (diff -r)"
}

check run run scenarios/midsize-b2b.toml --trials 50000 --seed 7 --export-trials
check batch batch scenarios --baseline midsize-b2b --trials 20000 --seed 11

passed=true
say "PASSED in $(($(date +%s) - start))s"
