#!/usr/bin/python3
"""Parity of EdgeVoice.Features with torchaudio.compliance.kaldi.fbank on real recordings.

Command (from the repository root):

    /usr/bin/python3 training/golden/check_fbank_real.py ../shared/data/real

Takes a fixed selection of utterances from the real-speech folder (the first --per-corpus utterances of
each corpus in manifest order: speechocean762 and AN4 at 16 kHz, FSDD at 8 kHz), decodes them with
torchaudio.load (floats in [-1, 1]), and computes EdgeVoice's default features (at each file's own sample
rate) with torchaudio and with the C# code, through `EdgeVoice.Benchmarks fbank-npy`. Decoded samples
and features only ever live in a temporary directory; nothing from the corpus is written to the repository.
The reference is torchaudio run in float64 (as for the committed goldens); prints the maximum absolute
difference from it per utterance and overall, and for information the difference from torchaudio's float32 run
and torchaudio's own float32-vs-float64 difference on the same audio.
"""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import torch
import torchaudio
import torchaudio.compliance.kaldi as kaldi

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_fbank_golden import EDGEVOICE_DEFAULTS, reference_fbank  # noqa: E402

PROJECT = REPO / "bench" / "EdgeVoice.Benchmarks"
DLL = PROJECT / "bin" / "Release" / "net10.0" / "EdgeVoice.Benchmarks.dll"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("real_dir", type=Path, help="folder with manifest.jsonl, e.g. ../shared/data/real")
    parser.add_argument("--per-corpus", type=int, default=7)
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args()

    torch.set_num_threads(2)
    if not args.no_build:
        subprocess.run(["dotnet", "build", str(PROJECT), "-c", "Release", "--nologo", "-v", "q"], check=True,
                       stdout=subprocess.DEVNULL)

    rows = [json.loads(line) for line in (args.real_dir / "manifest.jsonl").read_text().splitlines() if line.strip()]
    chosen = []
    for corpus in ("speechocean762", "an4", "fsdd"):
        chosen += [r for r in rows if r["corpus"] == corpus][: args.per_corpus]

    overall = 0.0
    overall_reference = 0.0
    overall_ours_32 = 0.0
    total_values = 0
    above = 0
    with tempfile.TemporaryDirectory() as tmp:
        for row in chosen:
            waveform, rate = torchaudio.load(str(args.real_dir / row["audio"]))
            mono = waveform.mean(dim=0)  # the files are mono; averaging is the recipe's mix-down rule
            options = dict(EDGEVOICE_DEFAULTS, sample_frequency=float(rate))
            reference = reference_fbank(mono.numpy(), options).numpy()
            torchaudio32 = kaldi.fbank(mono.unsqueeze(0), **options).numpy().astype(np.float64)
            samples_path = Path(tmp) / "samples.npy"
            features_path = Path(tmp) / "features.npy"
            np.save(samples_path, mono.numpy().astype("<f4"))
            subprocess.run(["dotnet", str(DLL), "fbank-npy", str(samples_path), str(features_path), str(rate)], check=True)
            ours = np.load(features_path)
            if ours.shape != reference.shape:
                print(f"{row['id']}: shape {ours.shape} instead of {reference.shape}", file=sys.stderr)
                sys.exit(1)
            ours = ours.astype(np.float64)
            diffs = np.abs(ours - reference)
            diff = float(diffs.max())
            own = float(np.abs(torchaudio32 - reference).max())
            ours_vs_32 = float(np.abs(ours - torchaudio32).max())
            overall = max(overall, diff)
            overall_reference = max(overall_reference, own)
            overall_ours_32 = max(overall_ours_32, ours_vs_32)
            total_values += diffs.size
            above += int((diffs > 1e-3).sum())
            print(f"{row['id']:<26} {rate:>5} Hz {ours.shape[0]:>4} frames  |C# - torchaudio f64| max {diff:.2e}"
                  f"  |C# - torchaudio f32| max {ours_vs_32:.2e}  |torchaudio f32 - f64| max {own:.2e}")

    print(f"{len(chosen)} utterances, {total_values} values: max |C# - torchaudio float64| = {overall:.2e} "
          f"({above} values above 1e-3); for information: C# vs torchaudio float32 max = {overall_ours_32:.2e}, "
          f"torchaudio float32 vs float64 max = {overall_reference:.2e}")


if __name__ == "__main__":
    main()
