"""Renders planned utterances to WAV in chunks, in parallel, resumably.

Layout under the output folder:
  <split>/wav/<chunk>/<id>.wav     audio, 16 kHz mono 16-bit
  <split>/parts/<chunk>.jsonl      manifest rows of one chunk; first line is a header with
                                   the chunk's fingerprint (hash of its plans + GENERATOR_VERSION)
  _babble/<split>_seed<seed>.npy   the babble pool of that split
  manifest_<split>.jsonl, manifest.jsonl   written atomically at the end

A chunk is done when its part file exists with the expected fingerprint; anything else is
(re)rendered. Chunks are rendered in order and a split ends at the first chunk where the
running total of duration reaches the target, so the manifest is a pure function of
(seed, target, data/ files).
"""
import hashlib
import json
import os
import queue
import tempfile
import time
from multiprocessing import Pool
from pathlib import Path

import numpy as np

from . import augment
from .tts_engines import synth_espeak, synth_festival_batch, synth_flite
from .utterance_plan import BASE_LEVEL_DBFS, Planner
from .voices import Speaker, speakers_by_engine
from .wav_io import write_wav

GENERATOR_VERSION = "1"
RATE = augment.RATE
BABBLE_UTTERANCES = 40

_babble_cache: dict[str, np.ndarray] = {}


def _tmp_root() -> str:
    return "/dev/shm" if os.path.isdir("/dev/shm") else tempfile.gettempdir()


def _to_16k_trimmed(samples: np.ndarray, rate: int, speed: float) -> np.ndarray:
    y = augment.resample(samples, rate * speed, RATE)
    start, end = augment.speech_bounds(y)
    return y[start:end]


def build_babble_pool(out: Path, seed: int, split: str) -> Path:
    """Concatenated dry speech of BABBLE_UTTERANCES sentences from the split's own voices."""
    path = out / "_babble" / f"{split}_seed{seed}.npy"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    planner = Planner(seed, "babble")
    planner.text = Planner(seed, split).text
    voices = speakers_by_engine(split)["espeak-ng"]
    pieces = []
    with tempfile.TemporaryDirectory(dir=_tmp_root()) as tmp:
        for i in range(BABBLE_UTTERANCES):
            speaker = planner.rng(i, "babble-voice").choice(voices)
            samples, rate = synth_espeak(speaker, planner.sentence(i).tts_text, Path(tmp) / "b.wav")
            y = _to_16k_trimmed(samples, rate, 1.0)
            pieces.append(y / (np.sqrt(np.mean(y ** 2)) + 1e-9))
    np.save(path.with_suffix(".tmp.npy"), np.concatenate(pieces).astype(np.float32))
    os.replace(path.with_suffix(".tmp.npy"), path)
    return path


def render(plan: dict, samples: np.ndarray, rate: int, babble_pool: np.ndarray) -> tuple[np.ndarray, float, float, float]:
    """Applies the planned augmentation. Returns audio, speech start/end in seconds (they
    bound the dry TTS speech, before reverb tails and noise) and the gain applied in dB
    (the planned gain, lowered where it would clip)."""
    aug = plan["augmentation"]
    rng = np.random.default_rng(plan["noise_seed"])
    speech = _to_16k_trimmed(samples, rate, aug["speed"])
    speech *= np.float32(10 ** (BASE_LEVEL_DBFS / 20) / (np.sqrt(np.mean(speech ** 2)) + 1e-9))
    lead, tail = int(aug["lead_pad_s"] * RATE), int(aug["tail_pad_s"] * RATE)
    x = np.concatenate([np.zeros(lead, np.float32), speech, np.zeros(tail, np.float32)])
    region = slice(lead, lead + len(speech))
    if aug["reverb"]:
        rir = augment.room_impulse_response(aug["reverb"]["rt60_s"], aug["reverb"]["drr_db"], rng)
        x = augment.reverberate(x, rir)
    if aug["noise"]:
        kind = aug["noise"]["type"]
        if kind == "babble":
            noise = augment.babble(babble_pool, len(x), aug["noise"]["talkers"], rng)
        else:
            noise = augment.coloured_noise(kind, len(x), rng)
        x = augment.add_noise(x, noise, aug["noise"]["snr_db"], region)
    if aug["telephone"]:
        x = augment.telephone(x, aug["telephone"]["round_trip_8k"], aug["telephone"]["mu_law"])
    gain = 10 ** (aug["gain_db"] / 20)
    peak = float(np.max(np.abs(x))) * gain
    if peak > 0.98:
        gain *= 0.98 / peak
    audio = (x * np.float32(gain)).astype(np.float32)
    return audio, lead / RATE, (lead + len(speech)) / RATE, round(20 * np.log10(gain), 2)


def manifest_row(plan: dict, audio_rel: str, n_samples: int, start: float, end: float, gain_db: float) -> dict:
    s = plan["speaker"]
    aug = dict(plan["augmentation"], gain_db=gain_db)
    return {
        "id": plan["id"], "audio": audio_rel, "text": plan["text"], "speaker": s["id"],
        "gender": s["gender"], "age": None, "corpus": "synth", "split": plan["split"],
        "sample_rate": RATE, "duration": round(n_samples / RATE, 3), "accent": s["accent"],
        "domain": plan["domain"], "tts": s["engine"], "voice": s["voice"],
        "voice_settings": {"rate": s["rate"], "pitch": s["pitch"]}, "whispered": s["whispered"],
        "speech_start": round(start, 3), "speech_end": round(end, 3),
        "entities": plan["entities"], "augmentation": aug, "tts_text": plan["tts_text"],
    }


