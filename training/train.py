#!/usr/bin/python3
"""Train the streaming ConvRNN-T transducer with torchaudio's RNN-T loss.

  # fresh run (CMVN statistics are computed from the training features)
  nohup /usr/bin/python3 training/train.py --exp-dir /work/cache/exp/convrnnt \
      --manifests /work/shared/data/real/manifest.jsonl /work/cache/synth/manifest.jsonl \
      --max-minutes 100 > /work/cache/exp/convrnnt/nohup.out 2>&1 &
  # continue after an interruption (same command plus --resume)
  ... --resume
  # continue in a new session from the committed model (weights and CMVN from the file)
  ... --exp-dir /work/cache/exp/convrnnt-2 --init-from models/convrnnt-small.evm

Writes <exp-dir>/log.txt, <exp-dir>/checkpoint-latest.pt (every --checkpoint-minutes and at
the end of each epoch, with optimiser state) and <exp-dir>/epoch-<n>.pt (weights only).
`touch <exp-dir>/STOP` makes a running job save its checkpoint and exit after the current step.
"""

from __future__ import annotations

import math
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import sentencepiece as spm  # noqa: E402
import torch  # noqa: E402

from data import FeatureSet, cache_path, collate, feature_stats, load_sets, make_batches  # noqa: E402
from model import Transducer, count_parameters  # noqa: E402
from model_file import read_model  # noqa: E402
from params import Params, parse_params  # noqa: E402


class Logger:
    def __init__(self, path: str):
        self.f = open(path, "a", encoding="utf-8")

    def __call__(self, msg: str) -> None:
        line = f"{time.strftime('%Y-%m-%d %H:%M:%S')} {msg}"
        print(line, flush=True)
        self.f.write(line + "\n")
        self.f.flush()


