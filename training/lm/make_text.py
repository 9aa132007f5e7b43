#!/usr/bin/python3
"""Writes the LM training text and the dev text (one upper-case sentence per line).

  /usr/bin/python3 training/lm/make_text.py \
      --synth-train /work/cache/synth/manifest_train.jsonl --real /work/shared/data/real/manifest.jsonl \
      --synth-dev /work/cache/synth/manifest_dev.jsonl --out /work/cache/lm

train.txt = generated domain text (data/generate.py's templates and train-split slot values, extended with the
entity lists and phrasings in training/lm/words and training/lm/templates) + the synthetic train transcripts +
the real train transcripts (repeated). dev.txt = real dev + synthetic dev transcripts (evaluation only; never
trained on). Values that data/ holds out for its test split are never used.
"""
import argparse
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import lm_params as P  # noqa: E402

sys.path.insert(0, str(P.REPO / "data"))
from synth.text_source import LIST_SLOTS, SHARED_LISTS, TextSource, is_held_out, normalise, read_list  # noqa: E402


def read_extra(name: str) -> list:
    path = HERE / "words" / f"{name}.txt"
    if not path.exists():
        return []
    values = [normalise(l) for l in path.read_text(encoding="utf-8").splitlines() if l.strip() and not l.startswith("#")]
    return [v for v in values if v]


def extended_source() -> TextSource:
    """data/'s train-split TextSource with our extra values and templates merged in (held-out values dropped)."""
    source = TextSource("train")

    def merge(base, name):
        extra = read_extra(name)
        if name not in SHARED_LISTS:
            extra = [v for v in extra if not is_held_out(v)]
        seen = set(base)
        return base + [v for v in extra if not (v in seen or seen.add(v))]

    for _, name in LIST_SLOTS.values():
        source.lists[name] = merge(source.lists[name], name)
    source.first_names = merge(source.first_names, "first_names")
    source.last_names = merge(source.last_names, "last_names")
    for domain in source.templates:
        path = HERE / "templates" / f"{domain}.txt"
        if path.exists():
            lines = path.read_text(encoding="utf-8").splitlines()
            source.templates[domain] = source.templates[domain] + [l.strip() for l in lines if l.strip() and not l.startswith("#")]
    return source


def transcripts(manifest: Path, split: str) -> list:
    rows = [json.loads(l) for l in manifest.read_text(encoding="utf-8").splitlines() if l.strip()]
    return [" ".join(r["text"].split()) for r in rows if r["split"] == split and r["text"].strip()]


def wordnet_examples(folder: Path) -> list:
    """The quoted usage examples of WordNet 3.0's glosses (Debian package wordnet-base, /usr/share/wordnet; WordNet 3.0
    licence: use, copy and distribution permitted with its copyright notice, docs/language-models.md): general
    English sentences, normalised like the rest of the text; 3 to 20 words each, duplicates dropped, and so are
    examples with digits (they would lose them) or with any value data/ holds out for its synthetic test split (a
    name or city the test must not find in the language model)."""
    held_out = set()
    for name in [n for _, n in LIST_SLOTS.values()] + ["first_names", "last_names"]:
        if name not in SHARED_LISTS:
            held_out.update(v for v in read_list(name) if is_held_out(v))
    seen, out = set(), []
    for part in ("noun", "verb", "adj", "adv"):
        path = folder / f"data.{part}"
        if not path.exists():
            raise SystemExit(f"{path} not found: install Debian's wordnet-base or pass its folder with --wordnet")
        for line in path.read_text(encoding="latin-1").splitlines():
            if line.startswith("  ") or "|" not in line:
                continue  # the licence header, or a synset without a gloss
            for example in line.split("|", 1)[1].split('"')[1::2]:
                if any(c.isdigit() for c in example):
                    continue
                text = normalise(example)
                if not text or not 3 <= len(text.split()) <= 20 or text in seen:
                    continue
                padded = f" {text} "
                if any(f" {v} " in padded for v in held_out):
                    continue
                seen.add(text)
                out.append(text)
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--synth-train", type=Path, required=True)
    p.add_argument("--synth-dev", type=Path, required=True)
    p.add_argument("--real", type=Path, required=True, help="real manifest (train and dev rows are used)")
    p.add_argument("--out", type=Path, default=P.WORK)
    p.add_argument("--sentences", type=int, default=P.DOMAIN_SENTENCES)
    p.add_argument("--wordnet", type=Path, default=None,
                   help="add WordNet's gloss examples from this folder (e.g. /usr/share/wordnet) as general English text")
    args = p.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    source = extended_source()
    rng = random.Random(f"lm-text-{P.SEED}")
    domain = [source.sentence(rng).text for _ in range(args.sentences)]
    synth_train = transcripts(args.synth_train, "train")
    real_train = transcripts(args.real, "train")
    general = wordnet_examples(args.wordnet) if args.wordnet else []
    train = domain + synth_train + real_train * P.REAL_TRAIN_REPEAT + general
    random.Random(P.SEED).shuffle(train)
    dev_real = transcripts(args.real, "dev")
    dev_synth = transcripts(args.synth_dev, "dev")
    for name, lines in (("train.txt", train), ("dev_real.txt", dev_real), ("dev_synth.txt", dev_synth)):
        (args.out / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    vocab = {w for s in train for w in s.split()}
    print(f"train.txt: {len(train)} sentences ({len(domain)} generated, {len(synth_train)} synthetic train, "
          f"{len(real_train)} x {P.REAL_TRAIN_REPEAT} real train, {len(general)} WordNet examples), {len(vocab)} distinct words; "
          f"dev_real.txt: {len(dev_real)}; dev_synth.txt: {len(dev_synth)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
