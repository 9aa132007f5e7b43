#!/usr/bin/python3
"""Golden reference files for EdgeVoice.Features (Kaldi-compatible log-mel fbank).

Command (from the repository root; Debian's python3 has torch and torchaudio):

    /usr/bin/python3 training/golden/make_fbank_golden.py

Writes tests/data/golden/fbank/: for each case an input (<name>.input.npy, mono float32 samples in
[-1, 1], the scale torchaudio.load returns) and the torchaudio.compliance.kaldi.fbank output
(<name>.fbank.npy, [frames, bins]), plus manifest.json with the format version, the exact torchaudio
keyword arguments of every case and the library versions. The C# test
(tests/EdgeVoice.Features.Tests/FbankGoldenTests.cs) reads the manifest and checks every value.

The reference is torchaudio run in float64 on the float32 samples (waveform.double()), rounded to float32
only when saved. torchaudio's float32 run is itself up to ~1e-3 away from that on weak mel bins (float32 FFT
rounding), so it cannot serve as a 1e-3 reference; the manifest records that spread per case
(torchaudio_float32_vs_reference_max_abs). EdgeVoice.Features computes in double as well.

Every input is synthetic or synthesised (espeak-ng), so nothing from a real corpus is committed.
Parity on real recordings is measured by training/golden/check_fbank_real.py instead.
"""

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import torch
import torchaudio
import torchaudio.compliance.kaldi as kaldi

FORMAT_VERSION = 2  # 2: float64 reference (1 was torchaudio float32)
SEED = 20240611
REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "tests" / "data" / "golden" / "fbank"

# EdgeVoice defaults (src/EdgeVoice.Features/FbankOptions.cs) spelled as torchaudio keyword arguments.
# Every argument is given explicitly because torchaudio's own defaults differ (23 bins, high_freq 0, ...).
EDGEVOICE_DEFAULTS = dict(
    sample_frequency=16000.0,
    frame_length=25.0,
    frame_shift=10.0,
    dither=0.0,
    preemphasis_coefficient=0.97,
    remove_dc_offset=True,
    window_type="povey",
    round_to_power_of_two=True,
    blackman_coeff=0.42,
    snip_edges=True,
    num_mel_bins=80,
    low_freq=20.0,
    high_freq=-400.0,
    use_energy=False,
    energy_floor=0.0,
    raw_energy=True,
    use_log_fbank=True,
    use_power=True,
    htk_compat=False,
)


def chirp(rate, seconds, f0, f1, amplitude):
    t = np.arange(int(rate * seconds)) / rate
    k = (f1 / f0) ** (1.0 / seconds)
    phase = 2 * np.pi * f0 * (k**t - 1) / np.log(k)
    return amplitude * np.sin(phase)


