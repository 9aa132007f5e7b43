"""PyTorch emulation of the C# int8 engine, for reference outputs (goldens) of format-version-2 model files.

The C# runtime (src/EdgeVoice.Nn) runs every int8 or block-sparse int8 weight of a Linear or LSTM layer with
integer kernels; every other int8 tensor (none today) is dequantized once (``scale[r] * q[r, c]`` in float32)
and used as float32. For one frame x (one row of the layer's input) an int8 layer computes:

  1. activations (Quantized/ActivationQuantizer.cs), symmetric per frame:
       m = max|x|;  inv = 127f / m;  q_x = clamp(round_half_even(x * inv), -127, 127);  s_x = m / 127f
     (all in float32; a frame of zeros gets s_x = 0 and q_x = 0),
  2. sum[r] = Σ_c q_w[r, c] · q_x[c], exact in int32 (pruned 1x16 blocks are zeros, so dense and sparse agree),
  3. y[r] = float32(sum[r]) · (scale[r] · s_x) + b[r], three float32 operations, unfused (Int8Matrix.Epilogue).

The LSTM (Layers/LstmLayer.cs) runs W_ih over all frames of a chunk with b = b_ih + b_hh (summed in float32),
then per frame W_hh h with the input part of the gates as its "bias":  g = float32(sum_hh) · (s_hh · s_h) + g_ih,
then the usual cell. Steps 1-3 are reproduced bit for bit here: the int8 sums are formed in float64, exact for any
order of summation (|sum| <= 127 · 127 · cols < 2^53), and rounded to float32 once, like the C# int-to-float
conversion. Everything around the int8 layers (convolutions, LayerNorm, activations, the LSTM cell) is ordinary
float32 arithmetic that agrees with C# only to rounding; see docs/model-format.md ("Goldens") for what that
means for the parity tolerance.
"""

from __future__ import annotations

import struct
from typing import Dict, List, Optional, Tuple

import numpy as np
import torch
import torch.nn as nn

from model_file import QuantizedTensor, read_model

F32_127 = torch.tensor(127.0, dtype=torch.float32)


def format_version(path: str) -> int:
    """The version field of a model file's header."""
    with open(path, "rb") as f:
        head = f.read(12)
    return struct.unpack_from("<I", head, 8)[0]


def quantize_activations(x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
    """Per-frame symmetric int8 of x [..., cols] as ActivationQuantizer.Quantize: (levels as float64, scales [...])."""
    x = x.float()
    m = x.abs().amax(dim=-1, keepdim=True)
    zero = m == 0
    inv = F32_127 / torch.where(zero, torch.ones_like(m), m)
    q = torch.clamp(torch.round(x * inv), -127, 127)          # torch.round rounds half to even, like MathF.Round
    q = torch.where(zero, torch.zeros_like(q), q)
    s = torch.where(zero, torch.zeros_like(m), m / F32_127)
    return q.double(), s.squeeze(-1)


def int8_matmul(x: torch.Tensor, qw: torch.Tensor, scales: torch.Tensor, addend: Optional[torch.Tensor]) -> torch.Tensor:
    """y[..., r] = float32(Σ_c qw[r, c] · q_x[..., c]) · (scales[r] · s_x[...]) + addend[..., r] (Int8Matrix)."""
    qx, sx = quantize_activations(x)
    sums = torch.matmul(qx, qw.t()).float()                    # exact integers, one rounding to float32
    y = sums * (scales * sx.unsqueeze(-1))
    return y if addend is None else y + addend


class Int8Linear(nn.Module):
    """nn.Linear whose weight is an int8 (or block-sparse int8) tensor of a version-2 file, run as C# runs it."""

    def __init__(self, weight: QuantizedTensor, bias: Optional[torch.Tensor]):
        super().__init__()
        self.register_buffer("qw", torch.from_numpy(weight.values.astype(np.float64)))
        self.register_buffer("scales", torch.from_numpy(weight.scales.astype(np.float32)))
        self.bias = None if bias is None else bias.detach().float().clone()
        self.out_features, self.in_features = self.qw.shape

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return int8_matmul(x, self.qw, self.scales, self.bias)


class _Matrix:
    """One LSTM weight: int8 (integer path) or float32."""

    def __init__(self, tensor):
        if isinstance(tensor, QuantizedTensor):
            self.qw = torch.from_numpy(tensor.values.astype(np.float64))
            self.scales = torch.from_numpy(tensor.scales.astype(np.float32))
            self.w = None
        else:
            self.w = torch.as_tensor(tensor).float()

    def apply(self, x: torch.Tensor, addend: torch.Tensor) -> torch.Tensor:
        if self.w is None:
            return int8_matmul(x, self.qw, self.scales, addend)
        return torch.matmul(x, self.w.t()) + addend


class EmulatedLstm(nn.Module):
    """nn.LSTM(batch_first=True) inference in LstmLayer's order of operations (int8 weights on the integer path)."""

    def __init__(self, tensors: Dict[str, object], prefix: str, layers: int):
        super().__init__()
        self.layers = []
        for k in range(layers):
            b = torch.as_tensor(tensors[f"{prefix}.bias_ih_l{k}"]).float() + torch.as_tensor(tensors[f"{prefix}.bias_hh_l{k}"]).float()
            self.layers.append((_Matrix(tensors[f"{prefix}.weight_ih_l{k}"]), _Matrix(tensors[f"{prefix}.weight_hh_l{k}"]), b))

    def forward(self, x: torch.Tensor, state: Tuple[torch.Tensor, torch.Tensor]):
        h0, c0 = state
        hs: List[torch.Tensor] = []
        cs: List[torch.Tensor] = []
        for k, (ih, hh, bias) in enumerate(self.layers):
            gates_in = ih.apply(x, bias)                       # (N, T, 4H): all frames of the chunk at once
            h, c = h0[k], c0[k]
            out = []
            for t in range(x.size(1)):
                g = hh.apply(h, gates_in[:, t])
                i, f, gg, o = g.chunk(4, dim=-1)
                c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(gg)
                h = torch.sigmoid(o) * torch.tanh(c)
                out.append(h)
            x = torch.stack(out, dim=1)
            hs.append(h)
            cs.append(c)
        return x, (torch.stack(hs), torch.stack(cs))


def emulate_int8(model: nn.Module, path: str) -> List[str]:
    """Replaces, in a model loaded from the version-2 file ``path`` (its int8 tensors dequantized), every Linear
    and LSTM with int8 weights by the integer emulation. Returns the names of the replaced modules."""
    _, tensors = read_model(path, dequantize=False)
    replaced = []
    for name, module in list(model.named_modules()):
        if isinstance(module, nn.Linear) and isinstance(tensors.get(f"{name}.weight"), QuantizedTensor):
            bias = tensors.get(f"{name}.bias")
            new = Int8Linear(tensors[f"{name}.weight"], None if bias is None else torch.as_tensor(bias))
        elif isinstance(module, nn.LSTM) and any(isinstance(v, QuantizedTensor) for k, v in tensors.items()
                                                  if k.startswith(name + ".")):
            if module.bidirectional or module.proj_size or not module.batch_first:
                raise ValueError(f"{name}: only unidirectional batch-first LSTMs without projection are emulated")
            new = EmulatedLstm(tensors, name, module.num_layers)
        else:
            continue
        parent_name, _, leaf = name.rpartition(".")
        setattr(model.get_submodule(parent_name) if parent_name else model, leaf, new)
        replaced.append(name)
    return replaced
