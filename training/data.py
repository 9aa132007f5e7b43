"""Manifests, the fbank front end (the contract with the C# runtime), the feature cache and
length-bucketed batching.

Feature cache: one file per (manifest, split) under <feats_dir>/<tag>/<split>.pt holding
{"ids", "texts", "corpora", "offsets", "lengths", "feats" (float16, all frames concatenated)}.
It is filled incrementally: utterances already cached are not recomputed, so a manifest
that grows (the synthetic corpus) only costs its new lines.
"""

from __future__ import annotations

import json
import math
import os
import random
from dataclasses import dataclass
from typing import Dict, Iterator, List, Optional

import numpy as np
import torch
import torchaudio
import torchaudio.compliance.kaldi as kaldi
import torchaudio.functional as TAF

from params import FEATURE_OPTIONS, RESAMPLE_OPTIONS


def read_manifest(path: str) -> List[dict]:
    """JSON Lines; 'audio' is resolved relative to the manifest's folder."""
    base = os.path.dirname(os.path.abspath(path))
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            row = json.loads(line)
            row["audio_path"] = row["audio"] if os.path.isabs(row["audio"]) else os.path.join(base, row["audio"])
            rows.append(row)
    return rows


def manifest_tag(path: str) -> str:
    """Cache folder name: the manifest's folder name, plus its stem unless it is 'manifest'."""
    path = os.path.abspath(path)
    folder = os.path.basename(os.path.dirname(path))
    stem = os.path.basename(path).split(".")[0]
    return folder if stem == "manifest" else f"{folder}_{stem}"


def load_audio_16k(path: str) -> torch.Tensor:
    """Mono float waveform in [-1, 1] at 16 kHz, shape (1, S)."""
    wave, sr = torchaudio.load(path)
    if wave.size(0) > 1:
        wave = wave.mean(dim=0, keepdim=True)
    target = int(FEATURE_OPTIONS["sample_frequency"])
    if sr != target:
        wave = TAF.resample(wave, sr, target,
                            lowpass_filter_width=RESAMPLE_OPTIONS["lowpass_filter_width"],
                            rolloff=RESAMPLE_OPTIONS["rolloff"],
                            resampling_method=RESAMPLE_OPTIONS["resampling_method"])
    return wave


def compute_fbank(wave: torch.Tensor) -> torch.Tensor:
    """(1, S) float samples at 16 kHz -> (T, 80) log-mel filterbank, Kaldi-compatible."""
    o = FEATURE_OPTIONS
    return kaldi.fbank(
        wave,
        num_mel_bins=o["num_mel_bins"],
        frame_length=o["frame_length_ms"],
        frame_shift=o["frame_shift_ms"],
        dither=o["dither"],
        preemphasis_coefficient=o["preemphasis_coefficient"],
        remove_dc_offset=o["remove_dc_offset"],
        window_type=o["window_type"],
        round_to_power_of_two=o["round_to_power_of_two"],
        snip_edges=o["snip_edges"],
        low_freq=o["low_freq"],
        high_freq=o["high_freq"],
        use_energy=o["use_energy"],
        energy_floor=o["energy_floor"],
        sample_frequency=o["sample_frequency"],
    )


@dataclass
class FeatureSet:
    ids: List[str]
    texts: List[str]
    corpora: List[str]
    offsets: np.ndarray
    lengths: np.ndarray
    feats: torch.Tensor  # (total_frames, 80) float16

    def __len__(self) -> int:
        return len(self.ids)

    def get(self, i: int) -> torch.Tensor:
        o = int(self.offsets[i])
        return self.feats[o:o + int(self.lengths[i])].float()

    def subset(self, keep: List[int]) -> "FeatureSet":
        parts = [self.feats[int(self.offsets[i]):int(self.offsets[i] + self.lengths[i])] for i in keep]
        lengths = np.array([int(self.lengths[i]) for i in keep], dtype=np.int64)
        offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64) if keep else lengths
        feats = torch.cat(parts) if parts else torch.zeros(0, self.feats.size(1), dtype=torch.float16)
        return FeatureSet([self.ids[i] for i in keep], [self.texts[i] for i in keep],
                          [self.corpora[i] for i in keep], offsets, lengths, feats)

    @staticmethod
    def concat(sets: List["FeatureSet"]) -> "FeatureSet":
        sets = [s for s in sets if len(s)]
        lengths = np.concatenate([s.lengths for s in sets]).astype(np.int64)
        offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
        return FeatureSet(sum((s.ids for s in sets), []), sum((s.texts for s in sets), []),
                          sum((s.corpora for s in sets), []), offsets, lengths,
                          torch.cat([s.feats for s in sets]))


def cache_path(feats_dir: str, manifest: str, split: str) -> str:
    return os.path.join(feats_dir, manifest_tag(manifest), f"{split}.pt")


