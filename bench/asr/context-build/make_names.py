#!/usr/bin/env python3
"""Writes N "FIRST LAST" contact names (seed 1) from data/words for biasing runs.

Usage: /usr/bin/python3 bench/asr/context-build/make_names.py 1000 /tmp/names1000.txt
"""
import os
import random
import sys

root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


def words(name):
    with open(os.path.join(root, "data", "words", name), encoding="utf-8") as f:
        return [w.strip() for w in f if w.strip() and not w.startswith("#")]


count, out = int(sys.argv[1]), sys.argv[2]
first, last = words("first_names.txt"), words("last_names.txt")
rng = random.Random(1)
with open(out, "w", encoding="utf-8") as f:
    for _ in range(count):
        f.write(f"{rng.choice(first)} {rng.choice(last)}\n")
