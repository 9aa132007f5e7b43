#!/usr/bin/python3
"""training/dump_golden.py for any model file, including those exported before the LayerNorm
``encoder.norm`` was put in front of the LSTM (commit ac11d74).

  /usr/bin/python3 bench/asr/dump_golden_any.py --checkpoint models/convrnnt-small.evm \
      --output tests/data/golden/convrnnt-small

training/checkpoint.py:load_any builds today's Transducer and loads the file strictly, which refuses
older files (no encoder.norm tensors). Such a file is exactly today's network with that LayerNorm
replaced by the identity, so this script builds it that way and then runs dump_golden.py unchanged.
Files that have encoder.norm go through load_any as before.
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "training"))

import torch.nn as nn  # noqa: E402

import checkpoint  # noqa: E402
import dump_golden  # noqa: E402
from model import Transducer  # noqa: E402
from model_file import read_model  # noqa: E402


def load_with_or_without_encoder_norm(path, p):
    if path.endswith(".evm"):
        meta, tensors = read_model(path)
        if "encoder.norm.weight" not in tensors:
            p.apply_model_config(meta["model"])
            model = Transducer(p)
            model.encoder.norm = nn.Identity()
            model.load_state_dict(tensors)
            model.eval()
            print(f"{path}: no encoder.norm (exported before commit ac11d74); using the identity in its place")
            return model, {"metadata": meta}
    return checkpoint.load_any(path, p)


if __name__ == "__main__":
    dump_golden.load_any = load_with_or_without_encoder_norm
    dump_golden.main()
