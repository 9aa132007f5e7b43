#!/usr/bin/env bash
# Legacy baseline: CMU PocketSphinx with its default US English acoustic model, language
# model and dictionary (Debian packages pocketsphinx, pocketsphinx-en-us), scored with
# sclite (Debian package sctk).
#
#   bench/pocketsphinx/run.sh DATA_DIR [SPLIT] [JOBS]
#   nice -n 10 bench/pocketsphinx/run.sh ../shared/data/real dev 1
#   nice -n 10 bench/pocketsphinx/run.sh /work/cache/synth test 1
#
# DATA_DIR holds manifest.jsonl (schema: shared/data/real/README.md, data/README.md).
# Every utterance of SPLIT is converted to 16 kHz mono 16-bit WAV with sox, decoded with
# pocketsphinx_batch (whole utterance, no VAD segmentation), normalised like the manifest
# and scored per corpus and overall with score.sh. Prints WER per corpus; leaves trn files
# and sclite reports in $WORK (default: a new folder under ${TMPDIR:-/tmp}). EVERY=N keeps only every
# N-th utterance of the split in manifest order (default 1: all), for a quicker estimate.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 3 ]]; then
  sed -n '2,17p' "$0" >&2
  exit 2
fi
DATA_DIR=$(cd "$1" && pwd)
SPLIT=${2:-dev}
JOBS=${3:-1}
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
MODEL=/usr/share/pocketsphinx/model/en-us
WORK=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/pocketsphinx.XXXXXX")}

for tool in sox pocketsphinx_batch sctk; do
  if ! command -v "$tool" >/dev/null; then
    echo "run.sh: $tool not found: apt-get install -y sox pocketsphinx pocketsphinx-en-us sctk" >&2
    exit 1
  fi
done
[[ -f $DATA_DIR/manifest.jsonl ]] || { echo "run.sh: no manifest.jsonl in $DATA_DIR" >&2; exit 1; }
[[ -d $MODEL/en-us ]] || { echo "run.sh: no model in $MODEL: apt-get install -y pocketsphinx-en-us" >&2; exit 1; }

mkdir -p "$WORK/wav" "$WORK/hyp"
$PY "$HERE/trn.py" prepare "$DATA_DIR/manifest.jsonl" "$SPLIT" "$WORK" "${EVERY:-1}"
echo "work folder: $WORK ($(wc -l < "$WORK/list.tsv") utterances, split $SPLIT)"

started=$(date +%s)
while IFS=$'\t' read -r uid audio _; do
  [[ -s $WORK/wav/$uid.wav ]] || sox "$audio" -r 16000 -c 1 -b 16 -e signed-integer "$WORK/wav/$uid.wav"
done < "$WORK/list.tsv"
cut -f1 "$WORK/list.tsv" > "$WORK/all.ctl"
split -n "l/$JOBS" -d "$WORK/all.ctl" "$WORK/hyp/part"

pids=()
for ctl in "$WORK"/hyp/part[0-9]*; do
  [[ $ctl == *.* ]] && continue
  pocketsphinx_batch -adcin yes -adchdr 44 -cepdir "$WORK/wav" -cepext .wav -ctl "$ctl" \
    -hmm "$MODEL/en-us" -lm "$MODEL/en-us.lm.bin" -dict "$MODEL/cmudict-en-us.dict" \
    -hyp "$ctl.hyp" > "$ctl.log" 2>&1 &
  pids+=($!)
done
for pid in "${pids[@]}"; do
  wait "$pid" || { echo "run.sh: pocketsphinx_batch failed, see $WORK/hyp/part*.log" >&2; exit 1; }
done
decode_s=$(( $(date +%s) - started ))
echo
"$HERE/score.sh" "$WORK"
echo "decoding and conversion took ${decode_s} s with $JOBS job(s); sclite reports in $WORK"
