#!/usr/bin/env bash
# Smoke test of the whole recipe on a handful of real utterances (a few minutes on 1 core):
# features -> train a tiny model for a few steps -> export -> reload (checksum) -> streaming
# check -> greedy and beam decoding.
#
#   training/smoke_test.sh [REAL_DATA_DIR]      # default: ../shared/data/real from the repo root
#
# Everything is written to a temporary folder that is removed at the end.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
REAL=${1:-../shared/data/real}
PY=/usr/bin/python3
if [ ! -f "$REAL/manifest.jsonl" ]; then
  echo "smoke_test: no manifest.jsonl in $REAL (pass the real data folder as the first argument)" >&2
  exit 1
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# A tiny manifest: the first 24 train and 8 dev utterances, with absolute audio paths.
$PY - "$REAL/manifest.jsonl" "$TMP/manifest.jsonl" <<'EOF'
import json, os, sys
src, dst = sys.argv[1], sys.argv[2]
base = os.path.dirname(os.path.abspath(src))
want = {"train": 24, "dev": 8}
with open(src, encoding="utf-8") as f, open(dst, "w", encoding="utf-8") as out:
    for line in f:
        row = json.loads(line)
        if want.get(row["split"], 0) > 0:
            want[row["split"]] -= 1
            row["audio"] = os.path.join(base, row["audio"])
            out.write(json.dumps(row) + "\n")
EOF

TINY=(--manifests "$TMP/manifest.jsonl" --feats-dir "$TMP/feats" --threads 1
      --subsampling-channels 8 --encoder-dim 32 --lstm-hidden 32 --lstm-layers 2
      --decoder-dim 32 --joiner-dim 32)
$PY training/prepare.py --stage feats "${TINY[@]}"
$PY training/train.py "${TINY[@]}" --exp-dir "$TMP/exp" --max-steps 4 --max-frames 4000 --num-epochs 1 --vtlp 0.1
# VTLP keeps the edge bins, moves a peak the way the factor says and leaves padding alone.
$PY - <<'EOF'
import random, sys
import torch
sys.path.insert(0, "training")
from train import vtlp_warp
x = torch.randn(2, 50, 80)
y = vtlp_warp(x, torch.tensor([50, 30]), random.Random(1), 0.1)
assert torch.allclose(y[..., 0], x[..., 0]) and torch.allclose(y[..., 79], x[..., 79]), "edge bins move"
assert torch.equal(y[1, 30:], x[1, 30:]) and not torch.equal(y, x), "padding changed or nothing warped"
class Fixed:
    def __init__(self, a): self.a = a
    def uniform(self, lo, hi): return self.a - 1
bump = torch.zeros(1, 1, 80); bump[0, 0, 40] = 1
assert [int(vtlp_warp(bump, torch.tensor([1]), Fixed(a), 0.1)[0, 0].argmax()) for a in (0.9, 1.1)] == [36, 44], "warp direction"
print("vtlp checks passed")
from params import Params
from train import lr_at
p = Params(lr=1.5e-3, warmup_steps=200)
assert abs(lr_at(200, p) - 1.5e-3) < 1e-12 and abs(lr_at(800, p) - 0.75e-3) < 1e-12, "schedule without offset"
q = Params(lr=1.5e-3, warmup_steps=200, schedule_offset=29800)
assert abs(lr_at(10, q) - 1.5e-3 * 10 / 200) < 1e-12, "warm-up of a continued run (its own steps)"
assert abs(lr_at(200, q) - 1.5e-3 * (200 / 30000) ** 0.5) < 1e-12, "decay where the earlier run left off"
print("schedule checks passed")
EOF
$PY training/export.py "${TINY[@]}" --checkpoint "$TMP/exp/checkpoint-latest.pt" --output "$TMP/smoke.evm" \
    --model-name smoke
$PY training/test_streaming.py --checkpoint "$TMP/smoke.evm" --threads 1
$PY training/decode.py "${TINY[@]}" --checkpoint "$TMP/smoke.evm" --decode-method both --exp-dir "$TMP/decode"

