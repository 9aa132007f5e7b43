#!/usr/bin/python3
"""Export a training checkpoint to the EdgeVoice model file (.evm, docs/model-format.md).

  /usr/bin/python3 training/export.py --checkpoint /work/cache/exp/convrnnt/checkpoint-latest.pt \
      --output models/convrnnt-small.evm --model-name convrnnt-small \
      --scores-json /work/cache/exp/decode-real/wer.json /work/cache/exp/decode-synth/wer.json

The file is read back (checksum verified) and its outputs are compared with the checkpoint's
before the command succeeds.
"""

from __future__ import annotations

import datetime
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import sentencepiece as spm  # noqa: E402
import torch  # noqa: E402

from checkpoint import load_any  # noqa: E402
from model import Transducer, count_parameters  # noqa: E402
from model_file import FORMAT_VERSION, read_model, write_model  # noqa: E402
from params import ARCHITECTURE, FEATURE_OPTIONS, RESAMPLE_OPTIONS, Params, parse_params  # noqa: E402

ENCODER_STATE = [
    {"name": "subsampling.cache1", "shape": ["N", 2, "num_mel_bins"], "meaning": "last 2 CMVN-normalised input frames"},
    {"name": "subsampling.cache2", "shape": ["N", "subsampling_channels", 2, "(num_mel_bins-3)//2+1"],
     "meaning": "last 2 frames of conv1 output after ReLU"},
    {"name": "conv_block.cache", "shape": ["N", "encoder_dim", "conv_kernel-1"],
     "meaning": "last conv_kernel-1 LayerNorm outputs entering the depthwise conv"},
    {"name": "global_block.sum", "shape": ["N", "encoder_dim"], "meaning": "running sum of the block's LayerNorm outputs"},
    {"name": "global_block.count", "shape": ["N"], "meaning": "frames summed so far (float)"},
    {"name": "lstm.h", "shape": ["lstm_layers", "N", "lstm_hidden"], "meaning": "LSTM hidden state per layer"},
    {"name": "lstm.c", "shape": ["lstm_layers", "N", "lstm_hidden"], "meaning": "LSTM cell state per layer"},
]


def build_metadata(p: Params, model: Transducer, info: dict, pieces, scores: dict, name: str,
                   blank_penalty: float = 0.0) -> dict:
    return {
        "format": "EVMODEL", "format_version": FORMAT_VERSION,
        "name": name,
        "architecture": ARCHITECTURE,
        "model": p.model_config(),
        "encoder_output_dim": p.lstm_hidden,
        "encoder_state": ENCODER_STATE,
        "lstm_gate_order": "i,f,g,o",
        "activations": {"conv_block": "swish", "subsampling": "relu", "predictor": "relu", "joiner": "tanh"},
        "layer_norm_eps": 1e-5,
        "features": {"type": "kaldi-fbank", **FEATURE_OPTIONS},
        "resample": RESAMPLE_OPTIONS,
        "cmvn": {"mean": "cmvn.mean", "std": "cmvn.std", "apply": "(x - mean) / std"},
        "tokenizer": {"type": "sentencepiece-bpe", "word_boundary": "\u2581", "unk_id": 1,
                      "case": "upper", "pieces": pieces},
        "blank_id": p.blank_id,
        "subsampling_factor": p.subsampling_factor,
        "chunk_size": p.chunk_size,
        "chunk_input_frames": p.chunk_size * p.subsampling_factor,
        "context_size": p.context_size,
        "decoding": {"greedy_max_symbols_per_frame": 1, "beam": p.beam, "beam_search": "modified",
                     "blank_penalty_folded": blank_penalty},
        "training": {k: info.get(k) for k in ("step", "epoch", "train_seconds", "trained_on")},
        "scores": scores,
        "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "parameter_count": count_parameters(model),
    }


def main() -> None:
    p = parse_params(__doc__)
    torch.set_num_threads(p.threads)
    if not p.output:
        raise SystemExit("--output is required (e.g. models/convrnnt-small.evm)")
    model, info = load_any(p.checkpoint, p)
    # A blank penalty (subtracting a constant from the blank logit, which trades deletions for insertions) is
    # folded into the joiner's output bias, so every runtime applies it without a decoder option; the metadata
    # records the total folded so far.
    folded = float(info.get("metadata", {}).get("decoding", {}).get("blank_penalty_folded", 0.0))
    if p.blank_penalty:
        with torch.no_grad():
            model.joiner.output.bias[p.blank_id] -= p.blank_penalty
        folded += p.blank_penalty
    if p.checkpoint.endswith(".evm"):
        pieces = info["metadata"]["tokenizer"]["pieces"]
        info = info["metadata"].get("training", {})
    else:
        sp = spm.SentencePieceProcessor(model_file=info.get("tokenizer", p.tokenizer))
        pieces = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    scores = {"runs": []}
    for path in p.scores_json:
        with open(path, encoding="utf-8") as f:
            run = json.load(f)
        scores["runs"].append({"command": run.pop("command", ""), "checkpoint": run.pop("checkpoint", "")})
        for method, per_corpus in run.items():
            scores.setdefault(method, {}).update(per_corpus)
    meta = build_metadata(p, model, info, pieces, scores, p.model_name, folded)
    os.makedirs(os.path.dirname(os.path.abspath(p.output)), exist_ok=True)
    size = write_model(p.output, model.state_dict(), meta)

    # Read it back and check the round trip on a random input.
    meta2, tensors = read_model(p.output)
    p2 = Params()
    p2.apply_model_config(meta2["model"])
    reloaded = Transducer(p2).eval()
    reloaded.load_state_dict(tensors)
    x = torch.randn(1, 203, p.num_mel_bins) * 3 + model.cmvn.mean
    with torch.no_grad():
        a, _ = model.encode(x, torch.tensor([203]))
        b, _ = reloaded.encode(x, torch.tensor([203]))
    diff = float((a - b).abs().max())
    if diff != 0.0:
        raise SystemExit(f"round trip changed the encoder output by {diff}")
    print(f"wrote {p.output}: {size} bytes, {meta['parameter_count']} parameters, "
          f"{len(tensors)} tensors; round trip exact")


if __name__ == "__main__":
    main()
