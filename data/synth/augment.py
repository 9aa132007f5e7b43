"""Signal processing for the corpus: resampling, trimming, noise, reverberation,
telephone channel and gain. Everything is numpy, deterministic given the Generator.

Order of the chain (see render() in corpus_writer.py): TTS output -> resample to 16 kHz
with the speed factor -> trim silence -> pad -> reverb -> noise at SNR -> telephone ->
gain.
"""
import numpy as np

RATE = 16000


def resample(x: np.ndarray, rate_in: float, rate_out: int) -> np.ndarray:
    """FFT resampling (ideal low-pass). rate_in may be scaled by a speed factor:
    resample(x, r * 1.1, 16000) plays 10 % faster and higher, like `sox speed 1.1`.
    Callers pass signals that start and end in silence, so the circular edge is harmless."""
    n_out = int(round(len(x) * rate_out / rate_in))
    spectrum = np.fft.rfft(x)
    bins = n_out // 2 + 1
    if bins <= len(spectrum):
        spectrum = spectrum[:bins]
    else:
        spectrum = np.concatenate([spectrum, np.zeros(bins - len(spectrum), spectrum.dtype)])
    return (np.fft.irfft(spectrum, n_out) * (n_out / len(x))).astype(np.float32)


def speech_bounds(x: np.ndarray, floor_db: float = -40.0) -> tuple[int, int]:
    """First and last sample (exclusive) of 10 ms frames within floor_db of the loudest frame."""
    frame = RATE // 100
    n = len(x) // frame
    if n == 0:
        return 0, len(x)
    energy = (x[: n * frame].reshape(n, frame).astype(np.float64) ** 2).mean(axis=1)
    db = 10 * np.log10(energy + 1e-12)
    active = np.flatnonzero(db > max(db.max() + floor_db, -70.0))
    if len(active) == 0:
        return 0, len(x)
    return int(active[0] * frame), int(min(len(x), (active[-1] + 1) * frame))


def coloured_noise(kind: str, n: int, rng: np.random.Generator) -> np.ndarray:
    """white, pink (1/f power) or brown (1/f^2 power) noise, unit RMS."""
    white = rng.standard_normal(n)
    if kind != "white":
        spectrum = np.fft.rfft(white)
        f = np.arange(len(spectrum), dtype=np.float64)
        f[0] = 1.0
        exponent = 0.5 if kind == "pink" else 1.0
        spectrum /= f ** exponent
        spectrum[0] = 0.0
        white = np.fft.irfft(spectrum, n)
    return (white / (np.sqrt(np.mean(white ** 2)) + 1e-12)).astype(np.float32)


def babble(pool: np.ndarray, n: int, talkers: int, rng: np.random.Generator) -> np.ndarray:
    """Sum of `talkers` random stretches of a pool of other utterances, unit RMS."""
    out = np.zeros(n, np.float64)
    for _ in range(talkers):
        start = int(rng.integers(0, max(1, len(pool) - n)))
        piece = pool[start:start + n]
        out[: len(piece)] += piece / (np.sqrt(np.mean(piece ** 2)) + 1e-9)
    return (out / (np.sqrt(np.mean(out ** 2)) + 1e-12)).astype(np.float32)


def add_noise(x: np.ndarray, noise: np.ndarray, snr_db: float, speech: slice) -> np.ndarray:
    """Adds noise so that speech power (measured over `speech`) / noise power = snr_db."""
    p_speech = float(np.mean(x[speech].astype(np.float64) ** 2))
    p_noise = float(np.mean(noise.astype(np.float64) ** 2)) + 1e-12
    return x + noise * np.float32(np.sqrt(p_speech / (p_noise * 10 ** (snr_db / 10))))


def room_impulse_response(rt60: float, drr_db: float, rng: np.random.Generator) -> np.ndarray:
    """Synthetic RIR: a unit direct path, then exponentially decaying noise (-60 dB at rt60)
    whose energy is set by the direct-to-reverberant ratio drr_db."""
    n = int(RATE * rt60 * 1.2)
    t = np.arange(n) / RATE
    tail = rng.standard_normal(n) * np.exp(-6.908 * t / rt60)
    tail[: int(0.0025 * RATE)] = 0.0  # first reflections arrive a few ms after the direct path
    tail *= np.sqrt(10 ** (-drr_db / 10) / (np.sum(tail ** 2) + 1e-12))
    tail[0] = 1.0
    return tail


def reverberate(x: np.ndarray, rir: np.ndarray) -> np.ndarray:
    """Convolves and keeps the input length, then restores the input's RMS."""
    size = 1 << int(np.ceil(np.log2(len(x) + len(rir))))
    y = np.fft.irfft(np.fft.rfft(x, size) * np.fft.rfft(rir, size), size)[: len(x)]
    scale = np.sqrt(np.mean(x.astype(np.float64) ** 2) / (np.mean(y ** 2) + 1e-12))
    return (y * scale).astype(np.float32)


def band_limit(x: np.ndarray, low_hz: float, high_hz: float, rate: int = RATE) -> np.ndarray:
    """Band-pass in the frequency domain with 100 Hz raised-cosine edges."""
    spectrum = np.fft.rfft(x)
    f = np.fft.rfftfreq(len(x), 1.0 / rate)
    gain = np.ones_like(f)
    edge = 100.0
    for lo, hi, rising in ((low_hz - edge, low_hz, True), (high_hz, high_hz + edge, False)):
        band = (f >= lo) & (f <= hi)
        ramp = 0.5 - 0.5 * np.cos(np.pi * (f[band] - lo) / edge)
        gain[band] = ramp if rising else 1.0 - ramp
    gain[f < low_hz - edge] = 0.0
    gain[f > high_hz + edge] = 0.0
    return np.fft.irfft(spectrum * gain, len(x)).astype(np.float32)


def mu_law_round_trip(x: np.ndarray) -> np.ndarray:
    """G.711-style 8-bit mu-law encode and decode."""
    mu = 255.0
    y = np.sign(x) * np.log1p(mu * np.minimum(np.abs(x), 1.0)) / np.log1p(mu)
    y = np.round(y * 127.0) / 127.0
    return (np.sign(y) * np.expm1(np.abs(y) * np.log1p(mu)) / mu).astype(np.float32)


def telephone(x: np.ndarray, round_trip_8k: bool, mu_law: bool) -> np.ndarray:
    y = band_limit(x, 300.0, 3400.0)
    if round_trip_8k:
        narrow = resample(y, RATE, 8000)
        if mu_law:
            peak = float(np.max(np.abs(narrow))) + 1e-9
            narrow = mu_law_round_trip(narrow / peak) * peak
        y = resample(narrow, 8000, RATE)[: len(x)]
        if len(y) < len(x):
            y = np.concatenate([y, np.zeros(len(x) - len(y), np.float32)])
    return y
