#!/usr/bin/python3
"""Export a model file (.evm) to ONNX for the ONNX Runtime peer benchmark (bench/onnx, docs/compression.md):
three graphs run in the same streaming loop as EdgeVoice's recognizer.

  /usr/bin/python3 training/export_onnx.py --checkpoint models/convrnnt-small.evm --output /work/cache/onnx/fp32
  /usr/bin/python3 training/export_onnx.py --checkpoint models/convrnnt-small.evm --output /work/cache/onnx/int8 --int8

  encoder.onnx  fbank (1, chunk_size*4, mel) raw (CMVN inside) + the 7 streaming states -> the encoder output
                projected by joiner.encoder_proj (1, chunk_size, joiner_dim) + the new states
  decoder.onnx  context (1, context_size) int64 -> joiner.decoder_proj(predictor(context)) (1, joiner_dim)
  joiner.onnx   enc_proj (1, joiner_dim), dec_proj (1, joiner_dim) -> logits (1, vocab_size)
  states.json   the shapes of the 7 encoder states (all start at zero)

--int8 writes ONNX Runtime's dynamic-quantization pattern by hand (this machine has no onnx or onnxruntime
Python package): every matrix EdgeVoice compresses (Linear and LSTM weights) becomes DynamicQuantizeLinear
(activations to uint8 per call) -> MatMulInteger with int8 weights (per output channel, symmetric, the same
values `edgevoice compress` stores) -> Cast -> Mul by the scales -> Add bias; the LSTM is unrolled over the
chunk's frames with those products. Convolutions, norms and the embedding stay float32, as in EdgeVoice.
With an int8/int8-sparse .evm as input the stored (dequantized) weights are quantized again, which reproduces
them exactly.
"""

from __future__ import annotations

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from checkpoint import load_any  # noqa: E402
from model_file import quantize_per_channel  # noqa: E402
from params import parse_params  # noqa: E402


class _QLinear(torch.autograd.Function):
    """y = x W^T + b with W int8 per output channel; exported as DynamicQuantizeLinear + MatMulInteger."""

    @staticmethod
    def forward(ctx, x, wq_t, w_scale, bias):  # noqa: D401 - reference in float, for tracing
        return x @ (wq_t.float() * w_scale) + bias

    @staticmethod
    def symbolic(g, x, wq_t, w_scale, bias):
        xq, xs, xz = g.op("DynamicQuantizeLinear", x, outputs=3)
        acc = g.op("MatMulInteger", xq, wq_t, xz)
        accf = g.op("Cast", acc, to_i=1)
        return g.op("Add", g.op("Mul", accf, g.op("Mul", xs, w_scale)), bias)


class QLinear(torch.nn.Module):
    def __init__(self, weight: torch.Tensor, bias: torch.Tensor):
        super().__init__()
        q = quantize_per_channel(weight)
        self.register_buffer("wq_t", torch.from_numpy(q.values.T.copy()))            # (in, out) int8
        self.register_buffer("scale", torch.from_numpy(q.scales.copy()))             # (out,)
        self.register_buffer("bias", bias.detach().clone() if bias is not None else torch.zeros(weight.size(0)))

    def forward(self, x):
        return _QLinear.apply(x, self.wq_t, self.scale, self.bias)


def linear(layer: torch.nn.Linear, int8: bool):
    return QLinear(layer.weight, layer.bias) if int8 else layer


