#!/usr/bin/python3
"""Manifest <-> sclite trn helpers for the PocketSphinx baseline (used by run.sh).

  trn.py prepare MANIFEST SPLIT WORK [EVERY]  writes WORK/list.tsv (id, audio path, corpus) and
                                       WORK/ref_<corpus>.trn plus WORK/ref_all.trn,
                                       keeping every EVERY-th utterance of the split
  trn.py hyp WORK [--decoded-only]     reads WORK/hyp/*.hyp (pocketsphinx_batch output) and
                                       writes WORK/hyp_<corpus>.trn, WORK/hyp_all.trn;
                                       --decoded-only also rewrites the ref files to the
                                       utterances decoded so far (to score a run in progress)
Transcripts are normalised like the manifests: upper case, single spaces, apostrophe
the only punctuation. An utterance with no hypothesis counts as an empty hypothesis.
"""
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

NOT_WORD = re.compile(r"[^A-Z' ]+")
FILLERS = {"<S>", "</S>", "<SIL>", "[NOISE]", "[BREATH]", "[COUGH]", "[SMACK]", "[UH]", "[UM]"}


def normalise(text: str) -> str:
    words = [w for w in text.upper().split() if w not in FILLERS]
    words = [re.sub(r"\(\d+\)$", "", w) for w in words]  # alternate pronunciations: WORD(2)
    return " ".join(NOT_WORD.sub(" ", " ".join(words)).split())


def write_trn(path: Path, rows: list[tuple[str, str]]) -> None:
    path.write_text("".join(f"{text} ({uid})\n" for uid, text in rows), encoding="utf-8")


def prepare(manifest: Path, split: str, work: Path, every: int = 1) -> None:
    root = manifest.parent
    by_corpus = defaultdict(list)
    rows = [json.loads(line) for line in manifest.read_text(encoding="utf-8").splitlines()]
    rows = [row for row in rows if row["split"] == split][::every]
    with open(work / "list.tsv", "w", encoding="utf-8") as listing:
        for row in rows:
            listing.write(f"{row['id']}\t{root / row['audio']}\t{row['corpus']}\n")
            by_corpus[row["corpus"]].append((row["id"], normalise(row["text"])))
    if not by_corpus:
        sys.exit(f"trn.py: no utterances with split {split!r} in {manifest}")
    for corpus, rows in by_corpus.items():
        write_trn(work / f"ref_{corpus}.trn", rows)
    write_trn(work / "ref_all.trn", [r for rows in by_corpus.values() for r in rows])


def hyp(work: Path, decoded_only: bool = False) -> None:
    found = {}
    for path in sorted((work / "hyp").glob("*.hyp")):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            match = re.fullmatch(r"(.*)\((\S+)(?: -?\d+)?\)\s*", line)
            if match:
                found[match.group(2)] = normalise(match.group(1))
    by_corpus = defaultdict(list)
    for line in (work / "list.tsv").read_text(encoding="utf-8").splitlines():
        uid, _, corpus = line.split("\t")
        if uid in found or not decoded_only:
            by_corpus[corpus].append((uid, found.get(uid, "")))
    if decoded_only:
        all_refs = []
        for corpus in list(by_corpus):
            keep = {uid for uid, _ in by_corpus[corpus]}
            refs = (work / f"ref_{corpus}.trn").read_text(encoding="utf-8").splitlines()
            refs = [r for r in refs if r[r.rindex("(") + 1:-1] in keep]
            (work / f"ref_{corpus}.decoded.trn").write_text("".join(r + "\n" for r in refs), encoding="utf-8")
            all_refs += refs
        (work / "ref_all.decoded.trn").write_text("".join(r + "\n" for r in all_refs), encoding="utf-8")
    for corpus, rows in by_corpus.items():
        write_trn(work / f"hyp_{corpus}.trn", rows)
    write_trn(work / "hyp_all.trn", [r for rows in by_corpus.values() for r in rows])
    missing = sum(1 for rows in by_corpus.values() for uid, _ in rows if uid not in found)
    if missing:
        print(f"trn.py: {missing} utterances had no hypothesis (scored as empty)", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) in (5, 6) and sys.argv[1] == "prepare":
        prepare(Path(sys.argv[2]), sys.argv[3], Path(sys.argv[4]), int(sys.argv[5]) if len(sys.argv) == 6 else 1)
    elif len(sys.argv) in (3, 4) and sys.argv[1] == "hyp":
        hyp(Path(sys.argv[2]), sys.argv[3:] == ["--decoded-only"])
    else:
        sys.exit(__doc__)
