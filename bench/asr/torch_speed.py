#!/usr/bin/python3
"""PyTorch eager, one thread, on the same utterances as asrbench speed: the model of a .evm file,
fbank (torchaudio Kaldi) + CMVN + the encoder streamed in chunk_size*4-frame chunks with its state
(as the C# RecognitionStream does) + greedy search or modified beam search (training/search.py).
File decoding is not timed; resampling (8 kHz corpora) is, as in C#.

  /usr/bin/python3 bench/asr/torch_speed.py <model.evm> <manifest.jsonl> <split> <limit>
"""

from __future__ import annotations

import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "training"))

import torch  # noqa: E402
import torchaudio  # noqa: E402
import torchaudio.functional as TAF  # noqa: E402

from checkpoint import load_any  # noqa: E402
from data import compute_fbank  # noqa: E402
from params import RESAMPLE_OPTIONS, Params  # noqa: E402
from search import greedy_search, modified_beam_search  # noqa: E402


def recognise(model, p: Params, wave: torch.Tensor, rate: int, method: str):
    if rate != 16000:
        wave = TAF.resample(wave, rate, 16000, lowpass_filter_width=RESAMPLE_OPTIONS["lowpass_filter_width"],
                            rolloff=RESAMPLE_OPTIONS["rolloff"], resampling_method=RESAMPLE_OPTIONS["resampling_method"])
    feats = model.cmvn(compute_fbank(wave)).unsqueeze(0)
    chunk = p.chunk_size * p.subsampling_factor
    state = model.encoder.init_state(1)
    outs = []
    for s in range(0, feats.size(1), chunk):
        y, state = model.encoder.streaming_forward(feats[:, s:s + chunk], state)
        outs.append(y)
    enc = torch.cat(outs, dim=1)
    if method == "greedy":
        return greedy_search(model, enc, torch.tensor([enc.size(1)]))[0]
    return modified_beam_search(model, enc[0], 4)


def main() -> None:
    model_path, manifest, split, limit = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    torch.set_num_threads(1)
    p = Params()
    model, _ = load_any(model_path, p)
    folder = os.path.dirname(os.path.abspath(manifest))
    clips = []
    with open(manifest, encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if row.get("split") != split:
                continue
            wave, rate = torchaudio.load(os.path.join(folder, row["audio"]))
            clips.append((wave.mean(0, keepdim=True), rate))
            if len(clips) == limit:
                break
    audio = sum(w.size(1) / r for w, r in clips)
    print(f"{len(clips)} utterances of {manifest} split {split}, {audio:.1f} s of audio; torch {torch.__version__}, 1 thread")
    with torch.no_grad():
        for method in ("greedy", "beam"):
            recognise(model, p, clips[0][0], clips[0][1], method)   # warm-up, not timed
            started = time.perf_counter()
            for wave, rate in clips:
                recognise(model, p, wave, rate, method)
            seconds = time.perf_counter() - started
            print(f"PyTorch {method:6s}  RTF {seconds / audio:.4f} ({seconds:.2f} s)")


if __name__ == "__main__":
    main()
