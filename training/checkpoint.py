"""Build a Transducer from a training checkpoint (.pt) or an exported model file (.evm)."""

from __future__ import annotations

from typing import Tuple

import torch

from model import Transducer
from model_file import read_model
from params import Params


def load_any(path: str, p: Params) -> Tuple[Transducer, dict]:
    """Returns the model (eval mode) and a dict of what is known about it; the model sizes
    stored in the file override those in ``p`` (``p`` is updated in place)."""
    if path.endswith(".evm"):
        meta, tensors = read_model(path)
        p.apply_model_config(meta["model"])
        model = Transducer(p)
        model.load_state_dict(tensors)
        info = {"metadata": meta}
    else:
        ckpt = torch.load(path, map_location="cpu")
        p.apply_model_config(ckpt["model_config"])
        model = Transducer(p)
        model.load_state_dict(ckpt["model"])
        info = {k: v for k, v in ckpt.items() if k not in ("model", "optimizer")}
    model.eval()
    return model, info
