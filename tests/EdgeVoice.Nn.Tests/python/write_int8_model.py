"""Writes a small random convrnnt-v1 model as format version 2 with training/model_file.py: the Linear and LSTM
weights as int8 (dtype 1) or block-sparse int8 (dtype 2, with pruned blocks), and the same model dequantized as a
version-1 float32 file.

    /usr/bin/python3 tests/EdgeVoice.Nn.Tests/python/write_int8_model.py <repo> <int8.evm> <dequantized.evm> <sparse 0|1>

Used by PythonRoundTripTests: the C# loader must read the version-2 file, and each int8 tensor's values must be
exactly the dequantized floats Python wrote.
"""

import os
import sys

repo, out_q, out_f, sparse = sys.argv[1:5]
sys.path.insert(0, os.path.join(repo, "training"))

import torch  # noqa: E402

from model import Transducer  # noqa: E402
from model_file import quantize_per_channel, write_model  # noqa: E402
from params import ARCHITECTURE, FEATURE_OPTIONS, Params  # noqa: E402

torch.manual_seed(11)
p = Params()
p.subsampling_channels, p.encoder_dim, p.conv_kernel = 2, 24, 4
p.lstm_hidden, p.lstm_layers, p.decoder_dim, p.joiner_dim, p.vocab_size = 20, 2, 16, 18, 10
model = Transducer(p).eval()
with torch.no_grad():
    model.cmvn.std.copy_(torch.rand(p.num_mel_bins) + 0.5)
metadata = {
    "architecture": ARCHITECTURE,
    "name": "small-int8",
    "model": p.model_config(),
    "features": FEATURE_OPTIONS,
    "tokenizer": {"type": "sentencepiece-bpe", "pieces": ["<blk>", "<unk>"] + [f"p{i}" for i in range(2, p.vocab_size)]},
}
quantized, floats = {}, {}
for name, value in model.state_dict().items():
    leaf = name.rsplit(".", 1)[-1]
    if value.dim() == 2 and value.size(1) >= 16 and "embedding" not in name and (leaf == "weight" or leaf.startswith("weight_")):
        w = value.clone()
        if sparse == "1":
            cols = w.size(1)
            for r in range(w.size(0)):
                for c0 in range(0, cols, 16):
                    if (r * 7 + c0) % 3 == 0:
                        w[r, c0:c0 + 16] = 0
        q = quantize_per_channel(w, sparse=sparse == "1")
        quantized[name] = q
        floats[name] = q.dequantize()
    else:
        quantized[name] = value
        floats[name] = value
write_model(out_q, quantized, dict(metadata, format_version=2))
write_model(out_f, floats, metadata)
