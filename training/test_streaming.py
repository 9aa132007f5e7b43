#!/usr/bin/python3
"""Check that the encoder streams exactly: chunk-by-chunk with carried state == one pass.

  /usr/bin/python3 training/test_streaming.py                       # random weights
  /usr/bin/python3 training/test_streaming.py --checkpoint models/convrnnt-small.evm

Exits non-zero if the largest absolute difference is >= 1e-5 for any chunk size.
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

from checkpoint import load_any  # noqa: E402
from model import Transducer  # noqa: E402
from params import parse_params  # noqa: E402


def max_stream_diff(model: Transducer, x: torch.Tensor, chunk_frames: int) -> float:
    """x: (1, T, F) normalised features; chunk_frames: input frames per chunk (multiple of 4)."""
    with torch.no_grad():
        full, _ = model.encoder(x, torch.tensor([x.size(1)]))
        state = model.encoder.init_state(1)
        outs = []
        for s in range(0, x.size(1), chunk_frames):
            y, state = model.encoder.streaming_forward(x[:, s:s + chunk_frames], state)
            outs.append(y)
        streamed = torch.cat(outs, dim=1)
    if streamed.shape != full.shape:
        raise AssertionError(f"shape mismatch: streamed {tuple(streamed.shape)} vs full {tuple(full.shape)}")
    return float((streamed - full).abs().max())


def main() -> None:
    p = parse_params(__doc__)
    torch.manual_seed(p.seed)
    torch.set_num_threads(p.threads)
    if p.checkpoint:
        model, _ = load_any(p.checkpoint, p)
    else:
        model = Transducer(p).eval()
    worst = 0.0
    for frames in (1003, 640, 37):
        x = torch.randn(1, frames, p.num_mel_bins)
        for chunk_out in (1, 2, 8, 16):
            d = max_stream_diff(model, x, chunk_out * p.subsampling_factor)
            worst = max(worst, d)
            print(f"T={frames} chunk={chunk_out} output frames: max |stream - full| = {d:.3g}")
    ok = worst < 1e-5
    print("OK" if ok else "FAIL", f"worst difference {worst:.3g}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
