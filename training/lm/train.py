#!/usr/bin/python3
"""Trains the sentencepiece tokenizer and the LSTM LM on make_text.py's output.

  nice -n 10 /usr/bin/python3 training/lm/train.py --work /work/cache/lm

Writes <work>/lm_spm.model (unigram, lm_params.VOCAB_SIZE pieces), <work>/lstm_lm.pt (state_dict + settings) and
prints dev perplexity per word (end of sentence counted as a word). One CPU thread; stops after
lm_params.MAX_MINUTES of training.
"""
import argparse
import math
import random
import sys
import time
from pathlib import Path

import sentencepiece as spm
import torch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import lm_params as P  # noqa: E402
from lstm_lm import LstmLm  # noqa: E402


def train_tokenizer(work: Path) -> spm.SentencePieceProcessor:
    prefix = work / "lm_spm"
    if not (work / "lm_spm.model").exists():
        spm.SentencePieceTrainer.train(
            input=str(work / "train.txt"), model_prefix=str(prefix), vocab_size=P.VOCAB_SIZE, model_type="unigram",
            character_coverage=1.0, normalization_rule_name="identity", unk_id=P.UNK_ID, bos_id=P.BOS_ID,
            eos_id=P.EOS_ID, pad_id=-1, input_sentence_size=400000, shuffle_input_sentence=True, seed_sentencepiece_size=200000,
            num_threads=1, minloglevel=2)
    return spm.SentencePieceProcessor(model_file=str(prefix) + ".model")


def encode_file(sp, path: Path) -> list:
    lines = [l for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]
    return [ids[: P.MAX_TOKENS_PER_SENTENCE] for ids in sp.encode(lines)], lines


def batches(data: list, rng: random.Random):
    """Length-bucketed batches (sentences of similar length together), in random order."""
    order = sorted(range(len(data)), key=lambda i: (len(data[i]), rng.random()))
    chunks = [order[i:i + P.BATCH_SIZE] for i in range(0, len(order), P.BATCH_SIZE)]
    rng.shuffle(chunks)
    return chunks


def make_batch(data: list, idx: list):
    longest = max(len(data[i]) for i in idx) + 1
    inp = torch.full((len(idx), longest), P.EOS_ID, dtype=torch.long)
    tgt = torch.full((len(idx), longest), -100, dtype=torch.long)
    for row, i in enumerate(idx):
        ids = data[i]
        inp[row, : len(ids) + 1] = torch.tensor([P.BOS_ID] + ids)
        tgt[row, : len(ids) + 1] = torch.tensor(ids + [P.EOS_ID])
    return inp, tgt


def perplexity(model, data: list, sentences: list) -> float:
    """Per-word perplexity: exp(−total log-prob / (words + sentences))."""
    model.eval()
    total, count = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(data), 256):
            idx = list(range(start, min(start + 256, len(data))))
            inp, tgt = make_batch(data, idx)
            logp, _ = model(inp)
            mask = tgt != -100
            total += float(logp.gather(2, tgt.clamp(min=0).unsqueeze(2)).squeeze(2)[mask].sum())
    for s in sentences:
        count += len(s.split()) + 1
    model.train()
    return math.exp(-total / count)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--work", type=Path, default=P.WORK)
    p.add_argument("--max-minutes", type=float, default=P.MAX_MINUTES)
    p.add_argument("--resume", action="store_true", help="continue from <work>/lstm_lm.pt (a further time budget; the learning rate restarts at half)")
    args = p.parse_args(argv)
    torch.set_num_threads(1)
    torch.manual_seed(P.SEED)
    sp = train_tokenizer(args.work)
    train, _ = encode_file(sp, args.work / "train.txt")
    dev_sets = {name: encode_file(sp, args.work / f"{name}.txt") for name in ("dev_real", "dev_synth")}
    model = LstmLm(P.VOCAB_SIZE, P.EMBED_DIM, P.HIDDEN_SIZE, P.LAYERS)
    print(f"{sum(p.numel() for p in model.parameters())} parameters; {len(train)} training sentences", flush=True)
    lr0, step0 = P.LEARNING_RATE, 0
    if args.resume:
        ckpt = torch.load(args.work / "lstm_lm.pt", map_location="cpu")
        model.load_state_dict(ckpt["state_dict"])
        lr0, step0 = P.LEARNING_RATE / 2, ckpt["step"]
        print(f"resumed from step {step0}", flush=True)
    opt = torch.optim.Adam(model.parameters(), lr=lr0)
    rng = random.Random(P.SEED + step0)
    started, step, epoch, done = time.time(), step0, 0, False
    budget = args.max_minutes * 60
    while not done:
        epoch += 1
        for idx in batches(train, rng):
            frac = (time.time() - started) / budget
            if frac >= 1:
                done = True
                break
            for g in opt.param_groups:
                g["lr"] = lr0 * max(0.05, 1 - frac)
            inp, tgt = make_batch(train, idx)
            logp, _ = model(inp)
            loss = torch.nn.functional.nll_loss(logp.reshape(-1, P.VOCAB_SIZE), tgt.reshape(-1), ignore_index=-100)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            step += 1
            if step % 200 == 0:
                print(f"epoch {epoch} step {step} loss {loss.item():.3f} {time.time() - started:.0f} s", flush=True)
            if step % 1000 == 0:
                ppl = {n: perplexity(model, d, s) for n, (d, s) in dev_sets.items()}
                print(f"  dev perplexity {ppl}", flush=True)
                torch.save({"state_dict": model.state_dict(), "step": step}, args.work / "lstm_lm.pt")
    ppl = {n: perplexity(model, d, s) for n, (d, s) in dev_sets.items()}
    torch.save({"state_dict": model.state_dict(), "step": step}, args.work / "lstm_lm.pt")
    print(f"done: {step} steps, {epoch} epochs, {time.time() - started:.0f} s; dev perplexity per word {ppl}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
