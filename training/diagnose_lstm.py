"""How the encoder LSTMs behave over an utterance: are they still listening?

Runs the encoder of a model (.evm or .pt) on the first utterances of a manifest split and,
layer by layer, steps the LSTM by hand to report, per fifth of the utterance:
  |c|     mean absolute cell state
  sat     share of |h| above 0.95 (tanh(c) saturated and output gate open)
  dh      mean frame-to-frame change of h (near 0: the layer no longer follows the audio)
  f, i    mean forget and input gate
A layer whose |c| grows through the utterance while dh falls towards 0 has become an
integrator: its output depends on how long the utterance has run, not on what was said.

  python3 training/diagnose_lstm.py --model models/convrnnt-small.evm \
      --manifest /work/shared/data/real/manifest.jsonl --split dev --count 40
"""

from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

from checkpoint import load_any  # noqa: E402
from data import compute_fbank, load_audio_16k, read_manifest  # noqa: E402
from params import Params  # noqa: E402


def lstm_trace(lstm: torch.nn.LSTM, x: torch.Tensor):
    """x: (T, D) -> per layer a dict of (T,) traces."""
    traces = []
    for layer in range(lstm.num_layers):
        w_ih = getattr(lstm, f"weight_ih_l{layer}")
        w_hh = getattr(lstm, f"weight_hh_l{layer}")
        b = getattr(lstm, f"bias_ih_l{layer}") + getattr(lstm, f"bias_hh_l{layer}")
        hidden = w_hh.size(1)
        h = torch.zeros(hidden)
        c = torch.zeros(hidden)
        pre_x = x @ w_ih.T + b
        rows = {"c": [], "sat": [], "dh": [], "f": [], "i": []}
        outs = []
        for t in range(x.size(0)):
            g = pre_x[t] + w_hh @ h
            i, f, gg, o = g.split(hidden)
            i, f, o = torch.sigmoid(i), torch.sigmoid(f), torch.sigmoid(o)
            c = f * c + i * torch.tanh(gg)
            h_new = o * torch.tanh(c)
            rows["c"].append(float(c.abs().mean()))
            rows["sat"].append(float((h_new.abs() > 0.95).float().mean()))
            rows["dh"].append(float((h_new - h).abs().mean()))
            rows["f"].append(float(f.mean()))
            rows["i"].append(float(i.mean()))
            h = h_new
            outs.append(h)
        traces.append(rows)
        x = torch.stack(outs)
    return traces


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True)
    ap.add_argument("--manifest", required=True)
    ap.add_argument("--split", default="dev")
    ap.add_argument("--count", type=int, default=40)
    a = ap.parse_args()
    torch.set_num_threads(1)
    p = Params()
    model, _ = load_any(a.model, p)
    rows = [r for r in read_manifest(a.manifest) if r.get("split") == a.split][: a.count]
    if not rows:
        sys.exit(f"no utterances of split {a.split!r} in {a.manifest}")
    base = os.path.dirname(a.manifest)
    parts = 5
    sums = {}
    with torch.no_grad():
        for r in rows:
            feats = compute_fbank(load_audio_16k(os.path.join(base, r["audio"]))).unsqueeze(0)
            enc = model.encoder
            y, _, _ = enc.subsampling(model.cmvn(feats), *enc.init_state(1)[:2])
            y, _ = enc.conv_block(y, enc.init_state(1)[2])
            y, _, _ = enc.global_block(y, torch.zeros(1, y.size(2)), torch.zeros(1))
            z = enc.norm(y)[0]
            for layer, tr in enumerate(lstm_trace(enc.lstm, z)):
                n = len(tr["c"])
                for k, values in tr.items():
                    for q in range(parts):
                        seg = values[q * n // parts:(q + 1) * n // parts] or values[-1:]
                        acc = sums.setdefault((layer, k, q), [0.0, 0])
                        acc[0] += sum(seg) / len(seg)
                        acc[1] += 1
    print(f"{a.model}: {len(rows)} utterances of {a.manifest} ({a.split}); values per fifth of the utterance")
    for layer in range(model.encoder.lstm.num_layers):
        for k in ("c", "sat", "dh", "f", "i"):
            vals = [sums[(layer, k, q)][0] / sums[(layer, k, q)][1] for q in range(parts)]
            print(f"layer {layer} {k:>3}: " + " ".join(f"{v:7.3f}" for v in vals))


if __name__ == "__main__":
    main()
