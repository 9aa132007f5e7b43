#!/usr/bin/python3
"""Single-thread fbank throughput: EdgeVoice.Features (C#) versus torchaudio.compliance.kaldi.fbank.

Command (from the repository root):

    /usr/bin/python3 bench/fbank/compare_torchaudio.py            # 60 s of audio, 3 interleaved rounds
    /usr/bin/python3 bench/fbank/compare_torchaudio.py --no-build --dll /tmp/before/EdgeVoice.Benchmarks.dll
                                                                  # an earlier build, e.g. copied before a change

Both sides compute EdgeVoice's default features (80 bins, 25/10 ms, povey, high_freq -400, snip_edges)
on the same 60 s of seeded synthetic 16 kHz audio, each on one thread (torch.set_num_threads(1); the C#
code is single-threaded). The two are timed in alternating rounds so that load from other processes
hits both alike; each side reports its best time (the least disturbed run) and its median.
Throughput is in seconds of audio per second of wall time.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torchaudio.compliance.kaldi as kaldi  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
PROJECT = REPO / "bench" / "EdgeVoice.Benchmarks"
DLL = PROJECT / "bin" / "Release" / "net10.0" / "EdgeVoice.Benchmarks.dll"
OPTIONS = dict(sample_frequency=16000.0, frame_length=25.0, frame_shift=10.0, dither=0.0,
               preemphasis_coefficient=0.97, remove_dc_offset=True, window_type="povey",
               round_to_power_of_two=True, snip_edges=True, num_mel_bins=80, low_freq=20.0,
               high_freq=-400.0, use_energy=False, use_log_fbank=True, use_power=True)


def make_audio(seconds, rate=16000, seed=1234):
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * rate)) / rate
    # A slow sweep plus noise: broadband like speech, and no all-zero frames that could take shortcuts.
    x = 0.3 * np.sin(2 * np.pi * (200 + 50 * t) * t) + 0.05 * rng.uniform(-1, 1, len(t))
    return x.astype(np.float32)


def time_csharp(dll, npy, repeats):
    out = subprocess.run(["dotnet", str(dll), "fbank-throughput", str(npy), "16000", str(repeats)],
                         check=True, capture_output=True, text=True).stdout
    fields = dict(re.findall(r"(\w+)=([\d.]+)", out))
    return float(fields["best_seconds"]), float(fields["median_seconds"])


def time_torch(waveform, repeats):
    for _ in range(3):
        kaldi.fbank(waveform, **OPTIONS)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        kaldi.fbank(waveform, **OPTIONS)
        times.append(time.perf_counter() - start)
    times.sort()
    return times[0], times[len(times) // 2]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--dll", type=Path, default=DLL, help="EdgeVoice.Benchmarks.dll to time (default: this checkout's build)")
    args = parser.parse_args()

    torch.set_num_threads(1)
    if not args.no_build:
        subprocess.run(["dotnet", "build", str(PROJECT), "-c", "Release", "--nologo", "-v", "q"], check=True,
                       stdout=subprocess.DEVNULL)

    audio = make_audio(args.seconds)
    waveform = torch.from_numpy(audio).unsqueeze(0)
    with tempfile.TemporaryDirectory() as tmp:
        npy = Path(tmp) / "audio.npy"
        feats = Path(tmp) / "feats.npy"
        np.save(npy, audio)

        # Same features on both sides (sanity check; parity itself is tested by the golden tests).
        subprocess.run(["dotnet", str(args.dll), "fbank-npy", str(npy), str(feats), "16000"], check=True)
        ours = np.load(feats).astype(np.float64)
        diff = np.abs(ours - kaldi.fbank(waveform.double(), **OPTIONS).numpy()).max()
        diff32 = np.abs(ours - kaldi.fbank(waveform, **OPTIONS).numpy()).max()

        cs, ta = [], []
        for r in range(args.rounds):
            cs.append(time_csharp(args.dll, npy, args.repeats))
            ta.append(time_torch(waveform, args.repeats))
            print(f"round {r + 1}: C# best {cs[-1][0] * 1e3:.1f} ms, torchaudio best {ta[-1][0] * 1e3:.1f} ms", file=sys.stderr)

    cs_best = min(b for b, _ in cs)
    ta_best = min(b for b, _ in ta)
    cs_median = float(np.median([m for _, m in cs]))
    ta_median = float(np.median([m for _, m in ta]))
    print(f"audio: {args.seconds:.0f} s at 16 kHz, {args.rounds} rounds x {args.repeats} repeats, one thread each")
    print(f"max |C# - torchaudio float64| on this audio: {diff:.2e} (float32 torchaudio, for information: {diff32:.2e})")
    print(f"C# EdgeVoice.Features     : {args.seconds / cs_best:8.0f} s/s best, {args.seconds / cs_median:8.0f} s/s median")
    print(f"torchaudio {torch.__version__:>14} : {args.seconds / ta_best:8.0f} s/s best, {args.seconds / ta_median:8.0f} s/s median")
    print(f"ratio C#/torchaudio       : {ta_best / cs_best:8.2f} x best, {ta_median / cs_median:8.2f} x median")
    print(f"load average during run   : {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
