#!/usr/bin/python3
"""Generates the synthetic voice-assistant corpus (see data/README.md).

  /usr/bin/python3 data/generate.py --out /work/cache/synth --hours 10 --seed 1 --jobs 2
  /usr/bin/python3 data/generate.py --out /work/cache/synth --seed 1 --text-only --text-sentences 200000

Same seed and data/ files -> same manifest and same audio. Re-running resumes: finished
chunks are kept, and a longer --hours extends the corpus rather than replacing it.
"""
import argparse
import json
import sys
import time
from multiprocessing import Pool
from pathlib import Path

from synth.corpus_writer import generate_split, write_jsonl_atomic, write_text_only

SPLITS = ("train", "dev", "test")


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, default=Path("/work/cache/synth"), help="output folder (outside the repo)")
    p.add_argument("--hours", type=float, default=10.0, help="hours of train audio")
    p.add_argument("--dev-hours", type=float, default=0.2, help="hours of dev audio")
    p.add_argument("--test-hours", type=float, default=1.0, help="hours of test audio")
    p.add_argument("--splits", default="test,dev,train", help="comma-separated splits to render, in this order")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--jobs", type=int, default=2, help="worker processes")
    p.add_argument("--chunk-size", type=int, default=100, help="utterances per chunk (the unit of resuming)")
    p.add_argument("--text-only", action="store_true", help="write <out>/train_text.txt and no audio")
    p.add_argument("--text-sentences", type=int, default=200000, help="sentences for --text-only")
    args = p.parse_args(argv)
    problems = []
    for split in args.splits.split(","):
        if split not in SPLITS:
            problems.append(f"--splits: unknown split {split!r} (use {', '.join(SPLITS)})")
    if args.jobs < 1:
        problems.append("--jobs must be at least 1")
    if args.chunk_size < 1:
        problems.append("--chunk-size must be at least 1")
    if min(args.hours, args.dev_hours, args.test_hours) < 0:
        problems.append("hours must not be negative")
    if problems:
        p.error("; ".join(problems))
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.text_only:
        started = time.time()
        write_text_only(args.out / "train_text.txt", args.seed, "train", args.text_sentences)
        print(f"wrote {args.text_sentences} sentences to {args.out / 'train_text.txt'} in {time.time() - started:.1f} s")
        return 0
    hours = {"train": args.hours, "dev": args.dev_hours, "test": args.test_hours}
    started = time.time()
    with Pool(args.jobs) as pool:
        for split in args.splits.split(","):
            t0 = time.time()
            rows = generate_split(args.out, args.seed, split, hours[split], args.chunk_size, pool, args.jobs,
                                  log=lambda m: print(m, flush=True))
            audio_h = sum(r["duration"] for r in rows) / 3600
            print(f"{split}: {len(rows)} utterances, {audio_h:.3f} h, {time.time() - t0:.0f} s", flush=True)
    rows = []
    for split in SPLITS:
        path = args.out / f"manifest_{split}.jsonl"
        if path.exists():
            rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    write_jsonl_atomic(args.out / "manifest.jsonl", rows)
    print(f"manifest.jsonl: {len(rows)} utterances; total time {time.time() - started:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