def noise_bursts(rng, rate, seconds):
    n = int(rate * seconds)
    x = np.zeros(n)
    burst = int(0.15 * rate)
    for start in range(int(0.05 * rate), n - burst, int(0.3 * rate)):
        x[start : start + burst] = rng.normal(0.0, 0.1, burst) * np.hanning(burst)
    # A quiet noise floor in half of the gaps, exact digital silence in the others.
    x[: n // 2] += rng.normal(0.0, 1e-3, n // 2)
    return x


def tone_with_silence(rate):
    def tone(seconds, f):
        t = np.arange(int(rate * seconds)) / rate
        return sum(0.3 / h * np.sin(2 * np.pi * f * h * t) for h in (1, 2, 3))

    return np.concatenate([tone(0.3, 440.0), np.zeros(int(0.4 * rate)), tone(0.3, 1000.0)])


def espeak(text, rate):
    """Synthesises text with espeak-ng and resamples it to `rate`; None if espeak-ng is missing."""
    if shutil.which("espeak-ng") is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "tts.wav"
        subprocess.run(["espeak-ng", "-v", "en-us", "-s", "160", "-w", str(wav), text], check=True)
        waveform, native = torchaudio.load(str(wav))
    waveform = torchaudio.functional.resample(waveform, native, rate)
    return waveform[0].numpy().astype(np.float64)


def reference_fbank(samples32, options):
    """The golden reference: torchaudio's fbank of the float32 samples, computed in float64."""
    return kaldi.fbank(torch.from_numpy(np.asarray(samples32, dtype=np.float32)).double().unsqueeze(0), **options)


def write_npy(path, array):
    np.save(path, np.ascontiguousarray(array, dtype="<f4"))


def main():
    torch.set_num_threads(2)
    rng = np.random.default_rng(SEED)
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.npy"):
        old.unlink()

    inputs = {}
    # Float32 rounding in the FFT perturbs every bin by about 1e-7 of the frame's largest magnitude, so a bin
    # 60+ dB below the peak carries a log error near 1e-3 in any float32 implementation, torchaudio included:
    # for a clean chirp torchaudio's own float32 output is up to 1.0 away from its float64 output in the
    # lowest bins. The chirp sits 20 dB above white noise, which kept a float32 reference well conditioned;
    # the reference is float64 since version 2, and the input is kept unchanged.
    noisy_chirp = chirp(16000, 1.5, 100.0, 7500.0, 0.2) + rng.normal(0.0, 0.02, 24000)
    inputs["chirp_16k"] = (16000, "exponential chirp 100-7500 Hz, amplitude 0.2, over Gaussian noise of std 0.02", noisy_chirp)
    inputs["noise_bursts_16k"] = (16000, "Hann-shaped Gaussian noise bursts over a 1e-3 noise floor and digital silence", noise_bursts(rng, 16000, 1.2))
    inputs["tone_silence_16k"] = (16000, "440 Hz and 1 kHz harmonic tones around 0.4 s of digital silence", tone_with_silence(16000))
    speech16 = espeak("EdgeVoice turns speech into filter bank features.", 16000)
    if speech16 is not None:
        inputs["espeak_16k"] = (16000, "espeak-ng en-us speech resampled to 16 kHz", speech16)
        speech8 = espeak("Call me back at seven forty five.", 8000)
        inputs["espeak_8k"] = (8000, "espeak-ng en-us speech resampled to 8 kHz (native 8 kHz features)", speech8)
        left = espeak("The quick brown fox jumps.", 16000)
        right = chirp(16000, len(left) / 16000, 200.0, 3000.0, 0.2) + rng.normal(0.0, 0.01, len(left))
        stereo = np.stack([left, right[: len(left)]])
        inputs["stereo_mix_16k"] = (16000, "stereo source (left espeak-ng speech, right chirp plus noise) mixed to mono by averaging", stereo.mean(axis=0))
    else:
        print("espeak-ng not found: skipping the speech cases", file=sys.stderr)

    cases = [
        ("chirp_16k", "chirp_16k", {}),
        ("noise_bursts_16k", "noise_bursts_16k", dict(use_energy=True, energy_floor=1e-6)),
        ("tone_silence_16k", "tone_silence_16k", dict(snip_edges=False, window_type="hamming")),
        ("chirp_16k_blackman_magnitude", "chirp_16k",
         dict(window_type="blackman", use_power=False, remove_dc_offset=False, preemphasis_coefficient=0.0,
              use_energy=True, raw_energy=False, htk_compat=True, num_mel_bins=40, low_freq=60.0, high_freq=7000.0)),
    ]
    if "espeak_16k" in inputs:
        cases += [
            ("espeak_16k", "espeak_16k", {}),
            ("espeak_8k", "espeak_8k", dict(sample_frequency=8000.0)),
            ("stereo_mix_16k", "stereo_mix_16k", {}),
            ("espeak_16k_rectangular_nosnip", "espeak_16k",
             dict(window_type="rectangular", snip_edges=False, frame_length=32.0, round_to_power_of_two=False, use_log_fbank=True)),
        ]

    manifest_cases = []
    for name, input_name, overrides in cases:
        rate, description, samples = inputs[input_name]
        samples32 = samples.astype(np.float32)
        input_file = f"{input_name}.input.npy"
        if not (OUT / input_file).exists():
            write_npy(OUT / input_file, samples32)
        options = dict(EDGEVOICE_DEFAULTS, **overrides)
        assert options["sample_frequency"] == rate, name
        features = reference_fbank(samples32, options)
        # For information: how far torchaudio's float32 run is from the float64 reference on the same samples.
        features32 = kaldi.fbank(torch.from_numpy(samples32).unsqueeze(0), **options)
        float32_error = float((features32.double() - features).abs().max())
        output_file = f"{name}.fbank.npy"
        write_npy(OUT / output_file, features.numpy())
        manifest_cases.append(dict(
            name=name, description=description, input=input_file, output=output_file,
            num_samples=len(samples32), shape=list(features.shape),
            torchaudio_float32_vs_reference_max_abs=float32_error, options=options))
        print(f"{name}: {len(samples32)} samples -> {tuple(features.shape)}, |torchaudio float32 - reference| <= {float32_error:.2e}")

    manifest = dict(
        format="edgevoice-fbank-golden",
        version=FORMAT_VERSION,
        command="/usr/bin/python3 training/golden/make_fbank_golden.py",
        reference="torchaudio.compliance.kaldi.fbank(torch.from_numpy(input).double()[None, :], **options), saved as float32",
        reference_dtype="float64",
        seed=SEED,
        torch=torch.__version__,
        torchaudio=torchaudio.__version__,
        numpy=np.__version__,
        espeak_ng=subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True).stdout.strip()
        if shutil.which("espeak-ng") else None,
        cases=manifest_cases,
    )
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")


if __name__ == "__main__":
    main()
