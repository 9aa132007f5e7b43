#!/usr/bin/python3
"""Write golden reference outputs of an exported model for the C# parity tests.

  /usr/bin/python3 training/dump_golden.py --checkpoint models/convrnnt-small.evm \
      --output tests/data/golden/convrnnt-small

Inputs are three short utterances synthesised with espeak-ng (never real recordings),
resampled from espeak-ng's 22050 Hz to 16 kHz with torchaudio.functional.resample
(params.RESAMPLE_OPTIONS). For each utterance <u> the folder gets (float32 / int64 .npy):

  <u>.samples.npy            (S,)     16 kHz samples in [-1, 1], the runtime's input
  <u>.fbank.npy              (T, 80)  Kaldi fbank before CMVN
  <u>.features.npy           (T, 80)  after CMVN, the encoder's input
  <u>.chunk<k>.encoder_out.npy        encoder output of chunk k (chunk_size frames)
  <u>.chunk<k>.state<i>.<name>.npy    encoder state i after chunk k (order: model-format.md)
  <u>.greedy_joiner_logits.npy (T', V) joiner logits at every frame along the greedy path
plus predictor.contexts.npy / predictor.output.npy (prediction network on a few contexts)
and golden.json: format version, the model's SHA-256, the command, hypotheses (ids, text).

Format-version-2 files (int8 / block-sparse int8 weights): the Linear and LSTM layers with int8 weights run
through training/int8_emulation.py, which reproduces the C# int8 engine's integer arithmetic (per-frame int8
activations, exact int32 sums, its float epilogue); golden.json then records model_format_version 2 and the
parity tolerances the C# tests apply (PARITY_TOLERANCE, justified in docs/model-format.md, "Goldens").
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torchaudio  # noqa: E402
import torchaudio.functional as TAF  # noqa: E402

from checkpoint import load_any  # noqa: E402
from data import compute_fbank  # noqa: E402
from int8_emulation import emulate_int8, format_version  # noqa: E402
from params import RESAMPLE_OPTIONS, parse_params  # noqa: E402
from search import greedy_search, modified_beam_search, pieces_to_text  # noqa: E402

GOLDEN_VERSION = 1
UTTERANCES = [
    ("utt1", "en-us", "lights on"),
    ("utt2", "en-gb", "five minutes"),
    ("utt3", "en-us+f3", "call three"),
]
# What the C# parity tests accept, per model file format version (recorded in golden.json for readers; the tests
# take the numbers from GoldenSet.cs, not from the file). Version 1 (float32): rounding only. Version 2 (int8):
# rare int8 rounding-boundary flips on top of rounding; see docs/model-format.md, "Goldens".
PARITY_TOLERANCE = {
    1: {"max_abs_difference": 1e-4},
    2: {"max_abs_difference": 3e-2, "float_tolerance": 1e-4, "min_share_of_checks_within_float_tolerance": 0.5},
}
STATE_NAMES = ["subsampling.cache1", "subsampling.cache2", "conv_block.cache", "global_block.sum",
               "global_block.count", "lstm.h", "lstm.c"]


def synthesise(voice: str, text: str) -> torch.Tensor:
    with tempfile.TemporaryDirectory() as d:
        wav = os.path.join(d, "u.wav")
        subprocess.run(["espeak-ng", "-v", voice, "-s", "160", "-w", wav, text], check=True)
        w, sr = torchaudio.load(wav)
    w = w.mean(0, keepdim=True)
    return TAF.resample(w, sr, 16000, lowpass_filter_width=RESAMPLE_OPTIONS["lowpass_filter_width"],
                        rolloff=RESAMPLE_OPTIONS["rolloff"], resampling_method=RESAMPLE_OPTIONS["resampling_method"])


def save(out: str, name: str, t) -> str:
    a = t.detach().numpy() if isinstance(t, torch.Tensor) else np.asarray(t)
    np.save(os.path.join(out, name), a.astype(np.float32) if a.dtype.kind == "f" else a.astype(np.int64))
    return name


def main() -> None:
    p = parse_params(__doc__)
    torch.set_num_threads(p.threads)
    if not p.checkpoint.endswith(".evm") or not p.output:
        raise SystemExit("usage: dump_golden.py --checkpoint models/<name>.evm --output tests/data/golden/<name>")
    model, info = load_any(p.checkpoint, p)
    meta = info["metadata"]
    version = format_version(p.checkpoint)
    emulated = emulate_int8(model, p.checkpoint) if version >= 2 else []
    if emulated:
        print(f"format version {version}: int8 integer path for {', '.join(emulated)}")
    pieces = meta["tokenizer"]["pieces"]
    os.makedirs(p.output, exist_ok=True)
    with open(p.checkpoint, "rb") as f:
        model_sha = hashlib.sha256(f.read()).hexdigest()
    chunk_in = p.chunk_size * p.subsampling_factor
    summary = {"golden_version": GOLDEN_VERSION, "model_file": os.path.basename(p.checkpoint),
               "model_sha256": model_sha, "model_name": meta.get("name"),
               "command": f"/usr/bin/python3 training/dump_golden.py --checkpoint {p.checkpoint} --output {p.output}",
               "chunk_size": p.chunk_size, "chunk_input_frames": chunk_in, "state_names": STATE_NAMES,
               "tolerance": {"fbank": 1e-3, "features": 1e-4, "encoder": 1e-4, "logits": 1e-3},
               "model_format_version": version, "parity_tolerance": PARITY_TOLERANCE[version],
               "int8_emulated_layers": emulated,
               "utterances": []}
    with torch.no_grad():
        for uid, voice, text in UTTERANCES:
            samples = synthesise(voice, text)
            fbank = compute_fbank(samples)
            feats = model.cmvn(fbank).unsqueeze(0)
            entry = {"id": uid, "text": text.upper(), "espeak_voice": voice, "num_samples": samples.size(1),
                     "samples": save(p.output, f"{uid}.samples.npy", samples[0]),
                     "fbank": save(p.output, f"{uid}.fbank.npy", fbank),
                     "features": save(p.output, f"{uid}.features.npy", feats[0]), "chunks": []}
            state = model.encoder.init_state(1)
            outs = []
            for k, s in enumerate(range(0, feats.size(1), chunk_in)):
                y, state = model.encoder.streaming_forward(feats[:, s:s + chunk_in], state)
                outs.append(y)
                ch = {"input_frames": [s, min(s + chunk_in, feats.size(1))],
                      "encoder_out": save(p.output, f"{uid}.chunk{k}.encoder_out.npy", y[0]),
                      "states": [save(p.output, f"{uid}.chunk{k}.state{i}.{n}.npy", st)
                                 for i, (n, st) in enumerate(zip(STATE_NAMES, state))]}
                entry["chunks"].append(ch)
            enc = torch.cat(outs, dim=1)
            greedy = greedy_search(model, enc, torch.tensor([enc.size(1)]))[0]
            beam = modified_beam_search(model, enc[0], p.beam)
            # Joiner logits along the greedy path (context = tokens emitted before frame t).
            hyp, rows = [], []
            enc_proj = model.joiner.encoder_proj(enc[0])
            for t in range(enc.size(1)):
                ctx = ([p.blank_id] * p.context_size + hyp)[-p.context_size:]
                dec = model.predictor(torch.tensor([ctx]))[:, 0]
                logits = model.joiner(enc_proj[t:t + 1], model.joiner.decoder_proj(dec))[0]
                rows.append(logits)
                k = int(logits.argmax())
                if k != p.blank_id:
                    hyp.append(k)
            assert hyp == greedy, "greedy path mismatch"
            entry["greedy_joiner_logits"] = save(p.output, f"{uid}.greedy_joiner_logits.npy", torch.stack(rows))
            entry["encoder_frames"] = enc.size(1)
            entry["greedy"] = {"ids": greedy, "text": pieces_to_text(pieces, greedy)}
            entry["beam"] = {"beam": p.beam, "ids": beam, "text": pieces_to_text(pieces, beam)}
            summary["utterances"].append(entry)
            print(f"{uid}: {entry['num_samples']} samples, {fbank.size(0)} frames, {enc.size(1)} encoder frames, "
                  f"greedy '{entry['greedy']['text']}', beam '{entry['beam']['text']}'")
        contexts = torch.tensor([[0, 0], [0, 5], [5, 17], [17, 42], [p.vocab_size - 1, 3]])[:, -p.context_size:]
        summary["predictor"] = {"contexts": save(p.output, "predictor.contexts.npy", contexts),
                                "output": save(p.output, "predictor.output.npy", model.predictor(contexts)[:, 0]),
                                "note": "predictor output is before joiner.decoder_proj"}
    with open(os.path.join(p.output, "golden.json"), "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=1)
    total = sum(os.path.getsize(os.path.join(p.output, n)) for n in os.listdir(p.output))
    print(f"wrote {p.output}: {len(os.listdir(p.output))} files, {total / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
