#!/usr/bin/python3
"""Exports the trained LSTM LM to the EdgeVoice model container (docs/model-format.md), architecture lstm-lm-v1.

  /usr/bin/python3 training/lm/export.py --work /work/cache/lm --output models/lm-lstm.evm

The metadata carries everything the C# runtime (src/EdgeVoice.Lm/Neural/LstmLanguageModel.cs) needs: sizes, the
tokenizer's pieces and scores, special ids; and, with --weights, the tuned rescoring weights.
"""
import argparse
import datetime
import json
import sys
from pathlib import Path

import sentencepiece as spm
import torch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
import lm_params as P  # noqa: E402
from lstm_lm import LstmLm  # noqa: E402
from model_file import write_model  # noqa: E402


def load(work: Path):
    sp = spm.SentencePieceProcessor(model_file=str(work / "lm_spm.model"))
    ckpt = torch.load(work / "lstm_lm.pt", map_location="cpu")
    model = LstmLm(P.VOCAB_SIZE, P.EMBED_DIM, P.HIDDEN_SIZE, P.LAYERS)
    model.load_state_dict(ckpt["state_dict"])
    model.eval()
    return sp, model, ckpt


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--work", type=Path, default=P.WORK)
    p.add_argument("--output", type=Path, required=True)
    p.add_argument("--weights", type=Path, help="JSON with lm_weight and word_insertion_bonus (from tuning)")
    p.add_argument("--training-info", type=Path, help="JSON merged into metadata.training (e.g. dev perplexities)")
    args = p.parse_args(argv)
    sp, model, ckpt = load(args.work)
    n = sp.get_piece_size()
    assert n == P.VOCAB_SIZE, f"tokenizer has {n} pieces, lm_params.VOCAB_SIZE is {P.VOCAB_SIZE}"
    meta = {
        "format": "EVMODEL", "format_version": 1,
        "name": args.output.stem,
        "architecture": P.ARCHITECTURE,
        "model": {"vocab_size": P.VOCAB_SIZE, "embed_dim": P.EMBED_DIM, "hidden_size": P.HIDDEN_SIZE, "layers": P.LAYERS},
        "lstm_gate_order": "i,f,g,o",
        "output": "log_softmax(out(h)) over the pieces; a word's log-probability is the sum of its pieces'",
        "tokenizer": {
            "type": "sentencepiece-unigram", "case": "upper", "word_boundary": "\u2581",
            "unk_id": P.UNK_ID, "bos_id": P.BOS_ID, "eos_id": P.EOS_ID,
            "pieces": [sp.id_to_piece(i) for i in range(n)],
            "scores": [sp.get_score(i) for i in range(n)],
        },
        "training": {"steps": ckpt.get("step"), "text": "training/lm/make_text.py (see docs/language-models.md)"},
        "parameter_count": sum(t.numel() for t in model.parameters()),
        "created": datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat(),
    }
    if args.training_info:
        meta["training"].update(json.loads(args.training_info.read_text()))
    if args.weights:
        w = json.loads(args.weights.read_text())
        meta["rescoring"] = {"lm_weight": float(w["lm_weight"]), "word_insertion_bonus": float(w["word_insertion_bonus"])}
    size = write_model(str(args.output), model.state_dict(), meta)
    print(f"wrote {args.output}: {size} bytes, {meta['parameter_count']} parameters")
    return 0


if __name__ == "__main__":
    sys.exit(main())
