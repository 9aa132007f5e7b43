#!/usr/bin/env bash
# Scores EdgeVoice on exactly the utterances and with exactly the normalisation and sclite call of the PocketSphinx
# baseline (run.sh / score.sh), so the two WERs stand side by side.
#
#   bench/pocketsphinx/edgevoice_same_subset.sh DATA_DIR SPLIT EVERY [model.evm]
#   e.g. bench/pocketsphinx/edgevoice_same_subset.sh ../shared/data/real dev 3
set -euo pipefail
if [[ $# -lt 3 || $# -gt 4 ]]; then
  sed -n '2,7p' "$0" >&2
  exit 2
fi
DATA_DIR=$1 SPLIT=$2 EVERY=$3
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
MODEL=${4:-$ROOT/models/convrnnt-small.evm}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/hyp"
/usr/bin/python3 "$HERE/trn.py" prepare "$DATA_DIR/manifest.jsonl" "$SPLIT" "$WORK" "$EVERY"
"$ROOT/edgevoice" eval "$DATA_DIR/manifest.jsonl" --split "$SPLIT" -m "$MODEL" --hyp-out "$WORK/edgevoice.jsonl" >/dev/null
# The eval hypotheses (JSON Lines: id, text) in the "TEXT (id)" form trn.py reads from pocketsphinx_batch.
/usr/bin/python3 -c '
import json, sys
with open(sys.argv[1], encoding="utf-8") as f, open(sys.argv[2], "w", encoding="utf-8") as out:
    for line in f:
        row = json.loads(line)
        out.write("%s (%s)\n" % (row["text"], row["id"]))
' "$WORK/edgevoice.jsonl" "$WORK/hyp/edgevoice.hyp"
echo "EdgeVoice ($MODEL), greedy, every ${EVERY}-th utterance of split $SPLIT:"
"$HERE/score.sh" "$WORK"