# Training from an exported model with a folded blank penalty starts from the trained (unfolded) blank bias.
$PY training/export.py "${TINY[@]}" --checkpoint "$TMP/smoke.evm" --output "$TMP/folded.evm" --model-name smoke --blank-penalty 1.0
$PY training/train.py "${TINY[@]}" --exp-dir "$TMP/exp-init" --init-from "$TMP/folded.evm" --max-steps 1 --max-frames 4000 --num-epochs 1 --lr 1e-12
$PY - "$TMP/smoke.evm" "$TMP/folded.evm" "$TMP/exp-init/checkpoint-latest.pt" <<'EOF'
import sys
import torch
sys.path.insert(0, "training")
from model_file import read_model
meta, plain = read_model(sys.argv[1])
_, folded = read_model(sys.argv[2])
trained = torch.load(sys.argv[3], map_location="cpu")["model"]["joiner.output.bias"]
blank = meta["blank_id"]
assert abs(float(plain["joiner.output.bias"][blank]) - float(folded["joiner.output.bias"][blank]) - 1.0) < 1e-5, "export did not fold"
assert abs(float(trained[blank]) - float(plain["joiner.output.bias"][blank])) < 1e-3, "training kept the folded penalty"
print("init-from checks passed: the folded blank penalty was taken out")
EOF

# Compression: int8 + 50% block-sparse, then a further fine-tuning run from the compressed file keeps its pruned blocks.
$PY training/compress.py "${TINY[@]}" --init-from "$TMP/smoke.evm" --exp-dir "$TMP/c1" --output "$TMP/s50.evm" \
    --target-sparsity 0.5 --prune-end 0.5 --global-prune --fake-quant --max-steps 30 --max-minutes 0 --max-frames 4000
$PY training/compress.py "${TINY[@]}" --init-from "$TMP/s50.evm" --exp-dir "$TMP/c2" --output "$TMP/s50b.evm" \
    --target-sparsity 0.5 --global-prune --fake-quant --max-steps 10 --max-minutes 0 --max-frames 4000
$PY - "$TMP/s50.evm" "$TMP/s50b.evm" <<'EOF'
import sys
import numpy as np
sys.path.insert(0, "training")
from model_file import read_model
_, first = read_model(sys.argv[1])
_, second = read_model(sys.argv[2])
pruned, changed = 0, 0
for name, w in first.items():
    if w.ndim != 2 or w.shape[1] < 16:
        continue
    cols = (w.shape[1] + 15) // 16 * 16
    blocks = lambda a: np.pad(np.abs(a), ((0, 0), (0, cols - a.shape[1]))).reshape(a.shape[0], -1, 16).sum(axis=2)
    zero = blocks(w) == 0
    pruned += int(zero.sum())
    assert (blocks(second[name])[zero] == 0).all(), f"{name}: a pruned block grew back"
    changed += int(not np.array_equal(w, second[name]))
assert pruned > 0 and changed > 0, f"nothing pruned ({pruned}) or nothing trained ({changed})"
print(f"compression checks passed: {pruned} pruned blocks kept, {changed} matrices fine-tuned")
EOF

# The reader must reject a corrupted file.
$PY - "$TMP/smoke.evm" <<'EOF'
import os, sys
sys.path.insert(0, "training")
from model_file import read_model
path = sys.argv[1]
meta, tensors = read_model(path)
assert meta["tokenizer"]["pieces"][meta["blank_id"]] == "<blk>", "blank piece"
assert "cmvn.mean" in tensors and "cmvn.std" in tensors, "CMVN tensors"
data = bytearray(open(path, "rb").read())
data[len(data) // 2] ^= 0xFF
open(path + ".bad", "wb").write(data)
try:
    read_model(path + ".bad")
except ValueError as e:
    print("corrupted file rejected:", str(e).split(";")[0])
else:
    raise SystemExit("corrupted model file was accepted")
EOF
echo "smoke test passed"
