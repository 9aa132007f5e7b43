#!/usr/bin/python3
"""Write every N-th utterance of a split's cached training features (raw fbank, before CMVN) for stream.mjs:
<out>/feats.f32 (all frames, float32 little-endian) and <out>/index.json (ids, texts, frame offsets and counts,
token pieces of the model).

  /usr/bin/python3 bench/onnx/dump_features.py --every 6 --out /work/cache/onnx/dev6 --checkpoint models/convrnnt-small.evm
"""

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "training"))

import numpy as np  # noqa: E402

from data import load_sets  # noqa: E402
from model_file import read_model  # noqa: E402
from params import add_params, Params  # noqa: E402
import argparse  # noqa: E402

parser = argparse.ArgumentParser()
add_params(parser)
parser.add_argument("--every", type=int, default=6)
parser.add_argument("--out", required=True)
parser.add_argument("--split", default="dev")
args = parser.parse_args()
p = Params.from_args(args)
meta, _ = read_model(p.checkpoint)
fs = load_sets(p.feats_dir, p.manifests[:1], [args.split])
keep = list(range(0, len(fs), args.every))
os.makedirs(args.out, exist_ok=True)
offsets, frames, chunks = [], [], []
pos = 0
for i in keep:
    f = fs.get(i).numpy().astype("<f4")
    offsets.append(pos)
    frames.append(int(f.shape[0]))
    chunks.append(f)
    pos += f.shape[0]
np.concatenate(chunks).tofile(os.path.join(args.out, "feats.f32"))
index = {"ids": [fs.ids[i] for i in keep], "texts": [fs.texts[i] for i in keep], "offsets": offsets, "frames": frames,
         "mel": int(chunks[0].shape[1]), "pieces": meta["tokenizer"]["pieces"], "blank_id": meta["model"]["blank_id"],
         "context_size": meta["model"]["context_size"], "chunk_input_frames": meta["model"]["chunk_size"] * meta["model"]["subsampling_factor"]}
with open(os.path.join(args.out, "index.json"), "w") as f:
    json.dump(index, f)
print(f"{len(keep)} utterances, {pos} frames ({pos / 100:.1f} s) -> {args.out}")
