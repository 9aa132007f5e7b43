#!/usr/bin/python3
"""Fine-tune an fp32 model into an int8 (block-sparse) model: quantization-aware training with a regulariser
that pulls every weight toward its nearest int8 level, and gradual magnitude sparsification of 1x16 blocks
on a cubic schedule. Writes a format-version-2 .evm (docs/model-format.md, docs/compression.md).

  # full run (~100 minutes, 50% of the blocks of every weight matrix pruned, QAT)
  nohup nice -n 10 /usr/bin/python3 training/compress.py --init-from models/convrnnt-small.evm \\
      --manifests /work/shared/data/real/manifest.jsonl /work/cache/synth/manifest.jsonl \\
      --exp-dir /work/cache/exp/compress-s50 --output /work/cache/exp/compress-s50/convrnnt-small-int8-s50.evm \\
      --target-sparsity 0.5 --max-minutes 100 > /work/cache/exp/compress-s50.out 2>&1 &
  # QAT only (dense int8): --target-sparsity 0; 70%: --target-sparsity 0.7
  # smoke run: --limit-utts 40 --max-minutes 0.5

What it does, per optimiser step (same data, batching, SpecAugment and RNN-T loss as training/train.py):
  loss = rnnt + qat_weight(t) * mean(((W - s*round(W/s)) / s)^2)    over every compressed weight matrix W,
  with s = max|W_row| / 127 per output row (held fixed within the step), so the gradient moves weights toward
  the int8 grid; qat_weight ramps linearly from 0 to --qat-weight over the first half of the run. With
  --fake-quant the forward and backward passes also run on the quantized weights (straight-through: the
  gradient computed there updates the float weights).
  Every --prune-every steps, the share of 1x16 blocks set to zero (smallest L2 norm first, per matrix, as
  `edgevoice compress` does) follows s(t) = target * (1 - (1 - t/t_end)^3), t the fraction of the budget
  (--max-minutes or --max-steps) and t_end = --prune-end; after t_end the mask is fixed and the remaining
  steps recover accuracy. Pruned weights are held at zero after every step.
The compressed matrices are those `edgevoice compress` picks (rank-2 Linear and LSTM weights, no embeddings,
at least 16 columns); everything else stays float32.
"""

from __future__ import annotations

import argparse
import copy
import datetime
import math
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import sentencepiece as spm  # noqa: E402
import torch  # noqa: E402

from checkpoint import load_any  # noqa: E402
from data import collate, load_sets, make_batches  # noqa: E402
from model import collapsed_distillation  # noqa: E402
from model_file import BLOCK, quantize_per_channel, read_model, write_model  # noqa: E402
from params import Params, add_params  # noqa: E402
from train import Logger, dev_loss, load_training_data, set_seed, spec_augment, tokenize  # noqa: E402

MIN_COLUMNS = 16


def parse_args():
    parser = argparse.ArgumentParser(description="QAT and gradual block sparsification of a model file.")
    add_params(parser)
    parser.add_argument("--target-sparsity", type=float, default=0.5, help="share of 1x16 blocks pruned at the end (0 = dense int8)")
    parser.add_argument("--prune-end", type=float, default=0.7, help="fraction of the budget at which the target sparsity is reached")
    parser.add_argument("--distill", type=float, default=0.0,
                        help="weight of teacher-student distillation from the float32 start model: KL over blank / next token / rest "
                             "at every lattice node (Panchapagesan et al. 2021), summed per utterance like the RNN-T loss (0: off)")
    parser.add_argument("--global-prune", action="store_true",
                        help="choose the pruned blocks over all matrices together (scores relative to each matrix) instead of the same share per matrix")
    parser.add_argument("--max-matrix-sparsity", type=float, default=0.85, help="with --global-prune: most of one matrix's blocks pruned")
    parser.add_argument("--prune-every", type=int, default=10, help="steps between mask updates")
    parser.add_argument("--qat-weight", type=float, default=0.05, help="final weight of the int8-level regulariser")
    parser.add_argument("--fake-quant", action="store_true", help="run forward/backward on int8-quantized weights (straight-through)")
    parser.add_argument("--dev-loss", action="store_true", help="report the real-dev RNN-T loss of the fp32 start and of the result")
    parser.set_defaults(lr=3e-4, warmup_steps=50, exp_dir="/work/cache/exp/compress", init_from="models/convrnnt-small.evm",
                        max_minutes=100.0)
    args = parser.parse_args()
    return Params.from_args(args), args


def compressible(name: str, w: torch.Tensor) -> bool:
    """The same choice as EdgeVoice.Nn.ModelCompressor.IsWeightMatrix."""
    leaf = name.rsplit(".", 1)[-1]
    weight = leaf == "weight" or leaf.startswith("weight_ih_l") or leaf.startswith("weight_hh_l")
    return weight and w.dim() == 2 and w.size(1) >= MIN_COLUMNS and "embedding" not in name


