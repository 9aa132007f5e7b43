"""Transducer search: greedy and modified beam search (at most one symbol per encoder frame),
plus word error rate with sclite's alignment costs (substitution 4, insertion 3, deletion 3)."""

from __future__ import annotations

import math
from typing import Dict, List, Tuple

import torch

from model import Transducer


def pieces_to_text(pieces: List[str], ids: List[int]) -> str:
    """SentencePiece pieces: '\u2581' marks the start of a word."""
    return "".join(pieces[i] for i in ids).replace("\u2581", " ").strip()


def _context(hyp: List[int], size: int, blank: int) -> List[int]:
    ctx = hyp[-size:] if size else []
    return [blank] * (size - len(ctx)) + ctx


@torch.no_grad()
def greedy_search(model: Transducer, enc: torch.Tensor, enc_lens: torch.Tensor) -> List[List[int]]:
    """Batched greedy search, one symbol per frame at most. enc: (N, T, H)."""
    p = model.p
    n = enc.size(0)
    hyps: List[List[int]] = [[] for _ in range(n)]
    enc_proj = model.joiner.encoder_proj(enc)
    ctx = torch.tensor([_context(h, p.context_size, p.blank_id) for h in hyps])
    dec_proj = model.joiner.decoder_proj(model.predictor(ctx))[:, 0]        # (N, J)
    for t in range(enc.size(1)):
        logits = model.joiner(enc_proj[:, t], dec_proj)
        best = logits.argmax(dim=-1).tolist()
        changed = []
        for i, k in enumerate(best):
            if k != p.blank_id and t < int(enc_lens[i]):
                hyps[i].append(k)
                changed.append(i)
        if changed:
            ctx = torch.tensor([_context(hyps[i], p.context_size, p.blank_id) for i in changed])
            dec_proj[changed] = model.joiner.decoder_proj(model.predictor(ctx))[:, 0]
    return hyps


@torch.no_grad()
def modified_beam_search(model: Transducer, enc: torch.Tensor, beam: int = 4) -> List[int]:
    """One utterance, enc: (T, H). Each frame every hypothesis either emits blank or one
    token; the best ``beam`` of all extensions survive, equal token sequences are merged
    (log-sum-exp of their scores). Returns the best token sequence."""
    p = model.p
    enc_proj = model.joiner.encoder_proj(enc)
    hyps: Dict[Tuple[int, ...], float] = {(): 0.0}
    cache: Dict[Tuple[int, ...], torch.Tensor] = {}
    for t in range(enc.size(0)):
        keys = list(hyps.keys())
        missing = [k for k in keys if k[-p.context_size:] not in cache]
        if missing:
            ctx = torch.tensor([_context(list(k), p.context_size, p.blank_id) for k in missing])
            out = model.joiner.decoder_proj(model.predictor(ctx))[:, 0]
            for k, row in zip(missing, out):
                cache[k[-p.context_size:]] = row
        dec = torch.stack([cache[k[-p.context_size:]] for k in keys])
        logp = model.joiner(enc_proj[t].unsqueeze(0), dec).log_softmax(dim=-1)   # (B, V)
        scores = logp + torch.tensor([hyps[k] for k in keys]).unsqueeze(1)
        top_scores, top_idx = scores.flatten().topk(min(beam, scores.numel()))
        new: Dict[Tuple[int, ...], float] = {}
        vocab = scores.size(1)
        for s, flat in zip(top_scores.tolist(), top_idx.tolist()):
            h, k = divmod(flat, vocab)
            key = keys[h] if k == p.blank_id else keys[h] + (k,)
            if key in new:
                a, b = new[key], s
                new[key] = max(a, b) + math.log1p(math.exp(-abs(a - b)))
            else:
                new[key] = s
        hyps = new
    return list(max(hyps.items(), key=lambda kv: kv[1])[0])


def align_counts(ref: List[str], hyp: List[str]) -> Tuple[int, int, int, int]:
    """(correct, substitutions, deletions, insertions) of the minimum-cost alignment with
    sclite's default weights: correct 0, substitution 4, insertion 3, deletion 3."""
    n, m = len(ref), len(hyp)
    cost = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        cost[i][0] = 3 * i
    for j in range(1, m + 1):
        cost[0][j] = 3 * j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            diag = cost[i - 1][j - 1] + (0 if ref[i - 1] == hyp[j - 1] else 4)
            cost[i][j] = min(diag, cost[i - 1][j] + 3, cost[i][j - 1] + 3)
    c = s = d = ins = 0
    i, j = n, m
    while i > 0 or j > 0:
        if i > 0 and j > 0 and cost[i][j] == cost[i - 1][j - 1] + (0 if ref[i - 1] == hyp[j - 1] else 4):
            if ref[i - 1] == hyp[j - 1]:
                c += 1
            else:
                s += 1
            i, j = i - 1, j - 1
        elif i > 0 and cost[i][j] == cost[i - 1][j] + 3:
            d += 1
            i -= 1
        else:
            ins += 1
            j -= 1
    return c, s, d, ins


def word_error_rate(refs: List[str], hyps: List[str]) -> dict:
    """Case-insensitive WER over a set of utterances."""
    tot = [0, 0, 0, 0]
    for r, h in zip(refs, hyps):
        for k, v in enumerate(align_counts(r.lower().split(), h.lower().split())):
            tot[k] += v
    words = tot[0] + tot[1] + tot[2]
    errors = tot[1] + tot[2] + tot[3]
    return {"wer": 100.0 * errors / max(words, 1), "words": words, "sub": tot[1], "del": tot[2],
            "ins": tot[3], "utterances": len(refs)}
