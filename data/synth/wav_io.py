"""Reading TTS output and writing the corpus's 16 kHz mono 16-bit WAV files."""
import wave

import numpy as np


def read_wav(path) -> tuple[np.ndarray, int]:
    """Returns float32 samples in [-1, 1] (first channel) and the sample rate."""
    with wave.open(str(path), "rb") as f:
        if f.getsampwidth() != 2:
            raise ValueError(f"{path}: expected 16-bit PCM, got {8 * f.getsampwidth()}-bit")
        frames = f.readframes(f.getnframes())
        channels, rate = f.getnchannels(), f.getframerate()
    samples = np.frombuffer(frames, dtype="<i2").reshape(-1, channels)[:, 0]
    return samples.astype(np.float32) / 32768.0, rate


def write_wav(path, samples: np.ndarray, rate: int) -> None:
    pcm = np.clip(np.round(samples * 32767.0), -32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(rate)
        f.writeframes(pcm.tobytes())
