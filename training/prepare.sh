#!/usr/bin/env bash
# Data preparation for the ConvRNN-T recipe, in re-runnable stages.
#
#   training/prepare.sh                      # all stages
#   training/prepare.sh --stage 1 --stop-stage 1
#
# Stage 0: synthetic training text for the tokenizer (data/generate.py --text-only, seed 1,
#          the same text source as the synthetic corpus' train split)
# Stage 1: fbank feature cache for every split of every manifest (tops up grown manifests)
# Stage 2: SentencePiece BPE tokenizer (256 pieces, id 0 = blank) on the real train
#          transcripts + the stage-0 text. Skipped when the .model exists: retraining it
#          changes token ids and invalidates every trained model.
#
# Environment overrides: REAL (real data folder), SYNTH (synthetic corpus folder),
# FEATS (feature cache), TOKENIZER (tokenizer .model path).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

stage=0
stop_stage=2
while [ $# -gt 0 ]; do
  case "$1" in
    --stage) stage="$2"; shift 2 ;;
    --stop-stage) stop_stage="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 1 ;;
  esac
done

REAL=${REAL:-/work/shared/data/real}
SYNTH=${SYNTH:-/work/cache/synth}
FEATS=${FEATS:-/work/cache/feats}
TOKENIZER=${TOKENIZER:-training/tokenizer/bpe256.model}
TEXT_DIR=/work/cache/tokentext
PY=/usr/bin/python3

manifests=("$REAL/manifest.jsonl")
for m in "$SYNTH/manifest_train.jsonl" "$SYNTH/manifest_test.jsonl"; do
  [ -f "$m" ] && manifests+=("$m")
done

if [ "$stage" -le 0 ] && [ "$stop_stage" -ge 0 ]; then
  echo "stage 0: synthetic text for the tokenizer"
  mkdir -p "$TEXT_DIR"
  [ -f "$TEXT_DIR/train_text.txt" ] || (cd data && $PY generate.py --out "$TEXT_DIR" --seed 1 --text-only --text-sentences 50000)
fi

if [ "$stage" -le 1 ] && [ "$stop_stage" -ge 1 ]; then
  echo "stage 1: features for ${manifests[*]}"
  $PY training/prepare.py --stage feats --feats-dir "$FEATS" --manifests "${manifests[@]}"
fi

if [ "$stage" -le 2 ] && [ "$stop_stage" -ge 2 ]; then
  if [ -f "$TOKENIZER" ]; then
    echo "stage 2: $TOKENIZER exists, kept"
  else
    echo "stage 2: tokenizer"
    $PY training/prepare.py --stage tokenizer --manifests "$REAL/manifest.jsonl" \
      --extra-text "$TEXT_DIR/train_text.txt" --tokenizer "$TOKENIZER"
  fi
fi