def set_seed(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def lr_at(step: int, p: Params) -> float:
    """Linear warm-up to p.lr, then inverse square-root decay. With p.schedule_offset = N the warm-up still counts this
    run's steps (a fresh optimiser needs it) but the decay continues as if N steps had gone before: a run that starts
    from an exported model of step N goes on at the learning rate where that run left off (reached after about
    warmup_steps * sqrt(warmup_steps / N) steps of warm-up)."""
    step = max(step, 1)
    return p.lr * min(step / p.warmup_steps, math.sqrt(p.warmup_steps / (step + p.schedule_offset)))


def spec_augment(x: torch.Tensor, lengths: torch.Tensor, fill: torch.Tensor, rng: random.Random) -> torch.Tensor:
    """Frequency and time masks on raw fbank (N, T, F); masked cells get the CMVN mean,
    i.e. zero after normalisation."""
    p = spec_augment.p
    x = x.clone()
    nbins = x.size(2)
    for n in range(x.size(0)):
        for _ in range(p.spec_freq_masks):
            w = rng.randint(0, p.spec_freq_width)
            f0 = rng.randint(0, nbins - w)
            x[n, :, f0:f0 + w] = fill[f0:f0 + w]
        t_len = int(lengths[n])
        count = max(1, round(p.spec_time_masks * t_len / 1000))
        width = min(p.spec_time_width, max(1, t_len // 5))
        for _ in range(count):
            w = rng.randint(0, width)
            t0 = rng.randint(0, max(0, t_len - w))
            x[n, t0:t0 + w, :] = fill
    return x


def vtlp_warp(x: torch.Tensor, lengths: torch.Tensor, rng: random.Random, amount: float) -> torch.Tensor:
    """Vocal tract length perturbation on log-mel fbank (N, T, F): each utterance's frequency axis is stretched by
    a factor a drawn from [1 - amount, 1 + amount], piecewise linearly so that bin 0 and the top bin stay put (the
    warp of Jaitly and Hinton 2013, applied to mel bin positions rather than Hz). Output bin j reads the input at
    position j / a below the knee and interpolates linearly between neighbouring bins. A speaker's formants move
    by a few percent, which the synthetic voices' fixed vocal tracts never show."""
    if amount <= 0:
        return x
    n_utts, _, nbins = x.shape
    top = nbins - 1
    out = x.clone()
    positions = torch.arange(nbins, dtype=torch.float32)
    for n in range(n_utts):
        a = 1.0 + rng.uniform(-amount, amount)
        knee = 0.8 * top * min(a, 1.0)          # output-bin position where the two linear pieces meet
        src = torch.where(positions <= knee, positions / a,
                          knee / a + (positions - knee) * (top - knee / a) / (top - knee))
        src = src.clamp(0, top)
        lo = src.floor().long().clamp(max=top - 1)
        frac = (src - lo.float()).unsqueeze(0)
        t_len = int(lengths[n])
        row = x[n, :t_len]
        out[n, :t_len] = row[:, lo] * (1 - frac) + row[:, lo + 1] * frac
    return out


def tokenize(sp: spm.SentencePieceProcessor, texts):
    return [sp.encode(t.upper()) for t in texts]


@torch.no_grad()
def dev_loss(model: Transducer, fs, targets, p: Params) -> float:
    model.eval()
    total, count = 0.0, 0
    for idx in make_batches(fs.lengths, p.max_frames, 0):
        feats, lengths = collate(fs, idx)
        loss = model(feats, lengths, [targets[i] for i in idx])
        total += float(loss) * len(idx)
        count += len(idx)
    model.train()
    return total / max(count, 1)


def cache_stamp(p: Params) -> list:
    """Modification times of the training feature caches (they grow while a corpus is generated)."""
    paths = [cache_path(p.feats_dir, m, s) for m in p.manifests for s in p.train_split.split(",")]
    return [os.path.getmtime(x) if os.path.exists(x) else 0.0 for x in paths]


def load_training_data(p: Params, sp):
    stamp = cache_stamp(p)
    repeats = [int(r) for r in p.manifest_repeat] or [1] * len(p.manifests)
    if len(repeats) != len(p.manifests):
        raise ValueError(f"--manifest-repeat needs one count per manifest ({len(p.manifests)}), got {repeats}")
    parts = []
    for m, r in zip(p.manifests, repeats):
        fs = load_sets(p.feats_dir, [m], p.train_split.split(","), p.limit_utts)
        if not len(fs):
            continue
        keep = [i for i in range(len(fs)) if 0 < fs.lengths[i] <= p.max_duration_s * 100 and fs.texts[i].strip()]
        parts.append(fs.subset(keep * r))
    train = FeatureSet.concat(parts)
    return train, tokenize(sp, train.texts), stamp


def save_checkpoint(path: str, model, optimizer, state: dict, p: Params, ctc_head=None) -> None:
    tmp = path + ".tmp"
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict() if optimizer else None,
                "ctc_head": ctc_head.state_dict() if ctc_head is not None else None,
                "model_config": p.model_config(), "tokenizer": p.tokenizer, **state}, tmp)
    os.replace(tmp, path)


def main() -> None:
    p = parse_params("Train the streaming ConvRNN-T transducer.")
    torch.set_num_threads(p.threads)
    set_seed(p.seed)
    os.makedirs(p.exp_dir, exist_ok=True)
    log = Logger(os.path.join(p.exp_dir, "log.txt"))
    log(f"command: /usr/bin/python3 {' '.join(sys.argv)}")

    sp = spm.SentencePieceProcessor(model_file=p.tokenizer)
    if sp.get_piece_size() != p.vocab_size:
        raise ValueError(f"--vocab-size {p.vocab_size} but tokenizer {p.tokenizer} has {sp.get_piece_size()} pieces")

    train, targets, stamp = load_training_data(p, sp)
    dev = load_sets(p.feats_dir, p.manifests[:1], ["dev"], p.limit_utts or 300)
    dev_targets = tokenize(sp, dev.texts)
    hours = float(train.lengths.sum()) / 360000
    corpora = {c: train.corpora.count(c) for c in sorted(set(train.corpora))}
    log(f"train: {len(train)} utterances, {hours:.2f} h, {corpora}; dev (loss): {len(dev)}")

    model = Transducer(p)
    log(f"model: {count_parameters(model)} parameters, config {p.model_config()}")
    # Auxiliary CTC head: helps the encoder learn alignments early; used in training only.
    ctc_head = torch.nn.Linear(p.lstm_hidden, p.vocab_size) if p.ctc_weight > 0 else None
    params = list(model.parameters()) + (list(ctc_head.parameters()) if ctc_head else [])
    optimizer = torch.optim.AdamW(params, lr=p.lr, weight_decay=p.weight_decay)
    state = {"step": 0, "epoch": 0, "batch_in_epoch": 0, "train_seconds": 0.0, "trained_on": {}}
    latest = os.path.join(p.exp_dir, "checkpoint-latest.pt")
    if os.path.exists(os.path.join(p.exp_dir, "STOP")):
        os.remove(os.path.join(p.exp_dir, "STOP"))
        log("removed an old STOP file")
    if p.resume and os.path.exists(latest):
        ckpt = torch.load(latest, map_location="cpu")
        model.load_state_dict(ckpt["model"])
        if ctc_head is not None and ckpt.get("ctc_head"):
            ctc_head.load_state_dict(ckpt["ctc_head"])
        optimizer.load_state_dict(ckpt["optimizer"])
        state = {k: ckpt[k] for k in state}
        log(f"resumed from {latest}: step {state['step']}, epoch {state['epoch']}, batch {state['batch_in_epoch']}")
    elif p.init_from.endswith(".pt"):
        ckpt = torch.load(p.init_from, map_location="cpu")
        model.load_state_dict(ckpt["model"])
        if ctc_head is not None and ckpt.get("ctc_head"):
            ctc_head.load_state_dict(ckpt["ctc_head"])
        state["trained_on"] = {"init_from": p.init_from, "prior": {k: ckpt.get(k) for k in ("step", "epoch", "train_seconds")}}
        log(f"initialised weights and CMVN from checkpoint {p.init_from} (step {ckpt.get('step')})")
    elif p.init_from:
        meta, tensors = read_model(p.init_from)
        model.load_state_dict(tensors)
        # An exported model may carry a blank penalty folded into the blank's bias (training/finalize.sh): a decoding
        # choice, not a trained value. Training goes on without it; the export folds it in again when asked to.
        folded = float(meta.get("decoding", {}).get("blank_penalty_folded", 0.0))
        if folded:
            with torch.no_grad():
                model.joiner.output.bias[p.blank_id] += folded
            log(f"blank penalty {folded} folded into {p.init_from} taken out of the blank bias")
        prior = meta.get("training", {})
        state["trained_on"] = {"init_from": p.init_from, "prior": prior}
        log(f"initialised weights and CMVN from {p.init_from} (prior training: {prior.get('step')} steps)")
    if p.reinit_lstm and not (p.resume and os.path.exists(latest)):
        model.encoder.lstm.reset_parameters()
        log("encoder LSTM re-initialised")
    if p.skip_off:
        # Zero and frozen: the model file keeps the tensor (same architecture for the runtimes), the joiner
        # must take everything from the LSTMs.
        with torch.no_grad():
            model.encoder.skip.weight.zero_()
            model.encoder.skip.bias.zero_()
        model.encoder.skip.weight.requires_grad_(False)
        model.encoder.skip.bias.requires_grad_(False)
        log("encoder skip path held at zero")
    if (not (p.resume and os.path.exists(latest)) and not p.init_from) or (p.init_from and p.recompute_cmvn):
        mean, std = feature_stats(train)
        model.cmvn.mean.copy_(mean)
        model.cmvn.std.copy_(std)
        log(f"CMVN from {train.feats.size(0)} training frames: mean[0:3]={mean[:3].tolist()} std[0:3]={std[:3].tolist()}")
    state["trained_on"]["data"] = {"manifests": p.manifests, "manifest_repeat": p.manifest_repeat, "utterances": len(train), "hours": round(hours, 3),
                                   "corpora": corpora}

    spec_augment.p = p
    fill = model.cmvn.mean.clone()
    model.train()
    started = time.time()
    last_ckpt = started
    seconds_before = state["train_seconds"]
    frames_seen, tick, loss_sum, loss_n, ctc_sum = 0, time.time(), 0.0, 0, 0.0
    cell_sum, cell_over = 0.0, 0.0
    stop = False
    while state["epoch"] < p.num_epochs and not stop:
        epoch = state["epoch"]
        if cache_stamp(p) != stamp:
            train, targets, stamp = load_training_data(p, sp)
            hours = float(train.lengths.sum()) / 360000
            corpora = {c: train.corpora.count(c) for c in sorted(set(train.corpora))}
            state["trained_on"]["data"].update({"utterances": len(train), "hours": round(hours, 3), "corpora": corpora})
            log(f"feature cache changed; train now {len(train)} utterances, {hours:.2f} h, {corpora}")
        # SortaGrad: the first epoch(s) go from the shortest utterances to the longest.
        batches = make_batches(train.lengths, p.max_frames, p.seed + epoch, shuffle=epoch >= p.sortagrad_epochs)
        rng = random.Random(p.seed * 1000 + epoch)
        for b in range(state["batch_in_epoch"], len(batches)):
            idx = batches[b]
            feats, lengths = collate(train, idx)
            feats = vtlp_warp(feats, lengths, rng, p.vtlp)   # draws from rng only when --vtlp > 0
            feats = spec_augment(feats, lengths, fill, rng)
            for g in optimizer.param_groups:
                g["lr"] = lr_at(state["step"] + 1, p)
            batch_targets = [targets[i] for i in idx]
            loss, enc, enc_lens, cell = model(feats, lengths, batch_targets, return_encoder=True)
            if ctc_head is not None:
                log_probs = ctc_head(enc).log_softmax(dim=-1).transpose(0, 1)      # (T, N, V)
                flat = torch.tensor([k for t in batch_targets for k in t], dtype=torch.long)
                ctc = torch.nn.functional.ctc_loss(
                    log_probs, flat, enc_lens, torch.tensor([len(t) for t in batch_targets]),
                    blank=p.blank_id, reduction="sum", zero_infinity=True) / len(idx)
                ctc_sum += float(ctc)
                loss = loss + p.ctc_weight * ctc
            # Cell-state penalty: the LSTMs of earlier runs learnt to integrate (forget and input gates near 1,
            # |c| growing all through the utterance, tanh(c) saturated), so their output stopped depending on
            # the audio. Cells beyond +-cell_limit at the end of the utterance are pulled back.
            over = (cell.abs() - p.cell_limit).clamp(min=0)
            cell_sum += float(cell.abs().mean())
            cell_over += float((over > 0).float().mean())
            if p.cell_penalty > 0:
                loss = loss + p.cell_penalty * over.pow(2).mean()
            optimizer.zero_grad()
            if not torch.isfinite(loss):
                log(f"step {state['step']}: non-finite loss, batch skipped")
                continue
            loss.backward()
            grad_norm = torch.nn.utils.clip_grad_norm_(params, p.grad_clip)
            optimizer.step()
            state["step"] += 1
            state["batch_in_epoch"] = b + 1
            frames_seen += int(lengths.sum())
            loss_sum += float(loss)
            loss_n += 1
            now = time.time()
            state["train_seconds"] = seconds_before + now - started
            if state["step"] % 10 == 0:
                speed = frames_seen / 100 / (now - tick)
                ctc_text = f" (ctc {ctc_sum / loss_n:.2f})" if ctc_head is not None else ""
                log(f"epoch {epoch} batch {b + 1}/{len(batches)} step {state['step']} loss {loss_sum / loss_n:.4f}{ctc_text} "
                    f"lr {lr_at(state['step'], p):.2e} grad {float(grad_norm):.2f} "
                    f"|c| {cell_sum / loss_n:.2f} (>{p.cell_limit:g}: {100 * cell_over / loss_n:.1f}%) "
                    f"speed {speed:.1f} s-audio/s elapsed {state['train_seconds'] / 60:.1f} min")
                frames_seen, tick, loss_sum, loss_n, ctc_sum = 0, now, 0.0, 0, 0.0
                cell_sum, cell_over = 0.0, 0.0
            if now - last_ckpt > p.checkpoint_minutes * 60:
                save_checkpoint(latest, model, optimizer, state, p, ctc_head)
                last_ckpt = now
                log(f"checkpoint {latest} at step {state['step']}")
            stop_file = os.path.exists(os.path.join(p.exp_dir, "STOP"))
            if stop_file or (p.max_minutes and now - started > p.max_minutes * 60) or \
                    (p.max_steps and state["step"] >= p.max_steps):
                log("stopping: " + ("STOP file found" if stop_file else "time or step limit reached"))
                stop = True
                break
        if not stop:
            state["epoch"] += 1
            state["batch_in_epoch"] = 0
            dl = dev_loss(model, dev, dev_targets, p)
            log(f"end of epoch {epoch}: dev loss {dl:.4f} (real dev, {len(dev)} utterances)")
            save_checkpoint(os.path.join(p.exp_dir, f"epoch-{epoch}.pt"), model, None, state, p, ctc_head)
        save_checkpoint(latest, model, optimizer, state, p, ctc_head)
        last_ckpt = time.time()
    log(f"done: step {state['step']}, epoch {state['epoch']}, {state['train_seconds'] / 60:.1f} min of training")


if __name__ == "__main__":
    main()
