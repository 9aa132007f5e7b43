#!/usr/bin/env bash
# Scores a pocketsphinx work folder made by run.sh with sclite and prints WER per corpus.
#
#   bench/pocketsphinx/score.sh WORK [--decoded-only]
#
# --decoded-only scores only the utterances decoded so far (for a run still in progress).
set -euo pipefail
if [[ $# -lt 1 || $# -gt 2 ]]; then
  sed -n '2,6p' "$0" >&2
  exit 2
fi
WORK=$1
HERE=$(cd "$(dirname "$0")" && pwd)
suffix=""
if [[ ${2:-} == --decoded-only ]]; then
  suffix=".decoded"
  /usr/bin/python3 "$HERE/trn.py" hyp "$WORK" --decoded-only
else
  /usr/bin/python3 "$HERE/trn.py" hyp "$WORK"
fi

# sclite's summary row: Sum/Avg | #Snt #Wrd | Corr Sub Del Ins Err S.Err |
printf '%-16s %8s %8s %8s\n' corpus utts words "WER %"
for ref in "$WORK"/ref_*.trn; do
  name=$(basename "$ref" .trn); name=${name#ref_}
  [[ $name == all || $name == *.* ]] && continue
  sctk sclite -r "$WORK/ref_$name$suffix.trn" trn -h "$WORK/hyp_$name.trn" trn -i spu_id -o sum stdout \
    > "$WORK/sclite_$name.txt"
  awk -v c="$name" '/Sum\/Avg/ { gsub(/\|/, " "); printf "%-16s %8s %8s %8s\n", c, $2, $3, $8 }' "$WORK/sclite_$name.txt"
done
sctk sclite -r "$WORK/ref_all$suffix.trn" trn -h "$WORK/hyp_all.trn" trn -i spu_id -o sum stdout > "$WORK/sclite_all.txt"
awk '/Sum\/Avg/ { gsub(/\|/, " "); printf "%-16s %8s %8s %8s\n", "all", $2, $3, $8 }' "$WORK/sclite_all.txt"
