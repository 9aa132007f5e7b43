#!/usr/bin/python3
"""Real-speech parity inputs for the optional C# test FbankRealSpeechTests (not committed; made on the fly).

Command (the C# test runs it itself; by hand, from the repository root):

    /usr/bin/python3 training/golden/dump_fbank_real.py ../shared/data/real /tmp/fbank-real

Takes the first --per-corpus utterances (default 2) of each corpus in manifest order: speechocean762 and AN4
at 16 kHz, FSDD at its native 8 kHz. Decodes each with torchaudio.load (floats in [-1, 1]), mixes to mono by
averaging, and writes to the output folder <id>.input.npy (float32 samples) and <id>.fbank.npy (EdgeVoice's
default features at the file's own rate from torchaudio.compliance.kaldi.fbank run in float64, the golden
reference of make_fbank_golden.py, saved as float32), plus manifest.json listing id, sample rate and files.
The output folder should be a temporary one: corpus audio is never written to the repository.
"""

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import torch
import torchaudio

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_fbank_golden import EDGEVOICE_DEFAULTS, reference_fbank  # noqa: E402

CORPORA = ("speechocean762", "an4", "fsdd")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("real_dir", type=Path, help="folder with manifest.jsonl, e.g. ../shared/data/real")
    parser.add_argument("out_dir", type=Path, help="where to write the .npy files (a temporary folder)")
    parser.add_argument("--per-corpus", type=int, default=2)
    args = parser.parse_args()

    torch.set_num_threads(1)
    rows = [json.loads(line) for line in (args.real_dir / "manifest.jsonl").read_text().splitlines() if line.strip()]
    args.out_dir.mkdir(parents=True, exist_ok=True)
    cases = []
    for corpus in CORPORA:
        chosen = [r for r in rows if r["corpus"] == corpus][: args.per_corpus]
        if len(chosen) < args.per_corpus:
            sys.exit(f"{args.real_dir / 'manifest.jsonl'} has {len(chosen)} {corpus} utterances, {args.per_corpus} needed")
        for row in chosen:
            waveform, rate = torchaudio.load(str(args.real_dir / row["audio"]))
            samples = waveform.mean(dim=0).numpy().astype("<f4")
            options = dict(EDGEVOICE_DEFAULTS, sample_frequency=float(rate))
            features = reference_fbank(samples, options)
            np.save(args.out_dir / f"{row['id']}.input.npy", samples)
            np.save(args.out_dir / f"{row['id']}.fbank.npy", features.numpy().astype("<f4"))
            cases.append(dict(id=row["id"], corpus=corpus, sample_rate=rate, input=f"{row['id']}.input.npy",
                              output=f"{row['id']}.fbank.npy", shape=list(features.shape)))
    manifest = dict(format="edgevoice-fbank-real", reference_dtype="float64", torch=torch.__version__,
                    torchaudio=torchaudio.__version__, cases=cases)
    (args.out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"{len(cases)} utterances written to {args.out_dir}")


if __name__ == "__main__":
    main()
