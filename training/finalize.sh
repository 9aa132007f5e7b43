#!/usr/bin/env bash
# Turns a training checkpoint into the committed default model: export, greedy WER on the real dev split and the
# synthetic test split (PyTorch, training/decode.py), export again with those scores in the metadata, then
# re-dump the C# parity goldens. Commit models/ and tests/data/golden/ afterwards (and update models/README.md).
#
#   training/finalize.sh /work/cache/exp/convrnnt-h/checkpoint-latest.pt [models/convrnnt-small.evm]
#
# Environment: REAL (default /work/shared/data/real/manifest.jsonl), SYNTH (default
# /work/cache/synth/manifest_test.jsonl), WORK (default /work/cache/exp/finalize), BLANK_PENALTY (default 0: folded into
# the joiner's blank bias by export.py; choose it on dev data, never on the test split).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
checkpoint="${1:?usage: training/finalize.sh CHECKPOINT [OUTPUT.evm]}"
output="${2:-models/convrnnt-small.evm}"
real="${REAL:-/work/shared/data/real/manifest.jsonl}"
synth="${SYNTH:-/work/cache/synth/manifest_test.jsonl}"
work="${WORK:-/work/cache/exp/finalize}"
penalty="${BLANK_PENALTY:-0}"
py=/usr/bin/python3
for f in "$checkpoint" "$real" "$synth"; do
    [ -f "$f" ] || { echo "finalize: $f not found" >&2; exit 66; }
done
mkdir -p "$work"
$py training/export.py --checkpoint "$checkpoint" --output "$work/unscored.evm" --model-name convrnnt-small \
    --blank-penalty "$penalty"
$py training/decode.py --checkpoint "$work/unscored.evm" --decode-method greedy --exp-dir "$work/decode-real" --manifests "$real"
$py training/decode.py --checkpoint "$work/unscored.evm" --decode-method greedy --exp-dir "$work/decode-synth" --manifests "$synth"
$py training/export.py --checkpoint "$checkpoint" --output "$output" --model-name convrnnt-small --blank-penalty "$penalty" \
    --scores-json "$work/decode-real/wer.json" "$work/decode-synth/wer.json"
bench/asr/refresh_goldens.sh "$output"
echo "finalize: wrote $output; greedy WER:"
cat "$work/decode-real/wer.json" "$work/decode-synth/wer.json"
