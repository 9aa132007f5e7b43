#!/usr/bin/python3
"""Writes the parity file the C# tests compare with: PyTorch's piece ids and log-probabilities of a few sentences.

  /usr/bin/python3 training/lm/dump_golden.py --model models/lm-lstm.evm --work /work/cache/lm \
      --output tests/EdgeVoice.Lm.Tests/golden/lm-lstm.json

Reads the exported model file back (so the golden values are those of the committed file) and the tokenizer.
"""
import argparse
import json
import sys
from pathlib import Path

import sentencepiece as spm
import torch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
import lm_params as P  # noqa: E402
from lstm_lm import LstmLm, sentence_log_probs  # noqa: E402
from model_file import read_model  # noqa: E402

SENTENCES = [
    "TURN ON THE KITCHEN LIGHTS",
    "SET A TIMER FOR TWENTY FIVE MINUTES",
    "CALL SERAPHINA WINTERBOURNE ON SPEAKER",
    "WHAT'S THE WEATHER IN REYKJAVIK",
    "ZXQVWK",
    "THE CAT SAT ON THE MAT",
    "",
]
GOLDEN_VERSION = 1


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", type=Path, required=True)
    p.add_argument("--work", type=Path, default=P.WORK)
    p.add_argument("--output", type=Path, required=True)
    args = p.parse_args(argv)
    torch.set_num_threads(1)
    meta, tensors = read_model(str(args.model))
    m = meta["model"]
    model = LstmLm(m["vocab_size"], m["embed_dim"], m["hidden_size"], m["layers"])
    model.load_state_dict(tensors)
    model.eval()
    sp = spm.SentencePieceProcessor(model_file=str(args.work / "lm_spm.model"))
    assert [sp.id_to_piece(i) for i in range(sp.get_piece_size())] == meta["tokenizer"]["pieces"], "tokenizer does not match the model file"
    cases = []
    for text in SENTENCES:
        words = text.split()
        word_ids = [sp.encode(w) for w in words]
        ids = [i for w in word_ids for i in w]
        assert ids == (sp.encode(text) if text else []), f"word-by-word encoding differs from sentence encoding: {text!r}"
        lp = sentence_log_probs(model, ids, meta["tokenizer"]["bos_id"], meta["tokenizer"]["eos_id"])
        per_word, k = [], 0
        for w in word_ids:
            per_word.append(sum(lp[k:k + len(w)]))
            k += len(w)
        cases.append({"text": text, "piece_ids": ids, "piece_log_probs": lp[:-1], "end_log_prob": lp[-1],
                      "word_log_probs": per_word, "sentence_log_prob": sum(lp)})
    golden = {"version": GOLDEN_VERSION, "model": args.model.name,
              "regenerate": "/usr/bin/python3 training/lm/dump_golden.py --model models/lm-lstm.evm --work /work/cache/lm --output tests/EdgeVoice.Lm.Tests/golden/lm-lstm.json",
              "cases": cases}
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(golden, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.output}: {len(cases)} sentences")
    return 0


if __name__ == "__main__":
    sys.exit(main())
