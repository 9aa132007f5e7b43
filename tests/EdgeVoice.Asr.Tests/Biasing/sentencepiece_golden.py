#!/usr/bin/env python3
"""Writes sentencepiece_golden.tsv (text<TAB>space-separated ids) for SentencePieceBpeEncoderTests.

Regenerate with: /usr/bin/python3 tests/EdgeVoice.Asr.Tests/Biasing/sentencepiece_golden.py [manifest.jsonl]
(300 distinct transcripts drawn with seed 7 from the manifest, plus a few hand-written names).
"""
import json
import os
import random
import sys

import sentencepiece as spm

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.path.join(here, "..", "..", ".."))
manifest = sys.argv[1] if len(sys.argv) > 1 else "/work/cache/synth/manifest_test.jsonl"
sp = spm.SentencePieceProcessor(model_file=os.path.join(root, "training", "tokenizer", "bpe256.model"))
with open(manifest, encoding="utf-8") as f:
    texts = sorted({json.loads(line)["text"] for line in f if line.strip()})
random.seed(7)
texts = random.sample(texts, min(300, len(texts)))
texts += ["Siobhan O'Malley", "Zoë Kowalczyk", "  living   room lamp ", "Dr. Nguyen", "AAAAAAA", "x",
          "QUIZZICAL JUXTAPOSITION", "call mum's mobile 42"]
with open(os.path.join(here, "sentencepiece_golden.tsv"), "w", encoding="utf-8") as out:
    for text in texts:
        ids = sp.encode(text.upper())
        out.write(text.replace("\t", " ") + "\t" + " ".join(map(str, ids)) + "\n")
