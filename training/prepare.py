#!/usr/bin/python3
"""Data preparation, in re-runnable stages (training/prepare.sh calls these).

  # stage feats: fbank cache for every split of every manifest (tops up a grown manifest)
  /usr/bin/python3 training/prepare.py --stage feats \
      --manifests /work/shared/data/real/manifest.jsonl /work/cache/synth/manifest.jsonl
  # stage tokenizer: SentencePiece BPE on the training transcripts (+ --extra-text files)
  /usr/bin/python3 training/prepare.py --stage tokenizer \
      --manifests /work/shared/data/real/manifest.jsonl /work/cache/synth/manifest.jsonl \
      --extra-text /work/cache/synth/train_text.txt --tokenizer training/tokenizer/bpe256.model

The tokenizer reserves id 0 for the transducer blank ("<blk>"), id 1 for <unk>, and has
no BOS/EOS. Once a model is trained with it, it must not be retrained (ids would change).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

from data import build_cache, read_manifest  # noqa: E402
from params import Params, add_params  # noqa: E402


def stage_feats(p: Params) -> None:
    for m in p.manifests:
        splits = sorted({r.get("split", "") for r in read_manifest(m)})
        for s in splits:
            build_cache(p.feats_dir, m, s)


def training_text(p: Params) -> list:
    splits = set(p.train_split.split(","))
    lines = []
    for m in p.manifests:
        lines += [r["text"] for r in read_manifest(m) if r.get("split") in splits]
    for path in p.extra_text:
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                lines += [ln.strip().upper() for ln in f if ln.strip()]
    return lines


def stage_tokenizer(p: Params) -> None:
    import sentencepiece as spm
    lines = training_text(p)
    os.makedirs(os.path.dirname(os.path.abspath(p.tokenizer)), exist_ok=True)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
        text_path = f.name
    prefix = os.path.splitext(p.tokenizer)[0]
    spm.SentencePieceTrainer.train(
        input=text_path, model_prefix=prefix, model_type="bpe", vocab_size=p.vocab_size,
        character_coverage=1.0, input_sentence_size=2000000, shuffle_input_sentence=True,
        pad_id=0, pad_piece="<blk>", unk_id=1, bos_id=-1, eos_id=-1, seed_sentencepiece_size=100000,
        num_threads=1, minloglevel=2)
    os.remove(text_path)
    sp = spm.SentencePieceProcessor(model_file=p.tokenizer)
    print(f"tokenizer {p.tokenizer}: {sp.get_piece_size()} pieces from {len(lines)} lines; "
          f"id 0 = {sp.id_to_piece(0)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stage", choices=["feats", "tokenizer"], required=True)
    add_params(parser)
    args = parser.parse_args()
    p = Params.from_args(args)
    torch.set_num_threads(p.threads)
    {"feats": stage_feats, "tokenizer": stage_tokenizer}[args.stage](p)


if __name__ == "__main__":
    main()