def block_norms(w: torch.Tensor) -> torch.Tensor:
    """[rows, ceil(cols/16)] L2 norms squared of the 1x16 blocks (the last one zero-padded)."""
    rows, cols = w.shape
    nb = (cols + BLOCK - 1) // BLOCK
    padded = torch.zeros(rows, nb * BLOCK)
    padded[:, :cols] = w.detach()
    return padded.view(rows, nb, BLOCK).pow(2).sum(dim=2)


def expand_blocks(keep: torch.Tensor, cols: int) -> torch.Tensor:
    """Element mask [rows, cols] from a [rows, ceil(cols/16)] block mask."""
    return keep.repeat_interleave(BLOCK, dim=1)[:, :cols]


def block_mask(w: torch.Tensor, sparsity: float) -> torch.Tensor:
    """Element mask [rows, cols] that zeroes the `sparsity` share of blocks with the smallest norm (ties by index)."""
    rows, cols = w.shape
    norms = block_norms(w).flatten()
    pruned = int(round(sparsity * norms.numel()))
    keep = torch.ones(norms.numel())
    if pruned > 0:
        order = np.argsort(norms.numpy(), kind="stable")[:pruned]
        keep[torch.from_numpy(order)] = 0
    return expand_blocks(keep.view(rows, -1), cols)


def global_block_masks(mats: dict, sparsity: float, cap: float) -> dict:
    """Element masks that zero the `sparsity` share of all 1x16 blocks of all matrices together. A block's score is
    its squared norm over the mean squared norm of its matrix's non-zero blocks, so matrices of different scale
    compete fairly and each loses the blocks that matter least within it; no matrix loses more than `cap` of its
    blocks unless they are already zero. The cut is found by bisection on the score."""
    scores = {}
    for n, w in mats.items():
        norms = block_norms(w)
        nonzero = norms[norms > 0]
        scale = float(nonzero.mean()) if nonzero.numel() else 1.0
        scores[n] = norms / scale
    total = sum(s.numel() for s in scores.values())
    wanted = int(round(sparsity * total))

    def pruned_at(threshold: float) -> dict:
        counts = {}
        for n, sc in scores.items():
            zero = int((sc == 0).sum())
            below = int((sc < threshold).sum())
            counts[n] = max(zero, min(below, int(cap * sc.numel())))
        return counts

    lo, hi = 0.0, max(float(s.max()) for s in scores.values()) + 1.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if sum(pruned_at(mid).values()) < wanted:
            lo = mid
        else:
            hi = mid
    counts = pruned_at(hi)
    masks = {}
    for n, sc in scores.items():
        rows, cols = mats[n].shape
        keep = torch.ones(sc.numel())
        if counts[n] > 0:
            order = np.argsort(sc.flatten().numpy(), kind="stable")[:counts[n]]
            keep[torch.from_numpy(order)] = 0
        masks[n] = expand_blocks(keep.view(rows, -1), cols)
    return masks


def apply_masks(names, params, masks, sparsity: float, global_prune: bool, cap: float) -> None:
    """Recompute every matrix's mask for `sparsity` (per matrix, or over all of them) and zero the pruned blocks."""
    with torch.no_grad():
        if global_prune:
            masks.update(global_block_masks({n: params[n] * masks[n] for n in names}, sparsity, cap))
        else:
            for n in names:
                masks[n] = block_mask(params[n] * masks[n], sparsity)
        for n in names:
            params[n].mul_(masks[n])


def fake_quant(w: torch.Tensor) -> torch.Tensor:
    """Per-row symmetric int8 round trip of the values (no gradient)."""
    m = w.abs().amax(dim=1, keepdim=True)
    s = torch.where(m > 0, m / 127, torch.ones_like(m))
    return torch.clamp(torch.round(w / s), -127, 127) * s


def qat_penalty(weights) -> torch.Tensor:
    """mean over all compressed weights of ((W - nearest int8 level) / step)^2, in [0, 0.25]."""
    total, count = 0.0, 0
    for w in weights:
        with torch.no_grad():
            m = w.abs().amax(dim=1, keepdim=True)
            s = torch.where(m > 0, m / 127, torch.ones_like(m))
            level = torch.clamp(torch.round(w / s), -127, 127) * s
        total = total + (((w - level) / s) ** 2).sum()
        count += w.numel()
    return total / max(count, 1)


def cubic_sparsity(progress: float, target: float, end: float) -> float:
    t = min(1.0, progress / end) if end > 0 else 1.0
    return target * (1.0 - (1.0 - t) ** 3)