def fingerprint(plans: list[dict]) -> str:
    blob = json.dumps([GENERATOR_VERSION, plans], sort_keys=True).encode()
    return hashlib.sha1(blob).hexdigest()


def chunk_name(chunk: int) -> str:
    return f"{chunk:05d}"


def read_part(path: Path, expected: str):
    """Rows of a finished chunk, or None if missing, partial or from other plans."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
        header = json.loads(lines[0])
    except (OSError, ValueError, IndexError):
        return None
    if header.get("fingerprint") != expected or header.get("rows") != len(lines) - 1:
        return None
    return [json.loads(line) for line in lines[1:]]


def render_chunk(job: tuple) -> tuple[int, float]:
    out, split, chunk, plans, babble_path = job
    out = Path(out)
    if babble_path not in _babble_cache:
        _babble_cache[babble_path] = np.load(babble_path)
    pool = _babble_cache[babble_path]
    wav_dir = out / split / "wav" / chunk_name(chunk)
    wav_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    with tempfile.TemporaryDirectory(dir=_tmp_root()) as tmp:
        tmp = Path(tmp)
        raw = {}
        festival_jobs = []
        for i, plan in enumerate(plans):
            speaker = Speaker(**plan["speaker"])
            target = tmp / f"{i}.wav"
            if speaker.engine == "espeak-ng":
                raw[i] = synth_espeak(speaker, plan["tts_text"], target)
            elif speaker.engine == "flite":
                raw[i] = synth_flite(speaker, plan["tts_text"], target)
            else:
                festival_jobs.append((i, (speaker, plan["tts_text"], target)))
        if festival_jobs:
            results = synth_festival_batch([job for _, job in festival_jobs], tmp / "batch.scm")
            for (i, _), result in zip(festival_jobs, results):
                raw[i] = result
        for i, plan in enumerate(plans):
            samples, rate = raw[i]
            audio, start, end, gain_db = render(plan, samples, rate, pool)
            rel = f"{split}/wav/{chunk_name(chunk)}/{plan['id']}.wav"
            write_wav(out / rel, audio, RATE)
            rows.append(manifest_row(plan, rel, len(audio), start, end, gain_db))
    part = out / split / "parts" / f"{chunk_name(chunk)}.jsonl"
    part.parent.mkdir(parents=True, exist_ok=True)
    header = {"chunk": chunk, "fingerprint": fingerprint(plans), "rows": len(rows)}
    tmp_part = part.with_suffix(f".tmp{os.getpid()}")
    with open(tmp_part, "w", encoding="utf-8") as f:
        f.write(json.dumps(header) + "\n")
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    os.replace(tmp_part, part)
    return chunk, sum(r["duration"] for r in rows)


def write_jsonl_atomic(path: Path, rows: list[dict]) -> None:
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    os.replace(tmp, path)


def generate_split(out: Path, seed: int, split: str, hours: float, chunk_size: int,
                   pool: Pool, jobs: int, log=print) -> list[dict]:
    """Renders chunks 0, 1, ... until `hours` of audio; returns the split's manifest rows."""
    planner = Planner(seed, split)
    babble_path = str(build_babble_pool(out, seed, split))
    target_s = hours * 3600.0
    finished: dict[int, float] = {}
    results: queue.Queue = queue.Queue()
    in_flight, next_chunk, prefix, prefix_s = 0, 0, 0, 0.0
    started, rendered_s = time.time(), 0.0

    def plans_of(chunk):
        return [planner.plan(i) for i in range(chunk * chunk_size, (chunk + 1) * chunk_size)]

    def worth_starting():
        # Stop starting chunks once the ones done and running are expected to reach the target.
        done = sum(finished.values())
        mean = done / len(finished) if finished else 0.0
        return in_flight < jobs + 1 and (not finished or done + in_flight * mean < target_s)

    while prefix_s < target_s:
        while worth_starting():
            plans = plans_of(next_chunk)
            part = out / split / "parts" / f"{chunk_name(next_chunk)}.jsonl"
            rows = read_part(part, fingerprint(plans))
            if rows is not None:
                finished[next_chunk] = sum(r["duration"] for r in rows)
            else:
                pool.apply_async(render_chunk, ((str(out), split, next_chunk, plans, babble_path),),
                                 callback=results.put, error_callback=results.put)
                in_flight += 1
            next_chunk += 1
            if in_flight == 0 and prefix + len(finished) >= next_chunk:
                break  # everything so far was already on disk; advance the prefix first
        if in_flight:
            item = results.get()
            in_flight -= 1
            if isinstance(item, BaseException):
                raise item
            finished[item[0]] = item[1]
            rendered_s += item[1]
        while prefix in finished and prefix_s < target_s:
            prefix_s += finished[prefix]
            prefix += 1
        elapsed = time.time() - started
        log(f"[{split}] {prefix_s / 3600:.3f}/{hours:.3f} h in order, rendered {rendered_s / 3600:.3f} h "
            f"in {elapsed:.0f} s ({rendered_s / max(elapsed, 1e-9):.1f}x real time)")
    while in_flight:  # let started chunks finish; they are kept for a later, longer run
        item = results.get()
        in_flight -= 1
        if isinstance(item, BaseException):
            raise item
    rows = []
    for chunk in range(prefix):
        rows += read_part(out / split / "parts" / f"{chunk_name(chunk)}.jsonl",
                          fingerprint(plans_of(chunk)))
    write_jsonl_atomic(out / f"manifest_{split}.jsonl", rows)
    return rows


def write_text_only(path: Path, seed: int, split: str, count: int) -> None:
    """The first `count` sentences of the split (the audio transcripts are a prefix of them)."""
    planner = Planner(seed, split)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        for i in range(count):
            f.write(planner.sentence(i).text + "\n")
    os.replace(tmp, path)
