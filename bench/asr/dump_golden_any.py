#!/usr/bin/python3
"""training/dump_golden.py for any model file, including those exported before the LayerNorm
``encoder.norm`` was put in front of the LSTM (commit ac11d74) or before the linear path
``encoder.skip`` around the LSTM.

  /usr/bin/python3 bench/asr/dump_golden_any.py --checkpoint models/convrnnt-small.evm \
      --output tests/data/golden/convrnnt-small

training/checkpoint.py:load_any builds today's Transducer and loads the file strictly, which refuses
older files. Such a file is exactly today's network with the missing LayerNorm replaced by the
identity and the missing skip path by zero, so this script builds it that way and then runs
dump_golden.py unchanged. Files that have every part go through load_any as before.
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "training"))

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

import checkpoint  # noqa: E402
import dump_golden  # noqa: E402
from model import Transducer  # noqa: E402
from model_file import read_model  # noqa: E402


class ZeroPath(nn.Module):
    """Stands in for a missing ``encoder.skip``: adds nothing to the LSTM output."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.new_zeros(())


# Optional encoder parts: attribute of model.Encoder -> what an older file (without its tensors) computed.
OPTIONAL_PARTS = {"norm": nn.Identity, "skip": ZeroPath}


def load_older_files_too(path, p):
    if path.endswith(".evm"):
        meta, tensors = read_model(path)
        model = Transducer(p)
        missing = [name for name in OPTIONAL_PARTS
                   if hasattr(model.encoder, name) and f"encoder.{name}.weight" not in tensors]
        if missing:
            p.apply_model_config(meta["model"])
            model = Transducer(p)
            for name in missing:
                setattr(model.encoder, name, OPTIONAL_PARTS[name]())
            model.load_state_dict(tensors)
            model.eval()
            print(f"{path}: exported before encoder.{', encoder.'.join(missing)}; standing in: "
                  + ", ".join(f"{n} -> {OPTIONAL_PARTS[n].__name__}" for n in missing))
            return model, {"metadata": meta}
    return checkpoint.load_any(path, p)


if __name__ == "__main__":
    dump_golden.load_any = load_older_files_too
    dump_golden.main()
