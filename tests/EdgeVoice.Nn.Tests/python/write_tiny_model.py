"""Writes a tiny random convrnnt-v1 model with training/model_file.py and PyTorch reference outputs.

    /usr/bin/python3 tests/EdgeVoice.Nn.Tests/python/write_tiny_model.py <repo> <out.evm> <golden.json>

Used by PythonRoundTripTests: the C# loader must read the file and the C# layers must reproduce the
PyTorch outputs of the same weights.
"""

import json
import os
import sys

repo, out_model, out_golden = sys.argv[1:4]
sys.path.insert(0, os.path.join(repo, "training"))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from model import Transducer  # noqa: E402
from model_file import write_model  # noqa: E402
from params import ARCHITECTURE, FEATURE_OPTIONS, Params  # noqa: E402

torch.manual_seed(7)
p = Params()
p.subsampling_channels, p.encoder_dim, p.conv_kernel = 3, 8, 4
p.lstm_hidden, p.lstm_layers, p.decoder_dim, p.joiner_dim, p.vocab_size = 6, 2, 8, 7, 10
model = Transducer(p).eval()
with torch.no_grad():
    model.cmvn.mean.copy_(torch.randn(p.num_mel_bins))
    model.cmvn.std.copy_(torch.rand(p.num_mel_bins) + 0.5)
    model.encoder.norm.weight.copy_(torch.rand(p.encoder_dim) + 0.5)   # not the identity γ=1, β=0
    model.encoder.norm.bias.copy_(torch.randn(p.encoder_dim))

metadata = {
    "architecture": ARCHITECTURE,
    "name": "tiny-random",
    "model": p.model_config(),
    "features": FEATURE_OPTIONS,
    "tokenizer": {"type": "sentencepiece-bpe", "pieces": ["<blk>", "<unk>"] + [f"p{i}" for i in range(2, p.vocab_size)]},
}
write_model(out_model, model.state_dict(), metadata)

golden = {}
with torch.no_grad():
    enc = model.encoder
    feats = torch.randn(8, p.num_mel_bins)
    sub = enc.subsampling
    x = torch.cat([torch.zeros(2, p.num_mel_bins), feats]).unsqueeze(0).unsqueeze(0)
    conv1 = F.relu(sub.conv1(x))                                   # (1, C, T1, F1)
    golden["feats"] = feats
    golden["conv1_relu"] = conv1[0].permute(1, 0, 2)               # (T1, C, F1)

    frames = torch.randn(5, p.encoder_dim)
    golden["frames"] = frames
    golden["conv_norm"] = enc.conv_block.norm(frames)
    golden["encoder_norm"] = enc.norm(frames)
    if hasattr(enc, "skip"):
        golden["encoder_skip"] = enc.skip(frames)
    padded = torch.cat([torch.zeros(p.encoder_dim, p.conv_kernel - 1), frames.t()], dim=1)
    golden["depthwise"] = enc.conv_block.depthwise(padded.unsqueeze(0))[0].t()
    lstm_out, _ = enc.lstm(frames.unsqueeze(0))
    golden["lstm"] = lstm_out[0]

    tokens = torch.tensor([[0, 3]])
    dec = model.predictor(tokens)[0, 0]                            # (decoder_dim,)
    golden["predictor"] = dec
    e = lstm_out[0, -1]
    golden["logits"] = model.joiner(model.joiner.encoder_proj(e), model.joiner.decoder_proj(dec))

with open(out_golden, "w") as f:
    json.dump({k: {"shape": list(v.shape), "data": v.reshape(-1).tolist()} for k, v in golden.items()}, f)