def main() -> None:
    p, args = parse_args()
    torch.set_num_threads(p.threads)
    set_seed(p.seed)
    os.makedirs(p.exp_dir, exist_ok=True)
    log = Logger(os.path.join(p.exp_dir, "log.txt"))
    log(f"command: /usr/bin/python3 {' '.join(sys.argv)}")
    if not p.init_from.endswith(".evm"):
        raise SystemExit("--init-from must be a model file (.evm): float32, or a compressed one to fine-tune further")
    if not 0 <= args.target_sparsity < 1:
        raise SystemExit("--target-sparsity must be in [0, 1)")
    if not p.max_minutes and not p.max_steps:
        raise SystemExit("give --max-minutes or --max-steps: the sparsity schedule is a fraction of the budget")
    output = p.output or os.path.join(p.exp_dir, f"{p.model_name}-int8-s{round(args.target_sparsity * 100)}.evm")

    model, info = load_any(p.init_from, p)
    source_meta = info["metadata"]
    # A blank penalty folded into the exported blank bias is a decoding choice, not a trained value: fine-tune
    # without it (as the model was trained) and fold it back into the output.
    folded = float(source_meta.get("decoding", {}).get("blank_penalty_folded", 0.0))
    with torch.no_grad():
        model.joiner.output.bias[p.blank_id] += folded
    # Teacher-student: the float32 start model, frozen, teaches the compressed one (--distill).
    teacher = None
    if args.distill > 0:
        teacher = copy.deepcopy(model).eval()
        for w in teacher.parameters():
            w.requires_grad_(False)
    sp = spm.SentencePieceProcessor(model_file=p.tokenizer)
    if sp.get_piece_size() != p.vocab_size:
        raise SystemExit(f"tokenizer {p.tokenizer} has {sp.get_piece_size()} pieces, the model {p.vocab_size}")
    train, targets, _ = load_training_data(p, sp)
    log(f"start: {p.init_from}; train {len(train)} utterances, {float(train.lengths.sum()) / 360000:.2f} h")

    names = [n for n, w in model.named_parameters() if compressible(n, w)]
    params = dict(model.named_parameters())
    weights = [params[n] for n in names]
    masks = {n: torch.ones_like(params[n]) for n in names}
    # A start model that is already block-sparse (a compressed file, dequantized on reading) keeps its pruned
    # blocks: they start masked, so a further fine-tuning run continues from them instead of letting them regrow.
    sparsity = 0.0
    if args.target_sparsity > 0:
        total_blocks, zero_blocks = 0, 0
        for n in names:
            norms = block_norms(params[n])
            keep = (norms > 0).float()
            total_blocks += keep.numel()
            zero_blocks += int((keep == 0).sum())
            masks[n] = expand_blocks(keep, params[n].size(1))
        sparsity = zero_blocks / total_blocks
        if sparsity > 0:
            log(f"start model already has {sparsity:.1%} of its blocks pruned: they stay pruned")
        if sparsity > args.target_sparsity + 1e-6:
            raise SystemExit(f"the start model has {sparsity:.1%} of its blocks pruned, more than --target-sparsity {args.target_sparsity}")
    log(f"compressing {len(names)} matrices, {sum(w.numel() for w in weights)} weights: {', '.join(names)}")
    dev = None
    if args.dev_loss:
        dev = load_sets(p.feats_dir, p.manifests[:1], ["dev"], p.limit_utts or 300)
        dev_targets = tokenize(sp, dev.texts)
        log(f"dev loss of the start model (blank penalty not folded): {dev_loss(model, dev, dev_targets, p):.4f}")

    optimizer = torch.optim.AdamW(model.parameters(), lr=p.lr, weight_decay=0.0)
    spec_augment.p = p
    fill = model.cmvn.mean.clone()
    model.train()
    started = time.time()
    step, epoch, tick, loss_sum, pen_sum, n_sum, kd_sum = 0, 0, time.time(), 0.0, 0.0, 0, 0.0
    budget_s = p.max_minutes * 60

    def progress() -> float:
        by_time = (time.time() - started) / budget_s if budget_s else 0.0
        by_step = step / p.max_steps if p.max_steps else 0.0
        return max(by_time, by_step)

    done = False
    while not done:
        batches = make_batches(train.lengths, p.max_frames, p.seed + 100 + epoch, shuffle=True)
        rng = random.Random(p.seed * 1000 + 100 + epoch)
        for idx in batches:
            t = progress()
            if t >= 1.0:
                done = True
                break
            if step % args.prune_every == 0 and args.target_sparsity > 0:
                wanted = cubic_sparsity(t, args.target_sparsity, args.prune_end)
                if wanted > sparsity:
                    sparsity = wanted
                    apply_masks(names, params, masks, sparsity, args.global_prune, args.max_matrix_sparsity)
            lr = p.lr * min(1.0, (step + 1) / max(p.warmup_steps, 1)) * (0.5 * (1 + math.cos(math.pi * min(t, 1.0))) * 0.9 + 0.1)
            for g in optimizer.param_groups:
                g["lr"] = lr
            feats, lengths = collate(train, idx)
            feats = spec_augment(feats, lengths, fill, rng)
            saved = None
            if args.fake_quant:
                saved = [w.detach().clone() for w in weights]
                with torch.no_grad():
                    for w in weights:
                        w.copy_(fake_quant(w))
            batch_targets = [targets[i] for i in idx]
            kd = None
            if teacher is None:
                loss = model(feats, lengths, batch_targets)
                total = loss
            else:
                loss, logits, enc_lens, tgt, tgt_lens = model(feats, lengths, batch_targets, return_logits=True)
                with torch.no_grad():
                    teacher_logits = teacher(feats, lengths, batch_targets, return_logits=True)[1]
                kd = collapsed_distillation(logits, teacher_logits, enc_lens, tgt, tgt_lens, p.blank_id)
                total = loss + args.distill * kd
            optimizer.zero_grad()
            finite = bool(torch.isfinite(total))
            if finite:
                total.backward()     # with --fake-quant: the gradient at the quantized weights (straight-through)
            if saved is not None:
                with torch.no_grad():
                    for w, s in zip(weights, saved):
                        w.copy_(s)
            if not finite:
                log(f"step {step}: non-finite loss, batch skipped")
                continue
            qat_w = args.qat_weight * min(1.0, 2.0 * t)
            penalty = qat_penalty(weights)
            (qat_w * penalty).backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), p.grad_clip)
            optimizer.step()
            with torch.no_grad():
                for n in names:
                    params[n].mul_(masks[n])
            step += 1
            loss_sum += float(loss)
            kd_sum += float(kd) if kd is not None else 0.0
            pen_sum += float(penalty)
            n_sum += 1
            if step % 10 == 0:
                log(f"step {step} progress {t:.3f} loss {loss_sum / n_sum:.4f}" + (f" kd {kd_sum / n_sum:.4f}" if teacher is not None else "") + f" qat-penalty {pen_sum / n_sum:.4f} (weight {qat_w:.3g}) "
                    f"sparsity {sparsity:.3f} lr {lr:.2e} {10 / (time.time() - tick):.2f} steps/s")
                tick, loss_sum, pen_sum, n_sum, kd_sum = time.time(), 0.0, 0.0, 0, 0.0
            if os.path.exists(os.path.join(p.exp_dir, "STOP")):
                log("STOP file found")
                done = True
                break
        epoch += 1

    if args.target_sparsity > 0 and sparsity < args.target_sparsity:
        log(f"budget ended at sparsity {sparsity:.3f}; pruning to the target {args.target_sparsity} without recovery steps")
        apply_masks(names, params, masks, args.target_sparsity, args.global_prune, args.max_matrix_sparsity)
        sparsity = args.target_sparsity

    if args.target_sparsity > 0:
        shares = {n: round(1.0 - float(masks[n].mean()), 3) for n in names}
        log("pruned share per matrix: " + ", ".join(f"{n} {v}" for n, v in shares.items()))
    model.eval()
    with torch.no_grad():
        model.joiner.output.bias[p.blank_id] -= folded
    tensors = {}
    for name, value in model.state_dict().items():
        tensors[name] = quantize_per_channel(value, sparse=args.target_sparsity > 0) if name in masks else value
    meta = dict(source_meta)
    meta["format_version"] = 2
    meta["created"] = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    meta["compression"] = {
        "method": "QAT (int8-level regulariser" + (", fake-quant forward" if args.fake_quant else "") + ")"
                  + (" + gradual magnitude block pruning (cubic)" if args.target_sparsity > 0 else ""),
        "weights": "int8 symmetric, one float32 scale per output channel",
        "activations": "int8 symmetric, quantized per frame at run time",
        "block": "1x16", "target_sparsity": args.target_sparsity, "qat_weight": args.qat_weight,
        "prune_end": args.prune_end, "global_prune": args.global_prune, "distill": args.distill, "steps": step, "minutes": round((time.time() - started) / 60, 1), "lr": p.lr,
        "source": os.path.basename(p.init_from), "tool": "training/compress.py",
        "data": {"manifests": p.manifests, "utterances": len(train)},
    }
    meta.pop("scores", None)
    size = write_model(output, tensors, meta)
    _, back = read_model(output)
    model.load_state_dict(back)
    log(f"wrote {output}: {size} bytes, {step} steps, block sparsity {sparsity:.3f}")
    if dev is not None:
        # Measured as the start was: without the folded blank penalty (a decoding choice that raises the loss).
        with torch.no_grad():
            model.joiner.output.bias[p.blank_id] += folded
        log(f"dev loss of the int8 model (dequantized, blank penalty not folded): {dev_loss(model, dev, dev_targets, p):.4f}")


if __name__ == "__main__":
    main()
