#!/usr/bin/env bash
# Greedy WER of one model at several extra blank penalties (`edgevoice eval --blank-penalty`), to choose the
# penalty on a dev set (never on a test split). One line per penalty: penalty, WER, substitutions, deletions,
# insertions.
#
#   bench/asr/blank_penalty_sweep.sh models/convrnnt-small-int8-s50.evm /work/cache/synth/manifest_dev.jsonl "" -0.5 0 0.5 1
#
# The third argument is passed to eval as --split (empty: every utterance of the manifest).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
model="${1:?usage: blank_penalty_sweep.sh MODEL MANIFEST SPLIT PENALTY...}"
manifest="${2:?manifest}"
split="${3-}"
shift 3
[ $# -gt 0 ] || { echo "blank_penalty_sweep: give at least one penalty" >&2; exit 64; }
split_args=()
[ -n "$split" ] && split_args=(--split "$split")
echo "# $model on $manifest ${split:+(split $split)}"
for penalty in "$@"; do
    "$root/edgevoice" eval "$manifest" "${split_args[@]}" --json -m "$model" --blank-penalty "$penalty" |
        /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(sys.argv[1], d["wer"], d["sub"], d["del"], d["ins"], sep="\t")' "$penalty"
done
