#!/usr/bin/python3
"""Summarises a synthetic corpus manifest and checks the held-out rules.

  /usr/bin/python3 data/stats.py /work/cache/synth/manifest.jsonl

Prints utterances, hours, speakers and voices per split, the augmentation mix, and fails
(exit 1) if a test speaker or voice, or a held-out test entity value, occurs in train.
"""
import json
import sys
from collections import Counter, defaultdict

from synth.text_source import SHARED_LISTS, LIST_SLOTS

# Entity types whose values are split between train and test (see text_source.py).
HELD_OUT_TYPES = {"contact", "person"} | {t for t, name in LIST_SLOTS.values() if name not in SHARED_LISTS}


def main(path: str) -> int:
    rows = [json.loads(line) for line in open(path, encoding="utf-8")]
    by_split = defaultdict(list)
    for row in rows:
        by_split[row["split"]].append(row)
    print(f"{'split':6} {'utts':>6} {'hours':>7} {'speakers':>8} {'voices':>6} {'clean':>6} {'whisper':>7} engines")
    for split, items in by_split.items():
        engines = Counter(r["tts"] for r in items)
        print(f"{split:6} {len(items):6d} {sum(r['duration'] for r in items) / 3600:7.3f} "
              f"{len({r['speaker'] for r in items}):8d} {len({(r['tts'], r['voice']) for r in items}):6d} "
              f"{sum(r['augmentation']['clean'] for r in items) / len(items):6.1%} "
              f"{sum(r['whispered'] for r in items) / len(items):7.1%} "
              + ", ".join(f"{k} {v / len(items):.0%}" for k, v in engines.most_common()))
    all_rows = [r for items in by_split.values() for r in items]
    aug = Counter()
    for r in all_rows:
        a = r["augmentation"]
        aug["speed " + str(a["speed"])] += 1
        aug["noise " + (a["noise"]["type"] if a["noise"] else "none")] += 1
        aug["reverb" if a["reverb"] else "no reverb"] += 1
        aug["telephone" if a["telephone"] else "no telephone"] += 1
    print("augmentation: " + ", ".join(f"{k} {v / len(all_rows):.0%}" for k, v in sorted(aug.items())))
    domains = Counter(r["domain"] for r in all_rows)
    print("domains: " + ", ".join(f"{k} {v / len(all_rows):.0%}" for k, v in domains.most_common()))

    problems = []
    train, test = by_split.get("train", []), by_split.get("test", [])
    train_speakers = {r["speaker"] for r in train}
    train_voices = {(r["tts"], r["voice"]) for r in train}
    problems += [f"test speaker {s} is in train" for s in sorted({r["speaker"] for r in test} & train_speakers)]
    problems += [f"test voice {v} is in train" for v in sorted({(r["tts"], r["voice"]) for r in test} & train_voices)]
    train_values = {(e["type"], e["text"]) for r in train for e in r["entities"] if e["type"] in HELD_OUT_TYPES}
    test_values = {(e["type"], e["text"]) for r in test for e in r["entities"] if e["type"] in HELD_OUT_TYPES}
    problems += [f"test entity {t}={v!r} is in train" for t, v in sorted(test_values & train_values)]
    train_names = {w for t, v in train_values if t in ("contact", "person") for w in v.split()}
    test_names = {w for t, v in test_values if t in ("contact", "person") for w in v.split()}
    print(f"held-out entity values in test: {len(test_values)} ({len(test_names)} distinct name words); "
          f"train has {len(train_values)} ({len(train_names)} name words)")
    problems += [f"test name word {w} is in train" for w in sorted(test_names & train_names)]
    for p in problems[:20]:
        print("PROBLEM:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "/work/cache/synth/manifest.jsonl"))