def load_cached(feats_dir: str, manifest: str, split: str) -> Optional[FeatureSet]:
    path = cache_path(feats_dir, manifest, split)
    if not os.path.exists(path):
        return None
    d = torch.load(path)
    return FeatureSet(d["ids"], d["texts"], d["corpora"], d["offsets"], d["lengths"], d["feats"])


def build_cache(feats_dir: str, manifest: str, split: str, log=print) -> FeatureSet:
    """Compute (or top up) the feature cache for one split of one manifest."""
    rows = [r for r in read_manifest(manifest) if r.get("split") == split]
    old = load_cached(feats_dir, manifest, split)
    have: Dict[str, int] = {} if old is None else {u: i for i, u in enumerate(old.ids)}
    todo = [r for r in rows if r["id"] not in have]
    log(f"{manifest_tag(manifest)}/{split}: {len(rows)} utterances, {len(todo)} to compute")
    if not todo and old is not None and len(old) == len(rows):
        return old
    new_feats, new_lens = [], []
    for k, r in enumerate(todo):
        f = compute_fbank(load_audio_16k(r["audio_path"]))
        new_feats.append(f.to(torch.float16))
        new_lens.append(f.size(0))
        if (k + 1) % 1000 == 0:
            log(f"  {k + 1}/{len(todo)}")
    fresh = FeatureSet([r["id"] for r in todo], [r["text"] for r in todo],
                       [r.get("corpus", manifest_tag(manifest)) for r in todo],
                       np.concatenate([[0], np.cumsum(new_lens)[:-1]]).astype(np.int64) if todo else np.zeros(0, np.int64),
                       np.array(new_lens, dtype=np.int64),
                       torch.cat(new_feats) if new_feats else torch.zeros(0, 80, dtype=torch.float16))
    merged = fresh if old is None else FeatureSet.concat([old, fresh])
    # Keep manifest order and drop utterances no longer listed.
    index = {u: i for i, u in enumerate(merged.ids)}
    merged = merged.subset([index[r["id"]] for r in rows])
    path = cache_path(feats_dir, manifest, split)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    torch.save({"ids": merged.ids, "texts": merged.texts, "corpora": merged.corpora,
                "offsets": merged.offsets, "lengths": merged.lengths, "feats": merged.feats}, tmp)
    os.replace(tmp, path)
    return merged


def load_sets(feats_dir: str, manifests: List[str], splits: List[str], limit: int = 0) -> FeatureSet:
    """Concatenate the cached feature sets; a missing cache is an error naming the fix."""
    sets = []
    for m in manifests:
        for s in splits:
            fs = load_cached(feats_dir, m, s)
            if fs is None:
                rows = [r for r in read_manifest(m) if r.get("split") == s]
                if not rows:
                    continue
                raise FileNotFoundError(f"no feature cache for {m} split {s}; run: "
                                        f"/usr/bin/python3 training/prepare.py --stage feats --manifests {m}")
            if limit:
                fs = fs.subset(list(range(min(limit, len(fs)))))
            sets.append(fs)
    return FeatureSet.concat(sets)


def make_batches(lengths: np.ndarray, max_frames: int, seed: int, shuffle: bool = True) -> List[List[int]]:
    """Sort by length, cut into batches whose padded size (count * longest) <= max_frames,
    then shuffle the batch order with the given seed (or keep shortest-first)."""
    order = np.argsort(lengths, kind="stable")
    batches, cur, longest = [], [], 0
    for i in order:
        n = int(lengths[i])
        if cur and max(longest, n) * (len(cur) + 1) > max_frames:
            batches.append(cur)
            cur, longest = [], 0
        cur.append(int(i))
        longest = max(longest, n)
    if cur:
        batches.append(cur)
    if shuffle:
        random.Random(seed).shuffle(batches)
    return batches


def collate(fs: FeatureSet, idx: List[int]) -> (torch.Tensor, torch.Tensor):
    feats = [fs.get(i) for i in idx]
    lengths = torch.tensor([f.size(0) for f in feats], dtype=torch.long)
    out = torch.zeros(len(feats), int(lengths.max()), feats[0].size(1))
    for k, f in enumerate(feats):
        out[k, :f.size(0)] = f
    return out, lengths


def feature_stats(fs: FeatureSet) -> (torch.Tensor, torch.Tensor):
    """Global mean and standard deviation over every frame (float64 accumulation)."""
    total = torch.zeros(fs.feats.size(1), dtype=torch.float64)
    sq = torch.zeros_like(total)
    step = 200000
    for s in range(0, fs.feats.size(0), step):
        x = fs.feats[s:s + step].double()
        total += x.sum(0)
        sq += (x * x).sum(0)
    n = fs.feats.size(0)
    mean = total / n
    std = (sq / n - mean * mean).clamp_min(1e-8).sqrt()
    return mean.float(), std.float()
