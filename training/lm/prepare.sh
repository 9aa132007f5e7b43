#!/bin/bash
# The language-model recipe, in re-runnable stages (docs/language-models.md):
#   training/lm/prepare.sh [first_stage] [last_stage]
# 1 text   2 tokenizer + LSTM training (niced, one thread)   3 export + golden   4 3-gram KN   5 perplexities
# Paths may be overridden: SYNTH=/work/cache/synth REAL=/work/shared/data/real/manifest.jsonl WORK=/work/cache/lm
set -euo pipefail
cd "$(dirname "$0")/../.."
first=${1:-1}; last=${2:-5}
SYNTH=${SYNTH:-/work/cache/synth}; REAL=${REAL:-/work/shared/data/real/manifest.jsonl}; WORK=${WORK:-/work/cache/lm}
BENCH="dotnet run --project bench/lm -c Release --artifacts-path /tmp/art-lmbench --"
stage() { [ "$1" -ge "$first" ] && [ "$1" -le "$last" ]; }
if stage 1; then
  /usr/bin/python3 training/lm/make_text.py --synth-train "$SYNTH/manifest_train.jsonl" --synth-dev "$SYNTH/manifest_dev.jsonl" \
    --real "$REAL" --out "$WORK"
fi
if stage 2; then
  nice -n 10 /usr/bin/python3 training/lm/train.py --work "$WORK" --max-minutes 28
fi
if stage 3; then
  /usr/bin/python3 training/lm/export.py --work "$WORK" --output models/lm-lstm.evm
  /usr/bin/python3 training/lm/dump_golden.py --model models/lm-lstm.evm --work "$WORK" --output tests/EdgeVoice.Lm.Tests/golden/lm-lstm.json
fi
if stage 4; then
  nice -n 10 $BENCH train-ngram "$WORK/train.txt" models/lm-3gram.arpa.gz --order 3
fi
if stage 5; then
  for m in models/lm-3gram.arpa.gz models/lm-lstm.evm; do
    nice -n 10 $BENCH perplexity "$m" "$WORK/dev_real.txt" "$WORK/dev_synth.txt"
  done
fi