class EncoderChunk(torch.nn.Module):
    def __init__(self, model, int8: bool):
        super().__init__()
        enc = model.encoder
        self.cmvn, self.enc, self.int8 = model.cmvn, enc, int8
        self.sub_out = linear(enc.subsampling.out, int8)
        self.pointwise = linear(enc.conv_block.pointwise, int8)
        self.gate = linear(enc.global_block.gate, int8)
        self.proj = linear(enc.global_block.proj, int8)
        self.skip = linear(enc.skip, int8)
        self.enc_proj = linear(model.joiner.encoder_proj, int8)
        self.layers = enc.lstm.num_layers
        if int8:
            self.w_ih = torch.nn.ModuleList(
                QLinear(getattr(enc.lstm, f"weight_ih_l{k}"), getattr(enc.lstm, f"bias_ih_l{k}") + getattr(enc.lstm, f"bias_hh_l{k}"))
                for k in range(self.layers))
            self.w_hh = torch.nn.ModuleList(QLinear(getattr(enc.lstm, f"weight_hh_l{k}"), None) for k in range(self.layers))

    def forward(self, fbank, cache1, cache2, conv_cache, gsum, gcount, h0, c0):
        e = self.enc
        x = self.cmvn(fbank)
        sub = e.subsampling
        # CausalSubsampling with the Linear swapped (same equations as training/model.py).
        y = torch.cat([cache1, x], dim=1)
        new1 = y[:, -2:, :]
        y = F.relu(sub.conv1(y.unsqueeze(1)))                       # (N, C, T1, F1)
        y = torch.cat([cache2, y], dim=2)
        new2 = y[:, :, -2:, :]
        y = F.relu(sub.conv2(y))                                    # (N, C, T2, F2)
        n, c, t, f = y.shape
        h = self.sub_out(y.permute(0, 2, 1, 3).reshape(n, t, c * f))
        cb = e.conv_block
        z = cb.norm(h)
        zc = torch.cat([conv_cache, z.transpose(1, 2)], dim=2)
        new_conv = zc[:, :, -(cb.depthwise.kernel_size[0] - 1):]
        u = cb.depthwise(zc).transpose(1, 2)
        h = h + self.pointwise(u * torch.sigmoid(u))
        gb = e.global_block
        z = gb.norm(h)
        csum = gsum.unsqueeze(1) + torch.cumsum(z, dim=1)
        cnt = gcount.unsqueeze(1) + torch.arange(1, t + 1, dtype=z.dtype).unsqueeze(0)
        m = csum / cnt.unsqueeze(2)
        h = h + torch.sigmoid(self.gate(z)) * self.proj(m)
        z = e.norm(h)
        if self.int8:
            hs, cs, inp = [], [], z
            for k in range(self.layers):
                gx = self.w_ih[k](inp)
                hk, ck, outs = h0[k], c0[k], []
                for step in range(t):
                    g = gx[:, step] + self.w_hh[k](hk)
                    i, fg, gg, o = g.chunk(4, dim=1)
                    ck = torch.sigmoid(fg) * ck + torch.sigmoid(i) * torch.tanh(gg)
                    hk = torch.sigmoid(o) * torch.tanh(ck)
                    outs.append(hk)
                inp = torch.stack(outs, dim=1)
                hs.append(hk)
                cs.append(ck)
            out, hn, cn = inp, torch.stack(hs), torch.stack(cs)
        else:
            out, (hn, cn) = e.lstm(z, (h0, c0))
        enc_out = out + self.skip(z)
        return self.enc_proj(enc_out), new1, new2, new_conv, csum[:, -1, :], cnt[:, -1], hn, cn


class DecoderStep(torch.nn.Module):
    def __init__(self, model, int8: bool):
        super().__init__()
        self.predictor = model.predictor
        self.dec_proj = linear(model.joiner.decoder_proj, int8)

    def forward(self, context):
        return self.dec_proj(self.predictor(context)[:, -1, :])


class JoinerStep(torch.nn.Module):
    def __init__(self, model, int8: bool):
        super().__init__()
        self.out = linear(model.joiner.output, int8)

    def forward(self, enc_proj, dec_proj):
        return self.out(torch.tanh(enc_proj + dec_proj))


def main() -> None:
    int8 = "--int8" in sys.argv
    if int8:
        sys.argv.remove("--int8")
    p = parse_params("Export a model file to ONNX (encoder chunk, decoder, joiner).")
    model, _ = load_any(p.checkpoint, p)
    os.makedirs(p.output, exist_ok=True)
    t_in = p.chunk_size * p.subsampling_factor
    state = model.encoder.init_state(1)
    fbank = torch.randn(1, t_in, p.num_mel_bins)
    encoder = EncoderChunk(model, int8).eval()
    state_names = ["cache1", "cache2", "conv_cache", "gsum", "gcount", "h", "c"]
    with torch.no_grad():
        reference = model.joiner.encoder_proj(model.encoder.streaming_forward(model.cmvn(fbank), state)[0])
        mine = encoder(fbank, *state)[0]
        print(f"encoder chunk: max |export module - model| = {float((reference - mine).abs().max()):.2e}{' (int8 vs fp32)' if int8 else ''}")
        torch.onnx.export(encoder, (fbank, *state), os.path.join(p.output, "encoder.onnx"), opset_version=13,
                          input_names=["fbank"] + state_names, output_names=["enc_proj"] + [s + "_out" for s in state_names])
        ctx = torch.zeros(1, p.context_size, dtype=torch.long)
        torch.onnx.export(DecoderStep(model, int8).eval(), (ctx,), os.path.join(p.output, "decoder.onnx"), opset_version=13,
                          input_names=["context"], output_names=["dec_proj"])
        e, d = torch.zeros(1, p.joiner_dim), torch.zeros(1, p.joiner_dim)
        torch.onnx.export(JoinerStep(model, int8).eval(), (e, d), os.path.join(p.output, "joiner.onnx"), opset_version=13,
                          input_names=["enc_proj", "dec_proj"], output_names=["logits"])
    with open(os.path.join(p.output, "states.json"), "w") as f:
        json.dump({n: list(s.shape) for n, s in zip(state_names, state)}, f)
    for name in ("encoder", "decoder", "joiner"):
        path = os.path.join(p.output, name + ".onnx")
        print(f"{path}: {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()
