#!/usr/bin/env bash
# Submits a sharded crm-roi run or batch to Slurm: an array job of N shards
# (shard.sbatch) and a merge job (merge.sbatch) that starts only when every
# shard has succeeded (--dependency=afterok). See docs/scale-out.md, "Slurm".
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

usage() {
    cat <<'USAGE'
usage: submit.sh --shards N [options] run FILE [run options]
       submit.sh --shards N [options] batch DIR... [batch options]

Submits `crm-roi run|batch|sweep ... --shard auto` as an array job of N tasks and
`crm-roi merge` as a job that waits for all of them. The run or batch
options (--trials, --seed, --sampling, --export-trials, --baseline, ...)
follow the command as they would on one machine; submit.sh adds --out and
--shard itself.

options (before run/batch/sweep):
  --shards N         number of shards, one array task each (required)
  --shard-dir DIR    where the shard files go; must be absent or empty, on a
                     file system every node sees (default: shards)
  --out DIR          where the merge writes the results (default: output)
  --crm-roi PATH     the crm-roi binary, as the nodes see it
                     (default: $CRM_ROI, else crm-roi on PATH)
  --logs DIR         Slurm's output files, crm-roi-<job>_<task>.out
                     (default: Slurm's, slurm-<job>_<task>.out here)
  --max-parallel M   run at most M shards at a time (--array=1-N%M)
  --no-charts        the merge writes only the numbers
  --sbatch ARG       one more sbatch option for both jobs, e.g.
                     --sbatch --partition=short (repeatable)
  --parsable         print only "ARRAY_JOB_ID MERGE_JOB_ID"
  -h, --help         this help

Both jobs run in the current directory, so relative paths mean the same on
the nodes as here. sbatch's own environment variables (SBATCH_PARTITION,
SBATCH_ACCOUNT, SBATCH_TIMELIMIT, ...) apply as usual.
USAGE
}

die() {
    echo "submit.sh: error: $*" >&2
    exit 2
}

shards="" shard_dir=shards out=output crm_roi=${CRM_ROI:-crm-roi}
logs="" max_parallel="" parsable=false
merge_opts=() sbatch_opts=()
while [[ $# -gt 0 ]]; do
    case $1 in
        --shards) shards=${2:?--shards needs a value}; shift 2 ;;
        --shard-dir) shard_dir=${2:?--shard-dir needs a value}; shift 2 ;;
        --out) out=${2:?--out needs a value}; shift 2 ;;
        --crm-roi) crm_roi=${2:?--crm-roi needs a value}; shift 2 ;;
        --logs) logs=${2:?--logs needs a value}; shift 2 ;;
        --max-parallel) max_parallel=${2:?--max-parallel needs a value}; shift 2 ;;
        --no-charts) merge_opts+=(--no-charts); shift ;;
        --sbatch) sbatch_opts+=("${2:?--sbatch needs a value}"); shift 2 ;;
        --parsable) parsable=true; shift ;;
        -h | --help) usage; exit 0 ;;
        run | batch | sweep) break ;;
        *) usage >&2; die "unknown option '$1' (the command, run, batch or sweep, comes after submit.sh's options)" ;;
    esac
done
[[ $# -ge 2 ]] || { usage >&2; die "give run FILE, batch DIR... or sweep FILE --set ... after the options"; }
[[ -n $shards ]] || { usage >&2; die "--shards N is required"; }
[[ $shards =~ ^[1-9][0-9]*$ ]] || die "--shards needs a whole number of at least 1 (got '${shards}')"
[[ -z $max_parallel || $max_parallel =~ ^[1-9][0-9]*$ ]] \
    || die "--max-parallel needs a whole number of at least 1 (got '$max_parallel')"
for arg in "$@"; do
    case $arg in
        -o | -o?* | --out | --out=* | --shard | --shard=* | --shards | --shards=*)
            die "'$arg' is set by submit.sh: use submit.sh's --out and --shard-dir before the command" ;;
        --precision | --precision=*)
            die "--precision cannot be sharded: give --trials instead" ;;
    esac
done

# The binary, as an absolute path when it is one here (the jobs do not run
# in this shell); it must understand the shard and merge commands.
if [[ $crm_roi == */* ]]; then
    [[ -x $crm_roi ]] || die "--crm-roi $crm_roi: no such executable"
    crm_roi=$(cd "$(dirname "$crm_roi")" && pwd)/$(basename "$crm_roi")
else
    command -v "$crm_roi" >/dev/null || die "$crm_roi is not on PATH: give --crm-roi PATH"
fi
"$crm_roi" merge --help >/dev/null 2>&1 \
    || die "$crm_roi has no merge command: it is older than sharding (crm-roi --help lists merge)"

# Shard files of an earlier submission would be merged with this one's (or
# make the merge refuse): start from an empty directory, and delete nothing.
if [[ -d $shard_dir ]] && [[ -n $(ls -A "$shard_dir") ]]; then
    die "shard directory $shard_dir is not empty: remove it or give another --shard-dir"
fi
mkdir -p "$shard_dir"
log_opts=() merge_log_opts=()
if [[ -n $logs ]]; then
    mkdir -p "$logs"
    log_opts=(--output="$logs/crm-roi-%A_%a.out")
    merge_log_opts=(--output="$logs/crm-roi-%j.out")
fi

export CRM_ROI=$crm_roi
array=1-$shards${max_parallel:+%$max_parallel}
common=(--parsable --export=ALL --chdir="$PWD" "${sbatch_opts[@]}")

array_id=$(sbatch "${common[@]}" "${log_opts[@]}" --array="$array" \
    "$here/shard.sbatch" "$@" --out "$shard_dir")
array_id=${array_id%%;*}   # --parsable prints "id" or "id;cluster"
merge_id=$(sbatch "${common[@]}" "${merge_log_opts[@]}" \
    --dependency="afterok:$array_id" --kill-on-invalid-dep=yes \
    "$here/merge.sbatch" "$shard_dir" --out "$out" "${merge_opts[@]}")
merge_id=${merge_id%%;*}

if $parsable; then
    echo "$array_id $merge_id"
else
    echo "submitted $shards shards of crm-roi $1: array job $array_id, writing to $shard_dir/"
    echo "submitted the merge: job $merge_id, after every shard succeeds, writing to $out/"
    echo "follow them with: squeue -j $array_id,$merge_id"
fi
